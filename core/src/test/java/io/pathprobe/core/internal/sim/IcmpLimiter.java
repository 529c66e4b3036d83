package io.pathprobe.core.internal.sim;

/**
 * A router's limit on the ICMP errors it sends, as Linux ({@code icmp_ratelimit}: a burst of 6, then
 * one a second, per peer), vendors' control-plane policers and nftables ({@code limit rate N/second
 * burst B}) implement it: a bucket of {@code burst} tokens that refills one per {@code interval}; an
 * error is sent when a whole token is there. Fake time: the caller passes the time of each error.
 * Not thread-safe; a caller shared between threads holds its own lock.
 */
public final class IcmpLimiter {
    private final int burst;
    private final long intervalNanos;
    private double tokens;
    private long last;
    private boolean started;
    private int refused;

    /**
     * @param burst the tokens the bucket holds (and starts with)
     * @param intervalNanos the time one token takes to come back
     */
    public IcmpLimiter(int burst, long intervalNanos) {
        if (burst < 1 || intervalNanos < 1) {
            throw new IllegalArgumentException("burst and interval must be positive: " + burst + ", " + intervalNanos);
        }
        this.burst = burst;
        this.intervalNanos = intervalNanos;
        this.tokens = burst;
    }

    /** The errors refused so far. */
    public int refused() {
        return refused;
    }

    /** Another prober spent the whole bucket at {@code at}: it refills from empty from then on. */
    public void drain(long at) {
        tokens = 0;
        last = at;
        started = true;
    }

    /** Whether an error due at {@code now} is sent (and takes a token) or refused. */
    public boolean allows(long now) {
        if (started) {
            tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
        }
        started = true;
        last = now;
        if (tokens < 1) {
            refused++;
            return false;
        }
        tokens -= 1;
        return true;
    }
}
