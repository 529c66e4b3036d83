package io.pathprobe.core.internal.runtime;

/**
 * A token bucket: the probe-rate budget of one tracer, shared by all its measurements, a measurement's own rate, and
 * each keyed bucket of {@link ProbeBudgets}. Confined to the engine loop. A rate of 0 means unlimited.
 *
 * <p><b>Late takes keep the bucket's pace.</b> A token is {@code ceil(1 s / rate)} nanoseconds. When the bucket is full
 * and the probe waiting for it is taken late (the engine's timer fired late: timer slack, a busy CPU), the time past
 * full is kept, up to one token less a nanosecond, so the next token comes when it would have come had the take been
 * on time; a bucket full for a whole token or more drops the excess (an idle bucket bursts {@code burst}, no more).
 * The bound stays that of the bucket without it: the tokens at a window's start are below {@code burst + 1}, so no
 * window of one second holds more than {@code rate + burst} takes. Without it, a bucket of one token loses the
 * lateness of every take: a rate of 2,000/s waited on by a timer 100 µs late gives 1,667/s.
 */
public final class RateBudget {
    private long nanosPerToken;
    private long capacityNanos;
    private long availableNanos;
    private long lastRefill;

    public RateBudget(int perSecond, int burst, long now) {
        retune(perSecond, burst, now);
    }

    /**
     * From {@code now} on, {@code perSecond} and {@code burst} (a tracer's budget changed while it runs): the tokens
     * the bucket holds are kept, at most the new burst (a debt is kept in tokens too); from unlimited, or new, it
     * starts full. So a window that begins at the change holds at most the new rate plus burst, as any window does.
     */
    public void retune(int perSecond, int burst, long now) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
        }
        long period = perSecond == 0 ? 0 : (1_000_000_000L + perSecond - 1) / perSecond; // rounded up
        long kept = period * burst;
        if (nanosPerToken != 0 && period != 0) {
            refill(now);
            kept = Math.min(kept, period == nanosPerToken ? availableNanos
                    : (long) Math.floor((double) availableNanos / nanosPerToken * period));
        }
        nanosPerToken = period;
        capacityNanos = period * burst;
        availableNanos = kept;
        lastRefill = now;
    }

    /** {@return the nanoseconds of one token (0: unlimited)} */
    public long nanosPerToken() {
        return nanosPerToken;
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

    /** Gives back a token taken by {@link #tryTake} that was not used (and the time past full it held). */
    public void refund() {
        if (!unlimited()) {
            availableNanos = Math.min(capacityNanos + nanosPerToken - 1, availableNanos + nanosPerToken);
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
            long a = availableNanos + elapsed;
            // full for less than a token: the time past full is kept (a late take), else the bucket is just full
            availableNanos = a - capacityNanos < nanosPerToken ? a : capacityNanos;
            lastRefill = now;
        }
    }
}
