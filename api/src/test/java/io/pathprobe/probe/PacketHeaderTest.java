package io.pathprobe.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacketHeaderTest {
    /** IPv4, ToS 0xba, total length 48, id 0x1234, TTL 1, TCP, 198.18.0.1 -> 198.18.1.2; SYN 40000 -> 443, MSS 1460. */
    private static final byte[] TCP_V4 = HexFormat.of().parseHex(
            "45ba0030123440000106000" + "0c6120001c6120102"
            + "9c4001bb0001000200000000" + "7002" + "16d0" + "abcd0000" + "020405b4" + "01030307");

    @Test
    void anIpv4TcpQuoteIsReadWholeOptionsIncluded() throws Exception {
        PacketHeader h = PacketHeader.parse(TCP_V4, 0, TCP_V4.length).orElseThrow();
        assertThat(h.ipVersion()).isEqualTo(4);
        assertThat(h.marking()).contains(TrafficClass.of(0xba));
        assertThat(h.ttl()).isEqualTo(1);
        assertThat(h.ipId()).isEqualTo(0x1234);
        assertThat(h.totalLength()).isEqualTo(48);
        assertThat(h.protocol()).isEqualTo(PacketHeader.TCP);
        assertThat(h.source()).contains(InetAddress.getByName("198.18.0.1"));
        assertThat(h.destination()).contains(InetAddress.getByName("198.18.1.2"));
        assertThat(h.sourcePort()).isEqualTo(40000);
        assertThat(h.destinationPort()).isEqualTo(443);
        assertThat(h.transportChecksum()).isEqualTo(0xabcd);
        assertThat(h.tcpHeaderLength()).isEqualTo(28);
        assertThat(h.tcpMss()).isEqualTo(1460);
        assertThat(h.tcpOptions()).containsExactly(2, 3);
        assertThat(h).hasToString("IPv4 DSCP 46 (EF) ECT(0) TTL 1 id 4660 len 48 198.18.0.1:40000 -> "
                + "198.18.1.2:443 TCP sum 0xabcd mss 1460 opts [2, 3]");
    }

    @Test
    void anRfc792QuoteHasNoTcpOptionsToCompare() {
        PacketHeader h = PacketHeader.parse(TCP_V4, 0, 28).orElseThrow();
        assertThat(h.sourcePort()).isEqualTo(40000);
        assertThat(h.transportChecksum()).isEqualTo(PacketHeader.UNKNOWN); // beyond the 8 bytes
        assertThat(h.tcpHeaderLength()).isEqualTo(PacketHeader.UNKNOWN);
        assertThat(h.tcpMss()).isEqualTo(PacketHeader.UNKNOWN);
    }

    @Test
    void anIpv6UdpQuoteCarriesTheTrafficClassAndFlowLabel() throws Exception {
        byte[] b = HexFormat.of().parseHex("6ba12345" + "00101101" + "20010db8000000000000000000000001"
                + "20010db8000000000000000000000002" + "9c40829a0010beef" + "0000000000000000");
        PacketHeader h = PacketHeader.parse(b, 0, b.length).orElseThrow();
        assertThat(h.ipVersion()).isEqualTo(6);
        assertThat(h.trafficClass()).isEqualTo(0xba);
        assertThat(h.flowLabel()).isEqualTo(0x12345);
        assertThat(h.ttl()).isEqualTo(1);
        assertThat(h.totalLength()).isEqualTo(56);
        assertThat(h.protocol()).isEqualTo(PacketHeader.UDP);
        assertThat(h.destination()).contains(InetAddress.getByName("2001:db8::2"));
        assertThat(h.destinationPort()).isEqualTo(33434);
        assertThat(h.transportChecksum()).isEqualTo(0xbeef);
        assertThat(h.ipId()).isEqualTo(PacketHeader.UNKNOWN);
    }

    @Test
    void whatIsNoIpHeaderIsNothing() {
        assertThat(PacketHeader.parse(new byte[19], 0, 19)).isEmpty();
        assertThat(PacketHeader.parse(new byte[40], 0, 40)).isEmpty(); // version 0
        byte[] badIhl = TCP_V4.clone();
        badIhl[0] = 0x4f; // a 60-byte header in 48 bytes
        assertThat(PacketHeader.parse(badIhl, 0, badIhl.length)).isEmpty();
        byte[] looping = TCP_V4.clone();
        looping[45] = 0; // end of options after the MSS: the rest not read
        assertThat(PacketHeader.parse(looping, 0, looping.length).orElseThrow().tcpOptions()).containsExactly(2);
    }

    @Test
    void changesAreTheFieldsKnownOnBothSidesThatDiffer() throws Exception {
        PacketHeader quoted = PacketHeader.parse(TCP_V4, 0, TCP_V4.length).orElseThrow();
        PacketHeader sent = PacketHeader.of(4, PacketHeader.TCP).withTrafficClass(0xba).withTtl(5)
                .withAddresses(null, InetAddress.getByName("198.18.1.2")).withTransport(40000, 443, 0xabcd)
                .withTcpOptions(28, 1460, List.of(2, 3));
        assertThat(HeaderChange.between(sent, quoted)).isEmpty();
        PacketHeader rewritten = quoted.withTrafficClass(0x02).withTtl(57).withTransport(1024, 443, 0x1111)
                .withTcpOptions(24, 1200, List.of(2));
        assertThat(HeaderChange.between(sent, rewritten)).extracting(Object::toString).containsExactly(
                "DSCP 46 -> 0", "TTL 5 -> 57", "source port 40000 -> 1024", "checksum 0xabcd -> 0x1111",
                "MSS 1460 -> 1200", "TCP options [2, 3] -> [2]");
        assertThat(HeaderChange.between(sent, quoted.withTrafficClass(0xb8)))
                .containsExactly(new HeaderChange(HeaderField.ECN, "ECT(0)", "Not-ECT"));
        assertThat(HeaderChange.between(sent, quoted.withAddresses(null, null).withTransport(-1, -1, -1)))
                .isEmpty(); // unknown on one side: not compared
        assertThat(quoted.withAddresses(null, null).source()).isEqualTo(Optional.empty());
    }

    /**
     * Parsing with the sent header gives what parsing without it gives, field for field, whatever the bytes; it
     * holds the sent header's address {@code Optional}s exactly where the quote names those addresses.
     */
    @Test
    void aQuoteParsedWithTheSentHeaderIsTheSameHeaderSharingItsAddresses() throws Exception {
        java.util.Random random = new java.util.Random(27);
        InetAddress[] v4 = {InetAddress.getByName("198.18.0.1"), InetAddress.getByName("198.18.1.2")};
        InetAddress[] v6 = {InetAddress.getByName("2001:db8::1"), InetAddress.getByName("2001:db8:1::2")};
        int shared = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean ipv6 = random.nextBoolean();
            InetAddress[] a = ipv6 ? v6 : v4;
            byte[] b = new byte[random.nextInt(ipv6 ? 80 : 60) + (random.nextInt(10) == 0 ? 0 : 20)];
            random.nextBytes(b);
            if (b.length >= 20) {
                int[] protocols = {PacketHeader.UDP, PacketHeader.ICMP, PacketHeader.ICMPV6, PacketHeader.TCP, 47};
                int protocol = protocols[random.nextInt(protocols.length)];
                int at = ipv6 ? 8 : 12;
                if (!ipv6) {
                    b[0] = (byte) (0x40 | (random.nextInt(8) == 0 ? random.nextInt(16) : 5));
                    b[9] = (byte) protocol;
                } else if (b.length >= 40) {
                    b[0] = (byte) (0x60 | (b[0] & 0x0f));
                    b[6] = (byte) protocol;
                }
                if (random.nextInt(4) != 0 && b.length >= at + 2 * a[0].getAddress().length) {
                    System.arraycopy(a[0].getAddress(), 0, b, at, a[0].getAddress().length);
                    System.arraycopy(a[1].getAddress(), 0, b, at + a[0].getAddress().length,
                            a[1].getAddress().length);
                }
            }
            PacketHeader sent = PacketHeader.of(ipv6 ? 6 : 4, PacketHeader.UDP).withAddresses(a[0], a[1]);
            Optional<PacketHeader> plain = PacketHeader.parse(b, 0, b.length);
            Optional<PacketHeader> read = PacketHeader.parse(b, 0, b.length, sent);
            assertThat(read).as("bytes %s", java.util.Arrays.toString(b)).isEqualTo(plain);
            if (read.isPresent()) {
                boolean same = read.get().source().equals(sent.source());
                assertThat(read.get().source() == sent.source()).as("shared exactly when equal").isEqualTo(same);
                shared += same ? 1 : 0;
            }
        }
        assertThat(shared).as("quotes that named the sent addresses").isGreaterThan(5_000);
    }

    @Test
    void aScopedOrMappedAddressIsNeverShared() throws Exception {
        byte[] b = new byte[48];
        b[0] = 0x60;
        b[6] = (byte) PacketHeader.UDP;
        InetAddress linkLocal = InetAddress.getByName("fe80::1");
        System.arraycopy(linkLocal.getAddress(), 0, b, 8, 16);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 198;
        mapped[13] = 18;
        mapped[15] = 1;
        System.arraycopy(mapped, 0, b, 24, 16);
        InetAddress scoped = java.net.Inet6Address.getByAddress(null, linkLocal.getAddress(), 2);
        InetAddress mappedV6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        PacketHeader sent = PacketHeader.of(6, PacketHeader.UDP).withAddresses(scoped, mappedV6);

        PacketHeader read = PacketHeader.parse(b, 0, b.length, sent).orElseThrow();

        assertThat(read).isEqualTo(PacketHeader.parse(b, 0, b.length).orElseThrow());
        assertThat(read.source()).isNotSameAs(sent.source()).contains(linkLocal);
        assertThat(read.destination()).isNotSameAs(sent.destination()).contains(InetAddress.getByName("198.18.0.1"));
    }
}
