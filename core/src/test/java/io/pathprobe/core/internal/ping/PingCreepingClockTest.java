package io.pathprobe.core.internal.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real time moves between two reads of the clock: here every read is 1 µs later than the one before
 * (on top of the fake scheduler's time). This once stalled a target for good: due between the send
 * scheduler's pass (not due yet: dropped from the queue) and its settle (due: no wake-up armed, as if
 * it were still queued).
 */
class PingCreepingClockTest {

    @Test
    void manyTargetsAllFinishWhenTheClockMovesBetweenReads() {
        FakeScheduler clock = new FakeScheduler();
        long[] creep = {0};
        Ticker ticker = () -> clock.read() + (creep[0] += 1_000);
        ScenarioTransport transport = new ScenarioTransport(Scenario.named("creep", 5), clock, ticker);
        TracerSettings settings = new TracerSettings(transport, null, 0, 128, HostResolver.SYSTEM, null);
        DefaultPathTracer tracer = DefaultPathTracer.create(settings, TransportRegistry.of(transport), clock, ticker,
                Runnable::run, Runnable::run, new DefaultPathTracer.Lifecycle() {
                    @Override
                    public void stopLoop() {
                        clock.stop();
                    }

                    @Override
                    public void stopThreads() {}
                });
        try (tracer) {
            PingRequest.Builder b = PingRequest.builder().count(10).interval(Duration.ofMillis(100))
                    .probeTimeout(Duration.ofMillis(500));
            for (int i = 1; i <= 254; i++) {
                b.target("198.19.1." + i);
            }
            PingHandle h = (PingHandle) tracer.start(b.build());
            assertTrue(clock.advanceUntil(h::ended, Duration.ofSeconds(30)), "the ping ended");
            PingResult r = h.snapshot();
            assertEquals(PingStatus.COMPLETED, r.status());
            for (PingTargetResult t : r.targets()) {
                assertEquals(10, t.statistics().sent(), t.target());
            }
        }
    }
}
