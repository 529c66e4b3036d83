package io.pathprobe.core.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A monitor on fake time through simulated networks: rounds, events, late answers, cancel, bounds, bad input. */
@org.junit.jupiter.api.Timeout(120)
class MonitorTest {
    private static final InetAddress ALT = Scenario.address(10, 9, 3, 1);

    /** Records every listener call. */
    static final class Recorder implements MonitorListener {
        final List<MonitorRound> rounds = new CopyOnWriteArrayList<>();
        final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
        final List<MonitorResult> completed = new CopyOnWriteArrayList<>();

        @Override
        public void roundCompleted(MonitorRound round) {
            rounds.add(round);
        }

        @Override
        public void event(MonitorEvent event) {
            events.add(event);
        }

        @Override
        public void completed(MonitorResult result) {
            completed.add(result);
        }

        <T> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private static MonitorRequest.Builder request(Scenario s) {
        return MonitorRequest.builder(round(s).build());
    }

    private static MonitorRequest.Builder request(Scenario s, Duration probeTimeout) {
        return MonitorRequest.builder(round(s).probeTimeout(probeTimeout).build());
    }

    private static TraceRequest.Builder round(Scenario s) {
        return TraceRequest.builder(s.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP);
    }

    private static MonitorResult run(FakeTracer t, MonitorRequest r, boolean banded) {
        MonitorHandle h = (MonitorHandle) (banded ? t.tracer.start(r) : t.tracer.start(r, false));
        assertThat(t.clock.advanceUntil(h::ended, Duration.ofHours(2))).as("monitor ends").isTrue();
        return h.snapshot();
    }

    @Test
    void roundsLimitIntervalAndNoTtlBeyondTheDestination() {
        Scenario s = Scenario.named("5 hops", 5);
        try (FakeTracer t = new FakeTracer(s)) {
            Recorder rec = new Recorder();
            MonitorResult r = run(t, request(s).rounds(5).listener(rec).build(), true);
            assertThat(r.status()).isEqualTo(MonitorStatus.COMPLETED);
            assertThat(r.rounds()).isEqualTo(5);
            assertThat(r.hops()).extracting(MonitorHop::ttl).containsExactly(1, 2, 3, 4, 5);
            for (MonitorHop h : r.hops()) {
                assertThat(h.total().sent()).as("ttl %d", h.ttl()).isEqualTo(5);
                assertThat(h.total().received()).isEqualTo(5);
                assertThat(h.responders()).hasSize(1);
                assertThat(h.responders().get(0).share()).isEqualTo(1.0);
            }
            assertThat(r.hops().get(4).responders().get(0).address()).isEqualTo(s.destination());
            assertThat(r.endToEnd().received()).isEqualTo(5);
            assertThat(r.minHopCount()).isEqualTo(5);
            assertThat(r.maxHopCount()).isEqualTo(5);
            assertThat(r.avgHopCount()).isEqualTo(5.0);
            assertThat(r.pathChanges()).isZero();
            assertThat(r.path().destinationReached()).isTrue();
            assertThat(r.path().hops()).hasSize(5);
            // the first round probes 1..30; later rounds nothing beyond the destination
            long beyond = t.transport.sends.stream().filter(x -> x.ttl() > 5).count();
            assertThat(beyond).isEqualTo(25);
            // rounds start 1 s apart, start to start
            List<Long> starts = t.transport.sends.stream().filter(x -> x.ttl() == 1).map(x -> x.at()).toList();
            assertThat(starts).hasSize(5);
            for (int i = 1; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).isEqualTo(1_000_000_000L);
            }
            assertThat(rec.rounds).extracting(MonitorRound::number).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(rec.events).isEmpty();
            assertThat(rec.completed).hasSize(1);
            assertThat(r.toString()).contains("HOST:").contains(" 5.|-- 192.0.2.1").contains("0 path changes");
        }
    }

