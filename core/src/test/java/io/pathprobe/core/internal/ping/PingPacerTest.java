package io.pathprobe.core.internal.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ping's gap schedule on its own: absolute slots, the gap/2 floor, re-anchoring, idle stretches. */
class PingPacerTest {
    private static final long G = 1_000_000; // 1 ms gap
    private static final long T0 = Long.MAX_VALUE - 50 * G; // the schedule wraps around

    /** Sends back to back: each one's slot is the previous slot plus the gap, however late it left. */
    @Test
    void lateSendsDoNotPushTheLaterSlots() {
        PingPacer p = new PingPacer(G);
        long[] late = {0, 300_000, 900_000, 100_000, 999_999, 0, 1_000_000};
        for (int k = 0; k < late.length; k++) {
            long due = p.claimStart(T0); // every target starts at once: claims t0 + k gap
            assertEquals(T0 + k * G, due, "claim " + k);
            long slot = T0 + k * G;
            long free = p.nextFree(due, slot);
            if (k > 0) {
                // the floor may hold the send beyond its slot when the previous one was late
                long floor = T0 + (k - 1) * G + late[k - 1] + G / 2;
                assertEquals(Math.max(slot, floor) - T0, free - T0, "free " + k);
            }
            long at = Math.max(slot + late[k], free);
            assertTrue(p.mayStart(due, at));
            p.sent(due, at);
        }
        // the last one left exactly one gap late (t0 + 7 gaps) and kept its slot: the next slot is
        // t0 + 7 gaps, held by the floor to t0 + 7.5 gaps; that send keeps the grid again
        long due = p.claimStart(T0);
        assertEquals(T0 + 7 * G + G / 2, p.nextFree(due, T0 + 7 * G));
        p.sent(due, T0 + 7 * G + G / 2);
        assertEquals(T0 + 8 * G, p.nextFree(p.claimStart(T0), T0 + 7 * G + G / 2));
    }

    @Test
    void neverCloserThanHalfAGapToThePreviousSend() {
        PingPacer p = new PingPacer(G);
        p.sent(T0, T0);
        p.sent(T0 + G, T0 + G + 900_000); // 0.9 gap late: the next slot t0 + 2 gaps is 0.1 gap away
        assertFalse(p.mayStart(T0 + 2 * G, T0 + 2 * G));
        assertEquals(T0 + G + 900_000 + G / 2, p.nextFree(T0 + 2 * G, T0 + 2 * G));
        p.sent(T0 + 2 * G, T0 + G + 1_400_000); // 0.4 gap late now: still the slot t0 + 2 gaps
        assertEquals(T0 + 3 * G, p.nextFree(T0 + 3 * G, T0 + 2 * G + G / 2)); // caught up
        // an odd gap: the floor is rounded up
        PingPacer odd = new PingPacer(3);
        odd.sent(0, 2); // 2 late, slot 0
        assertEquals(4, odd.nextFree(3, 3)); // not 3 (1 after the previous send) but 2 + ceil(3 / 2)
    }

    @Test
    void moreThanAGapBehindReanchorsAtNowAndSkipsTheMissedSlots() {
        PingPacer p = new PingPacer(G);
        p.sent(T0, T0);
        // due at t0 + 1 gap, the engine stalled until t0 + 4.5 gaps: the slots at 1..4 gaps are skipped
        long now = T0 + 4 * G + G / 2;
        assertTrue(p.mayStart(T0 + G, now));
        p.sent(T0 + G, now);
        assertEquals(now + G, p.nextFree(T0 + 2 * G, now)); // not t0 + 2 gaps: no burst
        assertEquals(now + G, p.nextFree(T0 + 2 * G, now + G));
        // exactly one gap behind is not more than one gap: the slot (now + 1 gap) is kept, so the
        // next one is now + 2 gaps, held by the floor to now + 2.5 gaps (re-anchored: now + 3 gaps)
        p.sent(T0 + 2 * G, now + 2 * G);
        assertEquals(now + 2 * G + G / 2, p.nextFree(T0, now + 2 * G + 1));
    }

    @Test
    void afterAnIdleStretchTheTargetsDueTimeIsTheSlot() {
        PingPacer p = new PingPacer(G);
        p.sent(T0, T0);
        // nothing due for 10 gaps; a target due at t0 + 10 gaps woken 0.2 gap late takes the slot t0 + 10 gaps
        long due = T0 + 10 * G;
        assertEquals(due, p.nextFree(due, T0 + G));
        p.sent(due, due + 200_000);
        assertEquals(due + G, p.nextFree(due + G, due + 300_000));
        assertEquals(due + G, p.nextFree(due, due + 300_000)); // a second target due at once waits a gap
    }

    @Test
    void noGapMeansNoPacing() {
        PingPacer p = new PingPacer(0);
        assertEquals(T0, p.claimStart(T0));
        assertEquals(T0, p.claimStart(T0));
        p.sent(T0, T0);
        assertTrue(p.mayStart(T0, T0));
        p.sent(T0, T0);
        assertTrue(p.mayStart(T0 + 5, T0 + 5));
    }
}
