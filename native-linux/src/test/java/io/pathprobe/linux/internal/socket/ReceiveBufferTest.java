package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.nativecommon.ReceiveCounters;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.TransportCounters;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Control messages as recvmsg leaves them (x86_64/aarch64 layout), parsed without a socket; and the counters. */
class ReceiveBufferTest {
    private final ReceiveBuffer buffer = new ReceiveBuffer();

    @AfterEach
    void free() {
        buffer.free();
    }

    @Test
    void anErrorQueueMessageWithTimestampTtlAndExtendedError() throws Exception {
        Pointer c = buffer.control();
        int at = 0;
        // SCM_TIMESTAMPNS: struct timespec {1700000000 s, 123456789 ns}
        at = cmsg(c, at, Abi.SOL_SOCKET, Abi.SCM_TIMESTAMPNS, 16);
        c.putLong(at - 16, 1_700_000_000L);
        c.putLong(at - 8, 123_456_789L);
        // IP_TTL (IP_RECVTTL): the ICMP error arrived with TTL 62
        at = cmsg(c, at, Abi.SOL_IP, Abi.IP_TTL, 4);
        c.putInt(at - 8, 62); // data at the start of the 8-aligned slot
        // IP_RECVERR: sock_extended_err {EHOSTUNREACH, origin ICMP, type 11, code 0} + offender 198.18.0.6
        int errStart = at;
        at = cmsg(c, at, Abi.SOL_IP, Abi.IP_RECVERR, Abi.EE_SIZE + Abi.SOCKADDR_IN_SIZE);
        int ee = errStart + Abi.CMSG_HDR;
        c.putInt(ee + Abi.EE_ERRNO, 113);
        c.putByte(ee + Abi.EE_ORIGIN, (byte) Abi.SO_EE_ORIGIN_ICMP);
        c.putByte(ee + Abi.EE_TYPE, (byte) 11);
        c.putByte(ee + Abi.EE_CODE, (byte) 0);
        Pointer offender = Pointer.wrap(c.address() + ee + Abi.EE_SIZE);
        Sockets.writeSockaddr(offender, InetAddress.getByName("198.18.0.6"), 0);

        buffer.parseControl(at);

        assertThat(buffer.timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(buffer.replyTtl()).isEqualTo(62);
        assertThat(buffer.hasError()).isTrue();
        assertThat(buffer.errorType()).isEqualTo(11);
        assertThat(buffer.icmpErrorKind(false)).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(buffer.icmpErrorKind(true)).as("not an ICMPv6 error").isNull();
        assertThat(new InetAddresses().fromSockaddr(buffer.control(), buffer.offenderOffset()))
                .isEqualTo(InetAddress.getByName("198.18.0.6"));
    }

    @Test
    void anIpv6HopLimitAndNothingElse() {
        Pointer c = buffer.control();
        int at = cmsg(c, 0, Abi.SOL_IPV6, Abi.IPV6_HOPLIMIT, 4);
        c.putInt(at - 8, 255);
        buffer.parseControl(at);
        assertThat(buffer.replyTtl()).isEqualTo(255);
        assertThat(buffer.hasError()).isFalse();
        assertThat(buffer.offenderOffset()).isEqualTo(-1);
        assertThat(buffer.timestampNanos()).as("no kernel timestamp: the time of reading").isPositive();
    }

    @Test
    void aTruncatedControlMessageEndsParsingAndTheFieldsOfTheLastMessageAreReset() {
        Pointer c = buffer.control();
        int at = cmsg(c, 0, Abi.SOL_IP, Abi.IP_TTL, 4);
        c.putInt(at - 8, 9);
        buffer.parseControl(at);
        assertThat(buffer.replyTtl()).isEqualTo(9);

        c.putLong(Abi.CMSG_LEN, 4096); // claims more than there is
        buffer.parseControl(at);
        assertThat(buffer.replyTtl()).isEqualTo(ProbeResponse.UNKNOWN);
        assertThat(buffer.hasError()).isFalse();
    }

    /**
     * Found by fuzzing (PacketParserMutationTest, cmsg): an IP_RECVERR cmsg holding the
     * sock_extended_err and only 7 bytes of an AF_INET offender was taken as having an offender,
     * whose address the sessions then read from past the control messages.
     */
    @Test
    void anOffenderCutShortIsNoOffender() {
        Pointer c = buffer.control();
        int at = cmsg(c, 0, Abi.SOL_IP, Abi.IP_RECVERR, Abi.EE_SIZE + 7);
        int ee = Abi.CMSG_HDR;
        c.putByte(ee + Abi.EE_ORIGIN, (byte) Abi.SO_EE_ORIGIN_ICMP);
        c.putByte(ee + Abi.EE_TYPE, (byte) 11);
        c.putShort(ee + Abi.EE_SIZE + Abi.SA_FAMILY, (short) Abi.AF_INET);
        buffer.parseControl(Abi.CMSG_HDR + Abi.EE_SIZE + 7);
        assertThat(buffer.hasError()).isTrue();
        assertThat(buffer.icmpErrorKind(false)).isEqualTo(ResponseKind.TIME_EXCEEDED);
        assertThat(buffer.offenderOffset()).as("7 of the 16 bytes of a sockaddr_in").isEqualTo(-1);

        c.putLong(Abi.CMSG_LEN, Abi.CMSG_HDR + Abi.EE_SIZE + Abi.SOCKADDR_IN6_SIZE - 1);
        c.putShort(ee + Abi.EE_SIZE + Abi.SA_FAMILY, (short) Abi.AF_INET6);
        buffer.parseControl(at + 32);
        assertThat(buffer.offenderOffset()).as("27 of the 28 bytes of a sockaddr_in6").isEqualTo(-1);

        c.putLong(Abi.CMSG_LEN, Abi.CMSG_HDR + Abi.EE_SIZE + Abi.SOCKADDR_IN_SIZE);
        c.putShort(ee + Abi.EE_SIZE + Abi.SA_FAMILY, (short) Abi.AF_INET);
        buffer.parseControl(Abi.CMSG_HDR + Abi.EE_SIZE + Abi.SOCKADDR_IN_SIZE);
        assertThat(buffer.offenderOffset()).as("a whole sockaddr_in").isEqualTo(ee + Abi.EE_SIZE);
    }

    /**
     * Found by fuzzing (PacketParserFuzzTest#cmsg, Jazzer): a cmsg_len near Long.MAX_VALUE made
     * {@code offset + cmsg_len} overflow past the length check, and its low 32 bits (-16) sent the
     * parser back to the first message: parseControl never returned. The guard below only keeps a
     * regression from hanging the build; the parse takes microseconds.
     */
    @Test
    void aCmsgLengthThatOverflowsEndsParsingInsteadOfLoopingForever() {
        Pointer c = buffer.control();
        int at = cmsg(c, 0, Abi.SOL_IP, Abi.IP_TTL, 0); // 16 bytes, no data
        c.putLong(at + Abi.CMSG_LEN, 0x7fff_ffff_ffff_fff0L); // (int) = -16: back to offset 0
        c.putInt(at + Abi.CMSG_LEVEL, Abi.SOL_IP);
        c.putInt(at + Abi.CMSG_TYPE, Abi.IP_TTL);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> buffer.parseControl(at + Abi.CMSG_HDR + 8),
                "parseControl did not return");
        assertThat(buffer.hasError()).isFalse();
        assertThat(buffer.replyTtl()).isEqualTo(ProbeResponse.UNKNOWN);
    }

