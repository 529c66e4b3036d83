package io.pathprobe.core.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.TracerStats;
import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.multipath.MultipathHandle;
import io.pathprobe.core.internal.ping.PingHandle;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.ForwardingSession;
import io.pathprobe.core.internal.sim.NamedTransport;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCounters;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code PathTracer.stats()} on fake time through the whole tracer: every probe sent ends once
 * (answered, timed out, abandoned), every answer the transport delivered is counted once (matched,
 * late, unmatched), and the counters agree with what the results report.
 */
class TracerStatsTest {

    private static List<ProbeResult> probes(TraceResult r) {
        return r.hops().stream().flatMap(h -> h.probes().stream()).toList();
    }

    private static long count(TraceResult r, ProbeStatus... statuses) {
        Set<ProbeStatus> s = Set.of(statuses);
        return probes(r).stream().filter(p -> s.contains(p.status())).count();
    }

    private static void assertAddsUp(TracerStats s) {
        assertThat(s.probesSent()).isEqualTo(s.answersMatched() + s.timeouts() + s.abandoned() + s.pending());
    }

    @Test
    void aHealthyTraceCountsItsAnswersBeyondTheDestinationApartFromLateOnes() {
        // probes go to TTL 30 at once; the destination at TTL 5 answers those beyond it too, after the
        // trace abandoned them: normal, so not late (issue 23: the late counter grew on every trace)
        try (FakeTracer ft = new FakeTracer(Scenario.named("healthy", 5))) {
            TraceRequest request = TraceRequest.builder("192.0.2.1").build();
            TraceResult t = ft.run(request);
            assertThat(t.destinationReached()).isTrue();
            assertThat(t.request()).as("the result carries its request (issue 23)").isSameAs(request);
            ft.clock.advance(Duration.ofSeconds(2)); // let every answer arrive
            TracerStats s = ft.tracer.stats();
            assertThat(s.answersBeyondPath()).as("answers beyond the destination").isPositive();
            assertThat(s.lateAnswers()).isZero();
            assertThat(s.answersDelivered()).isEqualTo(ft.transport.delivered());
            assertThat(s.toString()).contains(s.answersBeyondPath() + " beyond the path");
        }
    }

    @Test
    void aTraceAndAPingAddUpAndEqualTheirResults() {
        // destination at TTL 6, TTL 3 silent: no probe goes beyond the path (maxHops = 6)
        Scenario net = Scenario.named("stats", 6).silent(3).lose(64, 2, 5);
        try (FakeTracer ft = new FakeTracer(net)) {
            assertThat(ft.tracer.stats()).isEqualTo(statsOfNothing(ft.tracer.stats()));
            TraceResult t = ft.run(TraceRequest.builder("192.0.2.1").maxTtl(6).probesPerTtl(3)
                    .probeTimeout(Duration.ofMillis(200)).build());
            TracerStats afterTrace = ft.tracer.stats();
            assertAddsUp(afterTrace);
            assertThat(afterTrace.pending()).isZero();
            assertThat(afterTrace.probesSent()).isEqualTo(probes(t).size()).isEqualTo(18);
            assertThat(afterTrace.answersMatched()).isEqualTo(count(t, ProbeStatus.REPLY, ProbeStatus.UNREACHABLE))
                    .isEqualTo(15);
            // the silent hop's give-ups: its rounds went on, so the router's silence, not loss (issue 47)
            assertThat(afterTrace.timeouts()).isEqualTo(count(t, ProbeStatus.TIMEOUT, ProbeStatus.RATE_LIMITED)).isEqualTo(3);
            assertThat(afterTrace.abandoned()).isZero();
            assertThat(afterTrace.unmatchedAnswers()).isEqualTo(t.unmatchedReplies()).isZero();
            assertThat(afterTrace.active(io.pathprobe.MeasurementType.TRACE)).isZero();

            PingRequest pingRequest = PingRequest.builder("192.0.2.1").count(8)
                    .interval(Duration.ofMillis(10)).probeTimeout(Duration.ofMillis(100)).build();
            PingResult p = ft.runPing(pingRequest, Duration.ofSeconds(5));
            assertThat(p.request()).as("the result carries its request (issue 23)").isSameAs(pingRequest);
            PingStatistics ps = p.first().statistics();
            TracerStats s = ft.tracer.stats();
            assertAddsUp(s);
            assertThat(s.pending()).isZero();
            assertThat(s.probesSent() - afterTrace.probesSent()).isEqualTo(ps.sent()).isEqualTo(8);
            assertThat(s.answersMatched() - afterTrace.answersMatched()).isEqualTo(ps.received()).isEqualTo(6);
            assertThat(s.timeouts() - afterTrace.timeouts()).isEqualTo(ps.lost()).isEqualTo(2);
            // every answer the transport delivered was counted exactly once
            assertThat(s.answersDelivered()).isEqualTo(ft.transport.delivered());
            assertThat(s.transports()).containsKey(ft.transport.name());
        }
    }

