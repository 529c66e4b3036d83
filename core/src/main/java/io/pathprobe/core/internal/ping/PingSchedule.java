package io.pathprobe.core.internal.ping;

/**
 * One target's send schedule (engine loop only; pure: times are given): when its next probe is due, re-planned as
 * each slot is used. Probe {@code k} has slot {@code start + k × interval}, the start being when the first probe
 * left. A probe that leaves a whole interval or more after its slot does not move the later slots: the next one is
 * due half an interval after it (catching up, never a burst), until one is back on its slot; one more than
 * {@value #MAX_CATCH_UP_SLOTS} intervals behind skips the slots it missed (the next is due on the first slot after
 * it). {@link PingStrategy} sends by it; the ping bench measures each send's lateness against the instant it gives.
 */
public final class PingSchedule {
    /** Most slots a late target catches up on; a stall longer than this many intervals skips its missed slots. */
    public static final int MAX_CATCH_UP_SLOTS = 10;

    private final long interval;
    /** The next probe's slot. */
    private long nextSlot;
    /** When the next probe is due: its slot, or half an interval after a late probe while catching up. */
    private long nextDue;
    private long used;

    /**
     * @param intervalNanos the interval between slots, above 0
     * @param firstSlot when the first probe is due (moved to when it leaves, if later)
     */
    public PingSchedule(long intervalNanos, long firstSlot) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval " + intervalNanos);
        }
        this.interval = intervalNanos;
        this.nextSlot = firstSlot;
        this.nextDue = firstSlot;
    }

    /** When the next probe is due. */
    public long due() {
        return nextDue;
    }

    /** Slots used so far (sends and failed sends). */
    public long used() {
        return used;
    }

    /**
     * The next slot was used (a probe left, or failed to, at {@code now}): the next probe is one interval on, or, if
     * that passed too, catches up half an interval after this one (or, more than {@value #MAX_CATCH_UP_SLOTS}
     * intervals behind, takes the first slot after now).
     *
     * <p>The schedule starts when its first probe leaves: a first send later than its slot (the set-up before it:
     * opening the session, the first use of a code path, ~2 ms measured in a fresh JVM; or the ping's gap, behind
     * other targets) moves the slots with it, so the first interval is a whole interval too, as iputils and fping count
     * it, instead of shortened by that delay.
     */
    public void used(long now) {
        if (used == 0 && now - nextSlot > 0) {
            nextSlot = now;
        }
        used++;
        nextSlot += interval;
        nextDue = nextSlot;
        long behind = now - nextSlot;
        if (behind >= 0) {
            // this probe left a whole interval or more after its slot: the next one catches up
            if (behind / interval >= MAX_CATCH_UP_SLOTS) {
                nextSlot += (behind / interval + 1) * interval; // a stall that long skips what it missed
                nextDue = nextSlot;
            } else {
                nextDue = now + (interval - interval / 2); // half an interval on at least: no burst
            }
        }
    }
}
