package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.multipath.SimTopology.Router;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.core.internal.sim.IcmpLimiter;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import org.junit.jupiter.api.Test;

/**
 * Faults injected mid-run on fake time, as the adversarial run did on a lab (issue 47, item 5;
 * adversarial-4 D2, D6): a router that starts answering "network unreachable", a black hole, a
 * link pulled (a routing loop) and a route moved to another router. Whatever happens, the counts
 * add up ({@link PathCounts}), the rounds that did not reach the destination are lost there, and
 * the notes name what happened, not a rate limit or a per-packet balancer.
 */
class MultipathFaultTest {
    private static final long S = 1_000_000_000L;

    /** As the CLI's `multipath --pps 20 --path-probes 100` runs it: a probe every 50 ms, the tracer's learned budgets. */
    private static SimDriver cliAt20pps() {
        SimDriver d = new SimDriver();
        d.sendGap = 50 * SimDriver.MS;
        d.pacing = new RateLimitTable(64, 600L * S);
        return d;
    }

    private static MultipathRequest request() {
        return MultipathRequest.builder(SimTopology.DESTINATION).pathProbes(100).build();
    }

    /** src → 10.0.1.1 → ... → 10.0.4.1 → dst (TTL 5), as the adversarial lab; r2 (10.0.2.1) gets the fault. */
    private static SimTopology chain() {
        return SimTopology.chain(4, 1);
    }

    private static MultipathPath onlyPath(MultipathResult r) {
        assertThat(r.paths()).as("%s", r).hasSize(1);
        return r.paths().get(0);
    }

    private static void noRateLimitClaimed(MultipathResult r) {
        assertThat(r.notes()).as("a note blames a rate limit: %s", r.notes()).noneMatch(n -> n.contains("rate limit"));
        for (MultipathPath p : r.paths()) {
            assertThat(p.lossBasis()).isEqualTo(LossBasis.END_TO_END);
            assertThat(p.statistics().rateLimited()).as("%s", p).isZero();
        }
    }

    @Test
    void aRouterThatStartsAnsweringUnreachableCutsThePathItsRoundsAreLostAndNamed() {
        for (boolean ipError : new boolean[] {true, false}) {
            SimTopology net = chain();
            Router r2 = net.routers.get(1);
            r2.faultFrom = 5 * S;
            r2.unreachable = true;
            if (ipError) {
                r2.unreachableLimit = new IcmpLimiter(5, S); // Linux's ip_error: a burst of 5, then one a second
            }
            SimDriver d = cliAt20pps();
            MultipathResult r = d.run(request(), net, 1);
            assertThat(r.status()).as("%s", r).isEqualTo(MultipathStatus.COMPLETED);
            // the topology is the one discovery found: the unreachables of the path phase do not cut it
            assertThat(r.nodesAt(5)).extracting(MultipathNode::destination).containsExactly(true);
            assertThat(r.destinationReached()).isTrue();
            MultipathPath p = onlyPath(r);
            assertThat(p.statistics().sent()).isEqualTo(100);
            // every round sent after the fault is lost at the destination (on the way: forward)
            int before = p.statistics().received();
            assertThat(before).as("rounds before 5 s: %s", p).isBetween(10, 30);
            assertThat(p.statistics().forwardLost()).isEqualTo(100 - before);
            assertThat(p.hops().get(2).statistics().forwardLost()).as("TTL 3 is behind the cut too").isEqualTo(100 - before);
            assertThat(p.hops().get(0).statistics().loss()).isZero();
            assertThat(r.notes()).as("ipError %s: %s", ipError, r.notes())
                    .anyMatch(n -> n.contains("the destination was not reached") && n.contains("10.0.2.1 (network unreachable)"));
            noRateLimitClaimed(r);
        }
    }

    @Test
    void anUnreachableDuringDiscoveryEndsTheTopologyThereAndTheDestinationIsNotReached() {
        // the fault starts before or while discovery probes TTL 3 and beyond: the topology ends at the
        // router's unreachable, and nothing says the destination was reached
        for (long at : new long[] {0, 400 * SimDriver.MS, 700 * SimDriver.MS}) {
            SimTopology net = chain();
            Router r2 = net.routers.get(1);
            r2.faultFrom = at;
            r2.unreachable = true;
            SimDriver d = cliAt20pps();
            MultipathResult r = d.run(request(), net, 1);
            // a chain: the router's unreachables at later TTLs make no second node beside the TTL's router
            for (int ttl = 1; ttl <= 5; ttl++) {
                assertThat(r.nodesAt(ttl)).as("fault at %d ms: %s", at / SimDriver.MS, r).hasSizeLessThanOrEqualTo(1);
            }
            assertThat(r.nodes()).noneMatch(MultipathNode::destination);
            assertThat(r.destinationReached()).as("%s", r).isFalse();
            assertThat(r.paths()).as("%s", r).hasSize(1);
            assertThat(r.notes()).as("%s", r.notes()).anyMatch(n -> n.contains("10.0.2.1 answered network unreachable"));
            noRateLimitClaimed(r);
        }
    }

