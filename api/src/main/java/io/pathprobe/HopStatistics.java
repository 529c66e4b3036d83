package io.pathprobe;

import java.util.Objects;
import java.util.Optional;

/**
 * Counters and RTT statistics of one hop.
 *
 * @param sent probes sent at this TTL (pending ones included)
 * @param received probes answered (replies and unreachables)
 * @param lost probes that timed out
 * @param rtt RTT statistics, empty when nothing answered
 */
public record HopStatistics(int sent, int received, int lost, Optional<RttStatistics> rtt) {
    public HopStatistics {
        Objects.requireNonNull(rtt, "rtt");
    }

    /** Lost probes as a fraction (0.0 to 1.0) of the probes that completed; 0 when none completed. */
    public double loss() {
        int completed = received + lost;
        return completed == 0 ? 0.0 : (double) lost / completed;
    }
}
