package io.pathprobe.linux.internal.transport;

import static io.pathprobe.linux.internal.transport.PacketTargets.DESTINATION;
import static io.pathprobe.linux.internal.transport.PacketTargets.DESTINATION6;
import static io.pathprobe.linux.internal.transport.PacketTargets.HOST;
import static io.pathprobe.linux.internal.transport.PacketTargets.HOST6;
import static io.pathprobe.linux.internal.transport.PacketTargets.LOCAL;
import static io.pathprobe.linux.internal.transport.PacketTargets.PORT;
import static io.pathprobe.linux.internal.transport.PacketTargets.ROUTER;
import static io.pathprobe.linux.internal.transport.PacketTargets.ROUTER6;
import static io.pathprobe.linux.internal.transport.PacketTargets.address;
import static io.pathprobe.linux.internal.transport.PacketTargets.icmpError;
import static io.pathprobe.linux.internal.transport.PacketTargets.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.QuotedHeaders;
import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.codec.TcpProbes;
import io.pathprobe.linux.internal.codec.UdpProbes;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.ArrayPointer;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.linux.internal.transport.PacketTargets.Port;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The headers an ICMP error's answer carries (QUOTED_HEADER), on recorded packets: probes written whole by the
 * raw transports' own code (RawPackets, UdpProbes, TcpProbes) marked DSCP 46 + ECT(0), quoted by a router
 * whole or in 8 bytes, with the marking as sent or rewritten. No socket, no privilege.
 */
class QuotedHeadersTest extends ReceivedPackets {
    private static final long COOKIE = 0x1122334455667788L;
    private static final int KEY = 0x4d2b;
    private static final int EF_ECT0 = 0xba;
    private static final int TTL = 1;

    private final NativeMemory packet = NativeMemory.allocate(128);

    @AfterEach
    void free() {
        packet.free();
    }

