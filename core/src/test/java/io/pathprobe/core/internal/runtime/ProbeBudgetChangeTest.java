package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.TracerBudget;
import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.options.ProbeBudget;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A tracer's budget changed while its traces run ({@link TracerBudget#set}), on fake time: traces to many
 * destinations behind three routers (TTL 1-3; the destination at 4), one probe a TTL. Each whole second holds exactly
 * the rate in force then (give or take the one a boundary moves), no window from the change on holds more than the
 * new budget allows, the probes held when it changes are judged again at once (a raise is used from the change, a
 * removal sends them all), and every probe of every result left once: none dropped, none sent twice, every trace
 * reaches its destination.
 */
class ProbeBudgetChangeTest {
    private static final long SECOND = 1_000_000_000L;

    /**
     * No keyed budget (400/s overall) until 3.5 s, then 40/s per router as well: the whole seconds before the change
     * hold 400 sends each; after it, the router at TTL 3 (400 probes still to go) gets 40 in each whole second, and no
     * router more than 41 in any window from the change on.
     */
    @Test
    void aBudgetSetWhileTracesRunHoldsForThemFromTheChangeOn() throws Exception {
        Scenario s = Scenario.named("budget-change", 4).destinationAliases();
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(s, clock, clock);
        List<CompletableFuture<TraceResult>> traces = new ArrayList<>();
        long change;
        try (DefaultPathTracer tracer = FakeTracer.tracer(transport, clock, ProbeBudget.builder().overall(400)
                .build())) {
            for (int i = 0; i < 600; i++) { // 2,400 probes: 1,400 at 400/s, then 1,000 at 40/s a router
                traces.add(tracer.traceAsync(request(i)));
            }
            clock.advance(Duration.ofMillis(3500));
            change = clock.read();
            ProbeBudget lower = ProbeBudget.builder().overall(400).perRouter(40).build();
            TracerBudget.of(tracer).set(lower);
            assertThat(TracerBudget.of(tracer).get()).isEqualTo(lower);
            assertThat(clock.advanceUntil(() -> traces.stream().allMatch(CompletableFuture::isDone),
                    Duration.ofMinutes(5))).as("every trace ends").isTrue();
        }
        List<ScenarioTransport.Sent> sends = everyProbeLeftOnce(transport, traces);
        long first = sends.get(0).at();
        int[] all = perSecond(sends, first, change);
        assertThat(all).as("whole seconds before the change").hasSize(3);
        for (int n : all) {
            assertThat(n).as("sends a second at 400/s overall: %s", java.util.Arrays.toString(all)).isBetween(399, 401);
        }
        for (int ttl = 1; ttl < s.destinationTtl(); ttl++) {
            int hop = ttl;
            List<ScenarioTransport.Sent> router = sends.stream().filter(x -> x.ttl() == hop).toList();
            long last = router.get(router.size() - 1).at();
            int[] after = perSecond(router, change, Math.max(change, last));
            // the round robin over 600 traces at 400/s: TTL 1 and 2 all sent by then, 400 probes at TTL 3 still to go
            assertThat(after).as("router %d: whole seconds after the change", hop).hasSize(hop < 3 ? 0 : 9);
            for (int n : after) {
                assertThat(n).as("router %d: sends a second at 40/s: %s", hop, java.util.Arrays.toString(after))
                        .isBetween(39, 41);
            }
            assertThat(mostInOneSecond(router, change)).as("router %d: most in a window from the change on", hop)
                    .isLessThanOrEqualTo(41);
        }
    }

