package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.RouterCounters;
import io.pathprobe.options.ProbeBudget;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.RouterCost;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 73 item 2: a tracer with a per-router budget traces {@value #TARGETS} destinations (two /24s of the
 * destination's aliases) behind three kernel routers, all at once. The routers' own counters (nftables, read about
 * four times a second) never grew by more than the budget times the window plus the bucket's burst of one, and
 * every probe the budget held back still left and was answered. The routers answer every probe (no ICMP limits):
 * what keeps their answers down is the tracer alone. What the results say they cost each router
 * ({@link TraceResult#cost()}, added up) is what that router's counter saw: the lab sends nothing else.
 */
@LabTest
class BudgetLabTest {
    static final int TARGETS = 120;
    static final int PER_ROUTER = 60;

    @Test
    void noRouterIsAskedForMoreThanTheBudgetAndEveryHeldProbeLeaves() throws Exception {
        try (Lab lab = Lab.chain(4).icmpUnlimited("the tracer's budget alone keeps the routers' answers down")
                .destinationAliases(TARGETS).inCurrentNamespace().build()) {
            RouterCounters counters = RouterCounters.install(lab);
            ProbeBudget budget = ProbeBudget.builder().perRouter(PER_ROUTER).build();
            List<CompletableFuture<TraceResult>> traces = new ArrayList<>();
            List<InetAddress> targets = lab.destinationAliases();
            assertThat(targets).hasSize(TARGETS);
            List<RouterCounters.Reading> readings = counters.readWhile(Duration.ofMillis(250), () -> {
                try (PathTracer tracer = PathTracer.builder().offline().budget(budget).senderThreads(0).build()) {
                    for (InetAddress target : targets) {
                        traces.add(tracer.traceAsync(TraceRequest.builder(target).protocol(ProbeProtocol.ICMP)
                                .maxTtl(lab.hops()).deadline(Duration.ofMinutes(2)).build()));
                    }
                    CompletableFuture.allOf(traces.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
                }
            });
            long routerAnswers = 0;
            for (CompletableFuture<TraceResult> f : traces) {
                TraceResult r = f.get();
                assertThat(r.status()).as(r.destination().toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                for (var h : r.hops()) {
                    assertThat(h.statistics().received()).as("%s hop %d: every probe answered", r.destination(),
                            h.ttl()).isEqualTo(h.probes().size());
                    routerAnswers += h.ttl() < lab.hops() ? h.probes().size() : 0;
                }
            }
            List<Long> last = readings.get(readings.size() - 1).timeExceeded();
            assertThat(last.stream().mapToLong(Long::longValue).sum()).as("the routers counted every answer they sent")
                    .isEqualTo(routerAnswers);
            ProbeCost.Tally all = ProbeCost.tally();
            for (CompletableFuture<TraceResult> f : traces) {
                all.add(f.get().cost());
            }
            ProbeCost cost = all.build();
            for (int ttl = 1; ttl < lab.hops(); ttl++) {
                InetAddress router = lab.expectedResponder(ttl).orElseThrow();
                RouterCost c = cost.router(router).orElseThrow();
                assertThat(c.answers()).as("the answers the results say %s sent: its own count", router)
                        .isEqualTo(last.get(ttl - 1));
                assertThat(c.probes()).as("every probe charged to %s was answered", router).isEqualTo(c.answers());
            }
            assertThat(readings).as("readings a second apart or more").hasSizeGreaterThan(5);
            assertThat(RouterCounters.violations(readings, PER_ROUTER, 1))
                    .as("answers beyond %d/s plus 1 on any router (peaks %s/s)", PER_ROUTER,
                            RouterCounters.peakRates(readings)).isZero();
        }
    }
}
