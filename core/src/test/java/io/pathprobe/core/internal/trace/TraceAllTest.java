package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.TreeTransport;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceAllListener;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** traceAll on fake time through a tree of simulated routers: the stop set, the limiters, route changes, bad input. */
@org.junit.jupiter.api.Timeout(120)
class TraceAllTest {
    private static final int STEM = 10;

    static InetAddress stem(int ttl) {
        return Scenario.address(10, 0, ttl, 1);
    }

    static InetAddress branch(int ttl) {
        return Scenario.address(10, 1, ttl, 1);
    }

    static List<String> targets(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("10.200." + (i / 250) + "." + (i % 250 + 1));
        }
        return out;
    }

    static int index(InetAddress dest) {
        byte[] b = dest.getAddress();
        return (b[2] & 0xff) * 250 + (b[3] & 0xff) - 1;
    }

    /** Every destination behind the same 10 routers. */
    static List<InetAddress> sharedStem(InetAddress dest, long micros) {
        List<InetAddress> p = new ArrayList<>();
        for (int t = 1; t <= STEM; t++) {
            p.add(stem(t));
        }
        return p;
    }

    private record Run(FakeScheduler clock, TreeTransport transport, DefaultPathTracer tracer) implements AutoCloseable {
        TraceAllResult traceAll(TraceAllRequest r) {
            TraceAllHandle h = (TraceAllHandle) tracer.start(r);
            assertThat(clock.advanceUntil(h::ended, Duration.ofHours(1))).as("traceAll ends").isTrue();
            return h.snapshot();
        }

        @Override
        public void close() {
            tracer.close();
        }
    }

    private static Run run(BiFunction<InetAddress, Long, List<InetAddress>> paths, int burst) {
        FakeScheduler clock = new FakeScheduler();
        TreeTransport t = new TreeTransport(paths, clock, clock, burst, 1_000_000_000L);
        return new Run(clock, t, FakeTracer.tracer(t, clock, 0, 128, HostResolver.SYSTEM, Runnable::run));
    }

    private static TraceAllRequest.Builder request(int n) {
        return TraceAllRequest.builder(targets(n)).trace(TraceRequest.builder(targets(n).get(0)).protocol(ProbeProtocol.ICMP).build());
    }

    /** The path every target's result shows: hop TTL → responder, stem or not, probed or from the stop set. */
    private static void assertStemPath(TraceResult r) {
        assertThat(r.status()).as(r.target()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        for (int t = 1; t <= STEM; t++) {
            Hop h = r.hop(t).orElseThrow();
            assertThat(h.address()).as("%s ttl %d: %s", r.target(), t, h).contains(stem(t));
        }
        assertThat(r.hop(11).orElseThrow().isDestination()).isTrue();
        assertThat(r.hop(11).orElseThrow().fromStopSet()).isFalse();
    }

    @Test
    void targetsBehindASharedStemTakeItFromTheStopSetAndNeverTripItsLimiters() {
        int n = 300;
        try (Run stopSet = run(TraceAllTest::sharedStem, 6); Run independent = run(TraceAllTest::sharedStem, 6)) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            TraceAllResult r = stopSet.traceAll(request(n).listener(new TraceAllListener() {
                @Override
                public void targetCompleted(int index, TraceResult result) {
                    order.add(index);
                }
            }).build());
            assertThat(r.status()).isEqualTo(TraceAllStatus.COMPLETED);
            assertThat(r.traces()).hasSize(n);
            assertThat(r.traces()).extracting(TraceResult::target).containsExactlyElementsOf(targets(n));
            r.traces().forEach(TraceAllTest::assertStemPath);
            assertThat(r.reached()).isEqualTo(n);
            // the first target is traced alone and probes every hop; it ends first
            assertThat(order.get(0)).isZero();
            assertThat(r.traces().get(0).hops()).noneMatch(Hop::fromStopSet);
            // issue 68: a hop is taken from the stop set only once PROOF traces met one router there behind the router
            // above it, or behind a destination of the same network answering with the same TTL (TTL 10, the
            // gateway); the first traces probe the stem, the others take all of it from the stop set
            long takingAll = r.traces().subList(1, n).stream().filter(t -> java.util.stream.IntStream
                    .rangeClosed(1, STEM).allMatch(ttl -> t.hop(ttl).orElseThrow().fromStopSet())).count();
            // (a proof whose newest observation is older than FRESH_NANOS is renewed by a trace that probes)
            assertThat(takingAll).as("traces taking the whole stem").isGreaterThanOrEqualTo((n - 1) * 3L / 4);
            for (TraceResult t : r.traces()) {
                for (Hop h : t.hops()) {
                    if (h.fromStopSet()) {
                        assertThat(h.probes()).isEmpty();
                        assertThat(h.toString()).endsWith("(stop set)");
                    }
                }
            }
            // no router refused anything: every check stayed within its (modelled) budget
            assertThat(stopSet.transport().refused.get()).isZero();
            for (int ttl = 1; ttl <= STEM; ttl++) {
                assertThat(stopSet.transport().perRouter.get(stem(ttl))).as("ttl %d", ttl).isNotNull();
            }
            long hopsSent = r.traces().stream().flatMap(t -> t.hops().stream()).mapToLong(h -> h.statistics().sent()).sum();
            assertThat(r.probesSent()).isEqualTo(hopsSent).isEqualTo(stopSet.transport().sends.get());
            assertThat(r.hopsFromStopSet()).isEqualTo(r.traces().stream().flatMap(t -> t.hops().stream())
                    .filter(Hop::fromStopSet).count()).isGreaterThanOrEqualTo(9L * takingAll);
            assertThat(stopSet.transport().maxOpenSessions.get()).isLessThanOrEqualTo(32);
            assertThat(stopSet.transport().openSessions.get()).isZero();

            TraceAllResult plain = independent.traceAll(request(n).stopSet(false).build());
            assertThat(plain.traces()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TraceStatus.DESTINATION_REACHED));
            assertThat(plain.hopsFromStopSet()).isZero();
            // the same targets cost a fraction of the probes, and the independent traces did trip the limiters
            assertThat(r.probesSent() * 4).as("%s vs %s", r.summary(), plain.summary()).isLessThan(plain.probesSent());
            assertThat(independent.transport().refused.get()).isPositive();
            assertThat(r.summary()).startsWith(n + " targets: " + n + " reached, " + r.probesSent() + " probes sent");
            System.out.printf("traceAll %d targets behind a shared stem: stop set %s; without %s%n", n, r.summary(),
                    plain.summary());
        }
    }

    /** The loss claimed (decided on evidence: issue 68) at these TTLs over every trace. */
    private static long lost(TraceAllResult r, int fromTtl, int toTtl) {
        return r.traces().stream().flatMap(t -> t.hops().stream()).filter(h -> h.ttl() >= fromTtl && h.ttl() <= toTtl)
                .mapToLong(h -> h.statistics().decidedLost()).sum();
    }

    private static void countsAddUp(TraceAllResult r) {
        r.traces().stream().flatMap(t -> t.hops().stream()).forEach(h -> assertThat(h.statistics().sent()).as("%s", h)
                .isEqualTo(h.statistics().received() + h.statistics().lost() + h.statistics().rateLimited()));
    }

    /**
     * The same rules as a trace's: a router that never answered while the probes went on past it is its
     * silence, and a miss while a router's bucket may have been spent by another prober is no loss; a
     * round lost on the way to the destination still is.
     */
    @Test
    void aSilentRouterAndDrainedBucketsAreNoLossButLossOnTheWayIs() {
        try (Run run = run(TraceAllTest::sharedStem, 6)) {
            run.transport().silentTtls.add(4);
            run.transport().drainedAtStart = true;
            TraceAllResult r = run.traceAll(request(20).build());
            r.traces().forEach(t -> assertThat(t.status()).as(t.target()).isEqualTo(TraceStatus.DESTINATION_REACHED));
            assertThat(lost(r, 1, STEM + 1)).as("%s", r.traces().get(0)).isZero();
            Hop silent = r.traces().get(0).hop(4).orElseThrow();
            assertThat(silent.statistics().rateLimited()).as("%s", silent).isEqualTo(silent.statistics().sent()).isPositive();
            countsAddUp(r);
        }
        try (Run run = run(TraceAllTest::sharedStem, 6)) {
            run.transport().drainedAtStart = true;
            run.transport().dropAtTtl = 5;
            run.transport().dropEvery = 3;
            TraceAllResult r = run.traceAll(request(20).build());
            assertThat(lost(r, 1, 5)).as("before the lossy router").isZero();
            assertThat(lost(r, STEM + 1, STEM + 1)).as("at the destination, past the lossy router").isPositive();
            countsAddUp(r);
        }
    }

    @Test
    void aBranchBelowTheStemIsProbedAndTheStopSetBelowItTaken() {
        BiFunction<InetAddress, Long, List<InetAddress>> paths = (dest, micros) -> {
            List<InetAddress> p = sharedStem(dest, micros);
            if (index(dest) % 2 == 1) {
                p.set(9, branch(10));
                p.add(branch(11)); // the odd ones are one hop farther, through another router at 10
            }
            return p;
        };
        try (Run run = run(paths, 0)) {
            TraceAllResult r = run.traceAll(request(40).build());
            for (TraceResult t : r.traces()) {
                boolean odd = index(t.destination().orElseThrow()) % 2 == 1;
                int destTtl = odd ? 12 : 11;
                assertThat(t.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(t.destinationHop().orElseThrow().ttl()).as(t.target()).isEqualTo(destTtl);
                for (int ttl = 1; ttl <= 9; ttl++) {
                    assertThat(t.hop(ttl).orElseThrow().address()).as("%s ttl %d", t.target(), ttl).contains(stem(ttl));
                }
                assertThat(t.hop(10).orElseThrow().address()).as(t.toString()).contains(odd ? branch(10) : stem(10));
                if (odd) {
                    assertThat(t.hop(11).orElseThrow().address()).contains(branch(11));
                }
            }
        }
    }

    /**
     * Issue 68: behind a load balancer that picks the branch by destination, the merge router after it is in the stop
     * set for every target, but the hop below it is each target's own: never a sibling's taken unprobed. The branch
     * TTL is verified by a probe of the trace's own; the single-path TTLs before it are taken once shown so.
     */
    @Test
    void theHopBelowAMergeIsEachTargetsOwnBranch() {
        // TTL 1: one router; TTL 2: four branches, by destination; TTL 3: the merge; the destination at 4
        BiFunction<InetAddress, Long, List<InetAddress>> paths = (dest, micros) -> List.of(stem(1),
                Scenario.address(10, 2, index(dest) % 4, 1), stem(3));
        for (int burst : new int[] {0, 6}) {
            try (Run run = run(paths, burst)) {
                TraceAllResult r = run.traceAll(request(64).build());
                for (TraceResult t : r.traces()) {
                    assertThat(t.status()).as(t.target()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                    Hop branch = t.hop(2).orElseThrow();
                    assertThat(branch.address()).as("%s", t)
                            .contains(Scenario.address(10, 2, index(t.destination().orElseThrow()) % 4, 1));
                    assertThat(branch.fromStopSet()).as("a branch is never taken from a sibling: %s", t).isFalse();
                    assertThat(t.hop(1).orElseThrow().address()).contains(stem(1));
                    assertThat(t.hop(3).orElseThrow().address()).contains(stem(3));
                }
                assertThat(r.hopsFromStopSet()).as("TTL 1 taken once shown single-path").isPositive();
                countsAddUp(r);
                if (burst > 0) {
                    assertThat(run.transport().refused.get()).as("no check over a router's budget").isZero();
                }
            }
        }
    }

    @Test
    void aRouteMovedSinceTheLastCallIsSeenByTheChangeCheck() {
        // the route moves once the first call ended (it takes as long as the last router's limiter paces one check per
        // target: the hop below a destination's answer is never taken from the stop set)
        java.util.concurrent.atomic.AtomicLong changeAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        BiFunction<InetAddress, Long, List<InetAddress>> paths = (dest, micros) -> {
            List<InetAddress> p = sharedStem(dest, micros);
            if (micros >= changeAt.get()) {
                p.set(9, branch(10));
            }
            return p;
        };
        try (Run run = run(paths, 6)) {
            TraceAllResult before = run.traceAll(request(50).build());
            assertThat(before.traces()).allSatisfy(t -> assertThat(t.hop(10).orElseThrow().address()).contains(stem(10)));
            changeAt.set(run.clock().elapsed() / 1000 + 1_000_000L);
            run.clock().advance(Duration.ofSeconds(40));
            TraceAllResult after = run.traceAll(request(50).build());
            assertThat(after.traces()).allSatisfy(t -> {
                assertThat(t.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(t.hop(10).orElseThrow().address()).as(t.toString()).contains(branch(10));
                assertThat(t.hop(9).orElseThrow().address()).contains(stem(9));
            });
            assertThat(run.transport().refused.get()).isZero();
        }
    }

    @Test
    void cancelEndsRunningAndWaitingTargetsWithWhatTheyHave() {
        try (Run run = run(TraceAllTest::sharedStem, 0)) {
            TraceAllHandle h = (TraceAllHandle) run.tracer().start(request(100).concurrency(4).build());
            run.clock().advance(Duration.ofMillis(3));
            h.cancel();
            assertThat(run.clock().advanceUntil(h::ended, Duration.ofSeconds(10))).isTrue();
            TraceAllResult r = h.snapshot();
            assertThat(r.status()).isEqualTo(TraceAllStatus.CANCELLED);
            assertThat(r.traces()).hasSize(100);
            assertThat(r.traces()).extracting(TraceResult::status).contains(TraceStatus.CANCELLED);
            assertThat(run.transport().openSessions.get()).isZero();
        }
    }

    @Test
    void theDeadlineEndsWhatRunsAndWhatWaitsWithTheirStatus() {
        try (Run run = run(TraceAllTest::sharedStem, 0)) {
            TraceAllResult r = run.traceAll(request(1000).concurrency(1).deadline(Duration.ofMillis(30)).build());
            assertThat(r.status()).isEqualTo(TraceAllStatus.DEADLINE_EXCEEDED);
            assertThat(r.traces()).hasSize(1000);
            assertThat(r.traces().get(0).status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(r.traces()).extracting(TraceResult::status)
                    .containsOnly(TraceStatus.DESTINATION_REACHED, TraceStatus.DEADLINE_EXCEEDED);
            TraceResult last = r.traces().get(999);
            assertThat(last.status()).as("never started").isEqualTo(TraceStatus.DEADLINE_EXCEEDED);
            assertThat(last.hops()).isEmpty();
            assertThat(run.transport().openSessions.get()).isZero();
        }
    }

    @Test
    void badInputIsATypedErrorAtBuild() {
        assertThatThrownBy(() -> TraceAllRequest.builder(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one target");
        assertThatThrownBy(() -> TraceAllRequest.builder(List.of("a", " a "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> request(2).concurrency(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concurrency must be 1..1024, was 0");
        assertThatThrownBy(() -> TraceRequest.builder("a").maxTtl(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(request(3).build().requests()).extracting(r -> r.target()).containsExactlyElementsOf(targets(3));
        assertThat(TraceAllRequest.builder(targets(3)).trace(TraceRequest.builder("x").maxTtl(12).build()).build()
                .requests()).allSatisfy(r -> assertThat(r.maxTtl()).isEqualTo(12));
        assertThat(request(3).build().toString()).startsWith("TraceAllRequest{3 targets (10.200.0.1, ...), ICMP");
    }
}
