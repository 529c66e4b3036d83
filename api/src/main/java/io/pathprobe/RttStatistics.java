package io.pathprobe;

import java.time.Duration;
import java.util.Objects;

/**
 * Round-trip times of the answered probes of one hop.
 *
 * @param last the RTT of the most recently answered probe
 * @param min the smallest RTT
 * @param mean the arithmetic mean
 * @param max the largest RTT
 * @param stdDev the population standard deviation (not "jitter")
 */
public record RttStatistics(Duration last, Duration min, Duration mean, Duration max, Duration stdDev) {
    public RttStatistics {
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(stdDev, "stdDev");
    }
}
