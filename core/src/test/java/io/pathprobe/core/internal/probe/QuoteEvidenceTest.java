package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuoteEvidenceTest {
    /** The Internet checksum of 16-bit words. */
    private static int checksum(int... words) {
        int sum = 0;
        for (int w : words) {
            sum += w;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    @Test
    void anIncrementalUpdateIsTheRecomputedChecksum() {
        int[] segment = {0x9c40, 0x01bb, 0x0001, 0x0002, 0, 0, 0x6002, 0x16d0, 0, 0, 0x0204, 1460};
        int before = checksum(segment);
        segment[11] = 1200;
        int after = checksum(segment);
        assertThat(QuoteEvidence.rewrite(before, 1460, 1200)).isEqualTo(after);
        assertThat(QuoteEvidence.rewrite(after, 1200, 1460)).isEqualTo(before);
    }

    private static ProbeResponse answer(int sentSum, int quotedSum, int quotedMss) throws Exception {
        PacketHeader sent = PacketHeader.of(4, PacketHeader.TCP).withTrafficClass(0).withTransport(40000, 443, sentSum)
                .withTcpOptions(24, 1460, List.of(2));
        PacketHeader quoted = sent.withTtl(1).withTransport(40000, 443, quotedSum).withTcpOptions(24, quotedMss,
                List.of(2));
        return new ProbeResponse(0, ResponseKind.TIME_EXCEEDED, 11, 0, InetAddress.getByName("198.18.0.9"), 0, 60, 1,
                -1, quotedSum, sentSum, List.of()).withHeaders(sent, quoted);
    }

    @Test
    void aClampIsNoTranslationButAClampBehindANatLeavesTheNat() throws Exception {
        int sent = 0x1234;
        int clamped = QuoteEvidence.rewrite(sent, 1460, 1200);
        QuoteEvidence clamp = QuoteEvidence.of(answer(sent, clamped, 1200), 7);
        assertThat(clamp.natId()).isZero();
        assertThat(clamp.changes()).extracting(c -> c.field()).containsExactly(HeaderField.TCP_MSS);

        int translated = (clamped + 0x55) & 0xffff; // and a NAT that left its mark on the checksum
        QuoteEvidence both = QuoteEvidence.of(answer(sent, translated, 1200), 9);
        assertThat(both.natId()).isEqualTo(0x55);
        assertThat(both.changes()).extracting(c -> c.field()).containsExactly(HeaderField.TRANSPORT_CHECKSUM,
                HeaderField.TCP_MSS);

        QuoteEvidence nat = QuoteEvidence.of(answer(sent, (sent + 0x55) & 0xffff, 1460), 9);
        assertThat(nat.natId()).isEqualTo(0x55);
    }

    /**
     * The shortcut for an unchanged path answers as {@link io.pathprobe.probe.HeaderChange#between} does: a sent UDP
     * and TCP header against quotes differing in one field each (or unknown there), at TTLs below, at and above the
     * quoted one.
     */
    @Test
    void unchangedAgreesWithBetweenFieldByField() throws Exception {
        InetAddress a = InetAddress.getByName("198.18.0.1");
        InetAddress b = InetAddress.getByName("198.19.0.1");
        InetAddress c = InetAddress.getByName("198.19.0.2");
        PacketHeader udp = PacketHeader.of(4, PacketHeader.UDP).withTrafficClass(0).withIp(7, PacketHeader.UNKNOWN, 60)
                .withAddresses(a, b).withTransport(40000, 33435, 0x1234);
        PacketHeader tcp = PacketHeader.of(4, PacketHeader.TCP).withTrafficClass(0xb8).withIp(9, PacketHeader.UNKNOWN,
                44).withAddresses(null, b).withTransport(40001, 443, 0x4321).withTcpOptions(24, 1460, List.of(2));
        int checked = 0;
        int unchanged = 0;
        for (PacketHeader sent : List.of(udp, tcp)) {
            List<PacketHeader> quotes = List.of(sent, sent.withTtl(1), sent.withTtl(5), sent.withTrafficClass(1),
                    sent.withTrafficClass(0xb8), sent.withTrafficClass(PacketHeader.UNKNOWN), sent.withIp(8, 3, 60),
                    sent.withIp(PacketHeader.UNKNOWN, PacketHeader.UNKNOWN, PacketHeader.UNKNOWN),
                    sent.withIp(sent.ipId(), sent.flowLabel(), 61), sent.withAddresses(c, b), sent.withAddresses(a, c),
                    sent.withAddresses(null, null), sent.withTransport(40002, sent.destinationPort(), 0x1234),
                    sent.withTransport(sent.sourcePort(), 1, sent.transportChecksum()),
                    sent.withTransport(sent.sourcePort(), sent.destinationPort(), 0x1235),
                    sent.withTcpOptions(24, 1200, List.of(2)), sent.withTcpOptions(28, 1460, List.of(2, 4)),
                    sent.withTcpOptions(PacketHeader.UNKNOWN, PacketHeader.UNKNOWN, List.of()));
            for (PacketHeader quoted : quotes) {
                for (int ttl : new int[] {1, 3, 5}) {
                    boolean between = io.pathprobe.probe.HeaderChange.between(sent.withTtl(ttl), quoted).isEmpty()
                            && (sent.tcpMss() < 0 || quoted.tcpMss() < 0 || sent.tcpMss() == quoted.tcpMss());
                    assertThat(QuoteEvidence.unchanged(sent, ttl, quoted)).as("%s / %s at TTL %d", sent, quoted, ttl)
                            .isEqualTo(between);
                    checked++;
                    unchanged += between ? 1 : 0;
                }
            }
        }
        assertThat(unchanged).isPositive().isLessThan(checked);
    }
}
