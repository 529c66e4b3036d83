package io.pathprobe.probe;

import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.time.Duration;

/**
 * Nearest-rank percentiles of the answered probes' RTTs (the sample at index {@code ceil(q n) − 1} of the
 * sorted RTTs, oping's definition), part of {@link RttStatistics}.
 *
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param exact whether every RTT was still kept to rank; otherwise they come from a histogram and never lie
 *     beyond the smallest and largest RTT: a ping's are never below the exact value and above it by less than
 *     0.1 %, a monitor's run's within 3.2 % of it
 */
public record RttPercentiles(Duration p50, Duration p90, Duration p95, Duration p99, boolean exact) {
    /**
     * Checks the components (see the record's description).
     *
     * @param p50 the median
     * @param p90 the 90th percentile
     * @param p95 the 95th percentile
     * @param p99 the 99th percentile
     * @param exact whether every RTT was still kept to rank
     * @throws NullPointerException if a duration is null
     */
    public RttPercentiles {
        Checks.nonNull("p50", p50, "p90", p90, "p95", p95, "p99", p99);
    }

    /**
     * {@code "p50/p90/p95/p99 = 0.030/0.038/0.039/0.040 ms"}, with {@code "≥"} before the values when they
     * come from a histogram.
     */
    @Override
    public String toString() {
        return "p50/p90/p95/p99 = " + (exact ? "" : "≥") + Text.millis(p50) + "/" + Text.millis(p90) + "/"
                + Text.millis(p95) + "/" + Text.millis(p99) + " ms";
    }
}
