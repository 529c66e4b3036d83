package io.pathprobe.core.internal.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One target's schedule across a stalled engine: probe {@code k} keeps its slot {@code k × interval}. A probe a whole
 * interval late or more does not move the later slots (a skipped slot would leave every later probe an interval
 * behind its number); the probes after it catch up half an interval apart, and only a stall of more than
 * {@link PingStrategy#MAX_CATCH_UP_SLOTS} intervals skips what it missed.
 */
class PingCatchUpTest {
    private static final long MS = 1_000_000;
    private static final int COUNT = 40;

    /** A ping of {@value #COUNT} at 10 ms whose engine stalls from 100 ms to {@code stallEnd}: its probes. */
    private static List<PingProbe> pingThroughAStall(long stallEnd, List<Long> sendTimes) {
        FakeScheduler clock = new FakeScheduler();
        clock.lateTimers(due -> due >= 100 * MS && due < stallEnd ? stallEnd - due : 0);
        try (FakeTracer ft = new FakeTracer(Scenario.named("ping", 5), clock, 0, 128)) {
            PingResult r = ft.runPing(PingRequest.builder().target("192.0.2.1").count(COUNT)
                    .interval(Duration.ofMillis(10)).recentProbes(COUNT).build(), Duration.ofSeconds(10));
            long origin = clock.read() - clock.elapsed();
            ft.transport.sends.forEach(s -> sendTimes.add(s.at() - origin));
            assertEquals(COUNT, r.first().statistics().sent());
            assertEquals(COUNT, r.first().statistics().received());
            return r.first().recent();
        }
    }

    @Test
    void aStallOfThreeAndAHalfIntervalsIsCaughtUpAndNoSlotIsSkipped() {
        List<Long> at = new java.util.ArrayList<>();
        List<PingProbe> probes = pingThroughAStall(135 * MS, at);
        assertEquals(COUNT, at.size());
        for (int k = 0; k < COUNT; k++) {
            // before the stall on its slot; the probe due at 100 ms leaves at 135 ms, the next ones 5 ms apart
            // until one is back on its slot (160 ms is probe 16's slot, which it leaves 5 ms after probe 15)
            long expected = k < 10 ? k * 10 * MS : k <= 16 ? 135 * MS + (k - 10) * 5 * MS : k * 10 * MS;
            assertEquals(expected, at.get(k), "send " + k);
            assertTrue(at.get(k) >= k * 10 * MS, "send " + k + " not before its slot");
            if (k > 0) {
                assertTrue(at.get(k) - at.get(k - 1) >= 5 * MS, "send " + k + " half an interval after the one before");
            }
        }
        for (int k = 0; k < COUNT; k++) {
            PingProbe p = probes.get(k);
            assertEquals(k, p.sequence(), "probes in order, one per slot");
            assertEquals(at.get(k) - at.get(0), p.sentAt().minus(probes.get(0).sentAt()).toNanos(),
                    "probe " + k + "'s send time is its send");
        }
    }

    @Test
    void aStallOfMoreThanTheCatchUpBoundSkipsTheSlotsItMissed() {
        // stalled from 100 ms to 215 ms: 11.5 intervals, more than MAX_CATCH_UP_SLOTS: the probe due at
        // 100 ms leaves at 215 ms, the slots it missed are skipped and the next probe takes the first slot
        // after it (220 ms), the later ones one interval apart, not at twice the rate
        assertTrue(11 > PingStrategy.MAX_CATCH_UP_SLOTS);
        List<Long> at = new java.util.ArrayList<>();
        pingThroughAStall(215 * MS, at);
        for (int k = 0; k < COUNT; k++) {
            long expected = k < 10 ? k * 10 * MS : k == 10 ? 215 * MS : (k + 11) * 10 * MS;
            assertEquals(expected, at.get(k), "send " + k);
        }
    }
}
