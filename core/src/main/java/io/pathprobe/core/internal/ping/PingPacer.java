package io.pathprobe.core.internal.ping;

/**
 * The gap of one ping, shared by its targets' strategies (engine loop only): any two sends of the
 * ping are at least {@code gap} apart, and targets start one gap after another.
 */
public final class PingPacer {
    private final long gapNanos;
    private boolean any;
    private long lastSend;
    private boolean claimed;
    private long lastClaim;

    public PingPacer(long gapNanos) {
        if (gapNanos < 0) {
            throw new IllegalArgumentException("gap " + gapNanos);
        }
        this.gapNanos = gapNanos;
    }

    public long gapNanos() {
        return gapNanos;
    }

    /** The first slot of a target starting now: one gap after the previous target's first slot (or now). */
    public long claimStart(long now) {
        long at = claimed && lastClaim + gapNanos - now > 0 ? lastClaim + gapNanos : now;
        claimed = true;
        lastClaim = at;
        return at;
    }

    /** The earliest time the next send of this ping may leave. */
    public long nextFree(long now) {
        return !any || lastSend + gapNanos - now <= 0 ? now : lastSend + gapNanos;
    }

    /** Whether a send may leave now. */
    public boolean mayStart(long now) {
        return !any || now - (lastSend + gapNanos) >= 0;
    }

    /** A send of this ping left at {@code now}. */
    public void sent(long now) {
        any = true;
        lastSend = now;
    }
}
