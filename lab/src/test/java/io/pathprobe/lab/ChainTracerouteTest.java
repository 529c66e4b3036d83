package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.runner.Traceroute;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linux traceroute through a real 29-hop chain whose routers at TTL 5, 12 and 20 are silent, with
 * this JVM's own (private) namespace as the probing host.
 */
@LabTest
class ChainTracerouteTest {
    // every test here traces the same lab: without this the kernel's ICMP rate limit (burst 6 per
    // source, then one a second) would blank out routers from the third trace on
    @RegisterExtension
    static final LabExtension LAB =
            new LabExtension(Lab.chain(29).silentHops(5, 12, 20).icmpUnlimited("traceroute's view of the reference chain, every probe answered").inCurrentNamespace());

    @ParameterizedTest(name = "traceroute {0}")
    @ValueSource(strings = {"-I", "-U"})
    void tracerouteShowsExactlyTheExpectedPath(String protocol, Lab lab) {
        Traceroute.Result r = Traceroute.trace(List.of("-n", protocol), lab.destination());

        assertThat(r.path()).isEqualTo(lab.expectedPath());
        assertThat(r.reached(lab.destination())).isTrue();
        for (Traceroute.Hop hop : r.hops()) {
            if (List.of(5, 12, 20).contains(hop.ttl())) {
                assertThat(hop.probes()).as("TTL %d", hop.ttl()).containsOnly(Traceroute.Probe.LOST);
            } else {
                assertThat(hop.probes()).as("TTL %d", hop.ttl()).hasSize(3).allSatisfy(p -> {
                    assertThat(p.address()).isEqualTo(lab.expectedResponder(hop.ttl()));
                    assertThat(p.annotation()).isEmpty();
                });
            }
        }
    }

    @Test
    void theExpectedPathIsEachRoutersLinkTowardTheHost(Lab lab) throws Exception {
        List<Optional<InetAddress>> path = lab.expectedPath();
        assertThat(path).hasSize(29);
        assertThat(path.get(0)).contains(InetAddress.getByName("198.18.0.2"));
        assertThat(path.get(5)).contains(InetAddress.getByName("198.18.0.22"));
        assertThat(path.get(4)).isEmpty();
        assertThat(path.get(11)).isEmpty();
        assertThat(path.get(19)).isEmpty();
        assertThat(path.get(28)).contains(lab.destination());
        assertThat(lab.expectedResponder(30)).isEmpty();
        assertThat(lab.hostAddress()).isEqualTo(InetAddress.getByName("198.18.0.1"));
        assertThat(lab.destination()).isEqualTo(InetAddress.getByName("198.19.0.1"));
        assertThat(lab.silentHops()).containsExactly(5, 12, 20);
    }

    @Test
    void thisJvmIsTheHost(Lab lab) {
        assertThat(lab.hostNamespace()).isEmpty();
        assertThat(lab.hostInterface()).isEqualTo(Lab.HOST_INTERFACE);
        String routes = Processes.output(lab.command(List.of("ip", "-4", "route")));
        assertThat(routes).contains("198.18.0.0/15 via 198.18.0.2 dev pathprobe0").doesNotContain("default");
        String address = Processes.output("ip", "-4", "-o", "addr", "show", "dev", Lab.HOST_INTERFACE);
        assertThat(address).contains("inet 198.18.0.1/30");
        // the same trace through the Lab variant, which runs traceroute directly here
        assertThat(Traceroute.run(lab, List.of("-I"), lab.destination())).isEqualTo(lab.expectedPath());
    }

    @Nested
    class Nested_classes {
        @Test
        void shareTheOuterLab(Lab lab) {
            assertThat(lab).isSameAs(LAB.lab());
            assertThat(Traceroute.run(List.of("-U", "-q", "1"), lab.destination())).isEqualTo(lab.expectedPath());
        }
    }
}
