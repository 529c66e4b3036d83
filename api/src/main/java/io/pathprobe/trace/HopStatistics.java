package io.pathprobe.trace;

import java.util.Objects;
import java.util.Optional;

import io.pathprobe.util.Checks;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.util.Text;
/**
 * Counters and RTT statistics of one hop.
 *
 * @param sent probes sent at this TTL (send failures excluded; pending and abandoned ones included)
 * @param received probes answered (replies and unreachables)
 * @param lost probes that timed out: {@code forwardLost + backwardLost}
 * @param forwardLost lost probes that were probably lost on the way out: no probe of the same round
 *     (the same attempt number, hence the same flow) at a later TTL was answered either, so the path
 *     itself dropped them here or before (the last hop's losses always count here)
 * @param backwardLost lost probes that went on: a probe of the same round at a later TTL was
 *     answered, so the router's answer was lost or never sent (ICMP rate limiting, a busy control
 *     plane): not a lossy link
 * @param abandoned probes sent but neither answered nor given up when the trace ended (cancelled,
 *     out of time, or beyond the end of the path): neither received nor lost
 * @param rtt RTT statistics, empty when nothing answered
 * @param rateLimited probes not answered because their responder was over its learned ICMP rate
 *     limit ({@link ProbeStatus#RATE_LIMITED}): neither received nor lost, as abandoned ones
 */
public record HopStatistics(int sent, int received, int lost, int forwardLost, int backwardLost, int abandoned,
        Optional<RttStatistics> rtt, int rateLimited) {
    /**
     * Checks the components (see the record's description).
     *
     * @param sent probes sent at this TTL (send failures excluded; pending and abandoned ones included)
     * @param received probes answered (replies and unreachables)
     * @param lost probes that timed out: {@code forwardLost + backwardLost}
     * @param forwardLost lost probes that were probably lost on the way out: no probe of the same round (the
     *     same attempt number, hence the same flow) at a later TTL was answered either, so the path itself
     *     dropped them here or before (the last hop's losses always count here)
     * @param backwardLost lost probes that went on: a probe of the same round at a later TTL was answered, so
     *     the router's answer was lost or never sent (ICMP rate limiting, a busy control plane): not a lossy
     *     link
     * @param abandoned probes sent but neither answered nor given up when the trace ended (cancelled, out of
     *     time, or beyond the end of the path): neither received nor lost
     * @param rtt RTT statistics, empty when nothing answered
     * @param rateLimited probes not answered because their responder was over its learned ICMP rate limit
     *     ({@link ProbeStatus#RATE_LIMITED}): neither received nor lost, as abandoned ones
     * @throws NullPointerException if {@code rtt} is null
     * @throws IllegalArgumentException if {@code rateLimited}, {@code forwardLost} or {@code backwardLost} is
     *     negative, or {@code lost} is not {@code forwardLost + backwardLost}
     */
    public HopStatistics {
        Objects.requireNonNull(rtt, "rtt");
        if (rateLimited < 0) {
            throw new IllegalArgumentException("rateLimited " + rateLimited + " must not be negative");
        }
        if (forwardLost < 0 || backwardLost < 0 || forwardLost + backwardLost != lost) {
            throw new IllegalArgumentException("lost " + lost + " must be forwardLost " + forwardLost
                    + " + backwardLost " + backwardLost);
        }
    }

    /**
     * Statistics without rate-limited probes.
     *
     * @param sent probes sent at this TTL (send failures excluded; pending and abandoned ones included)
     * @param received probes answered (replies and unreachables)
     * @param lost probes that timed out: {@code forwardLost + backwardLost}
     * @param forwardLost lost probes that were probably lost on the way out: no probe of the same round (the
     *     same attempt number, hence the same flow) at a later TTL was answered either, so the path itself
     *     dropped them here or before (the last hop's losses always count here)
     * @param backwardLost lost probes that went on: a probe of the same round at a later TTL was answered, so
     *     the router's answer was lost or never sent (ICMP rate limiting, a busy control plane): not a lossy
     *     link
     * @param abandoned probes sent but neither answered nor given up when the trace ended (cancelled, out of
     *     time, or beyond the end of the path): neither received nor lost
     * @param rtt RTT statistics, empty when nothing answered
     */
    public HopStatistics(int sent, int received, int lost, int forwardLost, int backwardLost, int abandoned,
            Optional<RttStatistics> rtt) {
        this(sent, received, lost, forwardLost, backwardLost, abandoned, rtt, 0);
    }

    /**
     * Statistics whose losses are not classified (all counted as forward).
     *
     * @param sent probes sent at this TTL (send failures excluded; pending and abandoned ones included)
     * @param received probes answered (replies and unreachables)
     * @param lost probes that timed out: {@code forwardLost + backwardLost}
     * @param abandoned probes sent but neither answered nor given up when the trace ended (cancelled, out of
     *     time, or beyond the end of the path): neither received nor lost
     * @param rtt RTT statistics, empty when nothing answered
     */
    public HopStatistics(int sent, int received, int lost, int abandoned, Optional<RttStatistics> rtt) {
        this(sent, received, lost, lost, 0, abandoned, rtt);
    }

    /**
     * {@return lost probes as a fraction (0.0 to 1.0) of the probes that were decided (answered or timed
     * out); 0 when none was} Abandoned, rate-limited and pending probes do not count either way.
     */
    public double loss() {
        int completed = received + lost;
        return completed == 0 ? 0.0 : (double) lost / completed;
    }

    /**
     * {@return {@link #forwardLost} as a fraction of the decided probes, as {@link #loss()}: the loss of the
     * path up to here}
     */
    public double forwardLoss() {
        int completed = received + lost;
        return completed == 0 ? 0.0 : (double) forwardLost / completed;
    }

    /**
     * {@return {@link #backwardLost} as a fraction of the decided probes: answers this router did not send or
     * that were lost}
     */
    public double backwardLoss() {
        int completed = received + lost;
        return completed == 0 ? 0.0 : (double) backwardLost / completed;
    }

    /**
     * As mtr sums a hop up, with the loss split and what the counters exclude:
     * {@code "3 sent, 2 received, 33.3% loss (1 forward, 0 backward), min/avg/max/mdev = ... ms, last ..."},
     * then {@code ", 1 rate-limited"} and {@code ", 1 abandoned"} where there were any.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(sent).append(" sent, ").append(received).append(" received, ")
                .append(Text.percent(loss())).append(" loss");
        if (lost > 0) {
            b.append(" (").append(forwardLost).append(" forward, ").append(backwardLost).append(" backward)");
        }
        rtt.ifPresent(r -> b.append(", ").append(r));
        if (rateLimited > 0) {
            b.append(", ").append(rateLimited).append(" rate-limited");
        }
        if (abandoned > 0) {
            b.append(", ").append(abandoned).append(" abandoned");
        }
        return b.toString();
    }
}
