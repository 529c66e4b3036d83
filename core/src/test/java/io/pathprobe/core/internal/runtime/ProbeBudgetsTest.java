package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.options.ProbeBudget;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A tracer's keyed budgets on fake time: a stream of traces to many destinations (four /24s) behind three routers.
 * In no 1-s window does a router get asked for more answers, a destination or a prefix get more probes, than its
 * rate plus one (the buckets' burst); every deferred probe still leaves and is answered (none dropped, none lost).
 */
class ProbeBudgetsTest {
    private static final int PER_ROUTER = 50;
    private static final int PER_DESTINATION = 20;
    private static final int PER_PREFIX = 120;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void noBucketIsExceededInAnySecondAndEveryDeferredProbeLeaves() throws Exception {
        Scenario s = Scenario.named("budget", 4).destinationAliases(); // routers at TTL 1-3, the destination at 4
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(s, clock, clock);
        ProbeBudget budget = ProbeBudget.builder().perRouter(PER_ROUTER).perDestination(PER_DESTINATION)
                .perPrefix(PER_PREFIX).build();
        List<TraceRequest> requests = new ArrayList<>();
        for (int prefix = 0; prefix < 4; prefix++) {
            for (int host = 1; host <= 30; host++) {
                requests.add(TraceRequest.builder(Scenario.address(198, 18, prefix, host)).maxTtl(s.destinationTtl())
                        .deadline(Duration.ofMinutes(10)).build());
            }
        }
        int probes = 0;
        for (TraceResult r : traced(transport, clock, budget, requests)) {
            assertThat(r.status()).as(r.destination().toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            for (var h : r.hops()) {
                assertThat(h.statistics().received()).as("%s hop %d: every probe answered", r.destination(), h.ttl())
                        .isEqualTo(h.probes().size());
                probes += h.probes().size();
            }
        }
        List<ScenarioTransport.Sent> sends = new ArrayList<>(transport.sends);
        assertThat(sends).as("every probe of every result left once").hasSize(probes);

        assertWithinBudget(sends, x -> x.ttl() < s.destinationTtl() ? s.router(x.ttl()) : null, PER_ROUTER, "router");
        assertWithinBudget(sends, ScenarioTransport.Sent::destination, PER_DESTINATION, "destination");
        assertWithinBudget(sends, x -> x.destination().getAddress()[2], PER_PREFIX, "prefix");
    }

    /**
     * A silent router: its probes time out while others wait for the budget (a give-up due while a probe is held
     * back). Every trace still ends, every held probe still leaves, once, and no bucket is exceeded.
     */
    @Test
    void heldProbesLeaveWhileTimeoutsAreDue() throws Exception {
        Scenario s = Scenario.named("budget-silent", 4).destinationAliases().silent(2);
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(s, clock, clock);
        ProbeBudget budget = ProbeBudget.builder().perRouter(PER_ROUTER).perDestination(PER_DESTINATION).build();
        List<TraceRequest> requests = new ArrayList<>();
        for (int host = 1; host <= 60; host++) {
            requests.add(TraceRequest.builder(Scenario.address(198, 18, 9, host)).maxTtl(s.destinationTtl())
                    .probeTimeout(Duration.ofMillis(300)).deadline(Duration.ofMinutes(10)).build());
        }
        int probes = 0;
        for (TraceResult r : traced(transport, clock, budget, requests)) {
            assertThat(r.status()).as(r.destination().toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            for (var h : r.hops()) {
                assertThat(h.statistics().received()).as("hop %d", h.ttl()).isEqualTo(h.ttl() == 2 ? 0
                        : h.probes().size());
                probes += h.probes().size();
            }
        }
        assertThat(transport.sends).as("every probe of every result left once").hasSize(probes);
        assertWithinBudget(new ArrayList<>(transport.sends), ScenarioTransport.Sent::destination, PER_DESTINATION,
                "destination");
    }

    /**
     * The budget is used: enough traces to keep every bucket busy (the benchmark's shape: 2,000/s overall, 500/s per
     * router, three routers and the destination, so both bind at once), with the engine's timers late by up to 90 %
     * of a token of the overall budget, as a busy CPU makes them. The whole seconds after the first hold exactly the
     * overall budget of sends each, give or take the one a boundary moves (no token lost to a late timer), no router
     * gets more than its rate plus one in any second, and every probe of every result left once.
     */
    @Test
    void theBudgetIsUsedWhenTimersFireLate() throws Exception {
        Scenario s = Scenario.named("budget-rate", 4).destinationAliases();
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(s, clock, clock);
        int overall = 2000;
        ProbeBudget budget = ProbeBudget.builder().overall(overall).perRouter(overall / 4).build();
        clock.lateTimers(due -> Math.floorMod(due / 1_000, 450) * 1_000); // 0 to 449 µs of a 500 µs token
        List<TraceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 2500; i++) { // 10,000 probes: 5 s at the budget
            requests.add(TraceRequest.builder(Scenario.address(198, 18, 4 + i / 250, 1 + i % 250)).maxTtl(4)
                    .probesPerTtl(1).deadline(Duration.ofMinutes(10)).build());
        }
        int probes = 0;
        for (TraceResult r : traced(transport, clock, budget, requests)) {
            assertThat(r.status()).as(r.destination().toString()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            probes += r.hops().stream().mapToInt(h -> h.probes().size()).sum();
        }
        List<ScenarioTransport.Sent> sends = new ArrayList<>(transport.sends);
        assertThat(sends).as("every probe of every result left once").hasSize(probes).hasSize(4 * requests.size());
        long first = sends.stream().mapToLong(ScenarioTransport.Sent::at).min().orElseThrow();
        long last = sends.stream().mapToLong(ScenarioTransport.Sent::at).max().orElseThrow();
        int[] perSecond = new int[(int) ((last - first) / SECOND)];
        for (ScenarioTransport.Sent x : sends) {
            int i = (int) ((x.at() - first) / SECOND);
            if (i < perSecond.length) {
                perSecond[i]++;
            }
        }
        assertThat(perSecond).as("whole seconds of sends").hasSizeGreaterThanOrEqualTo(4);
        // the sends keep the tokens' grid, each less than a token late: a second's boundary moves at most one of them
        int sum = 0;
        for (int i = 1; i < perSecond.length; i++) { // the first holds the start (every router still unknown)
            sum += perSecond[i];
            assertThat(sum).as("sends in seconds 1 to %d of %s", i, java.util.Arrays.toString(perSecond))
                    .isBetween(overall * i - 1, overall * i + 1);
        }
        assertWithinBudget(sends, x -> x.ttl() < s.destinationTtl() ? s.router(x.ttl()) : null, overall / 4, "router");
    }

    /**
     * The rule that keeps one destination from starving another: probes held on a budget take its turns in the order
     * they booked them. Forty traces started at once behind one router with a budget of 20/s: the destinations' first
     * probes leave in the order their traces started, however many probes of the others wait.
     */
    @Test
    void heldProbesTakeTheirTurnsInOrder() throws Exception {
        Scenario s = Scenario.named("budget-order", 4).destinationAliases();
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport transport = new ScenarioTransport(s, clock, clock);
        List<TraceRequest> requests = new ArrayList<>();
        List<InetAddress> started = new ArrayList<>();
        for (int host = 1; host <= 40; host++) {
            started.add(Scenario.address(198, 18, 7, host));
            requests.add(TraceRequest.builder(started.get(host - 1)).maxTtl(s.destinationTtl())
                    .deadline(Duration.ofMinutes(10)).build());
        }
        traced(transport, clock, ProbeBudget.builder().perRouter(20).build(), requests);
        List<InetAddress> firstOut = new ArrayList<>();
        for (ScenarioTransport.Sent x : new ArrayList<>(transport.sends)) {
            if (!firstOut.contains(x.destination())) {
                firstOut.add(x.destination());
            }
        }
        assertThat(firstOut).as("destinations in the order of their first probe").isEqualTo(started);
    }

    /** Traces every request at once through a tracer with {@code budget}, on fake time until all have ended. */
    private static List<TraceResult> traced(ScenarioTransport transport, FakeScheduler clock, ProbeBudget budget,
            List<TraceRequest> requests) throws Exception {
        List<CompletableFuture<TraceResult>> traces = new ArrayList<>();
        try (DefaultPathTracer tracer = FakeTracer.tracer(transport, clock, budget)) {
            requests.forEach(q -> traces.add(tracer.traceAsync(q)));
            assertThat(clock.advanceUntil(() -> traces.stream().allMatch(CompletableFuture::isDone),
                    Duration.ofMinutes(20))).as("every trace ends").isTrue();
        }
        List<TraceResult> results = new ArrayList<>();
        for (CompletableFuture<TraceResult> f : traces) {
            results.add(f.get());
        }
        return results;
    }

    /** In every window of one second, at most {@code perSecond} plus one (the burst) sends per key. */
    private static void assertWithinBudget(List<ScenarioTransport.Sent> sends,
            Function<ScenarioTransport.Sent, Object> keyOf, int perSecond, String what) {
        Map<Object, List<Long>> times = new HashMap<>();
        for (ScenarioTransport.Sent x : sends) {
            Object key = keyOf.apply(x);
            if (key != null) {
                times.computeIfAbsent(key, k -> new ArrayList<>()).add(x.at());
            }
        }
        assertThat(times).as(what + "s probed").isNotEmpty();
        times.forEach((key, at) -> {
            at.sort(null);
            int most = 0;
            for (int i = 0, j = 0; i < at.size(); i++) {
                while (at.get(i) - at.get(j) >= SECOND) {
                    j++;
                }
                most = Math.max(most, i - j + 1);
            }
            assertThat(most).as("%s %s: most probes in one second", what, key instanceof InetAddress a
                    ? a.getHostAddress() : key).isLessThanOrEqualTo(perSecond + 1);
        });
    }
}
