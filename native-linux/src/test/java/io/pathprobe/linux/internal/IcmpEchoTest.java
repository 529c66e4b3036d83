package io.pathprobe.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {
    private final NativeMemory memory = NativeMemory.allocate(128);
    private final Pointer p = memory.pointer();

    @AfterEach
    void free() {
        memory.free();
    }

    @Test
    void theChecksumIsValidAndTheSameForEverySequence() {
        IcmpEcho.writeRequest(p, false, 0xbeef, 0x0123456789abcdefL, true);
        int checksum = Sockets.readBigEndianShort(p, 2);
        for (int sequence : new int[] {0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff}) {
            IcmpEcho.setSequence(p, sequence);
            assertThat(IcmpEcho.sequence(p, 0)).isEqualTo(sequence);
            assertThat(IcmpEcho.identifier(p, 0)).isEqualTo(0xbeef);
            assertThat(Sockets.readBigEndianShort(p, 2)).isEqualTo(checksum);
            assertThat(IcmpEcho.checksum(p, IcmpEcho.LENGTH)).as("a valid packet sums to 0").isZero();
        }
    }

    @Test
    void repliesMustCarryTheCookieAndQuotesMayLackIt() {
        long cookie = 0x1122334455667788L;
        IcmpEcho.writeRequest(p, false, 1, cookie, false);
        IcmpEcho.setSequence(p, 4242);
        assertThat(IcmpEcho.replyMatches(p, 0, IcmpEcho.LENGTH, cookie)).isTrue();
        assertThat(IcmpEcho.replyMatches(p, 0, IcmpEcho.LENGTH, cookie + 1)).isFalse();
        assertThat(IcmpEcho.replyMatches(p, 0, 8, cookie)).as("a truncated reply").isFalse();

        assertThat(IcmpEcho.quoteMatches(p, 0, 8, cookie + 1)).as("8-byte quote: nothing to check").isTrue();
        assertThat(IcmpEcho.quoteMatches(p, 0, IcmpEcho.LENGTH, cookie)).isTrue();
        assertThat(IcmpEcho.quoteMatches(p, 0, IcmpEcho.LENGTH, cookie + 1)).as("someone else's probe").isFalse();
        p.setMemory(8, 32, (byte) 0); // RFC 4884 padding after an 8-byte quote
        assertThat(IcmpEcho.quoteMatches(p, 0, IcmpEcho.LENGTH, cookie)).isTrue();
        assertThat(IcmpEcho.quoteMatches(p, 0, 7, cookie)).isFalse();
    }

    @Test
    void cookiesAreNeverZero() {
        for (int i = 0; i < 1000; i++) {
            assertThat(IcmpEcho.newCookie()).isNotZero();
        }
    }
}
