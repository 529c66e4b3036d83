package io.pathprobe.linux.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {
    private final NativeMemory memory = NativeMemory.allocate(128);
    private final Pointer p = memory.pointer();

    @AfterEach
    void free() {
        memory.free();
    }

    private static final int[] SEQUENCES = {0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff};
    private static final int[] FLOWS = {0, 1, 2, 0x7fff, 0x8000, 0xbeef, 0xfffd, 0xfffe};

    @Test
    void eachFlowHasItsOwnChecksumWhateverTheSequence() {
        IcmpEcho.writeRequest(p, false, 0xbeef, 0x0123456789abcdefL, true);
        int base = IcmpEcho.baseSum(p);
        for (int flow : FLOWS) {
            for (int sequence : SEQUENCES) {
                IcmpEcho.setProbe(p, base, sequence, flow, true);
                assertThat(IcmpEcho.sequence(p, 0)).isEqualTo(sequence);
                assertThat(IcmpEcho.identifier(p, 0)).isEqualTo(0xbeef);
                assertThat(Sockets.readBigEndianShort(p, 2)).as("flow %d seq %d", flow, sequence).isEqualTo(flow);
                assertThat(IcmpEcho.checksum(p, IcmpEchoFormat.LENGTH)).as("a valid packet sums to 0").isZero();
            }
        }
    }

    @Test
    void thePingSocketsKernelComputesTheFlowsChecksum() {
        // Ping sockets: the checksum field is left 0 and the kernel computes it over the message.
        IcmpEcho.writeRequest(p, false, 0x4321, 0x1122334455667788L, false);
        int base = IcmpEcho.baseSum(p);
        for (int flow : FLOWS) {
            for (int sequence : SEQUENCES) {
                IcmpEcho.setProbe(p, base, sequence, flow, false);
                assertThat(Sockets.readBigEndianShort(p, 2)).isZero();
                assertThat(IcmpEcho.checksum(p, IcmpEchoFormat.LENGTH)).as("flow %d seq %d", flow, sequence).isEqualTo(flow);
            }
        }
    }

    @Test
    void theBytesOfARequest() {
        IcmpEcho.writeRequest(p, false, 0xbeef, 0x0102030405060708L, true);
        IcmpEcho.setProbe(p, IcmpEcho.baseSum(p), 5, 7, true);
        byte[] bytes = new byte[IcmpEchoFormat.LENGTH];
        p.get(0, bytes, 0, bytes.length);
        assertThat(bytes).startsWith(0x08, 0x00, 0x00, 0x07, 0xbe, 0xef, 0x00, 0x05, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(new String(bytes, 18, 22, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ABCDEFGHIJKLMNOPQRSTUV");
        // The compensation word is what makes the sum come out: all other words fixed.
        int compensation = ((bytes[16] & 0xff) << 8) | (bytes[17] & 0xff);
        assertThat(compensation).isEqualTo(IcmpEchoFormat.compensation(IcmpEcho.baseSum(p), 5, 7));
    }

    @Test
    void flowsBeyondTheLastDistinctChecksumWrap() {
        assertThat(IcmpEchoFormat.MAX_FLOW).isEqualTo(0xfffe);
        assertThat(IcmpEchoFormat.flowChecksum(0xffff)).isZero();
        assertThat(IcmpEchoFormat.flowChecksum(0xfffe)).isEqualTo(0xfffe);
    }

    @Test
    void repliesMustCarryTheCookieAndQuotesMayLackIt() {
        long cookie = 0x1122334455667788L;
        IcmpEcho.writeRequest(p, false, 1, cookie, false);
        IcmpEcho.setProbe(p, IcmpEcho.baseSum(p), 4242, 3, false);
        assertThat(IcmpEcho.replyMatches(p, 0, IcmpEchoFormat.LENGTH, cookie)).isTrue();
        assertThat(IcmpEcho.replyMatches(p, 0, IcmpEchoFormat.LENGTH, cookie + 1)).isFalse();
        assertThat(IcmpEcho.replyMatches(p, 0, 8, cookie)).as("a truncated reply").isFalse();

        assertThat(IcmpEcho.quoteMatches(p, 0, 8, cookie + 1)).as("8-byte quote: nothing to check").isTrue();
        assertThat(IcmpEcho.quoteMatches(p, 0, IcmpEchoFormat.LENGTH, cookie)).isTrue();
        assertThat(IcmpEcho.quoteMatches(p, 0, IcmpEchoFormat.LENGTH, cookie + 1)).as("someone else's probe").isFalse();
        p.setMemory(8, 32, (byte) 0); // RFC 4884 padding after an 8-byte quote
        assertThat(IcmpEcho.quoteMatches(p, 0, IcmpEchoFormat.LENGTH, cookie)).isTrue();
        assertThat(IcmpEcho.quoteMatches(p, 0, 7, cookie)).isFalse();
    }

    @Test
    void cookiesAreNeverZero() {
        for (int i = 0; i < 1000; i++) {
            assertThat(IcmpEchoFormat.newCookie()).isNotZero();
        }
    }
}
