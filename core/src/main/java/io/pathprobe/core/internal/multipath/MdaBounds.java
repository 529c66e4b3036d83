package io.pathprobe.core.internal.multipath;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MDA stopping points for one confidence: {@code n(k)} is how many flows must go through a node
 * that showed {@code k - 1} successors so far so that, were there {@code k} equally likely ones, all
 * {@code k} would have been seen with at least the confidence. Computed exactly with the
 * coupon-collector recurrence (probability that {@code n} uniform draws over {@code k} next hops
 * have hit exactly {@code j} of them), not with the closed-form union bound; for 95 and 99 % this
 * reproduces scamper's table (k = 2..99). Values are computed on first use and cached; thread-safe
 * without a lock (strategies take none): the table is an immutable array replaced whole when it grows, so
 * two runs that grow it at once compute the same values and either copy wins.
 */
public final class MdaBounds {
    private static final ConcurrentHashMap<Double, MdaBounds> CACHE = new ConcurrentHashMap<>();
    /** Rounding slack of the recurrence in doubles: a probability this close below the bound counts as reaching it. */
    private static final double EPSILON = 1e-12;

    private final double percent;
    private final double level;
    private volatile int[] points = {0, 1};

    private MdaBounds(double percent) {
        if (!(percent > 0.0 && percent < 100.0)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 100 percent, was " + percent);
        }
        this.percent = percent;
        this.level = percent / 100.0;
    }

    /** The stopping points for a confidence in percent, strictly between 0 and 100. */
    public static MdaBounds of(double percent) {
        MdaBounds cached = CACHE.get(percent);
        if (cached != null) {
            return cached;
        }
        MdaBounds b = new MdaBounds(percent);
        if (CACHE.size() > 64) {
            return b; // odd confidences are not worth keeping forever
        }
        MdaBounds raced = CACHE.putIfAbsent(percent, b);
        return raced != null ? raced : b;
    }

    /** The confidence, in percent. */
    public double percent() {
        return percent;
    }

    /**
     * The flows to send through a node to rule out a {@code k}-th successor (having seen
     * {@code k - 1}) at this confidence; {@code n(1) = 1}.
     *
     * @param k at least 1
     */
    public int stoppingPoint(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        int[] table = points;
        if (k >= table.length) {
            int old = table.length;
            int[] grown = Arrays.copyOf(table, Math.max(k + 1, old * 2));
            for (int i = old; i < grown.length; i++) {
                grown[i] = compute(i, level);
            }
            points = grown; // published whole, never written after
            table = grown;
        }
        return table[k];
    }

    /**
     * The smallest n such that n uniform draws over k next hops hit all k with probability at least
     * {@code level}: P(n, j) = P(n-1, j) j/k + P(n-1, j-1) (k-j+1)/k.
     */
    static int compute(int k, double level) {
        if (k == 1) {
            return 1;
        }
        double[] p = new double[k + 1];
        p[0] = 1.0;
        int n = 0;
        while (p[k] < level - EPSILON) {
            n++;
            for (int j = Math.min(n, k); j >= 1; j--) {
                p[j] = p[j] * j / k + p[j - 1] * (k - j + 1) / k;
            }
            p[0] = 0.0;
        }
        return n;
    }

    /**
     * The probability that the stopping rule stops a node with {@code k} equally likely successors
     * before it saw them all (it stops with j seen after n(j+1) flows): the per-node failure rate
     * the simulation should measure. It exceeds 1 - confidence a little for wide nodes, because each
     * stage of the rule has its own chance to stop early.
     */
    public double failureProbability(int k) {
        if (k <= 1) {
            return 0.0;
        }
        double[] p = new double[k + 1];
        p[1] = 1.0; // after the first flow, one successor seen
        double failed = 0.0;
        int n = 1;
        while (true) {
            boolean alive = false;
            for (int j = 1; j < k; j++) {
                if (p[j] > 0 && n >= stoppingPoint(j + 1)) {
                    failed += p[j]; // stopped with j < k seen
                    p[j] = 0;
                }
                alive |= p[j] > 0;
            }
            if (!alive) {
                return failed;
            }
            n++;
            for (int j = k; j >= 1; j--) {
                p[j] = p[j] * j / k + p[j - 1] * (k - j + 1) / k;
            }
        }
    }

    /**
     * The confidence for the whole topology, in percent: the product of the per-node confidence over
     * the {@code testedNodes} nodes whose successors were tested to the stopping point as branch points
     * (100 for none).
     */
    public static double globalConfidence(double percent, int testedNodes) {
        return 100.0 * Math.pow(percent / 100.0, Math.max(0, testedNodes));
    }
}
