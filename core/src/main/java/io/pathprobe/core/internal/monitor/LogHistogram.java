package io.pathprobe.core.internal.monitor;

import io.pathprobe.core.internal.ping.PingStatistics;

/**
 * RTTs in nanoseconds counted in a fixed array of log-linear buckets: values below 16 exactly, then 16
 * linear buckets per octave (an octave {@code [2^e, 2^(e+1))} split in 16 equal parts) up to 2^41 ns (about
 * 37 min; longer values share the last bucket). 608 counters whatever the run's length. A bucket is
 * reported by its midpoint, so a percentile is within half a bucket of the true sample: at most 1/32 of
 * the octave's base, 3.125 % of the value, and the caller clamps it to the exact best and worst.
 */
final class LogHistogram {
    static final int SUB = 16;
    private static final int MAX_EXPONENT = 40;
    static final int BUCKETS = SUB + (MAX_EXPONENT - 3) * SUB; // 608
    private final int[] counts = new int[BUCKETS];
    private long total;

    static int bucket(long nanos) {
        long v = Math.max(0, nanos);
        if (v < SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        if (e > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) ((v >>> (e - 4)) & (SUB - 1));
        return SUB + (e - 4) * SUB + sub;
    }

    /** The value a bucket stands for: its midpoint (exact below 16). */
    static long value(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int e = (bucket - SUB) / SUB + 4;
        int sub = (bucket - SUB) % SUB;
        long width = 1L << (e - 4);
        return ((long) (SUB + sub) << (e - 4)) + width / 2;
    }

    void add(long nanos) {
        counts[bucket(nanos)]++;
        total++;
    }

    long total() {
        return total;
    }

    /** The nearest-rank {@code percent} percentile's bucket value; 0 when empty. */
    long percentile(int percent) {
        if (total == 0) {
            return 0;
        }
        long rank = PingStatistics.nearestRank(percent, total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return value(i);
            }
        }
        return value(counts.length - 1);
    }

    /** Bytes of state, for the bound test: constant. */
    static int footprint() {
        return BUCKETS * Integer.BYTES;
    }
}