    /**
     * 20/s per router until 2 s, then 100/s until 4 s, then none: the probes held on the low budget's turns take the
     * raised one's from the change (100 a second, not 20), and those held at the removal all leave at once.
     */
    @Test
    void aRaisedBudgetIsUsedAtOnceAndARemovedOneReleasesWhatWaits() throws Exception {
        Scenario s = Scenario.named("budget-raise", 4).destinationAliases();
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(s, clock, clock);
        List<CompletableFuture<TraceResult>> traces = new ArrayList<>();
        long raise;
        long removal;
        int sentBeforeRemoval;
        try (DefaultPathTracer tracer = FakeTracer.tracer(transport, clock, ProbeBudget.builder().perRouter(20)
                .build())) {
            for (int i = 0; i < 400; i++) {
                traces.add(tracer.traceAsync(request(i)));
            }
            clock.advance(Duration.ofSeconds(2));
            raise = clock.read();
            TracerBudget.of(tracer).set(ProbeBudget.builder().perRouter(100).build());
            clock.advance(Duration.ofSeconds(2));
            removal = clock.read();
            sentBeforeRemoval = transport.sends.size();
            assertThat(traces).as("traces still waiting for the budget").anyMatch(f -> !f.isDone());
            TracerBudget.of(tracer).set(ProbeBudget.builder().build());
            assertThat(clock.advanceUntil(() -> traces.stream().allMatch(CompletableFuture::isDone),
                    Duration.ofMinutes(5))).as("every trace ends").isTrue();
        }
        List<ScenarioTransport.Sent> sends = everyProbeLeftOnce(transport, traces);
        for (int ttl = 1; ttl < s.destinationTtl(); ttl++) {
            int hop = ttl;
            List<ScenarioTransport.Sent> router = sends.stream().filter(x -> x.ttl() == hop).toList();
            int[] raised = perSecond(router.stream().filter(x -> x.at() >= raise).toList(), raise, removal);
            assertThat(raised).as("router %d: whole seconds of the raised budget", hop).hasSize(2);
            for (int n : raised) {
                assertThat(n).as("router %d: sends a second at 100/s: %s", hop, java.util.Arrays.toString(raised))
                        .isBetween(99, 101);
            }
            assertThat(mostInOneSecond(router.stream().filter(x -> x.at() < removal).toList(), raise))
                    .as("router %d: most in a window from the raise to the removal", hop).isLessThanOrEqualTo(101);
        }
        assertThat(sends.subList(sentBeforeRemoval, sends.size())).as("what waited at the removal")
                .isNotEmpty().allSatisfy(x -> assertThat(x.at()).isEqualTo(removal));
    }

    /** A closed tracer's budget cannot change: typed, and the budget it had stays. */
    @Test
    void aClosedTracersBudgetIsRefused() {
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(Scenario.named("closed", 4), clock, clock);
        DefaultPathTracer tracer = FakeTracer.tracer(transport, clock, ProbeBudget.builder().perRouter(5).build());
        tracer.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TracerBudget.of(tracer).set(ProbeBudget.builder()
                .build())).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(TracerBudget.of(tracer).get()).isEqualTo(ProbeBudget.builder().perRouter(5).build());
    }

    /** The lab of both cases: trace {@code i}, one probe a TTL, to a host of one of the /24s 198.18.8-15. */
    private static TraceRequest request(int i) {
        return TraceRequest.builder(Scenario.address(198, 18, 8 + i / 200, 1 + i % 200)).maxTtl(4).probesPerTtl(1)
                .deadline(Duration.ofMinutes(10)).build();
    }

    /** Every trace reached its destination, each probe answered; every probe of every result left once. */
    private static List<ScenarioTransport.Sent> everyProbeLeftOnce(ScenarioTransport transport,
            List<CompletableFuture<TraceResult>> traces) throws Exception {
        int probes = 0;
        for (CompletableFuture<TraceResult> f : traces) {
            TraceResult r = f.get();
            assertThat(r.status()).as(r.destination().toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            for (var h : r.hops()) {
                assertThat(h.statistics().received()).as("%s hop %d", r.destination(), h.ttl())
                        .isEqualTo(h.probes().size());
                probes += h.probes().size();
            }
        }
        List<ScenarioTransport.Sent> sends = new ArrayList<>(transport.sends);
        assertThat(sends).as("every probe of every result left once").hasSize(probes).hasSize(4 * traces.size());
        Set<List<Object>> distinct = new HashSet<>();
        for (ScenarioTransport.Sent x : sends) {
            assertThat(distinct.add(List.of(x.destination(), x.ttl(), x.sequence()))).as("%s sent twice", x).isTrue();
        }
        return sends;
    }

    /** The sends in each whole second from {@code from} up to {@code to}. */
    private static int[] perSecond(List<ScenarioTransport.Sent> sends, long from, long to) {
        int[] n = new int[(int) ((to - from) / SECOND)];
        for (ScenarioTransport.Sent x : sends) {
            long i = (x.at() - from) / SECOND;
            if (x.at() >= from && i < n.length) {
                n[(int) i]++;
            }
        }
        return n;
    }

    /** The most sends in a window of one second that begins at or after {@code from}. */
    private static int mostInOneSecond(List<ScenarioTransport.Sent> sends, long from) {
        List<Long> at = sends.stream().map(ScenarioTransport.Sent::at).filter(t -> t >= from).sorted().toList();
        int most = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(j) >= SECOND) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

}
