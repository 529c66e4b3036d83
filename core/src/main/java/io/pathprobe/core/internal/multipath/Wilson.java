package io.pathprobe.core.internal.multipath;

/** The precision a loss read from a number of probes reached. */
final class Wilson {
    private Wilson() {}

    /** The Wilson score interval (95 %) of {@code k} successes in {@code n} trials: {low, high}; {0, 1} for none. */
    static double[] interval(int k, int n) {
        if (n <= 0) {
            return new double[] {0, 1};
        }
        double z = 1.96;
        double p = k / (double) n;
        double d = 1 + z * z / n;
        double c = (p + z * z / (2.0 * n)) / d;
        double h = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return new double[] {Math.max(0, c - h), Math.min(1, c + h)};
    }
}
