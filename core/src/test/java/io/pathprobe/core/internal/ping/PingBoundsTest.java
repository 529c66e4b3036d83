package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A ping's memory and in-flight probes are bounded. A ping that runs for a day stays bounded, on fake time through the whole tracer: 864,000 probes
 * (one every 100 ms for 24 h) to a destination that answers, with a listener that is stuck from its
 * first event on. The result keeps the {@link PingRequest#DEFAULT_RECENT_PROBES} most recent probes
 * and exact counters; the listener's queue holds at most {@link PingListener#MAX_QUEUED_EVENTS}
 * probe events (the rest are dropped) and still gets {@code completed}; and the heap in use after
 * GC at hour 24 is within 2 MiB of hour 6 (when 216,000 probes had gone and the listener queue was
 * already full): anything kept per probe, even 8 bytes, would be 5 MiB more.
 */
class PingBoundsTest {
    private static final long HEAP_TOLERANCE = 2L * 1024 * 1024;

    private static long heapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    @Test
    @Timeout(300)
    void aDayOfProbesWithAStuckListenerKeepsMemoryBounded() throws Exception {
        CountDownLatch unstick = new CountDownLatch(1);
        AtomicLong probeEvents = new AtomicLong();
        AtomicReference<PingResult> completed = new AtomicReference<>();
        CountDownLatch completedSeen = new CountDownLatch(1);
        PingListener stuck = new PingListener() {
            @Override
            public void probeCompleted(int index, String target, PingProbe probe) {
                probeEvents.incrementAndGet();
                try {
                    unstick.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void completed(PingResult result) {
                completed.set(result);
                completedSeen.countDown();
            }
        };
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        try (FakeTracer ft = new FakeTracer(Scenario.named("ping", 5), new FakeScheduler(), 0, 128,
                HostResolver.SYSTEM, Runnable::run, callbacks)) {
            PingHandle h = ft.start(PingRequest.builder().target("192.0.2.1").untilCancelled()
                    .interval(Duration.ofMillis(100)).probeTimeout(Duration.ofSeconds(1)).listener(stuck).build());
            long heapAt6 = 0;
            for (int hour = 1; hour <= 24; hour++) {
                ft.clock.advance(Duration.ofHours(1));
                ft.transport.sends.clear(); // the test transport's own record of every send
                if (hour == 6) {
                    heapAt6 = heapAfterGc();
                }
            }
            long heapAt24 = heapAfterGc();
            assertThat(h.ended()).isFalse();
            AtomicReference<PingResult> snap = new AtomicReference<>();
            ft.clock.execute(() -> snap.set(h.snapshot())); // on the (fake) engine loop, as a listener would
            ft.clock.runUntilIdle();
            PingResult mid = snap.get();
            PingStatistics s = mid.first().statistics();
            System.out.printf("day-long ping: %d sent, %d received, heap after GC at 6 h %.2f MiB, at 24 h %.2f MiB%n",
                    s.sent(), s.received(), heapAt6 / 1048576.0, heapAt24 / 1048576.0);
            assertThat(s.sent()).as("%s", mid).isEqualTo(24 * 36_000 + 1); // one at t = 0, then every 100 ms
            assertThat(s.pending()).as("the probe sent at 24 h, answered 500 µs later").isEqualTo(1);
            assertThat(s.received()).isEqualTo(s.sent() - 1);
            assertThat(s.lost()).isZero();
            assertThat(mid.first().recent()).hasSize(PingRequest.DEFAULT_RECENT_PROBES);
            assertThat(mid.first().recent().get(PingRequest.DEFAULT_RECENT_PROBES - 1).sequence())
                    .as("the newest completed probe (the one after it is pending)").isEqualTo(s.sent() - 2);
            assertThat(s.rtt().orElseThrow().percentiles().orElseThrow().p50()).isEqualTo(Duration.ofNanos(500_000));
            assertThat(ft.clock.pendingTimers()).as("engine timers").isLessThanOrEqualTo(4);
            assertThat(heapAt24).as("heap after GC at 24 h vs 6 h").isLessThanOrEqualTo(heapAt6 + HEAP_TOLERANCE);

            h.cancel();
            ft.clock.runUntilIdle();
            unstick.countDown();
            assertThat(completedSeen.await(60, TimeUnit.SECONDS)).as("completed is never dropped").isTrue();
            assertThat(completed.get().status()).isEqualTo(PingStatus.CANCELLED);
            // the listener saw the event it was stuck in, the queue's worth, and nothing beyond
            assertThat(probeEvents.get()).isBetween((long) PingListener.MAX_QUEUED_EVENTS,
                    PingListener.MAX_QUEUED_EVENTS + 1L);
        } finally {
            callbacks.shutdownNow();
        }
    }

    /**
     * In-flight probes are bounded by the session ({@code ProbeSession.maxInFlight()}, e.g. one
     * kernel object per probe): a probe that would exceed it gives up the oldest pending one, which
     * ends lost (TIMEOUT) before its timeout. Here one probe every millisecond for 10 s with a 1 h
     * timeout toward a destination that answers only after 10 minutes, on a session that holds 16:
     * pending never above 16, the others lost.
     */
    @Test
    void pendingProbesNeverExceedTheSessionsInFlightBound() {
        try (FakeTracer ft = new FakeTracer(Scenario.named("ping", 5).rtt(5, Duration.ofMinutes(10)).maxInFlight(16))) {
            PingHandle h = ft.start(PingRequest.builder().target("192.0.2.1").untilCancelled()
                    .interval(Duration.ofMillis(1)).probeTimeout(Duration.ofHours(1)).build());
            long most = 0;
            for (int i = 0; i < 100; i++) {
                ft.clock.advance(Duration.ofMillis(100));
                AtomicReference<PingResult> snap = new AtomicReference<>();
                ft.clock.execute(() -> snap.set(h.snapshot()));
                ft.clock.runUntilIdle();
                most = Math.max(most, snap.get().first().statistics().pending());
            }
            h.cancel();
            ft.clock.runUntilIdle();
            PingStatistics s = h.snapshot().first().statistics();
            assertThat(most).as("%s", h.snapshot()).isEqualTo(16);
            assertThat(s.sent()).isBetween(10_000L, 10_001L);
            assertThat(s.received()).isZero();
            assertThat(s.lost() + s.pending()).isEqualTo(s.sent());
            assertThat(s.pending()).isLessThanOrEqualTo(16);
        }
    }
}
