package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.MultipathNode;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathRequest;
import io.pathprobe.MultipathResult;
import io.pathprobe.MultipathStatus;
import io.pathprobe.core.internal.runtime.ResponderBudgets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multipath on fake time against routers that keep Linux's ICMP limits (6, then one a second, per
 * source): with the tracer's learned budgets the run finds exactly the diamond and no loss; without
 * them (the engine before issue 21) it invents silent nodes and paths and claims loss.
 */
@org.junit.jupiter.api.Timeout(60)
class MultipathRateLimitTest {
    private static final long S = 1_000_000_000L;

    private static MultipathRequest request() {
        return MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8).confidence(99).pathProbes(5)
                .deadline(Duration.ofMinutes(5)).build();
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 4, 8})
    void withLearnedBudgetsTheDiamondIsExactAndLossFree(int width) {
        for (long s = 1; s <= 5; s++) {
            long seed = s;
            SimDriver d = new SimDriver();
            d.pacing = new ResponderBudgets(64, 600 * S);
            MultipathResult r = d.run(request(), SimTopology.diamond(width, seed).kernelLimits(), seed);
            assertThat(r.status()).as("seed %d: %s", seed, r).isEqualTo(MultipathStatus.COMPLETE);
            assertThat(r.nodes()).as("seed %d: %s", seed, r).noneMatch(MultipathNode::silent);
            assertThat(r.nodes().stream().filter(n -> n.ttl() == 2).count()).as("seed %d", seed).isEqualTo(width);
            assertThat(r.paths()).as("seed %d: %s", seed, r).hasSize(width);
            for (MultipathPath p : r.paths()) {
                assertThat(p.statistics().lost()).as("seed %d: %s", seed, p).isZero();
                assertThat(p.statistics().received()).as("seed %d: %s", seed, p).isPositive();
                p.hops().forEach(h -> assertThat(h.statistics().lost()).as("seed %d: %s", seed, p).isZero());
            }
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {4, 8})
    void withoutThemTheOldEngineInventsPathsAndLoss(int width) {
        SimDriver d = new SimDriver();
        MultipathResult r = d.run(request(), SimTopology.diamond(width, 1).kernelLimits(), 1);
        boolean wrong = r.paths().size() != width || r.nodes().stream().anyMatch(MultipathNode::silent)
                || r.paths().stream().anyMatch(p -> p.statistics().lost() > 0);
        assertThat(wrong).as("the fault this guards against shows without the budgets: %s", r).isTrue();
    }
}
