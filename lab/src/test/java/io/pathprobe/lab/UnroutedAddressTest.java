package io.pathprobe.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.runner.Traceroute;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Router 1 has no route for {@link Lab#unroutedAddress()} and says so. Each test uses a fresh lab:
 * the kernel answers a source's "no route" probes only a few at a time.
 */
@LabTest
class UnroutedAddressTest {

    @Test
    void routerOneAnswersNetworkUnreachable() {
        try (Lab lab = Lab.chain(5).build()) {
            Traceroute.Result r = Traceroute.trace(lab, List.of("-I"), lab.unroutedAddress());

            assertThat(r.hops()).hasSize(1);
            Traceroute.Hop first = r.hop(1).orElseThrow();
            assertThat(first.address()).isEqualTo(lab.expectedResponder(1));
            assertThat(first.annotations()).isNotEmpty().containsOnly("!N");
        }
    }

    @Test
    void withOneHopTheDestinationPlaysRouterOne() {
        // icmpUnlimited: otherwise the port unreachables of the first trace use up the tokens that the
        // "no route" answers share with them
        try (Lab lab = Lab.chain(1).icmpUnlimited("otherwise the first trace's Port Unreachables use up the tokens the next one needs").build()) {
            assertThat(Traceroute.run(lab, List.of("-U"), lab.destination())).containsExactly(
                    java.util.Optional.of(lab.destination()));
            Traceroute.Result r = Traceroute.trace(lab, List.of("-U"), lab.unroutedAddress());
            Traceroute.Hop first = r.hop(1).orElseThrow();
            assertThat(first.address().orElseThrow().getHostAddress()).isEqualTo("198.18.0.2");
            assertThat(first.annotations()).isNotEmpty().containsOnly("!N");
        }
    }
}