    @Test
    void aBlackHoleIsLossNotTheDestinationsRateLimit() {
        SimTopology net = chain();
        Router r2 = net.routers.get(1);
        r2.faultFrom = 5 * S;
        r2.faultUntil = 12 * S;
        SimDriver d = cliAt20pps();
        MultipathResult r = d.run(request(), net, 1);
        assertThat(r.status()).as("%s", r).isEqualTo(MultipathStatus.COMPLETED);
        MultipathPath p = onlyPath(r);
        assertThat(p.statistics().sent()).as("%s %s", r, r.notes()).isEqualTo(100);
        // rounds sent during the 7 s black hole (about 4 probes a round at 20 a second) are lost
        assertThat(p.statistics().forwardLost()).as("%s", p).isBetween(20, 45);
        assertThat(p.statistics().backwardLost()).isZero();
        noRateLimitClaimed(r);
    }

    @Test
    void aPulledLinkIsALoopNotPerPacketBalancing() {
        // r2 loses its link to r3 and sends everything back to r1 (the lab's 198.18.0.0/15 return
        // route made an r1 ⇄ r2 loop): TTL 3 is answered by r1, TTL 4 by r2, the destination's TTL by r1
        SimTopology net = chain();
        Router r1 = net.routers.get(0);
        Router r2 = net.routers.get(1);
        r2.reroute = r1;
        r2.rerouteFrom = 5 * S;
        r2.rerouteUntil = 12 * S;
        SimDriver d = cliAt20pps();
        MultipathResult r = d.run(request(), net, 1);
        assertThat(r.status()).as("%s", r).isEqualTo(MultipathStatus.COMPLETED);
        assertThat(r.perPacketLoadBalancing()).as("%s", r.notes()).isFalse();
        assertThat(r.notes()).noneMatch(n -> n.startsWith("per-packet load balancing"));
        assertThat(r.notes()).as("%s", r.notes()).anyMatch(n -> n.contains("a routing loop: 10.0.1.1 answered in the"
                + " place of 10.0.3.1, a router at an earlier TTL of this path"));
        MultipathPath p = onlyPath(r);
        // the rounds in the loop did not reach the destination: lost there, not left out
        assertThat(p.statistics().sent()).isEqualTo(100);
        assertThat(p.statistics().forwardLost()).as("%s", p).isBetween(20, 45);
        assertThat(r.notes()).anyMatch(n -> n.contains("the destination was not reached") && n.contains("10.0.1.1 (time exceeded"));
        noRateLimitClaimed(r);
    }

    @Test
    void aLoopAtAnyMomentOfTheRunIsNeverPerPacketBalancing() {
        // adversarial-5 row 0.6: r3 routing the destination back to r2 from 3 s for 5 s (discovery, pinning) read
        // "per-packet load balancing at r3 (TTL 3)" on a chain; so does a loop r2 -> r1. Wherever the loop starts,
        // it is no balancer: the chain stays one path, its probes sent during the loop answered by routers nearer
        for (int[] loop : new int[][] {{2, 1}, {3, 2}}) {
            for (long fromMs = 0; fromMs <= 6000; fromMs += 500) {
                SimTopology net = chain();
                Router at = net.routers.get(loop[0] - 1);
                at.reroute = net.routers.get(loop[1] - 1);
                at.rerouteFrom = fromMs * SimDriver.MS;
                at.rerouteUntil = at.rerouteFrom + 5 * S;
                MultipathResult r = cliAt20pps().run(request(), net, fromMs + 1);
                String what = "loop r" + loop[0] + " -> r" + loop[1] + " from " + fromMs + " ms: " + r.notes();
                assertThat(r.perPacketLoadBalancing()).as(what).isFalse();
                assertThat(r.notes()).as(what).noneMatch(n -> n.contains("per-packet load balancing at"));
                assertThat(r.notes()).as(what).noneMatch(n -> n.contains("per-packet load balancing before"));
                assertThat(r.nodes()).as(what).allMatch(n -> n.loadBalancing() != LoadBalancing.PER_PACKET);
            }
        }
    }

    @Test
    void aRouteMovedToAnotherRouterIsARouteChangeAndTheDestinationStillAnswers() {
        SimTopology net = chain();
        Router r2 = net.routers.get(1);
        Router other = net.router(3, 9); // 10.0.3.9: a router discovery never saw
        net.edge(other, net.routers.get(3)); // → r4
        r2.reroute = other;
        r2.rerouteFrom = 5 * S;
        SimDriver d = cliAt20pps();
        MultipathResult r = d.run(request(), net, 1);
        assertThat(r.perPacketLoadBalancing()).as("%s", r.notes()).isFalse();
        assertThat(r.notes()).as("%s", r.notes()).anyMatch(n -> n.contains("a route change") && n.contains("10.0.3.9"));
        MultipathPath p = onlyPath(r);
        assertThat(p.loss()).as("%s", p).isZero();
        assertThat(p.hops().get(2).statistics().sent()).as("TTL 3's answers off the path are not its").isLessThan(100);
        noRateLimitClaimed(r);
    }
}