    @Test
    void everyMessageReadIsCountedOnceByItsOutcome() {
        ReceiveCounters counters = new ReceiveCounters();
        DropReason[] outcomes = {null, null, DropReason.MALFORMED, DropReason.UNRELATED, null,
                DropReason.SESSION_CLOSED, DropReason.LISTENER_FAILED, DropReason.UNRELATED};
        for (DropReason outcome : outcomes) {
            counters.read();
            counters.outcome(outcome);
        }
        TransportCounters snapshot = counters.snapshot();
        assertThat(snapshot.read()).isEqualTo(8);
        assertThat(snapshot.delivered()).isEqualTo(3);
        assertThat(snapshot.dropped(DropReason.UNRELATED)).isEqualTo(2);
        assertThat(snapshot.dropped(DropReason.MALFORMED)).isEqualTo(1);
        assertThat(snapshot.droppedTotal()).isEqualTo(5);
        assertThat(snapshot.read()).isEqualTo(snapshot.delivered() + snapshot.droppedTotal());
    }

    /** Writes a cmsghdr for {@code dataLength} bytes at {@code at}; returns where the next one starts. */
    private static int cmsg(Pointer c, int at, int level, int type, int dataLength) {
        c.putLong(at + Abi.CMSG_LEN, Abi.CMSG_HDR + dataLength);
        c.putInt(at + Abi.CMSG_LEVEL, level);
        c.putInt(at + Abi.CMSG_TYPE, type);
        return at + Abi.cmsgSpace(dataLength);
    }
}
