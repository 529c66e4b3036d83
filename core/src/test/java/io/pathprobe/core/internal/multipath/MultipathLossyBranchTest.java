package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.core.internal.sim.IcmpLimiter;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MultipathLabTest's lossy branch on fake time (CI saw it take 19.6 s instead of about 1, its path probes capped at 24
 * a path: "the destination answers about one probe every 1000 ms", the destination unlimited): a width-4 diamond whose
 * third branch drops 30 % of what it forwards, 500 path probes a path at 99.99 %, the engine's wake-ups in its first
 * {@code lateMs} ms running late (a busy CPU, a fresh JVM; answers are read on time). The lossy path's misses are then
 * read all at once, after the other paths' answers sent among them. With the routers and the destination unlimited
 * the destination is never judged a limiter, over 40 seeds (before, with wake-ups late for 100 ms, 8 of 40 were: the
 * answers read before the first miss only grew the modelled burst, and the misses alone made the verdict). With the
 * destination limited as Linux does (6, then one a second) the verdict still comes in every run.
 */
class MultipathLossyBranchTest {
    private static final long S = 1_000_000_000L;

    private static SimDriver driver(long lateMs) {
        SimDriver d = new SimDriver();
        d.pacing = new RateLimitTable(64, 600 * S);
        d.lateFrom = 0;
        d.lateTo = lateMs * SimDriver.MS;
        return d;
    }

    private static SimTopology net(long seed, boolean destinationLimited) {
        SimTopology net = SimTopology.diamond(4, seed);
        net.routers.get(4).forwardLoss = 0.30; // 10.0.2.3, the third branch
        if (destinationLimited) {
            net.destination.limit = new IcmpLimiter(6, S);
        }
        return net;
    }

    private static MultipathRequest request() {
        return MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(12).confidence(99.99).pathProbes(500)
                .pathInterval(Duration.ofMillis(1)).maxProbes(100_000).build();
    }

    /** Whether the run took the destination for a limiter: the table's verdict, or the result's notes. */
    private static boolean judgedLimiter(SimDriver d, MultipathResult r) {
        return d.pacing.limited(SimTopology.DESTINATION) || r.notes().stream().anyMatch(
                n -> n.contains("the destination answers about one probe every")
                        || n.contains("the destination limits its answers"));
    }

    @ParameterizedTest(name = "wake-ups late for {0} ms")
    @ValueSource(longs = {0, 100, 250})
    void anUnlimitedDestinationBehindALossyBranchIsNeverJudgedALimiter(long lateMs) {
        for (long seed = 1; seed <= 40; seed++) {
            SimDriver d = driver(lateMs);
            MultipathResult r = d.run(request(), net(seed, false), seed);
            assertThat(judgedLimiter(d, r)).as("seed %d: %s", seed, r.notes()).isFalse();
            assertThat(r.paths()).as("seed %d", seed).allMatch(p -> p.statistics().sent() == 500);
        }
    }

    @ParameterizedTest(name = "wake-ups late for {0} ms")
    @ValueSource(longs = {0, 100})
    void aLimitedDestinationBehindALossyBranchIsStillJudgedOne(long lateMs) {
        for (long seed = 1; seed <= 10; seed++) {
            SimDriver d = driver(lateMs);
            MultipathResult r = d.run(request(), net(seed, true), seed);
            assertThat(judgedLimiter(d, r)).as("seed %d: %s", seed, r.notes()).isTrue();
        }
    }
}
