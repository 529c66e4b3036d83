package io.pathprobe.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCounters;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The transport end to end over the simulated macOS kernel: send → what xnu would deliver →
 * ProbeResponse, for traces through routers (IPv4 and IPv6), Paris flows on the wire, the
 * demultiplexing every macOS ICMP socket needs (it reads every ICMP message of the host), and
 * send failures.
 */
class MacIcmpTransportTest {
    private final FakeDarwin host = new FakeDarwin();

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anIpv4TraceThroughRoutersSeesEachHopAndTheDestination() throws Exception {
        InetAddress destination = ip("198.18.0.9");
        host.route(destination, Arrays.asList(ip("198.18.0.1"), null, ip("198.18.0.3")));
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434), c);
            long[] sent = new long[6];
            for (int ttl = 1; ttl <= 5; ttl++) {
                sent[ttl] = s.send(ProbeSpec.of(100 + ttl, ttl));
            }
            Map<Integer, ProbeResponse> bySequence = c.settled(s).stream()
                    .collect(Collectors.toMap(ProbeResponse::sequence, r -> r));
            assertThat(bySequence.keySet()).containsExactlyInAnyOrder(101, 103, 104, 105);
            ProbeResponse hop1 = bySequence.get(101);
            assertThat(hop1.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
            assertThat(hop1.responder()).isEqualTo(ip("198.18.0.1"));
            assertThat(hop1.icmpType()).isEqualTo(11);
            assertThat(hop1.quotedTtl()).isEqualTo(1);
            assertThat(hop1.replyTtl()).isEqualTo(64);
            assertThat(hop1.quotedIpId()).isEqualTo(0x1234);
            assertThat(hop1.checksumDelta()).as("no NAT in between").isZero();
            assertThat(hop1.replyLength()).isEqualTo(8 + 20 + 40);
            assertThat(hop1.receivedNanos()).isGreaterThanOrEqualTo(sent[1]);
            assertThat(bySequence.get(103).responder()).isEqualTo(ip("198.18.0.3"));
            ProbeResponse end = bySequence.get(104);
            assertThat(end.kind()).isEqualTo(ResponseKind.ECHO_REPLY);
            assertThat(end.responder()).isEqualTo(destination);
            assertThat(end.replyTtl()).isEqualTo(61);
            assertThat(end.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
            assertThat(end.replyLength()).isEqualTo(40);
            assertThat(end.sentChecksum()).isEqualTo(IcmpEchoFormat.flowChecksum(0));
            // per-probe TTL reached the wire through Darwin's IP_TTL (4)
            assertThat(host.wire.stream().map(FakeDarwin.Wire::ttl)).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void anIpv6TraceKeepsItsFlowsChecksumOnTheWire() throws Exception {
        InetAddress destination = ip("2001:db8::9");
        host.route(destination, Arrays.asList(ip("2001:db8::1"), ip("2001:db8::2")));
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(new SessionSpec(ProbeProtocol.ICMP, destination, 33434, FlowPolicy.FIXED,
                    777), c);
            for (int ttl = 1; ttl <= 3; ttl++) {
                s.send(ProbeSpec.of(ttl * 1000, ttl));
            }
            List<ProbeResponse> responses = c.settled(s);
            assertThat(responses).extracting(ProbeResponse::kind).containsExactlyInAnyOrder(
                    ResponseKind.TIME_EXCEEDED, ResponseKind.TIME_EXCEEDED, ResponseKind.ECHO_REPLY);
            ProbeResponse hop2 = responses.stream().filter(r -> r.sequence() == 2000).findFirst().orElseThrow();
            assertThat(hop2.responder()).isEqualTo(ip("2001:db8::2"));
            assertThat(hop2.icmpType()).isEqualTo(3);
            assertThat(hop2.replyTtl()).as("from the IPV6_HOPLIMIT control message").isEqualTo(63);
            assertThat(hop2.quotedTtl()).isEqualTo(1);
            assertThat(hop2.checksumDelta()).isZero();
            assertThat(host.wire).extracting(FakeDarwin.Wire::checksum).containsOnly(777);
            assertThat(host.wire).extracting(FakeDarwin.Wire::ttl).containsExactly(1, 2, 3);
        }
    }

    @Test
    void explicitFlowsEachKeepOneChecksumAndClassicOnesChange() throws Exception {
        InetAddress destination = ip("198.18.0.9");
        host.route(destination, List.of());
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.explicit(ProbeProtocol.ICMP, destination, 33434), c);
            for (int seq = 0; seq < 6; seq++) {
                s.send(new ProbeSpec(seq, 64, seq % 2 == 0 ? 5 : 6));
            }
            assertThat(host.wire).extracting(FakeDarwin.Wire::checksum).containsExactly(5, 6, 5, 6, 5, 6);
            assertThat(c.settled(s)).hasSize(6).allSatisfy(r -> assertThat(r.sentChecksum()).isIn(5, 6));
            host.wire.clear();
            ProbeSession classic = t.openSession(SessionSpec.perProbe(ProbeProtocol.ICMP, destination, 33434), c);
            classic.send(ProbeSpec.of(1, 64));
            classic.send(ProbeSpec.of(2, 64));
            assertThat(host.wire.get(0).checksum()).isNotEqualTo(host.wire.get(1).checksum());
        }
    }

    /**
     * Two transports on one host: each ICMP socket reads every answer (as on macOS), and each session
     * receives only its own, though both use the same sequence numbers toward the same destination.
     */
    @Test
    void answersForOtherSessionsAndProgramsAreFilteredOut() throws Exception {
        InetAddress destination = ip("127.0.0.1");
        try (MacIcmpTransport a = new MacIcmpTransport(host.platform());
                MacIcmpTransport b = new MacIcmpTransport(host.platform())) {
            Collector ca = new Collector();
            Collector cb = new Collector();
            ProbeSession sa = a.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434), ca);
            ProbeSession sb = b.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434), cb);
            sa.send(ProbeSpec.of(7, 64));
            sb.send(ProbeSpec.of(7, 64));
            assertThat(ca.settled(sa)).hasSize(1);
            assertThat(cb.settled(sb)).hasSize(1);
            int idA = IcmpCodec.getShort(host.wire.get(0).icmp(), 4);
            // another program's echo reply that happens to carry session a's identifier, with another cookie
            byte[] foreign = IcmpCodec.request(40, false, idA, 0x0badc0ffeeL);
            foreign[0] = 0;
            host.deliver(false, FakeDarwin.darwinIpv4(destination, destination, 64, foreign), destination, -1);
            assertThat(ca.settled(sa)).hasSize(1);
            TransportCounters counters = a.counters().orElseThrow();
            assertThat(counters.read()).isEqualTo(3);
            assertThat(counters.delivered()).isEqualTo(1);
            assertThat(counters.dropped(DropReason.UNRELATED)).as("b's reply and the foreign one").isEqualTo(2);
        }
    }

    @Test
    void routersQuotingEightBytesStillAnswerTheProbe() throws Exception {
        InetAddress destination = ip("198.18.0.9");
        host.route(destination, List.of(ip("198.18.0.1")));
        host.quoteOnly8 = true;
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434), c);
            s.send(ProbeSpec.of(4660, 1));
            assertThat(c.settled(s)).singleElement().satisfies(r -> {
                assertThat(r.sequence()).isEqualTo(4660);
                assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
                assertThat(r.replyLength()).isEqualTo(8 + 20 + 8);
            });
        }
    }

    @Test
    void aClosedSessionHearsNothingMoreAndItsIdentifierIsFreed() throws Exception {
        InetAddress destination = ip("127.0.0.1");
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434), c);
            s.send(ProbeSpec.of(1, 64));
            c.settled(s);
            s.close();
            assertThatThrownBy(() -> s.send(ProbeSpec.of(2, 64))).isInstanceOf(IllegalStateException.class);
            assertThat(host.openSockets()).as("the family socket stays for other sessions").isEqualTo(1);
        }
        assertThat(host.openSockets()).as("closed with the transport").isZero();
    }

    @Test
    void sendFailuresSayWhetherThereIsNoRoute() throws Exception {
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, ip("198.18.5.5"), 33434), r -> { });
            host.sendErrno = Darwin.ENETUNREACH;
            assertThatThrownBy(() -> s.send(ProbeSpec.of(1, 64))).isInstanceOf(SendFailedException.class)
                    .hasMessageContaining("ENETUNREACH")
                    .satisfies(e -> assertThat(((SendFailedException) e).noRoute()).isTrue());
            host.sendErrno = Darwin.ENOBUFS;
            assertThatThrownBy(() -> s.send(ProbeSpec.of(1, 64))).isInstanceOf(SendFailedException.class)
                    .satisfies(e -> assertThat(((SendFailedException) e).noRoute()).isFalse());
        }
    }

    @Test
    void aLargeEchoRequestFitsTheRaisedSendBuffer() throws Exception {
        InetAddress destination = ip("127.0.0.1");
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434)
                    .withPayloadSize(30_000), c);
            s.send(ProbeSpec.of(1, 64)); // beyond Darwin's default 8192-byte send buffer: EMSGSIZE unless raised
            assertThat(c.settled(s)).singleElement().satisfies(r -> assertThat(r.replyLength()).isEqualTo(30_008));
        }
    }

    @Test
    void tcpIsRefused() throws Exception {
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            assertThatThrownBy(() -> t.openSession(SessionSpec.fixed(ProbeProtocol.TCP, ip("127.0.0.1"), 33434), r -> { }))
                    .isInstanceOf(io.pathprobe.spi.TransportException.class).hasMessageContaining("TCP");
        }
    }
    @Test
    void aUdpTraceIsAnsweredByRoutersAndThePortUnreachableOfTheDestination() throws Exception {
        InetAddress destination = ip("198.18.0.9");
        host.route(destination, Arrays.asList(ip("198.18.0.1"), ip("198.18.0.2")));
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(new SessionSpec(ProbeProtocol.UDP, destination, 33434, FlowPolicy.FIXED, 3), c);
            for (int ttl = 1; ttl <= 3; ttl++) {
                s.send(ProbeSpec.of(500 + ttl, ttl));
            }
            Map<Integer, ProbeResponse> bySequence = c.settled(s).stream()
                    .collect(Collectors.toMap(ProbeResponse::sequence, r -> r));
            assertThat(bySequence.keySet()).containsExactlyInAnyOrder(501, 502, 503);
            assertThat(bySequence.get(501).responder()).isEqualTo(ip("198.18.0.1"));
            assertThat(bySequence.get(501).kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
            assertThat(bySequence.get(501).quotedTtl()).isEqualTo(1);
            ProbeResponse end = bySequence.get(503);
            assertThat(end.portUnreachable()).isTrue();
            assertThat(end.responder()).isEqualTo(destination);
            assertThat(end.sentChecksum()).isEqualTo(504);
            assertThat(end.checksumDelta()).isZero();
            // Paris: one source port, one destination port (33434 + flow 3), the number in the checksum
            assertThat(host.wire).extracting(w -> IcmpCodec.getShort(w.icmp(), 2)).containsOnly(33437);
            assertThat(host.wire).extracting(w -> IcmpCodec.getShort(w.icmp(), 0)).hasSize(3).containsOnly(
                    IcmpCodec.getShort(host.wire.get(0).icmp(), 0));
            assertThat(host.wire).extracting(w -> IcmpCodec.getShort(w.icmp(), 6)).as("UDP checksums").containsExactly(502, 503, 504);
            assertThat(host.wire).extracting(FakeDarwin.Wire::ttl).containsExactly(1, 2, 3);
        }
    }

    @Test
    void udpProbesAreMatchedEvenFromAnEightByteQuoteAndOnIpv6() throws Exception {
        InetAddress destination = ip("2001:db8::9");
        host.route(destination, List.of(ip("2001:db8::1")));
        host.quoteOnly8 = true;
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.UDP, destination, 33434), c);
            s.send(ProbeSpec.of(77, 1));
            s.send(ProbeSpec.of(78, 2));
            Map<Integer, ProbeResponse> bySequence = c.settled(s).stream()
                    .collect(Collectors.toMap(ProbeResponse::sequence, r -> r));
            assertThat(bySequence.get(77).kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
            assertThat(bySequence.get(77).responder()).isEqualTo(ip("2001:db8::1"));
            assertThat(bySequence.get(78).portUnreachable()).isTrue();
            assertThat(bySequence.get(78).icmpType()).isEqualTo(1);
            assertThat(bySequence.get(78).icmpCode()).isEqualTo(4);
        }
    }

    @Test
    void classicUdpCountsTheDestinationPortUp() throws Exception {
        InetAddress destination = ip("127.0.0.1");
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.perProbe(ProbeProtocol.UDP, destination, 33434), c);
            assertThat(s.maxSequence()).isEqualTo(65535 - 33434);
            s.send(ProbeSpec.of(0, 64));
            s.send(ProbeSpec.of(5, 64));
            assertThat(host.wire).extracting(w -> IcmpCodec.getShort(w.icmp(), 2)).containsExactly(33434, 33439);
            assertThat(c.settled(s)).extracting(ProbeResponse::sequence).containsExactlyInAnyOrder(0, 5);
            s.close();
            assertThat(host.openSockets()).as("the UDP socket is closed with its session").isEqualTo(1);
        }
    }
}