    private static TracerStats statsOfNothing(TracerStats now) {
        // a fresh tracer: all zero, its transport's counters present (nothing read yet)
        assertThat(now.probesSent()).isZero();
        assertThat(now.answersDelivered()).isZero();
        assertThat(now.activeMeasurements()).isZero();
        assertThat(now.rateLimitWait()).isEqualTo(Duration.ZERO);
        return now;
    }

    @Test
    void probesBeyondThePathAreAbandonedAndTheirAnswersLateDuplicatesUnmatched() {
        // all 30 TTLs at once toward a destination at TTL 4: the probes beyond it are abandoned when
        // the destination's first answer comes; duplicates at TTL 2
        Scenario net = Scenario.named("beyond", 4).duplicate(2).noise(1, 1);
        try (FakeTracer ft = new FakeTracer(net)) {
            TraceResult t = ft.run(TraceRequest.builder("192.0.2.1").probeTimeout(Duration.ofMillis(200)).build());
            TracerStats s = ft.tracer.stats();
            assertAddsUp(s);
            assertThat(s.pending()).isZero();
            assertThat(s.probesSent()).isEqualTo(ft.transport.sends.size());
            assertThat(s.abandoned()).isPositive();
            assertThat(s.answersMatched() + s.abandoned() + s.timeouts()).isEqualTo(s.probesSent());
            // the duplicates at TTL 2 are what the trace calls unmatched
            assertThat(s.unmatchedAnswers()).isEqualTo(t.unmatchedReplies()).isEqualTo(3);
            assertThat(s.answersDelivered()).isEqualTo(ft.transport.delivered());
            // the noise the transport read and dropped (one stray and one malformed packet per send)
            assertThat(s.dropped(DropReason.UNRELATED)).isEqualTo(s.probesSent());
            assertThat(s.dropped(DropReason.MALFORMED)).isEqualTo(s.probesSent());
            TransportCounters c = s.transports().get(ft.transport.name());
            assertThat(c.droppedTotal()).isEqualTo(s.droppedTotal());
            assertThat(c.delivered()).isEqualTo(s.answersDelivered());
        }
    }

    @Test
    void aForgedAnswerCountsAsUnmatchedInTheStatsAndTheResult() {
        FakeScheduler clock = new FakeScheduler();
        ScenarioTransport inner = new ScenarioTransport(Scenario.named("forged", 3), clock, clock);
        Forging forging = new Forging(inner, clock);
        DefaultPathTracer tracer = FakeTracer.tracer(forging, clock, 0, 128, HostResolver.SYSTEM, Runnable::run);
        try {
            TraceHandle h = (TraceHandle) tracer.start(TraceRequest.builder("192.0.2.1").maxTtl(3)
                    .probesPerTtl(1).probeTimeout(Duration.ofMillis(200)).build());
            assertThat(clock.advanceUntil(h::ended, Duration.ofSeconds(5))).isTrue();
            TraceResult t = h.snapshot();
            TracerStats s = tracer.stats();
            assertThat(forging.forged.get()).isEqualTo(3); // one per probe sent
            assertThat(t.unmatchedReplies()).isEqualTo(3);
            assertThat(s.unmatchedAnswers()).isEqualTo(3);
            assertThat(s.answersMatched()).isEqualTo(3);
            assertThat(s.probesSent()).isEqualTo(3);
            assertAddsUp(s);

            PingHandle p = (PingHandle) tracer.start(PingRequest.builder().target("192.0.2.1").count(2)
                    .interval(Duration.ofMillis(10)).probeTimeout(Duration.ofMillis(100)).build());
            assertThat(clock.advanceUntil(p::ended, Duration.ofSeconds(5))).isTrue();
            TracerStats after = tracer.stats();
            assertThat(p.snapshot().first().statistics().received()).isEqualTo(2);
            assertThat(after.unmatchedAnswers() - s.unmatchedAnswers()).isEqualTo(2);
            assertThat(after.answersMatched() - s.answersMatched()).isEqualTo(2);
            assertAddsUp(after);
        } finally {
            tracer.close();
        }
    }

    @Test
    void aMultipathDiscoveryAddsUpAndEqualsItsProbeCount() {
        Scenario net = Scenario.named("multipath", 5).silent(3).duplicate(2).noise(1, 0);
        try (FakeTracer ft = new FakeTracer(net)) {
            MultipathHandle h = (MultipathHandle) ft.tracer.start(MultipathRequest.builder("192.0.2.1")
                    .pathProbes(3).build());
            assertThat(ft.clock.advanceUntil(h::ended, Duration.ofSeconds(60))).isTrue();
            MultipathResult r = h.snapshot();
            assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
            TracerStats s = ft.tracer.stats();
            assertAddsUp(s);
            assertThat(s.pending()).isZero();
            assertThat(s.probesSent()).isEqualTo(r.probes()).isEqualTo(ft.transport.sends.size());
            assertThat(s.timeouts()).isPositive(); // TTL 3 is silent
            assertThat(s.unmatchedAnswers()).isPositive(); // the duplicates at TTL 2: unmatched, as in a trace (the one ProbeLedger)
            assertThat(s.answersDelivered()).isEqualTo(ft.transport.delivered());
            assertThat(s.dropped(DropReason.UNRELATED)).isEqualTo(s.probesSent());
            assertThat(s.active(io.pathprobe.MeasurementType.MULTIPATH)).isZero();
        }
    }

