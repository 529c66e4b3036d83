package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Linux specifics the compatibility kit does not cover: service registration, the pending socket
 * error an ICMP error leaves behind, and sends with no route. Runs with loopback only (no lab); the
 * no-route check needs a private namespace and root (tagged lab).
 */
@LabTest
class LinuxTransportBehaviourTest {

    @BeforeAll
    static void allowPingSockets() {
        TestNamespace.tryAllowPingSockets();
    }

    @Test
    void theThreeProvidersAreRegistered() {
        List<String> names = ServiceLoader.load(ProbeTransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().startsWith("linux-"))
                .map(p -> p.name() + "@" + p.priority())
                .collect(Collectors.toList());
        assertThat(names).contains("linux-icmp-dgram@200", "linux-raw-icmp@300", "linux-udp-recverr@100");
    }

    @Test
    void theRawUdpAndTcpProvidersAreRegisteredAboveTheUnprivilegedOnes() {
        List<String> names = ServiceLoader.load(ProbeTransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .map(p -> p.name() + "@" + p.priority())
                .collect(Collectors.toList());
        assertThat(names).contains("linux-raw-udp@250", "linux-raw-tcp@250");
        assertThat(names).contains("linux-tcp-connect@100");
        assertThat(names).doesNotHaveDuplicates();
    }

    /**
     * A port unreachable leaves ECONNREFUSED pending on the UDP socket (sk_err), and the next
     * sendmsg would fail with it once. Every send must go through and every answer come back.
     */
    @Test
    void aPendingSocketErrorDoesNotFailTheNextSend() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        BlockingQueue<ProbeResponse> answers = new LinkedBlockingQueue<>();
        try (ProbeTransport t = new UdpRecverrTransportProvider().open();
                ProbeSession s = t.openSession(SessionSpec.perProbe(ProbeProtocol.UDP, loopback, 33434), answers::add)) {
            for (int i = 0; i < 20; i++) {
                s.send(ProbeSpec.of(i, 64));
                ProbeResponse r = answers.poll(2, TimeUnit.SECONDS);
                assertThat(r).as("answer to probe " + i).isNotNull();
                assertThat(r.sequence()).isEqualTo(i);
                assertThat(r.portUnreachable()).isTrue();
            }
        }
    }

    /**
     * What each Linux transport fills in from loopback: the reply TTL of an echo reply (ping socket:
     * IP_RECVTTL; raw socket: the IP header) and of an ICMP error read from the error queue (UDP:
     * IP_RECVTTL), all 64 on loopback; nothing quoted for these answers. Transports unavailable here
     * (no CAP_NET_RAW, ping_group_range) are skipped.
     */
    @Test
    void loopbackAnswersCarryTheirReplyTtl() throws Exception {
        int checked = 0;
        for (ProbeTransportProvider provider : List.of(new UdpRecverrTransportProvider(),
                new IcmpDatagramTransportProvider(), new RawIcmpTransportProvider())) {
            if (!provider.availability().isAvailable()) {
                continue;
            }
            boolean udp = provider.capabilities().contains(TransportCapability.UDP);
            for (String target : udp || provider.capabilities().contains(TransportCapability.IPV6)
                    ? List.of("127.0.0.1", "::1") : List.of("127.0.0.1")) {
                InetAddress destination = InetAddress.getByName(target);
                if (java.net.NetworkInterface.getByInetAddress(destination) == null) {
                    continue; // no ::1 here
                }
                SessionSpec spec = udp ? SessionSpec.perProbe(ProbeProtocol.UDP, destination, 33434)
                        : new SessionSpec(ProbeProtocol.ICMP, destination, 33434, FlowPolicy.FIXED, 0);
                BlockingQueue<ProbeResponse> answers = new LinkedBlockingQueue<>();
                try (ProbeTransport t = provider.open(); ProbeSession s = t.openSession(spec, answers::add)) {
                    s.send(ProbeSpec.of(3, 64));
                    ProbeResponse r = answers.poll(2, TimeUnit.SECONDS);
                    assertThat(r).as(provider.name() + " to " + target).isNotNull();
                    assertThat(r.replyTtl()).as(provider.name() + " to " + target + ": " + r).isEqualTo(64);
                    assertThat(r.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
                    assertThat(r.extensions()).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).as("at least UDP is available to anyone").isPositive();
    }

    @Test
    void sendingWithoutARouteFailsWithNoRoute() throws Exception {
        assumeTrue(TestNamespace.isPrivate(), "needs a namespace with loopback only");
        assumeTrue(onlyLoopbackRoutes(), "this namespace has routes besides loopback");
        InetAddress unroutable = InetAddress.getByName("198.18.200.1");
        for (ProbeTransportProvider provider : List.of(new UdpRecverrTransportProvider(), new IcmpDatagramTransportProvider(),
                new RawIcmpTransportProvider())) {
            boolean udp = provider.capabilities().contains(TransportCapability.UDP);
            SessionSpec spec = udp ? SessionSpec.perProbe(ProbeProtocol.UDP, unroutable, 33434)
                    : new SessionSpec(ProbeProtocol.ICMP, unroutable, 33434, FlowPolicy.FIXED, 0);
            try (ProbeTransport t = provider.open();
                    ProbeSession s = t.openSession(spec, r -> { })) {
                assertThatThrownBy(() -> s.send(ProbeSpec.of(1, 64)))
                        .as(provider.name())
                        .isInstanceOfSatisfying(SendFailedException.class, e -> {
                            assertThat(e.noRoute()).isTrue();
                            assertThat(e.getMessage()).isEqualTo("sendmsg: ENETUNREACH (Network is unreachable)");
                        });
            }
        }
    }

    private static boolean onlyLoopbackRoutes() throws IOException {
        // /proc/net/route lists IPv4 routes of the main table; loopback routes live in the local table.
        return Files.readAllLines(Path.of("/proc/net/route")).size() <= 1;
    }
}