    @Test
    void ipv4UdpWholeQuoteCarriesTheMarkingAndMatchesWhatWasSent() {
        Port t = target(false, false, FlowPolicy.FIXED);
        byte[] probe = written(t, false, false, 321, EF_ECT0);
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, probe), false);
        PacketHeader quoted = r.quotedHeader();
        assertThat(quoted).isNotNull();
        assertThat(quoted.trafficClass()).isEqualTo(EF_ECT0);
        assertThat(quoted.ttl()).isEqualTo(TTL);
        assertThat(quoted.ipId()).isEqualTo(PortKey.ipId(KEY, 321));
        assertThat(quoted.protocol()).isEqualTo(PacketHeader.UDP);
        assertThat(quoted.sourcePort()).isEqualTo(LOCAL);
        assertThat(quoted.destinationPort()).isEqualTo(PORT);
        assertThat(quoted.totalLength()).isEqualTo(20 + UdpProbes.LENGTH);
        PacketHeader sent = r.sentHeader();
        assertThat(sent).isNotNull();
        assertThat(sent.ttl()).as("the engine fills the TTL in").isEqualTo(PacketHeader.UNKNOWN);
        assertThat(sent.trafficClass()).isEqualTo(EF_ECT0);
        assertThat(HeaderChange.between(sent.withTtl(TTL), quoted)).as("nothing changed on the way").isEmpty();
    }

    @Test
    void ipv4UdpEightByteQuoteStillCarriesTheIpHeader() {
        Port t = target(false, false, FlowPolicy.PER_PROBE);
        byte[] probe = written(t, false, false, 7, EF_ECT0);
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, Arrays.copyOf(probe, 28)), false);
        assertThat(r.quotedHeader().trafficClass()).isEqualTo(EF_ECT0);
        assertThat(r.quotedHeader().destinationPort()).isEqualTo(PORT + 7);
        assertThat(r.sentHeader().destinationPort()).isEqualTo(PORT + 7);
        assertThat(HeaderChange.between(r.sentHeader().withTtl(TTL), r.quotedHeader())).isEmpty();
    }

    @Test
    void aRouterThatBleachedTheDscpAndSetCeShowsAsAChange() {
        Port t = target(false, false, FlowPolicy.FIXED);
        byte[] probe = written(t, false, false, 5, EF_ECT0);
        probe[1] = 0x03; // DSCP 0, CE
        probe[10] = 0;
        probe[11] = 0;
        PacketTargets.fixIpv4(probe);
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, probe), false);
        assertThat(r.quotedHeader().trafficClass()).isEqualTo(0x03);
        List<HeaderChange> changes = HeaderChange.between(r.sentHeader().withTtl(TTL), r.quotedHeader());
        assertThat(changes).isNotEmpty();
    }

    @Test
    void ipv4TcpWholeQuoteHasTheSynOptions() {
        Port t = target(true, false, FlowPolicy.FIXED);
        byte[] probe = written(t, true, false, 9, EF_ECT0);
        ProbeResponse r = deliveredV4(t, icmpError(11, 0, probe), true);
        PacketHeader quoted = r.quotedHeader();
        assertThat(quoted.trafficClass()).isEqualTo(EF_ECT0);
        assertThat(quoted.tcpMss()).isEqualTo(1460);
        assertThat(quoted.tcpOptions()).containsExactly(2);
        assertThat(quoted.tcpHeaderLength()).isEqualTo(24);
        PacketHeader sent = r.sentHeader();
        assertThat(sent.tcpMss()).isEqualTo(1460);
        assertThat(sent.tcpOptions()).containsExactly(2);
        assertThat(sent.transportChecksum()).isEqualTo(r.sentChecksum());
        assertThat(HeaderChange.between(sent.withTtl(TTL), quoted)).isEmpty();
    }

    @Test
    void ipv6UdpAndTcpQuotesCarryTheTrafficClassAndFlowLabel() {
        for (boolean tcp : new boolean[] {false, true}) {
            Port t = target(tcp, true, FlowPolicy.FIXED);
            byte[] probe = written(t, tcp, true, 11, EF_ECT0);
            ProbeResponse r = deliveredV6(t, PacketTargets.icmpError(3, 0, probe), tcp);
            PacketHeader quoted = r.quotedHeader();
            assertThat(quoted.ipVersion()).isEqualTo(6);
            assertThat(quoted.trafficClass()).as(tcp ? "TCP" : "UDP").isEqualTo(EF_ECT0);
            assertThat(quoted.flowLabel()).isEqualTo(RawPackets.flowLabel(0));
            assertThat(r.sentHeader().flowLabel()).isEqualTo(RawPackets.flowLabel(0));
            assertThat(HeaderChange.between(r.sentHeader().withTtl(TTL), quoted)).as(tcp ? "TCP" : "UDP").isEmpty();
        }
    }

    @Test
    void theFlowLabelKeepsTheTrafficClass() {
        Pointer p = packet.pointer();
        RawPackets.writeHeader(p, true, EF_ECT0, 17, 8, HOST6, DESTINATION6);
        RawPackets.setFlowLabel(p, 0xabcde);
        assertThat(Sockets.readBigEndianInt(p, 0)).isEqualTo(0x6_ba_abcde);
        assertThat(RawPackets.trafficClass6(p)).isEqualTo(EF_ECT0);
        RawPackets.writeHeader(p, false, EF_ECT0, 17, 8, HOST, DESTINATION);
        assertThat(p.getByte(1) & 0xff).isEqualTo(EF_ECT0);
    }

    @Test
    void aQuoteCutInsideTheIpHeaderHasNoQuotedHeader() {
        byte[] bytes = ipv4(HOST, DESTINATION, 1, 1, 17, new byte[8]);
        Pointer p = load(bytes);
        assertThat(QuotedHeaders.quoted(p, 0, 19)).isNull();
        assertThat(QuotedHeaders.quoted(p, 0, bytes.length)).isNotNull();
    }

    // ---------------------------------------------------------------------------------------------

    private static Port target(boolean tcp, boolean ipv6, FlowPolicy policy) {
        int maxSequence = policy == FlowPolicy.PER_PROBE ? 65535 - PORT : 0xfffe;
        PortKey key = new PortKey(new Destination(address(ipv6 ? DESTINATION6 : DESTINATION)), policy, LOCAL, 1, PORT,
                0, maxSequence, tcp ? RawPortTransport.TCP_PORTS - 1 : 65535 - PORT, COOKIE, KEY,
                tcp ? TcpProbes.LENGTH : UdpProbes.LENGTH);
        key.trafficClass = EF_ECT0;
        key.source = address(ipv6 ? HOST6 : HOST);
        return PacketTargets.port(key, tcp, ipv6);
    }

    /** Probe {@code sequence} written whole as the raw transport writes it (and recorded as sent), at TTL 1. */
    private byte[] written(Port t, boolean tcp, boolean ipv6, int sequence, int trafficClass) {
        Pointer p = packet.pointer();
        int length = tcp ? TcpProbes.LENGTH : UdpProbes.LENGTH;
        int header = RawPackets.writeHeader(p, ipv6, trafficClass, tcp ? 6 : 17, length, ipv6 ? HOST6 : HOST,
                ipv6 ? DESTINATION6 : DESTINATION);
        int flow = t.key.policy == FlowPolicy.PER_PROBE ? sequence : t.key.flow;
        if (tcp) {
            TcpProbes.write(p, header, PORT);
            TcpProbes.setProbe(p, header, t.key.baseSum, LOCAL, TcpProbes.sequenceNumber(t.key.tag(), sequence));
        } else {
            UdpProbes.write(p, header, LOCAL, t.key.cookie);
            UdpProbes.setProbe(p, header, t.key.baseSum, PORT + flow, sequence);
        }
        RawPackets.setTtl(p, ipv6, TTL);
        if (ipv6) {
            RawPackets.setFlowLabel(p, RawPackets.flowLabel(tcp ? 0 : flow));
        } else {
            RawPackets.setIpId(p, PortKey.ipId(KEY, sequence));
        }
        t.key.markSent(sequence);
        byte[] b = new byte[header + length];
        p.get(0, b, 0, b.length);
        if (!ipv6) {
            PacketTargets.fixIpv4(b); // the kernel fills in the header checksum
        }
        return b;
    }

    private ProbeResponse deliveredV4(Port t, byte[] icmp, boolean tcp) {
        byte[] whole = ipv4(ROUTER, HOST, 61, 1, 1, icmp);
        Pointer p = load(whole);
        assertThat(quote.parseV4(p, whole.length)).isNull();
        assertThat(RawPortTransport.onQuote(quote, p, 42L, tcp, port -> port == LOCAL ? t : null, addresses))
                .isNull();
        assertThat(t.responses).hasSize(1);
        return t.responses.get(0);
    }

    private ProbeResponse deliveredV6(Port t, byte[] icmp6, boolean tcp) {
        Pointer p = load(icmp6);
        Sockets.writeSockaddr(name.pointer(), address(ROUTER6), 0);
        assertThat(quote.parseV6(p, icmp6.length, name.pointer(), 0, 63)).isNull();
        assertThat(RawPortTransport.onQuote(quote, p, 42L, tcp, port -> port == LOCAL ? t : null, addresses))
                .isNull();
        assertThat(t.responses).hasSize(1);
        return t.responses.get(0);
    }

    /** The sent header made whole is the one the with-chain makes, field by field (IPv4 and IPv6, TCP options). */
    @Test
    void aSentHeaderMadeWholeIsTheChainsHeader() throws Exception {
        java.net.InetAddress src = java.net.InetAddress.getByName("198.18.0.2");
        java.net.InetAddress dst = java.net.InetAddress.getByName("2001:db8::1");
        for (boolean ipv6 : new boolean[] {false, true}) {
            PacketHeader chain = PacketHeader.of(ipv6 ? 6 : 4, PacketHeader.TCP).withTrafficClass(EF_ECT0)
                    .withIp(ipv6 ? PacketHeader.UNKNOWN : 77, ipv6 ? 77 : PacketHeader.UNKNOWN, 64)
                    .withAddresses(ipv6 ? null : src, dst).withTransport(40000, 443, 0xbeef)
                    .withTcpOptions(24, 1460, java.util.List.of(2));
            assertThat(QuotedHeaders.sent(ipv6, EF_ECT0, PacketHeader.TCP, ipv6 ? null : src, dst, 77, 64, 40000, 443,
                    0xbeef, 24, 1460, java.util.List.of(2))).isEqualTo(chain);
            assertThat(QuotedHeaders.sent(ipv6, EF_ECT0, PacketHeader.TCP, ipv6 ? null : src, dst, 77, 64, 40000, 443,
                    0xbeef)).isEqualTo(chain.withTcpOptions(PacketHeader.UNKNOWN, PacketHeader.UNKNOWN,
                    java.util.List.of())).isNotEqualTo(chain);
        }
    }
    /**
     * The quote read with the sent header's addresses is what the parser makes of the same bytes, field for field,
     * whatever the bytes (lengths, IHL, protocol, truncation); it shares the sent header's address {@code Optional}s
     * only when the router quoted those addresses.
     */
    @Test
    void aQuoteReadWithTheSentAddressesIsWhatTheParserMakesOfIt() {
        java.util.Random random = new java.util.Random(52);
        int shared = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean v6 = random.nextBoolean();
            java.net.InetAddress source = address(v6 ? HOST6 : HOST);
            java.net.InetAddress destination = address(v6 ? DESTINATION6 : DESTINATION);
            byte[] b = new byte[random.nextInt(v6 ? 80 : 60) + (random.nextInt(10) == 0 ? 0 : 20)];
            random.nextBytes(b);
            if (b.length >= 20) {
                int[] protocols = {PacketHeader.UDP, PacketHeader.ICMP, PacketHeader.ICMPV6, PacketHeader.TCP, 47};
                int protocol = protocols[random.nextInt(protocols.length)];
                if (!v6) {
                    b[0] = (byte) (0x40 | (random.nextInt(8) == 0 ? random.nextInt(16) : 5));
                    b[9] = (byte) protocol;
                    if (random.nextInt(4) != 0) {
                        System.arraycopy(source.getAddress(), 0, b, 12, 4);
                        System.arraycopy(destination.getAddress(), 0, b, 16, 4);
                    }
                } else if (b.length >= 40) {
                    b[0] = (byte) (0x60 | (b[0] & 0x0f));
                    b[6] = (byte) protocol;
                    if (random.nextInt(4) != 0) {
                        System.arraycopy(source.getAddress(), 0, b, 8, 16);
                        System.arraycopy(destination.getAddress(), 0, b, 24, 16);
                    }
                }
            }
            PacketHeader sent = QuotedHeaders.ip(v6, 0, PacketHeader.UDP, source, destination, 7, 48);
            Pointer p = new ArrayPointer(b);
            PacketHeader parsed = QuotedHeaders.quoted(p, 0, b.length);
            PacketHeader read = QuotedHeaders.quoted(p, 0, b.length, sent);
            assertThat(read).as("bytes %s", Arrays.toString(b)).isEqualTo(parsed);
            if (read != null && read.source() == sent.source()) {
                assertThat(read.destination()).isSameAs(sent.destination());
                shared++;
            }
        }
        assertThat(shared).as("quotes that named the sent addresses").isGreaterThan(5_000);
    }
}
