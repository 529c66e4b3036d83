package io.pathprobe.probe;

import java.time.Duration;
import java.util.Objects;

import io.pathprobe.util.Checks;
import io.pathprobe.util.Text;
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
    /**
     * Checks the components (see the record's description).
     *
     * @param last the RTT of the most recently answered probe
     * @param min the smallest RTT
     * @param mean the arithmetic mean
     * @param max the largest RTT
     * @param stdDev the population standard deviation (not "jitter")
     * @throws NullPointerException if a component is null
     */
    public RttStatistics {
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(stdDev, "stdDev");
    }

    /** As ping writes it: {@code "min/avg/max/sdev = 0.024/0.031/0.040/0.006 ms, last 0.030 ms"}. */
    @Override
    public String toString() {
        return "min/avg/max/sdev = " + Text.millis(min) + "/" + Text.millis(mean) + "/" + Text.millis(max) + "/"
                + Text.millis(stdDev) + " ms, last " + Text.ms(last);
    }
}
