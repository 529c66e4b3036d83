package io.pathprobe.core.internal.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Enrichment wired into traces, on fake time with fake lookups: when lookups start, that they never
 * run on the engine thread, AWAIT / BACKGROUND / OFF, listener order, slow and failed lookups,
 * closing.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TraceEnrichmentTest {
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    private final FakeScheduler clock = new FakeScheduler();
    private final ArrayDeque<Runnable> enrichQueue = new ArrayDeque<>();
    private final Executor enrichExecutor = enrichQueue::add;
    private final FakeLookups lookups = new FakeLookups(clock::inLoop, LOOKUP_TIMEOUT);
    private final Scenario scenario = Scenario.named("five hops", 5).silent(3);
    private final List<String> events = new ArrayList<>();

    private FakeTracer tracer() {
        for (int ttl = 1; ttl < 5; ttl++) {
            InetAddress r = scenario.router(ttl);
            lookups.names.put(r, "r" + ttl + ".lab.example");
            lookups.asns.put(r, AsnInfo.of(64500));
        }
        lookups.names.put(scenario.destination(), "dest.lab.example");
        lookups.asns.put(scenario.destination(), AsnInfo.of(64510));
        return new FakeTracer(scenario, clock, lookups, enrichExecutor, Runnable::run);
    }

    private final TraceListener recorder = new TraceListener() {
        @Override
        public void hopCompleted(Hop hop) {
            events.add("hop " + hop.ttl() + " " + (hop.silent() ? "silent" : hop.responders().get(0).hostname().status()));
        }

        @Override
        public void hopEnriched(Hop hop) {
            events.add("enriched " + hop.ttl() + " " + hop.hostname().value().orElse("?"));
        }

        @Override
        public void contextEnriched(PathContext context) {
            events.add("context " + context.destinationAsn().status());
        }

        @Override
        public void completed(TraceResult result) {
            events.add("completed");
        }
    };

    /** Runs the enrichment side (not the loop) until nothing is left. */
    private void drainEnrichment() {
        while (!enrichQueue.isEmpty()) {
            assertThat(clock.inLoop()).isFalse();
            enrichQueue.poll().run();
        }
    }

    private void answerEverything() {
        for (int i = 0; i < 10; i++) {
            drainEnrichment();
            lookups.answerAll();
            drainEnrichment();
            clock.runUntilIdle();
        }
    }

    /** Runs the trace's probing to its end on fake time, the enrichment queue drained (lookups asked, not answered). */
    /** Probes the scenario with {@code mode}, events to the recorder: the trace has ended then; its result. */
    private TraceResult endedAtOnce(FakeTracer fake, EnrichMode mode) {
        TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).listener(recorder).enrich(mode).build());
        assertThat(h.ended()).isTrue();
        return h.snapshot();
    }

    private TraceHandle probe(FakeTracer fake, TraceRequest request) {
        TraceHandle h = fake.start(request);
        clock.advanceUntil(() -> {
            drainEnrichment();
            return h.strategy() != null && h.strategy().done();
        }, Duration.ofSeconds(30));
        drainEnrichment();
        clock.runUntilIdle();
        return h;
    }

    @Test
    void awaitWaitsForTheLookupsThenHasNamesAsnsAndSegments() {
        try (FakeTracer fake = tracer()) {
            TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).listener(recorder).build());
            assertThat(h.ended()).as("AWAIT: the result waits for the lookups").isFalse();
            assertThat(lookups.calls).contains("stun", "asn 192.0.2.1", "ptr 10.0.1.1", "asn 10.0.1.1",
                    "ptr 10.0.4.1", "ptr 192.0.2.1");
            assertThat(lookups.calledOnEngine).as("no lookup is started on the engine thread").isFalse();
            TraceResult running = fake.snapshot(h);
            assertThat(running.hops().get(0).responders().get(0).hostname().status()).isEqualTo(LookupStatus.PENDING);

            answerEverything();
            assertThat(h.ended()).isTrue();
            TraceResult r = h.snapshot();
            assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
            assertThat(r.hops()).extracting(x -> x.hostname().value().orElse("*")).containsExactly(
                    "r1.lab.example", "r2.lab.example", "*", "r4.lab.example", "dest.lab.example");
            assertThat(r.hops().get(0).asn().value()).contains(AsnInfo.of(64500));
            assertThat(r.hops()).extracting(Hop::segment).containsExactly(
                    Segment.LAN, Segment.LAN, Segment.LAN, Segment.LAN, Segment.DESTINATION);
            assertThat(r.context().destinationAsn().value()).contains(AsnInfo.of(64510));
            assertThat(r.context().publicAddress().status()).isEqualTo(LookupStatus.OFF);
            assertThat(r.toString()).contains("r1.lab.example (10.0.1.1)");
            // each hop first as it completed (lookups PENDING), then enriched, before the result
            for (int ttl : new int[] {1, 2, 4, 5}) {
                assertThat(events.indexOf("hop " + ttl + " PENDING")).isGreaterThanOrEqualTo(0)
                        .isLessThan(events.indexOf("enriched " + ttl + " " + (ttl == 5 ? "dest" : "r" + ttl)
                                + ".lab.example"));
            }
            assertThat(events).contains("hop 3 silent", "context FOUND");
            assertThat(events.get(events.size() - 1)).isEqualTo("completed");
        }
    }

    @Test
    void backgroundMakesTheResultAtOnceAndEnrichesLater() {
        try (FakeTracer fake = tracer()) {
            TraceResult r = endedAtOnce(fake, EnrichMode.BACKGROUND);
            assertThat(r.hops().get(0).responders().get(0).hostname().status()).isEqualTo(LookupStatus.PENDING);
            assertThat(r.context().destinationAsn().status()).isEqualTo(LookupStatus.PENDING);
            assertThat(events).contains("completed").noneMatch(e -> e.startsWith("enriched"));
            answerEverything();
            assertThat(events.indexOf("completed")).isLessThan(events.indexOf("enriched 1 r1.lab.example"));
            assertThat(events).contains("enriched 5 dest.lab.example", "context FOUND");
        }
    }

    @Test
    void offAsksNothing() {
        try (FakeTracer fake = tracer()) {
            TraceResult r = endedAtOnce(fake, EnrichMode.OFF);
            assertThat(lookups.calls).isEmpty();
            assertThat(r.context()).isEqualTo(PathContext.OFF);
            assertThat(r.hops()).allMatch(x -> x.segment() == Segment.UNKNOWN)
                    .flatMap(Hop::responders).allMatch(x -> x.hostname().status() == LookupStatus.OFF);
            assertThat(events).noneMatch(e -> e.startsWith("enriched") || e.startsWith("context"));
        }
    }

    @Test
    void lookupsThatNeverAnswerDoNotDelayProbingAndEndPendingAfterTheLookupTimeout() {
        long plain;
        try (FakeTracer fake = new FakeTracer(scenario)) {
            plain = fake.run(TraceRequest.builder(scenario.destination()).build()).duration().toNanos();
        }
        FakeScheduler c2 = clock;
        try (FakeTracer fake = tracer()) {
            long t0 = c2.elapsed();
            TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).listener(recorder).build());
            long probed = c2.elapsed() - t0;
            assertThat(h.ended()).isFalse();
            c2.advance(LOOKUP_TIMEOUT);
            // a lookup's own timeout fires about now: the wait gives it a little more to be reported
            assertThat(h.ended()).isFalse();
            c2.advance(HostLookups.AWAIT_GRACE);
            assertThat(h.ended()).isTrue();
            TraceResult r = h.snapshot();
            assertThat(r.duration().toNanos()).as("probing took as long as without lookups").isEqualTo(plain);
            assertThat(probed).isLessThan(LOOKUP_TIMEOUT.toNanos());
            assertThat(r.hops().get(0).responders().get(0).hostname().status()).isEqualTo(LookupStatus.PENDING);
            // answers after the result still reach the listener
            answerEverything();
            assertThat(events).contains("enriched 1 r1.lab.example");
        }
    }

    @Test
    void failedLookupsAreDataAndEndTheWait() {
        lookups.failing = true;
        lookups.immediate = true;
        try (FakeTracer fake = tracer()) {
            TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).listener(recorder).build());
            answerEverything();
            assertThat(h.ended()).isTrue();
            TraceResult r = h.snapshot();
            Responder first = r.hops().get(0).responders().get(0);
            assertThat(first.hostname().status()).isEqualTo(LookupStatus.FAILED);
            assertThat(first.hostname().failure()).contains("fake failure");
            assertThat(r.context().destinationAsn().status()).isEqualTo(LookupStatus.FAILED);
        }
    }

    @Test
    void cancellingWhileWaitingForLookupsEndsAtOnceWithWhatIsKnown() {
        try (FakeTracer fake = tracer()) {
            TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).build());
            assertThat(h.ended()).isFalse();
            h.cancel();
            clock.runUntilIdle();
            assertThat(h.ended()).isTrue();
            assertThat(h.snapshot().status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        }
    }

    @Test
    void closingTheTracerClosesTheLookupsAndEndsAWaitingTrace() {
        FakeTracer fake = tracer();
        TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).build());
        fake.close();
        assertThat(lookups.closed).isTrue();
        assertThat(h.ended()).isTrue();
        assertThat(h.snapshot().hops()).hasSize(5);
    }

    @Test
    void answersAlreadyKnownWhenTheHopCompletesNeedNoHopEnriched() {
        lookups.immediate = true;
        try (FakeTracer fake = tracer()) {
            TraceHandle h = fake.start(TraceRequest.builder(scenario.destination()).listener(recorder).build());
            // the enrichment side runs as soon as it is handed work: before the hops complete
            clock.advanceUntil(() -> {
                drainEnrichment();
                clock.runUntilIdle();
                drainEnrichment();
                return h.ended();
            }, Duration.ofSeconds(30));
            assertThat(h.ended()).isTrue();
            assertThat(events).contains("hop 5 FOUND");
        }
    }

    @Test
    void everyEventOfAHopIsToldFromTheLoopOnceInOrder() {
        // the callbacks run where they are queued (Runnable::run): each event shows where it was queued from
        List<String> offLoop = new ArrayList<>();
        TraceListener onLoop = new TraceListener() {
            @Override
            public void hopCompleted(Hop hop) {
                check("hop " + hop.ttl());
                recorder.hopCompleted(hop);
            }

            @Override
            public void hopEnriched(Hop hop) {
                check("enriched " + hop.ttl());
                recorder.hopEnriched(hop);
            }

            @Override
            public void contextEnriched(PathContext context) {
                check("context");
                recorder.contextEnriched(context);
            }

            @Override
            public void completed(TraceResult result) {
                check("completed");
                recorder.completed(result);
            }

            private void check(String what) {
                if (!clock.inLoop()) {
                    offLoop.add(what);
                }
            }
        };
        try (FakeTracer fake = tracer()) {
            TraceHandle h = probe(fake, TraceRequest.builder(scenario.destination()).listener(onLoop).build());
            answerEverything();
            assertThat(h.ended()).isTrue();
        }
        assertThat(offLoop).as("events queued off the engine loop").isEmpty();
        for (int ttl : new int[] {1, 2, 4, 5}) {
            String enriched = "enriched " + ttl + " " + (ttl == 5 ? "dest" : "r" + ttl) + ".lab.example";
            assertThat(events).containsOnlyOnce("hop " + ttl + " PENDING", enriched);
            assertThat(events.indexOf("hop " + ttl + " PENDING")).isLessThan(events.indexOf(enriched));
        }
        assertThat(events).containsOnlyOnce("context FOUND");
        assertThat(events.get(events.size() - 1)).as("AWAIT: enrichment before the result").isEqualTo("completed");
    }
}
