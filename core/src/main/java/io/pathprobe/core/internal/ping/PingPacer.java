package io.pathprobe.core.internal.ping;

/**
 * The gap of one ping, shared by its targets' strategies (engine loop only): an absolute slot
 * schedule, one gap apart, that late sends do not push back.
 *
 * <p>A send takes a slot: the later of the slot after the previous send's and the time the send was
 * due on its own target's schedule. So sends that follow each other are {@code first + k × gap}
 * (the 1,000 first sends of 1,000 targets leave at {@code t0 + k × gap} however late each one was
 * woken), and after an idle stretch (nothing due) the slots follow the targets' schedules again. The
 * next slot is the taken one plus the gap, not the send's actual time plus the gap: a late send
 * (timer slack, a busy engine) does not delay the later ones. Two guards:
 * <ul>
 *   <li>No burst: a send never leaves less than {@code gap / 2} (rounded up) after the previous one,
 *       so an engine catching up sends at most twice as fast as the gap.</li>
 *   <li>Re-anchoring: a send more than one whole gap after its slot (a stalled engine, the rate
 *       budget) takes the slot {@code now}; the missed slots are skipped, not sent in a burst.</li>
 * </ul>
 * Targets start one gap after another ({@link #claimStart}), on the same grid.
 */
public final class PingPacer {
    private final long gapNanos;
    private final long floorNanos;
    private boolean any;
    private long lastSend;
    private long nextSlot;
    private boolean claimed;
    private long lastClaim;

    public PingPacer(long gapNanos) {
        if (gapNanos < 0) {
            throw new IllegalArgumentException("gap " + gapNanos);
        }
        this.gapNanos = gapNanos;
        this.floorNanos = gapNanos - gapNanos / 2;
    }

    /** The first slot of a target starting now: one gap after the previous target's first slot (or now). */
    public long claimStart(long now) {
        long at = claimed && lastClaim + gapNanos - now > 0 ? lastClaim + gapNanos : now;
        claimed = true;
        lastClaim = at;
        return at;
    }

    /** The slot a send due at {@code due} (on its target's schedule) takes if it leaves at {@code now}. */
    private long slot(long due, long now) {
        long slot = !any || due - nextSlot > 0 ? due : nextSlot;
        return now - slot > gapNanos ? now : slot; // more than a whole gap behind: re-anchor at now
    }

    /**
     * The earliest time a send due at {@code due} may leave, seen at {@code now}: its slot, and no
     * sooner than half a gap after the previous send. Not before {@code now}.
     */
    public long nextFree(long due, long now) {
        long at = slot(due, now);
        if (any && lastSend + floorNanos - at > 0) {
            at = lastSend + floorNanos;
        }
        return at - now > 0 ? at : now;
    }

    /** Whether a send due at {@code due} may leave now. */
    public boolean mayStart(long due, long now) {
        return nextFree(due, now) == now;
    }

    /** A send due at {@code due} left (or failed) at {@code now}: it took its slot. */
    public void sent(long due, long now) {
        long slot = slot(due, now);
        any = true;
        lastSend = now;
        nextSlot = slot + gapNanos;
    }
}
