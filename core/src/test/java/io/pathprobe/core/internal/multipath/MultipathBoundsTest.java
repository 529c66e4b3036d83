package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A discovery's state is bounded by what it was allowed to send: never more than
 * {@link MultipathStrategy#MAX_IN_FLIGHT} probes outstanding (a wide diamond asks for far more at
 * once: the rest wait in the strategy's queue, which holds at most one entry per flow and TTL it
 * still wants), never more than {@code maxProbes} discovery probes (then PROBE_BUDGET with what is
 * unexplored), and path probes exactly {@code pathProbes} per hop of every path found.
 */
class MultipathBoundsTest {

    @Test
    void aWideDiamondNeverHasMoreThanTheInFlightCapOutstanding() {
        AtomicInteger most = new AtomicInteger();
        SimDriver driver = new SimDriver();
        driver.afterSend = s -> most.accumulateAndGet(s.inFlight(), Math::max);
        MultipathResult r = driver.run(MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8).pathProbes(0)
                .build(), SimTopology.diamond(64, 3), 1);
        assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
        assertThat(r.nodesAt(2)).hasSize(64);
        assertThat(most.get()).as("most probes outstanding at once").isEqualTo(MultipathStrategy.MAX_IN_FLIGHT);
    }

    @Test
    void theProbeBudgetBoundsTheDiscoveryAndPathProbesArePerHopOfEveryPath() {
        SimDriver driver = new SimDriver();
        MultipathResult cut = driver.run(MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8).pathProbes(0)
                .maxProbes(100).build(), SimTopology.diamond(64, 3), 1);
        assertThat(cut.status()).isEqualTo(MultipathStatus.PROBE_BUDGET);
        assertThat(cut.probes()).isEqualTo(100);
        assertThat(driver.sends).isEqualTo(100);
        assertThat(cut.unexplored()).isNotEmpty();

        SimDriver paths = new SimDriver();
        MultipathResult r = paths.run(MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8).pathProbes(7)
                .build(), SimTopology.diamond(4, 3), 1);
        assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
        assertThat(r.paths()).hasSize(4);
        // every hop of every path (4 hops: r1, a middle router, r3, the destination) gets exactly 7
        assertThat(r.probes() - r.discoveryProbes()).isEqualTo(4L * 4 * 7);
        assertThat(paths.sends).isEqualTo(r.probes());
    }
}
