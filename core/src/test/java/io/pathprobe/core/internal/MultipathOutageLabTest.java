package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Adversarial-4 D2 and D6 on real kernel routers: a multipath run (UDP, 60 path probes a path, a
 * round every 100 ms) through a 4-router chain whose router 2 starts answering "network unreachable"
 * (a route replaced by {@code unreachable}), or sends the destination's traffic back to router 1 (a
 * loop: a link pulled), while the path probes run. The result keeps the topology discovery found,
 * every hop's counts add up, the rounds after the change are lost at the destination (not left out),
 * the notes name the unreachable or the loop, and no per-packet balancer or rate limit is claimed.
 */
@LabTest
class MultipathOutageLabTest {
    private static final int PATH_PROBES = 60;

    private interface Change {
        void apply(Lab lab, Chaos chaos);
    }

    private static MultipathResult runWithChange(Change change) throws Exception {
        try (Lab lab = Lab.chain(4).icmpUnlimited("the counts across an injected outage must add up to the outage alone").inCurrentNamespace().build();
                Chaos chaos = Chaos.on(lab);
                PathTracer tracer = PathTracer.builder().packetsPerSecond(0).offline().build()) {
            CompletableFuture<MultipathResult> run = tracer.measureAsync(MultipathRequest.builder(lab.destination())
                    .maxTtl(10).pathProbes(PATH_PROBES).pathInterval(Duration.ofMillis(100)).deadline(Duration.ofSeconds(60)).build());
            // the path rounds, 100 ms apart, run from the first tens of milliseconds for 6 s: the change comes in round 25 or so
            Thread.sleep(2_500);
            assertThat(run).as("the run must still be on when the change comes").isNotDone();
            change.apply(lab, chaos);
            MultipathResult r = run.get(90, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "%s in %d ms, destination reached %s, paths %s, notes %s%n", r.status(),
                    r.duration().toMillis(), r.destinationReached(), r.paths(), r.notes());
            for (MultipathPath p : r.paths()) {
                for (PathHop h : p.hops()) {
                    HopStatistics s = h.statistics();
                    assertThat(s.sent()).as("TTL %d of %s: sent = received + lost + rate-limited + abandoned", h.ttl(), p)
                            .isEqualTo(s.received() + s.lost() + s.rateLimited() + s.abandoned());
                }
            }
            assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
            assertThat(r.nodesAt(lab.hops())).as("the topology discovery found stays").isNotEmpty();
            assertThat(r.paths()).hasSize(1);
            MultipathPath p = r.paths().get(0);
            assertThat(p.statistics().sent()).as("every round counted: %s", p).isEqualTo(PATH_PROBES);
            assertThat(p.statistics().forwardLost()).as("the rounds after the change are lost: %s", p).isGreaterThan(10);
            assertThat(r.notes()).noneMatch(n -> n.contains("rate limit"));
            assertThat(r.nodes()).noneMatch(n -> n.loadBalancing() == LoadBalancing.PER_PACKET);
            return r;
        }
    }

    @Test
    void aRouterAnsweringUnreachableMidRunIsNamedAndItsRoundsAreLost() throws Exception {
        MultipathResult r = runWithChange((lab, chaos) -> chaos.replaceRoute(2, "unreachable 198.19.0.0/16"));
        // (a route of type unreachable answers "host unreachable"; a link down, "network unreachable")
        assertThat(r.notes()).anyMatch(n -> n.contains("the destination was not reached") && n.contains("unreachable)"));
    }

    @Test
    void aLoopMidRunIsNamedALoopNotPerPacketBalancing() throws Exception {
        MultipathResult r = runWithChange((lab, chaos) -> {
            byte[] b = lab.expectedResponder(2).orElseThrow().getAddress();
            b[3]--; // router 1's end of the link to router 2
            try {
                chaos.replaceRoute(2, "198.19.0.0/16 via " + InetAddress.getByAddress(b).getHostAddress());
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(r.notes()).as("%s", r.notes()).anyMatch(n -> n.contains("a routing loop: ")
                && n.contains("a router at an earlier TTL of this path"));
        assertThat(r.notes()).noneMatch(n -> n.startsWith("per-packet load balancing"));
    }
}
