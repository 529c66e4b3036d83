package io.pathprobe;

import java.util.Objects;
import java.util.Optional;

/**
 * Counters and RTT statistics of one hop.
 *
 * @param sent probes sent at this TTL (send failures excluded; pending and abandoned ones included)
 * @param received probes answered (replies and unreachables)
 * @param lost probes that timed out
 * @param abandoned probes sent but neither answered nor given up when the trace ended (cancelled,
 *     out of time, or beyond the end of the path): neither received nor lost
 * @param rtt RTT statistics, empty when nothing answered
 */
public record HopStatistics(int sent, int received, int lost, int abandoned, Optional<RttStatistics> rtt) {
    public HopStatistics {
        Objects.requireNonNull(rtt, "rtt");
    }

    /**
     * Lost probes as a fraction (0.0 to 1.0) of the probes that were decided (answered or timed
     * out); 0 when none was. Abandoned and pending probes do not count either way.
     */
    public double loss() {
        int completed = received + lost;
        return completed == 0 ? 0.0 : (double) lost / completed;
    }
}
