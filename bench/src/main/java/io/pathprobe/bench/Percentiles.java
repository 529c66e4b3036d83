package io.pathprobe.bench;

import java.util.Arrays;

/**
 * The order statistics the comparisons print, written once: the nearest-rank percentile and the median (the middle
 * value, or the mean of the two middle ones). Each comparison keeps the statistic its rows have always printed.
 */
final class Percentiles {
    private Percentiles() {}

    /** The nearest-rank percentile {@code p} (0 to 1) of {@code values}, which are not changed. */
    static double nearestRank(long[] values, double p) {
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    /** The median of {@code values}, which are not changed: the middle one, or the mean of the two middle ones. */
    static double median(long[] values) {
        return median(Arrays.stream(values).asDoubleStream().toArray());
    }

    /** The median of {@code values}, which are not changed: the middle one, or the mean of the two middle ones. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
