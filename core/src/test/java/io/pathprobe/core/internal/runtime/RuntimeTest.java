package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Measurement;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
/** The shared runtime (loop, timers, send scheduler, rate budget, run glue) on fake time, no threads. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RuntimeTest {

    @Test
    void answersReceivedButNotYetReadAreTakenBeforeAnythingIsGivenUp() {
        Scenario s = Scenario.named("read late", 5).readLate(3, Duration.ofMillis(50));
        try (FakeTracer fake = new FakeTracer(s)) {
            TraceResult r = fake.run(TraceRequest.builder(s.destination()).adaptiveWait(false)
                    .probeTimeout(Duration.ofMillis(10)).build());
            assertThat(r.hop(3).orElseThrow().probes()).allSatisfy(p -> {
                assertThat(p.status()).isEqualTo(ProbeStatus.REPLY);
                assertThat(p.rtt()).contains(Duration.ofNanos(300_000));
            });
            assertThat(fake.clock.elapsed()).as("ended at the first wait, not the late read")
                    .isLessThan(Duration.ofMillis(50).toNanos());
        }
    }

    @Test
    void tracesShareTheRateBudgetRoundRobin() {
        Scenario s = Scenario.named("shared budget", 3);
        FakeScheduler clock = new FakeScheduler();
        try (FakeTracer fake = new FakeTracer(s, clock, 100, 1)) {
            TraceHandle a = fake.start(TraceRequest.builder(s.destination()).maxTtl(3).probesPerTtl(1).build());
            TraceHandle b = fake.start(TraceRequest.builder(s.destination()).maxTtl(3).probesPerTtl(1).build());
            clock.advanceUntil(() -> a.ended() && b.ended(), Duration.ofSeconds(5));
            List<ScenarioTransport.Sent> sends = fake.transport.sends;
            assertThat(sends).hasSize(6);
            for (int i = 1; i < sends.size(); i++) {
                assertThat(sends.get(i).at() - sends.get(i - 1).at()).isGreaterThanOrEqualTo(9_900_000L);
            }
            // a took the burst token before b began; from then on the two alternate
            assertThat(sends).extracting(ScenarioTransport.Sent::ttl).containsExactly(1, 2, 1, 3, 2, 3);
            assertThat(a.snapshot().destinationReached()).isTrue();
            assertThat(b.snapshot().destinationReached()).isTrue();
        }
    }

    @Test
    void deadlineCancelSnapshotAndCloseOnFakeTime() {
        Scenario s = Scenario.named("lifecycle", 100).silent(4);
        FakeTracer fake = new FakeTracer(s);
        TraceRequest endless = TraceRequest.builder(s.destination()).maxTtl(10).adaptiveWait(false)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofSeconds(2)).build();
        TraceHandle deadline = fake.start(endless);
        TraceHandle cancelled = fake.start(endless);
        TraceHandle closed = fake.start(endless.toBuilder().deadline(Duration.ofMinutes(1)).build());
        CompletableFuture<TraceResult> f = cancelled.result();
        fake.clock.advance(Duration.ofMillis(10));
        TraceResult snap = fake.snapshot(cancelled);
        assertThat(snap.status()).isEqualTo(TraceStatus.RUNNING);
        assertThat(snap.hop(4).orElseThrow().probes()).extracting(ProbeResult::status).contains(ProbeStatus.PENDING);
        cancelled.cancel();
        fake.clock.runUntilIdle();
        assertThat(f).isCompletedWithValueMatching(r -> r.status() == TraceStatus.CANCELLED);
        fake.clock.advance(Duration.ofSeconds(2));
        assertThat(deadline.snapshot().status()).isEqualTo(TraceStatus.DEADLINE_EXCEEDED);
        assertThat(deadline.snapshot().duration()).isEqualTo(Duration.ofSeconds(2));
        fake.close();
        assertThat(closed.snapshot().status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(fake.transport.openSessions).isEmpty();
        assertThat(fake.tracer.running()).isZero();
    }

    @Test
    void anyCompletionOfTheFutureStopsTheTrace() {
        Scenario s = Scenario.named("future", 100).silent(4);
        try (FakeTracer fake = new FakeTracer(s)) {
            Measurement<TraceRequest, TraceResult> t = fake.start(TraceRequest.builder(s.destination()).maxTtl(10).adaptiveWait(false)
                    .probeTimeout(Duration.ofMinutes(1)).build());
            fake.clock.advance(Duration.ofMillis(5));
            t.result().completeExceptionally(new RuntimeException("caller gave up"));
            fake.clock.runUntilIdle();
            assertThat(t.snapshot().status()).isEqualTo(TraceStatus.CANCELLED);
            assertThat(fake.transport.openSessions).isEmpty();
            assertThat(fake.clock.pendingTimers()).as("no timer left behind").isZero();
        }
    }
}