    /**
     * Seeded random traces (loss, silence, duplicates, late and read-late answers, unreachables, path
     * changes, send failures, tiny sequence ranges, noise, a rate budget, deadlines): whatever happens,
     * every probe sent ends once and every answer delivered is counted once.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTracesAlwaysAddUp(long seed) {
        Random rnd = new Random(seed);
        Scenario s = Scenario.random("random " + seed, rnd, false);
        TraceRequest request = TraceRequest.builder(s.destination())
                .protocol(io.pathprobe.probe.ProbeProtocol.values()[rnd.nextInt(3)])
                .maxTtl(1 + rnd.nextInt(30)).probesPerTtl(1 + rnd.nextInt(4))
                .maxInFlight(1 + rnd.nextInt(64)).sequential(rnd.nextInt(5) == 0)
                .probeTimeout(Duration.ofMillis(5 + rnd.nextInt(1000)))
                .deadline(Duration.ofMillis(50 + rnd.nextInt(5000))).build();
        try (FakeTracer ft = new FakeTracer(s, new FakeScheduler(), rnd.nextInt(3) == 0 ? 500 : 0,
                1 + rnd.nextInt(64))) {
            TraceResult r = ft.run(request);
            TracerStats atEnd = ft.tracer.stats();
            assertAddsUp(atEnd);
            assertThat(atEnd.pending()).isZero();
            assertThat(atEnd.activeMeasurements()).isZero();
            assertThat(atEnd.probesSent()).isEqualTo(ft.transport.sends.size());
            assertThat(atEnd.unmatchedAnswers()).isEqualTo(r.unmatchedReplies());
            ft.clock.advance(Duration.ofSeconds(10)); // answers still on their way arrive, or are dropped
            TracerStats later = ft.tracer.stats();
            assertThat(later.answersDelivered()).isEqualTo(ft.transport.delivered());
            assertThat(later.probesSent()).isEqualTo(atEnd.probesSent());
            assertThat(later.unmatchedAnswers()).isEqualTo(atEnd.unmatchedAnswers());
            assertThat(later.answersMatched()).isEqualTo(atEnd.answersMatched());
        }
    }

    static LongStream seeds() {
        return LongStream.range(1, 201);
    }

    @Test
    void rateBudgetWaitsAreCountedAndTimed() {
        // 100 probes a second, a burst of 2: a trace of 6 probes waits for the budget
        FakeScheduler clock = new FakeScheduler();
        try (FakeTracer ft = new FakeTracer(Scenario.named("rate", 3), clock, 100, 2)) {
            ft.run(TraceRequest.builder("192.0.2.1").maxTtl(3).probesPerTtl(2)
                    .probeTimeout(Duration.ofMillis(200)).build());
            TracerStats s = ft.tracer.stats();
            assertThat(s.probesSent()).isEqualTo(6);
            assertThat(s.rateLimitWaits()).isPositive();
            // 4 probes beyond the burst at 10 ms each: 40 ms of fake time held back
            assertThat(s.rateLimitWait()).isBetween(Duration.ofMillis(39), Duration.ofMillis(41));
        }
    }

    @Test
    void sendFailuresAreNotSent() {
        try (FakeTracer ft = new FakeTracer(Scenario.named("fail", 3).sendFails(2, false))) {
            TraceResult t = ft.run(TraceRequest.builder("192.0.2.1").maxTtl(3).probesPerTtl(1)
                    .probeTimeout(Duration.ofMillis(200)).build());
            TracerStats s = ft.tracer.stats();
            assertThat(s.sendFailures()).isEqualTo(count(t, ProbeStatus.SEND_FAILED)).isEqualTo(1);
            assertThat(s.probesSent()).isEqualTo(2);
            assertAddsUp(s);
        }
    }

    /** Delivers, after each real send, a forged echo reply for a sequence number never handed out. */
    private static final class Forging extends NamedTransport {
        final ProbeTransport inner;
        final FakeScheduler clock;
        final AtomicInteger forged = new AtomicInteger();

        Forging(ProbeTransport inner, FakeScheduler clock) {
            super("forging", inner.capabilities());
            this.inner = inner;
            this.clock = clock;
        }

        @Override
        public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
            return new ForwardingSession(inner.openSession(spec, listener)) {
                @Override
                public long send(ProbeSpec probe) throws SendFailedException {
                    long at = super.send(probe);
                    forged.incrementAndGet();
                    listener.onResponse(new ProbeResponse(40_000 + probe.sequence(), ResponseKind.ECHO_REPLY, 0, 0,
                            spec.destination(), clock.read()));
                    return at;
                }
            };
        }

        @Override
        public Optional<TransportCounters> counters() {
            return inner.counters();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
