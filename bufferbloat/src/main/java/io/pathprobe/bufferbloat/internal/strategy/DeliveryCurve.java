package io.pathprobe.bufferbloat.internal.strategy;

/**
 * The bytes a load phase has counted, sampled over time, and the goodput read from them.
 *
 * <p>Why not simply bytes over time: the count is what TCP hands over in order. On a deep tail-drop
 * queue a loss holds back everything that arrived after it until the retransmission gets through, a
 * queue's delay later (longer still when the retransmission is lost too), so the count stalls and
 * then jumps: per-interval goodput of 5-43 Mbit/s was measured on a 20 Mbit/s, 500 ms lab queue
 * whose tbf sent a steady 20 Mbit/s, with up to 4 MB held back at a time. Bytes over a window then
 * read whatever was held back at its two ends: 20 % below the link in one run, 13 % above in
 * another. What arrived is never below what was handed over, and the two meet whenever nothing is
 * held back; so the goodput is the slope between the highest points of the count near the two ends
 * of the window (relative to that slope, found by iteration): the upper envelope of the delivery
 * curve. On a clean link it is the plain average.
 *
 * <p>Bounded: at most {@link #CAPACITY} samples; when full, every other one is dropped and the
 * sampling period doubles, so a test of any length keeps a few thousand longs. Not thread-safe: the
 * strategy samples and reads it, on the engine loop.
 */
public final class DeliveryCurve {
    /** Samples kept at most. */
    public static final int CAPACITY = 4096;

    private final long[] nanos = new long[CAPACITY];
    private final long[] bytes = new long[CAPACITY];
    private int n;
    private long period;
    private long settledAt;

    /**
     * @param start the phase's start (its ticker's nanos), the curve's first point at 0 bytes
     * @param period how often {@link #add} keeps a sample, in nanoseconds
     */
    public DeliveryCurve(long start, long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.period = period;
        nanos[0] = start;
        bytes[0] = 0;
        n = 1;
        settledAt = start;
    }

    /** The current sampling period in nanoseconds (doubles each time the curve is thinned). */
    public long period() {
        return period;
    }

    /** The time of the last sample kept. */
    public long lastAt() {
        return nanos[n - 1];
    }

    /** Samples held. */
    public int size() {
        return n;
    }

    /** Whether a sample at {@code now} is due (one period after the last kept). */
    public boolean due(long now) {
        return now - nanos[n - 1] >= period;
    }

    /** Keeps the count at {@code now}; thins the curve when full. */
    public void add(long now, long count) {
        if (n == CAPACITY) {
            int k = 0;
            for (int i = 0; i < n; i += 2) {
                nanos[k] = nanos[i];
                bytes[k] = bytes[i];
                k++;
            }
            n = k;
            period *= 2;
        }
        nanos[n] = now;
        bytes[n] = count;
        n++;
    }

    /** From {@code at} on, the phase runs with its final connections (the last were added just before). */
    public void settled(long at) {
        settledAt = at;
    }

    /**
     * The goodput in bit/s over the time since {@link #settled}, never less than {@code minWindow}
     * (draft-09's MAD intervals) back from the last sample, nor before the first: the slope between the
     * highest points, relative to that slope, within {@code min(edge, window / 4)} of either end.
     * 0 with fewer than two samples.
     */
    public double goodput(long minWindow, long edge) {
        if (n < 2) {
            return 0;
        }
        long end = nanos[n - 1];
        long from = Math.max(nanos[0], Math.min(settledAt, end - minWindow));
        int s0 = 0;
        while (s0 < n - 1 && nanos[s0 + 1] <= from) {
            s0++;
        }
        int e0 = n - 1;
        long window = end - nanos[s0];
        if (window <= 0) {
            return 0;
        }
        long delta = Math.min(edge, window / 4);
        double slope = (bytes[e0] - bytes[s0]) / (double) window;
        int s = s0;
        int e = e0;
        for (int iteration = 0; iteration < 16; iteration++) {
            int ns = highest(s0, nanos[s0] + delta, slope, true);
            int ne = highest(e0, end - delta, slope, false);
            double next = (bytes[ne] - bytes[ns]) / (double) (nanos[ne] - nanos[ns]);
            boolean same = ns == s && ne == e;
            s = ns;
            e = ne;
            slope = next;
            if (same) {
                break;
            }
        }
        return slope * 8e9;
    }

    /**
     * The sample with the highest count less slope × time: from {@code i} forward up to {@code bound}, or back down to
     * it.
     */
    private int highest(int i, long bound, double slope, boolean forward) {
        int best = i;
        double top = bytes[i] - slope * (nanos[i] - nanos[0]);
        for (int j = i; forward ? j < n && nanos[j] <= bound : j >= 0 && nanos[j] >= bound; j += forward ? 1 : -1) {
            double v = bytes[j] - slope * (nanos[j] - nanos[0]);
            if (v > top) {
                top = v;
                best = j;
            }
        }
        return best;
    }
}
