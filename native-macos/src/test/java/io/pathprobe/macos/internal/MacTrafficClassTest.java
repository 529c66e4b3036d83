package io.pathprobe.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Marking (TRAFFIC_CLASS) over the simulated macOS kernel: the setsockopt calls the transport makes (xnu's
 * numbers, written out here: IPPROTO_IP 0 / IP_TOS 3, IPPROTO_IPV6 41 / IPV6_TCLASS 36), on which socket and
 * when, and the marking each packet leaves with.
 */
class MacTrafficClassTest {
    private static final int EF = 46 << 2;
    private static final int EF_ECT0 = EF | 2;
    private static final int IPPROTO_IP = 0;
    private static final int IP_TOS = 3;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_TCLASS = 36;

    private final FakeDarwin host = new FakeDarwin();

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private List<FakeDarwin.Option> markings() {
        return host.options.stream().filter(o -> o.level() == IPPROTO_IP && o.name() == IP_TOS
                || o.level() == IPPROTO_IPV6 && o.name() == IPV6_TCLASS).toList();
    }

    @Test
    void theTransportClaimsTrafficClass() {
        assertThat(MacIcmpTransport.CAPABILITIES).contains(TransportCapability.TRAFFIC_CLASS);
    }

    @Test
    void anIpv4IcmpSessionSetsIpTosOnTheFamilySocketAsItOpensAndItsProbesLeaveMarked() throws Exception {
        InetAddress destination = ip("198.18.0.9");
        host.route(destination, Arrays.asList(ip("198.18.0.1"), ip("198.18.0.2")));
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434)
                    .withTrafficClass(EF_ECT0), c);
            assertThat(markings()).as("set as the session opened, before any probe")
                    .singleElement().satisfies(o -> assertThat(o.value()).isEqualTo(EF_ECT0));
            assertThat(host.wire).isEmpty();
            for (int ttl = 1; ttl <= 3; ttl++) {
                s.send(ProbeSpec.of(ttl, ttl));
            }
            assertThat(host.wire).extracting(FakeDarwin.Wire::trafficClass).containsExactly(EF_ECT0, EF_ECT0, EF_ECT0);
            assertThat(markings()).as("not set again while it holds").hasSize(1);
            assertThat(c.settled(s)).extracting(ProbeResponse::kind).containsExactlyInAnyOrder(
                    ResponseKind.TIME_EXCEEDED, ResponseKind.TIME_EXCEEDED, ResponseKind.ECHO_REPLY);
        }
    }

    @Test
    void anIpv6IcmpSessionSetsIpv6Tclass() throws Exception {
        InetAddress destination = ip("2001:db8::9");
        host.route(destination, List.of(ip("2001:db8::1")));
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c = new Collector();
            ProbeSession s = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434)
                    .withTrafficClass(EF), c);
            s.send(ProbeSpec.of(1, 1));
            s.send(ProbeSpec.of(2, 2));
            assertThat(markings()).singleElement().satisfies(o -> {
                assertThat(o.level()).isEqualTo(IPPROTO_IPV6);
                assertThat(o.name()).isEqualTo(IPV6_TCLASS);
                assertThat(o.value()).isEqualTo(EF);
            });
            assertThat(host.wire).extracting(FakeDarwin.Wire::trafficClass).containsExactly(EF, EF);
            assertThat(c.settled(s)).hasSize(2);
        }
    }

    @Test
    void sessionsWithDifferentMarkingsShareTheFamilySocketEachProbeWithItsOwn() throws Exception {
        InetAddress destination = ip("127.0.0.1");
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            ProbeSession plain = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434),
                    new Collector());
            assertThat(markings()).as("an unmarked session sets nothing").isEmpty();
            ProbeSession marked = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434)
                    .withTrafficClass(EF), new Collector());
            marked.send(ProbeSpec.of(0, 64));
            plain.send(ProbeSpec.of(0, 64));
            plain.send(ProbeSpec.of(1, 64));
            marked.send(ProbeSpec.of(1, 64));
            assertThat(host.wire).extracting(FakeDarwin.Wire::trafficClass).containsExactly(EF, 0, 0, EF);
            int fd = markings().get(0).fd();
            assertThat(markings()).allSatisfy(o -> assertThat(o.fd()).isEqualTo(fd))
                    .extracting(FakeDarwin.Option::value).containsExactly(EF, 0, EF);
        }
    }

    @Test
    void aUdpSessionMarksItsOwnSocketOnceAsItOpens() throws Exception {
        InetAddress v4 = ip("198.18.0.9");
        InetAddress v6 = ip("2001:db8::9");
        host.route(v4, List.of(ip("198.18.0.1")));
        host.route(v6, List.of(ip("2001:db8::1")));
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            Collector c4 = new Collector();
            ProbeSession s4 = t.openSession(SessionSpec.fixed(ProbeProtocol.UDP, v4, 33434).withTrafficClass(EF_ECT0),
                    c4);
            ProbeSession s6 = t.openSession(SessionSpec.fixed(ProbeProtocol.UDP, v6, 33434).withTrafficClass(EF),
                    new Collector());
            assertThat(markings()).extracting(FakeDarwin.Option::level, FakeDarwin.Option::name,
                    FakeDarwin.Option::value).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(IPPROTO_IP, IP_TOS, EF_ECT0),
                            org.assertj.core.groups.Tuple.tuple(IPPROTO_IPV6, IPV6_TCLASS, EF));
            for (int ttl = 1; ttl <= 2; ttl++) {
                s4.send(ProbeSpec.of(ttl, ttl));
                s6.send(ProbeSpec.of(ttl, ttl));
            }
            assertThat(host.wire).extracting(FakeDarwin.Wire::trafficClass)
                    .containsExactly(EF_ECT0, EF, EF_ECT0, EF);
            assertThat(markings()).as("the UDP sockets are marked once").hasSize(2);
            assertThat(c4.settled(s4)).extracting(ProbeResponse::kind).contains(ResponseKind.TIME_EXCEEDED);
        }
    }

    @Test
    void aRefusedMarkingFailsTheOpeningOrTheSendSayingWhy() throws Exception {
        InetAddress destination = ip("127.0.0.1");
        try (MacIcmpTransport t = new MacIcmpTransport(host.platform())) {
            ProbeSession plain = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434),
                    new Collector());
            ProbeSession marked = t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434)
                    .withTrafficClass(EF), new Collector());
            host.markErrno = 22;
            assertThatThrownBy(() -> t.openSession(SessionSpec.fixed(ProbeProtocol.ICMP, destination, 33434)
                    .withTrafficClass(8), new Collector())).isInstanceOf(TransportException.class)
                    .hasMessageContaining("IP_TOS").hasMessageContaining("EINVAL");
            int sockets = host.openSockets();
            assertThatThrownBy(() -> t.openSession(SessionSpec.fixed(ProbeProtocol.UDP, destination, 33434)
                    .withTrafficClass(8), new Collector())).isInstanceOf(TransportException.class)
                    .hasMessageContaining("IP_TOS");
            assertThat(host.openSockets()).as("the UDP socket closed again").isEqualTo(sockets);
            assertThatThrownBy(() -> plain.send(ProbeSpec.of(0, 64))).isInstanceOf(SendFailedException.class)
                    .hasMessageContaining("IP_TOS");
            host.markErrno = 0;
            plain.send(ProbeSpec.of(1, 64));
            marked.send(ProbeSpec.of(0, 64));
            assertThat(host.wire).extracting(FakeDarwin.Wire::trafficClass).containsExactly(0, EF);
        }
    }
}
