package io.pathprobe.core.internal;

/**
 * The probe-rate budget of one tracer, shared by all its traces. Confined to the engine thread.
 * A rate of 0 means unlimited.
 */
final class TokenBucket {
    private final long nanosPerToken;
    private final long capacityNanos;
    private long availableNanos;
    private long lastRefill;

    TokenBucket(int perSecond, int burst, long now) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
        }
        this.nanosPerToken = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
        this.capacityNanos = nanosPerToken * burst;
        this.availableNanos = capacityNanos;
        this.lastRefill = now;
    }

    boolean unlimited() {
        return nanosPerToken == 0;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long now) {
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
    long nanosUntilToken(long now) {
        if (unlimited()) {
            return 0;
        }
        refill(now);
        return Math.max(0, nanosPerToken - availableNanos);
    }

    private void refill(long now) {
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            availableNanos = Math.min(capacityNanos, availableNanos + elapsed);
            lastRefill = now;
        }
    }
}
