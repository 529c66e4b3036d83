package io.pathprobe.probe;

import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
import java.time.Duration;
import java.util.Optional;

/**
 * Round-trip times of the answered probes: the one RTT summary every measurement reports (a trace's hop, a
 * multipath node or path, a ping target, a monitor's hop over the run and over its window).
 *
 * @param last the RTT of the most recent answer
 * @param min the smallest RTT
 * @param avg the arithmetic mean
 * @param max the largest RTT
 * @param stdDev the standard deviation of the RTTs: of the population (divided by n, iputils ping's
 *     {@code mdev}) for a trace, multipath and ping; a monitor's is the sample one (divided by n − 1, mtr's
 *     StDev), zero with fewer than two answers. Not jitter
 * @param percentiles nearest-rank percentiles where the measurement keeps the RTTs to rank (ping, monitor);
 *     empty for a trace's hop and multipath, whose few probes a percentile would not describe
 */
public record RttStatistics(Duration last, Duration min, Duration avg, Duration max, Duration stdDev,
        Optional<RttPercentiles> percentiles) {
    /**
     * Checks the components (see the record's description).
     *
     * @param last the RTT of the most recent answer
     * @param min the smallest RTT
     * @param avg the arithmetic mean
     * @param max the largest RTT
     * @param stdDev the standard deviation of the RTTs
     * @param percentiles nearest-rank percentiles, where kept
     * @throws NullPointerException if a component is null
     */
    public RttStatistics {
        // Checks.nonNull only when one is null: its arguments are an array, made for every hop of every result
        if (last == null || min == null || avg == null || max == null || stdDev == null || percentiles == null) {
            Checks.nonNull("last", last, "min", min, "avg", avg, "max", max, "stdDev", stdDev, "percentiles",
                    percentiles);
        }
    }

    /**
     * Statistics without percentiles.
     *
     * @param last the RTT of the most recent answer
     * @param min the smallest RTT
     * @param avg the arithmetic mean
     * @param max the largest RTT
     * @param stdDev the standard deviation of the RTTs
     * @throws NullPointerException if a component is null
     */
    public RttStatistics(Duration last, Duration min, Duration avg, Duration max, Duration stdDev) {
        this(last, min, avg, max, stdDev, Optional.empty());
    }

    /**
     * As iputils ping writes it, then the percentiles where kept and the last RTT:
     * {@code "min/avg/max/mdev = 0.024/0.031/0.040/0.006 ms, p50/p90/p95/p99 = 0.030/0.038/0.039/0.040 ms,
     * last 0.030 ms"}.
     */
    @Override
    public String toString() {
        return "min/avg/max/mdev = " + Text.millis(min) + "/" + Text.millis(avg) + "/" + Text.millis(max) + "/"
                + Text.millis(stdDev) + " ms" + percentiles.map(p -> ", " + p).orElse("") + ", last " + Text.ms(last);
    }
}
