package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Answers read late, on fake time: the adaptive wait gives a probe up in milliseconds once a later
 * TTL answered, and on busy CPUs (the kernel defers forwarding to ksoftirqd) or behind a slow
 * router's control plane the answer comes after that. A give-up is then revised by its answer, and
 * nothing decided on it may outlive the revision: not a silent hop, not a rate-limit verdict, not the
 * rounds of path probes cut for a limiter that was none. (Found beside a CPU hog: a lab diamond's
 * TTL 3 reported silent, and an unlimited destination's path probes cut from 500 to 25 per path.)
 */
@org.junit.jupiter.api.Timeout(60)
class MultipathLateAnswerTest {
    private static final long MS = SimDriver.MS;
    private static final long S = 1_000 * MS;

    @Test
    void aHopWhoseFirstAnswersComeAfterTheDestinationsIsANodeNotASilence() {
        // the first 150 ms, TTL 3's Time Exceeded messages are held back 300 ms (a busy CPU deferring them);
        // the destination (TTL 4) answers in 4 ms, so TTL 3's first probes are given up after 40 ms
        // (10 x the later RTT), and the rest of the diamond is found long before their answers come
        for (long seed = 1; seed <= 5; seed++) {
            SimDriver d = new SimDriver();
            d.arrival = (ttl, natural) -> ttl == 3 && natural < 150 * MS ? natural + 300 * MS : natural;
            MultipathResult r = d.run(MultipathRequest.builder(SimTopology.DESTINATION).pathProbes(0).maxTtl(8)
                    .confidence(99).build(), SimTopology.diamond(4, seed), seed);
            assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
            assertThat(r.nodes()).as("seed %d: %s", seed, r).noneMatch(MultipathNode::silent);
            assertThat(r.nodesAt(3)).as("seed %d: %s", seed, r).hasSize(1);
            assertThat(r.nodesAt(2)).as("seed %d: %s", seed, r).hasSize(4);
        }
    }

    @Test
    void aStallOfTheAnswersIsNotARateLimit() {
        // every answer due between 40 and 70 ms arrives at 70 ms (a stalled CPU): the probes given up
        // meanwhile charge misses to every responder at once, their answers then revise them
        int n = 200;
        for (long seed = 1; seed <= 5; seed++) {
            SimDriver d = new SimDriver();
            d.pacing = new RateLimitTable(64, 600 * S);
            d.arrival = (ttl, natural) -> natural >= 40 * MS && natural < 70 * MS ? 70 * MS : natural;
            MultipathResult r = d.run(MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8).confidence(99)
                    .pathProbes(n).pathInterval(Duration.ofMillis(1)).maxProbes(100_000)
                    .deadline(Duration.ofMinutes(1)).build(), SimTopology.diamond(4, seed), seed);
            assertThat(r.status()).as("seed %d: %s", seed, r).isEqualTo(MultipathStatus.COMPLETED);
            assertThat(r.notes()).as("seed %d", seed).noneMatch(note -> note.startsWith("path probes:"));
            assertThat(r.nodes()).as("seed %d: %s", seed, r).noneMatch(MultipathNode::silent);
            assertThat(r.paths()).as("seed %d: %s", seed, r).hasSize(4);
            for (MultipathPath p : r.paths()) {
                assertThat(p.statistics().sent()).as("seed %d: %s", seed, p).isEqualTo(n);
                assertThat(p.statistics().lost()).as("seed %d: %s", seed, p).isZero();
            }
        }
    }

    @Test
    void aRouterBehindALossyBranchIsNotTakenForALimiterForGood() {
        // branch 3 of a width-4 diamond drops 30 % of what it forwards; the convergence router behind it
        // is unlimited. A few of its misses in a row (0.3^3 per try) look like a limiter's refusals: the
        // verdict may come, but the path probes must go on testing it until it is withdrawn, never skip
        // the hop for the rest of the run
        int n = 100;
        for (long s = 1; s <= 400; s++) {
            long seed = s;
            SimTopology net = SimTopology.diamond(4, seed);
            net.routers.stream().filter(r -> r.address.getHostAddress().equals("10.0.2.3")).forEach(r -> r.forwardLoss = 0.3);
            SimDriver d = new SimDriver();
            d.pacing = new RateLimitTable(64, 600 * S);
            MultipathResult r = d.run(MultipathRequest.builder(SimTopology.DESTINATION).maxTtl(8).confidence(99)
                    .pathProbes(n).pathInterval(Duration.ofMillis(1)).maxProbes(100_000)
                    .deadline(Duration.ofMinutes(1)).build(), net, seed);
            for (MultipathPath p : r.paths()) {
                if (p.addresses().stream().allMatch(java.util.Optional::isPresent)) {
                    // one decided probe a round at the path's end, whatever verdict came and went
                    assertThat(p.statistics().sent()).as("seed %d: %s", seed, p).isEqualTo(n);
                    p.hops().forEach(h -> assertThat(h.statistics().sent()).as("seed %d: %s", seed, r).isGreaterThan(n / 2));
                }
            }
        }
    }
}