    /**
     * A lost probe's round waits its probe timeout (1 s) before it is folded in; the next rounds do not wait for it:
     * after the first round (which finds the destination), rounds start an interval apart, start to start, as mtr's
     * do, and are folded in the order they started. The destination loses a fifth of its echo requests (an ICMP
     * destination is never taken for a rate limiter: its echo replies are no ICMP errors). Before, every round that
     * lost its destination probe held the next one back for the probe timeout.
     */
    @Test
    void roundsKeepTheirIntervalThroughALossyDestinationAndFoldInOrder() {
        Scenario s = Scenario.named("a fifth lost at the destination", 10);
        java.util.Random random = new java.util.Random(7);
        int lost = 0;
        for (int arrival = 0; arrival < 50; arrival++) {
            if (random.nextDouble() < 0.2) {
                s.lose(10, arrival);
                lost++;
            }
        }
        try (FakeTracer t = new FakeTracer(s)) {
            Recorder rec = new Recorder();
            MonitorResult r = run(t, request(s).rounds(50).interval(Duration.ofMillis(100)).listener(rec).build(), true);
            assertThat(r.status()).isEqualTo(MonitorStatus.COMPLETED);
            assertThat(r.rounds()).isEqualTo(50);
            List<Long> starts = t.transport.sends.stream().filter(x -> x.ttl() == 1).map(x -> x.at()).toList();
            assertThat(starts).hasSize(50);
            for (int i = 2; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).as("round %d after round %d", i + 1, i)
                        .isEqualTo(100_000_000L);
            }
            assertThat(rec.rounds).extracting(MonitorRound::number)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
            assertThat(r.hops()).extracting(MonitorHop::ttl).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(r.hop(9).orElseThrow().total().received()).isEqualTo(50);
            assertThat(r.hop(10).orElseThrow().total().sent()).isEqualTo(50);
            assertThat(r.hop(10).orElseThrow().total().received()).as("answers at the destination").isEqualTo(50 - lost);
            assertThat(lost).isPositive();
            assertThat(r.pathChanges()).isZero();
        }
    }

    /**
     * A monitor at mtr's pace (1 s, one probe per hop) through a hop that loses a fifth of what it forwards (random,
     * no rate limit): every round starts a second after the last, every probe counts, and the loss at every TTL
     * beyond is exactly the probes lost. Before, after about 55 rounds the tracer took the hop for a rate limiter
     * (its model ran dry at one probe a second, and answers after losses read as a limiter's pace): rounds slowed to
     * 1.65 s and 3 of 100 probes at TTLs 4 and 5 were called rate-limited, not lost (on the lab: 100 rounds in 584 s,
     * mtr 105 s).
     */
    @Test
    void aHopLosingAFifthAtMtrsPaceKeepsThePaceAndCountsEveryLoss() {
        Scenario s = Scenario.named("a fifth lost beyond hop 3", 6);
        java.util.Random random = new java.util.Random(11);
        int lost = 0;
        for (int arrival = 0; arrival < 100; arrival++) {
            if (random.nextDouble() < 0.2) {
                s.loseOutbound(4, arrival);
                lost++;
            }
        }
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorResult r = run(t, request(s).rounds(100).build(), true);
            assertThat(r.rounds()).isEqualTo(100);
            List<Long> starts = t.transport.sends.stream().filter(x -> x.ttl() == 1).map(x -> x.at()).toList();
            assertThat(starts).hasSize(100);
            for (int i = 2; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).as("round %d after round %d", i + 1, i)
                        .isEqualTo(1_000_000_000L);
            }
            for (int ttl = 1; ttl <= 6; ttl++) {
                MonitorHop h = r.hop(ttl).orElseThrow();
                assertThat(h.total().sent()).as("ttl %d", ttl).isEqualTo(100);
                assertThat(h.total().received()).as("ttl %d", ttl).isEqualTo(ttl < 4 ? 100 : 100 - lost);
            }
            assertThat(lost).isPositive();
        }
    }

    @Test
    void aRerouteRaisesOnePathChangeWithTheOldAndNewPath() {
        Scenario s = Scenario.named("reroute at hop 3", 5)
                .routerAt(3, micros -> micros < 5_500_000 ? Scenario.address(10, 0, 3, 1) : ALT);
        try (FakeTracer t = new FakeTracer(s)) {
            Recorder rec = new Recorder();
            MonitorResult r = run(t, request(s).rounds(12).listener(rec).build(), true);
            List<MonitorEvent.PathChanged> changes = rec.of(MonitorEvent.PathChanged.class);
            assertThat(changes).hasSize(1);
            MonitorEvent.PathChanged c = changes.get(0);
            assertThat(c.round()).isEqualTo(7); // round 7 starts at 6 s
            assertThat(c.before().at(3)).containsExactly(s.router(3));
            assertThat(c.after().at(3)).containsExactly(ALT);
            assertThat(c.before().at(2)).isEqualTo(c.after().at(2));
            assertThat(c.after().at(5)).containsExactly(s.destination());
            assertThat(rec.of(MonitorEvent.HopChanged.class)).singleElement().satisfies(h -> {
                assertThat(h.ttl()).isEqualTo(3);
                assertThat(h.before()).isEqualTo(Set.of(s.router(3)));
                assertThat(h.after()).isEqualTo(Set.of(ALT));
            });
            assertThat(r.pathChanges()).isEqualTo(1);
            assertThat(r.path().at(3)).containsExactly(ALT);
            MonitorHop h3 = r.hop(3).orElseThrow();
            assertThat(h3.responders()).extracting(x -> x.address()).containsExactly(s.router(3), ALT);
            assertThat(h3.responders().get(0).share()).isEqualTo(0.5);
            assertThat(rec.of(MonitorEvent.DestinationLost.class)).isEmpty();
        }
    }

    @Test
    void aLongerAndAShorterPathEachRaiseOnePathChange() {
        for (int after : new int[] {7, 4}) {
            // from 3.5 s on the destination is at TTL `after` instead of 5
            Scenario s = Scenario.named("path now " + after + " hops", 5).pathChange(Duration.ofMillis(3_500), after, -1);
            try (FakeTracer t = new FakeTracer(s)) {
                Recorder rec = new Recorder();
                MonitorResult r = run(t, request(s).rounds(10).listener(rec).build(), true);
                List<MonitorEvent.PathChanged> changes = rec.of(MonitorEvent.PathChanged.class);
                assertThat(changes).as("%d hops: %s", after, rec.events).hasSize(1);
                assertThat(changes.get(0).round()).isEqualTo(5);
                assertThat(changes.get(0).before().lastTtl()).isEqualTo(5);
                assertThat(r.path().lastTtl()).isEqualTo(after);
                assertThat(r.path().destinationReached()).isTrue();
                assertThat(r.path().at(after)).containsExactly(s.destination());
                assertThat(r.minHopCount()).isEqualTo(Math.min(5, after));
                assertThat(r.maxHopCount()).isEqualTo(Math.max(5, after));
                assertThat(rec.of(MonitorEvent.DestinationLost.class)).isEmpty();
                assertThat(r.hops()).extracting(MonitorHop::ttl).hasSize(after);
            }
        }
    }

    @Test
    void aLostDestinationIsLossThereNotAPathChangeThenLostAndRegained() {
        // rounds start at 0, 1, 2 ... s: rounds 4..9 (3 s to 9 s) get no answer from the destination
        Scenario s = Scenario.named("destination down", 5)
                .destinationDown(Duration.ofMillis(2_500), Duration.ofMillis(8_500));
        try (FakeTracer t = new FakeTracer(s)) {
            Recorder rec = new Recorder();
            MonitorResult r = run(t, request(s).rounds(12).destinationLostAfter(3).listener(rec).build(), true);
            assertThat(rec.of(MonitorEvent.PathChanged.class)).isEmpty();
            assertThat(rec.of(MonitorEvent.HopChanged.class)).isEmpty();
            assertThat(rec.of(MonitorEvent.DestinationLost.class)).singleElement().satisfies(e -> {
                assertThat(e.round()).isEqualTo(6);
                assertThat(e.since()).isEqualTo(4);
            });
            assertThat(rec.of(MonitorEvent.DestinationRegained.class)).singleElement().satisfies(e -> {
                assertThat(e.round()).isEqualTo(10);
                assertThat(e.lostRounds()).isEqualTo(6);
            });
            MonitorHop dest = r.hop(5).orElseThrow();
            assertThat(dest.total().sent()).isEqualTo(12);
            assertThat(dest.total().lost()).isEqualTo(6);
            assertThat(r.endToEnd().sent()).isEqualTo(12);
            assertThat(r.endToEnd().lost()).isEqualTo(6);
            assertThat(r.hop(4).orElseThrow().total().lost()).isZero();
            assertThat(r.pathChanges()).isZero();
            assertThat(r.path().destinationReached()).isTrue();
            assertThat(r.minHopCount()).isEqualTo(5);
            assertThat(r.maxHopCount()).isEqualTo(5);
        }
    }

    @Test
    void lossAndLatencyThresholdsCrossUpAndDown() {
        // hop 2 loses its 3rd and 4th probes (rounds 3 and 4); hop 4's queue grows 1 ms per round
        Scenario s = Scenario.named("thresholds", 5).lose(2, 2, 3).growingQueue(4, Duration.ofMillis(1));
        try (FakeTracer t = new FakeTracer(s)) {
            Recorder rec = new Recorder();
            run(t, request(s).rounds(8).window(4).lossThreshold(0.3).latencyThreshold(Duration.ofMillis(3))
                    .listener(rec).build(), true);
            List<MonitorEvent.ThresholdCrossed> loss = rec.of(MonitorEvent.ThresholdCrossed.class).stream()
                    .filter(e -> e.kind() == MonitorEvent.ThresholdKind.LOSS).toList();
            // window of 4 at hop 2: r3 1/3, r4 2/4, r5 2/4, r6 2/4, r7 1/4 (25 % < 30 %)
            assertThat(loss).extracting(MonitorEvent.ThresholdCrossed::ttl).containsOnly(2);
            assertThat(loss).extracting(MonitorEvent.ThresholdCrossed::round).containsExactly(3L, 7L);
            assertThat(loss).extracting(MonitorEvent.ThresholdCrossed::up).containsExactly(true, false);
            List<MonitorEvent.ThresholdCrossed> latency = rec.of(MonitorEvent.ThresholdCrossed.class).stream()
                    .filter(e -> e.kind() == MonitorEvent.ThresholdKind.LATENCY).toList();
            // hop 4: RTT (n - 1) ms + 0.4 ms in round n; the window of 4 means 2.9 ms in round 5, 3.9 ms in round 6
            assertThat(latency).allMatch(MonitorEvent.ThresholdCrossed::up);
            assertThat(latency).filteredOn(e -> e.ttl() == 4).singleElement()
                    .satisfies(e -> assertThat(e.round()).isEqualTo(6));
        }
    }

    @Test
    void anAnswerLaterThanTheIntervalNeverMatchesTheNextRoundsProbe() {
        // hop 3's answers take 1.5 s: every one comes after its 1 s timeout, during the next round
        Scenario s = Scenario.named("late hop 3", 5).late(3, Duration.ofMillis(1_500));
        MonitorRequest req = request(s).rounds(6).build();
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorResult r = run(t, req, true);
            MonitorHop h3 = r.hop(3).orElseThrow();
            // every answer at hop 3 is late, none taken, while hops 4 and 5 answered every round: the router's
            // silence, counted neither as received nor as lost (issue 47)
            assertThat(h3.total().sent()).isEqualTo(6);
            assertThat(h3.total().rateLimited()).isEqualTo(6);
            assertThat(h3.total().received()).as("with bands: every answer at hop 3 is late, none taken").isZero();
            assertThat(r.pathChanges()).isZero();
        }
        // what the bands prevent: without them round k's late answer is taken by round k+1's probe
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorResult r = run(t, req, false);
            assertThat(r.hop(3).orElseThrow().total().received()).as("without bands").isPositive();
        }
    }

    @Test
    void cancelGivesThePartialResultAndTheDeadlineEndsIt() {
        Scenario s = Scenario.named("5 hops", 5);
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorHandle h = (MonitorHandle) t.tracer.start(request(s).build());
            t.clock.advance(Duration.ofMillis(3_500));
            assertThat(h.snapshot().status()).isEqualTo(MonitorStatus.RUNNING);
            h.cancel();
            t.clock.runUntilIdle();
            assertThat(h.ended()).isTrue();
            MonitorResult r = h.snapshot();
            assertThat(r.status()).isEqualTo(MonitorStatus.CANCELLED);
            assertThat(r.rounds()).isEqualTo(4);
            assertThat(r.hops()).allSatisfy(x -> assertThat(x.total().sent()).isEqualTo(4));
            assertThat(t.transport.openSessions).isEmpty();
        }
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorResult r = run(t, request(s).deadline(Duration.ofMillis(2_500)).build(), true);
            assertThat(r.status()).isEqualTo(MonitorStatus.DEADLINE_EXCEEDED);
            assertThat(r.rounds()).isEqualTo(3);
        }
    }

    @Test
    void memoryIsBoundedOverAFlappingRoute() {
        // hop 3 flips between two routers every round: a change every round, for 300 and for 3,000 rounds
        Scenario s = Scenario.named("flapping", 6)
                .routerAt(3, micros -> (micros / 100_000) % 2 == 0 ? Scenario.address(10, 0, 3, 1) : ALT);
        int[] entries = new int[2];
        long[] rounds = {300, 3_000};
        for (int i = 0; i < 2; i++) {
            try (FakeTracer t = new FakeTracer(s)) {
                MonitorHandle h = (MonitorHandle) t.tracer.start(request(s, Duration.ofMillis(50)).rounds(rounds[i])
                        .interval(Duration.ofMillis(100)).window(50).build());
                assertThat(t.clock.advanceUntil(h::ended, Duration.ofHours(1))).isTrue();
                MonitorResult r = h.snapshot();
                assertThat(r.rounds()).isEqualTo(rounds[i]);
                assertThat(r.pathChanges()).isEqualTo(rounds[i] - 1);
                assertThat(r.hop(3).orElseThrow().total().sent()).isEqualTo(rounds[i]);
                assertThat(r.hop(3).orElseThrow().window().sent()).isEqualTo(50);
                assertThat(r.hop(3).orElseThrow().responders()).hasSize(2);
                entries[i] = h.strategy().entries();
            }
        }
        assertThat(entries[1]).as("entries after 3,000 rounds vs 300").isEqualTo(entries[0]);
    }

    @Test
    void badInputIsATypedError() {
        assertThatThrownBy(() -> MonitorRequest.builder("192.0.2.1").interval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval must be positive");
        assertThatThrownBy(() -> MonitorRequest.builder("192.0.2.1").rounds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorRequest.builder("192.0.2.1").window(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorRequest.builder("192.0.2.1").lossThreshold(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorRequest.builder("192.0.2.1").lossThreshold(1.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorRequest.builder("192.0.2.1").destinationLostAfter(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitorRequest.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        Scenario s = Scenario.named("5 hops", 5);
        try (FakeTracer t = new FakeTracer(s)) {
            assertThatThrownBy(() -> t.tracer.measure(request(s).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
        }
    }

    @Test
    void rateLimitedRoutersAreNotAskedBeyondTheirBudget() {
        // every router: 6 back to back then one a second; the monitor asks every 200 ms
        Scenario s = Scenario.named("limited", 5).icmpLimit(6, Duration.ofSeconds(1));
        try (FakeTracer t = new FakeTracer(s, new FakeScheduler(), 0, 128)) {
            MonitorHandle h = (MonitorHandle) t.tracer.start(request(s, Duration.ofMillis(100)).interval(Duration.ofMillis(200))
                    .rounds(120).build());
            assertThat(t.clock.advanceUntil(h::ended, Duration.ofHours(1))).isTrue();
            long refusedEarly = t.transport.refused.get();
            assertThat(refusedEarly).as("the routers refused while the limits were learned").isPositive();
            assertThat(h.snapshot().hops()).allSatisfy(x -> assertThat(x.total().lost())
                    .as("TTL %d: what a learned limiter refused is not loss", x.ttl()).isZero());
            MonitorHandle h2 = (MonitorHandle) t.tracer.start(request(s, Duration.ofMillis(100)).interval(Duration.ofMillis(200))
                    .rounds(30).build());
            assertThat(t.clock.advanceUntil(h2::ended, Duration.ofHours(1))).isTrue();
            assertThat(t.transport.refused.get() - refusedEarly)
                    .as("refusals once the limiters are learned (%d while learning)", refusedEarly).isZero();
        }
    }

    /**
     * Issue 47: a monitor at ten rounds a second through a router that loses a fifth of its answers. A new
     * tracer counts each router's bucket empty when first met, so the first second's misses may be refusals;
     * but a router answering eight a second is no drained Linux limiter (one a second), and from then on its
     * misses are loss, as mtr reads them (before: 0 % at every router past the loss, all "rate-limited").
     */
    @Test
    void aFastMonitorCountsARoutersMissesOnceItAnsweredFasterThanAnyDrainedLimiter() {
        int[] lost = IntStream.range(0, 10).map(k -> 4 + 5 * k).toArray(); // arrivals 4, 9, ..., 49: a fifth
        Scenario s = Scenario.named("lossy router, fast rounds", 6).lose(4, lost);
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorResult r = run(t, request(s).rounds(50).interval(Duration.ofMillis(100)).build(), true);
            MonitorStatistics h4 = r.hop(4).orElseThrow().total();
            assertThat(h4.lost() + h4.rateLimited()).as("every miss accounted for").isEqualTo(10);
            assertThat(h4.lost()).as("the misses after the router proved it is no drained limiter (rounds 30 on: 4)")
                    .isGreaterThanOrEqualTo(4);
            assertThat(r.hop(3).orElseThrow().total().lost()).isZero();
        }
    }
}
