package io.pathprobe.core.internal.ping;

/**
 * The running moments of a stream of round-trip times: the least, the greatest, and Welford's running mean and sum
 * of squared deviations from it (stable where {@code Σx² − n·mean²} cancels). A ping's {@code mdev} is the
 * <em>population</em> deviation ({@link #populationDeviation()}, over n), mtr's StDev the <em>sample</em> one
 * ({@link #sampleDeviation()}, over n − 1). Exact counts and bounds, constant memory however long the run.
 *
 * <p>Not thread-safe: it belongs to its accumulator ({@link PingAccumulator}, the monitor's per-hop one), on the
 * engine loop.
 */
public final class RttMoments {
    private long n;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private double mean;
    private double m2;

    /** Adds one round-trip time, in nanoseconds. */
    public void add(long rtt) {
        n++;
        min = Math.min(min, rtt);
        max = Math.max(max, rtt);
        double d = rtt - mean;
        mean += d / n;
        m2 += d * (rtt - mean);
    }

    /** {@return the least RTT added; {@link Long#MAX_VALUE} before the first} */
    public long min() {
        return min;
    }

    /** {@return the greatest RTT added; {@link Long#MIN_VALUE} before the first} */
    public long max() {
        return max;
    }

    /** {@return the mean RTT, rounded to the nanosecond; 0 before the first} */
    public long mean() {
        return Math.round(mean);
    }

    /** {@return the population standard deviation (over n, a ping's mdev), rounded; 0 before the first} */
    public long populationDeviation() {
        return n == 0 ? 0 : Math.round(Math.sqrt(Math.max(0, m2 / n)));
    }

    /** {@return the sample standard deviation (over n − 1, mtr's StDev), rounded; 0 below two RTTs} */
    public long sampleDeviation() {
        return n > 1 ? Math.round(Math.sqrt(Math.max(0, m2 / (n - 1)))) : 0;
    }
}
