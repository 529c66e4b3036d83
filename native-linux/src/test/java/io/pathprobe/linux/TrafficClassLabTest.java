package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.lab.CapturedPacket;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.PacketCapture;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 50 on the wire: every Linux transport's probes leave marked with the session's traffic class (captured
 * by tcpdump on the host's link), and the transports with QUOTED_HEADER report, from every router of a clean
 * chain, a quoted header whose traffic class is what was sent: DSCP 46 (EF) + ECT(0), 0xba; IPv4 and IPv6,
 * ICMP, UDP and TCP. linux-tcp-connect marks the DSCP only (Linux sets a TCP socket's ECN bits itself): 0xb8,
 * and it refuses 0xba. No timing: probes are sent again until answered, under the class's timeout.
 */
@LabTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TrafficClassLabTest {
    private static final int HOPS = 3;
    private static final int PORT = 8080;
    private static final int EF_ECT0 = 0xba;
    private static final int EF = 0xb8;

    static {
        TestNamespace.allowPingSockets();
    }

    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(HOPS).tcpService(PORT).ipv6()
            .icmpUnlimited("every router's answer to every marked probe is asserted").inCurrentNamespace());

    static Stream<Arguments> transports() {
        List<Arguments> all = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) {
            all.add(Arguments.of(new RawIcmpTransportProvider(), ProbeProtocol.ICMP, ipv6));
            all.add(Arguments.of(new RawUdpTransportProvider(), ProbeProtocol.UDP, ipv6));
            all.add(Arguments.of(new RawTcpTransportProvider(), ProbeProtocol.TCP, ipv6));
            all.add(Arguments.of(new TcpInConnectionTransportProvider(), ProbeProtocol.TCP, ipv6));
            all.add(Arguments.of(new IcmpDatagramTransportProvider(), ProbeProtocol.ICMP, ipv6));
            all.add(Arguments.of(new UdpRecverrTransportProvider(), ProbeProtocol.UDP, ipv6));
            all.add(Arguments.of(new TcpConnectTransportProvider(), ProbeProtocol.TCP, ipv6));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} ipv6={2}")
    @MethodSource("transports")
    void probesLeaveMarkedAndRoutersQuoteTheMarking(ProbeTransportProvider provider, ProbeProtocol protocol,
            boolean ipv6) throws Exception {
        Lab lab = LAB.lab();
        assertThat(provider.capabilities()).contains(TransportCapability.TRAFFIC_CLASS);
        boolean quotes = provider.capabilities().contains(TransportCapability.QUOTED_HEADER);
        boolean tcpConnect = provider instanceof TcpConnectTransportProvider;
        int marking = tcpConnect ? EF : EF_ECT0;
        InetAddress destination = ipv6 ? lab.destination6() : lab.destination();
        List<Optional<InetAddress>> path = ipv6 ? lab.expectedPath6() : lab.expectedPath();
        Set<InetAddress> routers = new HashSet<>();
        for (int i = 0; i < path.size() - 1; i++) {
            path.get(i).ifPresent(routers::add);
        }
        ConcurrentLinkedQueue<ProbeResponse> answers = new ConcurrentLinkedQueue<>();
        PacketCapture.Capture capture = PacketCapture.during(lab, 0, lab.hostInterface(), ipv6 ? "ip6" : "ip",
                () -> trace(provider, protocol, destination, marking, path.size(), answers));
        List<CapturedPacket> probes = capture.packets().stream()
                .filter(p -> p.destination().equals(destination) && p.protocol() == protocolNumber(protocol, ipv6))
                .toList();
        System.out.println(provider.name() + (ipv6 ? " IPv6: " : " IPv4: ") + probes.size() + " probes captured, "
                + answers.size() + " answers");
        assertThat(probes).as("%s probes on the wire", provider.name()).isNotEmpty();
        if (provider instanceof TcpInConnectionTransportProvider) {
            // the probes, not the kernel connection's own segments (its handshake, ACKs, FIN: TTL 64, unmarked)
            probes = probes.stream().filter(p -> p.ttl() <= path.size()).toList();
        } else if (protocol == ProbeProtocol.TCP) {
            // the SYNs (a raw SYN's SYN-ACK is reset by the kernel, unmarked: the reserved port has no connection)
            probes = probes.stream().filter(p -> (p.tcpFlags().orElse(0) & 0x12) == 0x02).toList();
        }
        assertThat(probes).allSatisfy(p -> assertThat(trafficClass(p)).as("%s: %s", provider.name(), p)
                .isEqualTo(marking));
        List<ProbeResponse> errors = answers.stream().filter(r -> r.kind() == ResponseKind.TIME_EXCEEDED).toList();
        Set<InetAddress> answering = new HashSet<>();
        errors.forEach(r -> answering.add(r.responder()));
        assertThat(answering).as("%s: every router answered", provider.name()).isEqualTo(routers);
        for (ProbeResponse r : errors) {
            if (!quotes) {
                assertThat(r.quotedHeader()).isNull();
                continue;
            }
            PacketHeader quoted = r.quotedHeader();
            assertThat(quoted).as("%s: %s", provider.name(), r).isNotNull();
            assertThat(quoted.trafficClass()).as("%s from %s", provider.name(), r.responder()).isEqualTo(EF_ECT0);
            assertThat(quoted.ttl()).isEqualTo(1);
            assertThat(r.sentHeader()).isNotNull();
            assertThat(r.sentHeader().trafficClass()).isEqualTo(EF_ECT0);
            assertThat(r.sentHeader().ttl()).isEqualTo(PacketHeader.UNKNOWN);
            assertThat(io.pathprobe.probe.HeaderChange.between(r.sentHeader().withTtl(1), quoted))
                    .as("%s: nothing changed on a clean chain, %s vs %s", provider.name(), r.sentHeader(), quoted)
                    .isEmpty();
        }
    }

    @Test
    void tcpConnectRefusesEcnBitsTheKernelWouldReplace() throws Exception {
        try (ProbeTransport t = new TcpConnectTransportProvider().open()) {
            assertThatThrownBy(() -> t.openSession(new SessionSpec(ProbeProtocol.TCP, LAB.lab().destination(), PORT,
                    FlowPolicy.PER_PROBE, 0).withTrafficClass(EF_ECT0), r -> {}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ECN");
        }
    }

    /** TTL 1..hops, probe number = TTL (+ 100 per round), sent again until every TTL is answered. */
    private static void trace(ProbeTransportProvider provider, ProbeProtocol protocol, InetAddress destination,
            int marking, int hops, ConcurrentLinkedQueue<ProbeResponse> answers) throws Exception {
        FlowPolicy policy = provider instanceof TcpInConnectionTransportProvider ? FlowPolicy.FIXED
                : FlowPolicy.PER_PROBE;
        if (provider instanceof RawIcmpTransportProvider) {
            policy = FlowPolicy.FIXED;
        }
        try (ProbeTransport t = provider.open();
                ProbeSession s = t.openSession(new SessionSpec(protocol, destination, PORT, policy, 0)
                        .withTrafficClass(marking), answers::add)) {
            Set<Integer> answeredTtls = new HashSet<>();
            for (int round = 0; round < 20 && answeredTtls.size() < hops; round++) {
                for (int ttl = 1; ttl <= hops; ttl++) {
                    if (!answeredTtls.contains(ttl)) {
                        s.send(ProbeSpec.of(round * 10 + ttl, ttl));
                    }
                }
                Thread.sleep(200);
                answers.forEach(r -> answeredTtls.add(r.sequence() % 10));
            }
            java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
            s.afterPendingAnswers(drained::countDown);
            drained.await();
        }
    }

    private static int protocolNumber(ProbeProtocol protocol, boolean ipv6) {
        return switch (protocol) {
            case ICMP -> ipv6 ? 58 : 1;
            case UDP -> 17;
            case TCP -> 6;
        };
    }

    private static int trafficClass(CapturedPacket p) {
        byte[] b = p.ipPacket();
        return p.ipVersion() == 4 ? b[1] & 0xff : ((b[0] & 0x0f) << 4) | ((b[1] & 0xff) >>> 4);
    }
}
