package io.pathprobe.core.internal.runtime;

/**
 * A token bucket: the probe-rate budget of one tracer, shared by all its measurements, a measurement's own rate, and
 * each keyed bucket of {@link ProbeBudgets}. Confined to the engine loop. A rate of 0 means unlimited.
 */
public final class RateBudget {
    private final long nanosPerToken;
    private final long capacityNanos;
    private long availableNanos;
    private long lastRefill;

    public RateBudget(int perSecond, int burst, long now) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
        }
        this.nanosPerToken = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
        this.capacityNanos = nanosPerToken * burst;
        this.availableNanos = capacityNanos;
        this.lastRefill = now;
    }

    public boolean unlimited() {
        return nanosPerToken == 0;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long now) {
        if (unlimited()) {
            return true;
        }
        refill(now);
        if (availableNanos >= nanosPerToken) {
            availableNanos -= nanosPerToken;
            return true;
        }
        return false;
    }

    /** How long until a token is available (0 if one is now). */
    public long nanosUntilToken(long now) {
        if (unlimited()) {
            return 0;
        }
        refill(now);
        return Math.max(0, nanosPerToken - availableNanos);
    }

    /** Gives back a token taken by {@link #tryTake} that was not used. */
    public void refund() {
        if (!unlimited()) {
            availableNanos = Math.min(capacityNanos, availableNanos + nanosPerToken);
        }
    }

    /**
     * Takes one token whether or not there is one (a probe charged elsewhere turned out to be this bucket's): the
     * bucket may go into debt, which the next probes wait off.
     */
    public void charge(long now) {
        if (!unlimited()) {
            refill(now);
            availableNanos -= nanosPerToken;
        }
    }

    private void refill(long now) {
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            availableNanos = Math.min(capacityNanos, availableNanos + elapsed);
            lastRefill = now;
        }
    }
}
