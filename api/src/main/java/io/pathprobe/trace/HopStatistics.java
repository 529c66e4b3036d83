package io.pathprobe.trace;

import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.util.Text;
import java.util.Objects;
import java.util.Optional;
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
 * @param rateLimited probes not answered because their responder was shown to limit its ICMP errors
 *     ({@link ProbeStatus#RATE_LIMITED}): neither received nor lost, as abandoned ones
 * @param undecided lost probes (counted in {@code lost}) that a refusal is not excluded for: their responder's
 *     ICMP budget may have been spent (by another prober) when they left, and nothing showed whether it limits;
 *     the hop's loss is then a bound, {@link #lossLow()} to {@link #loss()}
 */
public record HopStatistics(int sent, int received, int lost, int forwardLost, int backwardLost, int abandoned,
        Optional<RttStatistics> rtt, int rateLimited, int undecided) {
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
     * @param rateLimited probes not answered because their responder was shown to limit its ICMP errors
     *     ({@link ProbeStatus#RATE_LIMITED}): neither received nor lost, as abandoned ones
     * @param undecided lost probes (counted in {@code lost}) that a refusal is not excluded for
     * @throws NullPointerException if {@code rtt} is null
     * @throws IllegalArgumentException if {@code rateLimited}, {@code forwardLost} or {@code backwardLost} is
     *     negative, {@code lost} is not {@code forwardLost + backwardLost}, or {@code undecided} is not between 0
     *     and {@code lost}
     */
    public HopStatistics {
        Objects.requireNonNull(rtt, "rtt");
        if (rateLimited < 0) {
            throw new IllegalArgumentException("rateLimited " + rateLimited + " must not be negative");
        }
        if (undecided < 0 || undecided > lost) {
            throw new IllegalArgumentException("undecided " + undecided + " must be 0 to lost " + lost);
        }
        if (forwardLost < 0 || backwardLost < 0 || forwardLost + backwardLost != lost) {
            throw new IllegalArgumentException("lost " + lost + " must be forwardLost " + forwardLost
                    + " + backwardLost " + backwardLost);
        }
    }

    /**
     * Statistics whose every loss is decided (none {@link #undecided}).
     *
     * @param sent probes sent at this TTL (send failures excluded; pending and abandoned ones included)
     * @param received probes answered (replies and unreachables)
     * @param lost probes that timed out: {@code forwardLost + backwardLost}
     * @param forwardLost lost probes that were probably lost on the way out
     * @param backwardLost lost probes that went on
     * @param abandoned probes sent but neither answered nor given up when the trace ended
     * @param rtt RTT statistics, empty when nothing answered
     * @param rateLimited probes a responder shown to limit left unanswered ({@link ProbeStatus#RATE_LIMITED})
     */
    public HopStatistics(int sent, int received, int lost, int forwardLost, int backwardLost, int abandoned,
            Optional<RttStatistics> rtt, int rateLimited) {
        this(sent, received, lost, forwardLost, backwardLost, abandoned, rtt, rateLimited, 0);
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
     * {@return the lost probes the evidence decided were lost: {@code lost − undecided}, the loss a result claims}
     */
    public int decidedLost() {
        return lost - undecided;
    }

    /**
     * {@return the least loss the evidence allows, 0.0 to 1.0: {@link #loss()} with the {@link #undecided} misses
     * taken as refusals (not lost, and not decided either way); equal to {@link #loss()} when none is undecided}
     * The hop's loss lies between this and {@link #loss()}, the most it can be.
     */
    public double lossLow() {
        int completed = received + lost - undecided;
        return completed == 0 ? 0.0 : (double) (lost - undecided) / completed;
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
     * {@return the loss as the evidence bounds it, {@code "0-48%"} ({@link #lossLow()} to {@link #loss()}, whole
     * percents, the low end rounded down and the high end up); {@link #loss()} alone, {@code "48.0%"}, when no loss
     * is {@link #undecided}}
     */
    public String lossRange() {
        if (undecided == 0) {
            return Text.percent(loss());
        }
        return (int) Math.floor(lossLow() * 100 + 1e-9) + "-" + (int) Math.ceil(loss() * 100 - 1e-9) + "%";
    }

    /**
     * {@return what a trace's hop line says of its misses, each part after two spaces: {@code "  (loss: 1 forward,
     * 0 backward)"}; with undecided misses the bound first, {@code "  (loss 0-34 %: 1 forward, 0 backward, 1 may have
     * been refused)"}; then {@code "  (rate-limited: 3)"}; "" when nothing was missed}
     */
    public String missesText() {
        StringBuilder b = new StringBuilder();
        if (lost > 0) {
            b.append(undecided > 0 ? "  (loss " + lossRange().replace("%", " %") + ": " : "  (loss: ")
                    .append(forwardLost).append(" forward, ").append(backwardLost).append(" backward");
            if (undecided > 0) {
                b.append(", ").append(undecided).append(" may have been refused");
            }
            b.append(')');
        }
        if (rateLimited > 0) {
            b.append("  (rate-limited: ").append(rateLimited).append(')');
        }
        return b.toString();
    }

    /**
     * As mtr sums a hop up, with the loss split and what the counters exclude:
     * {@code "3 sent, 2 received, 33.3% loss (1 forward, 0 backward), min/avg/max/mdev = ... ms, last ..."},
     * then {@code ", 1 may have been refused"}, {@code ", 1 rate-limited"} and {@code ", 1 abandoned"} where there
     * were any; a loss some misses leave {@link #undecided} as its bound, {@code "0-34% loss"}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(sent).append(" sent, ").append(received).append(" received, ")
                .append(undecided > 0 ? lossRange() : Text.percent(loss())).append(" loss");
        if (lost > 0) {
            b.append(" (").append(forwardLost).append(" forward, ").append(backwardLost).append(" backward)");
        }
        rtt.ifPresent(r -> b.append(", ").append(r));
        if (undecided > 0) {
            b.append(", ").append(undecided).append(" may have been refused");
        }
        if (rateLimited > 0) {
            b.append(", ").append(rateLimited).append(" rate-limited");
        }
        if (abandoned > 0) {
            b.append(", ").append(abandoned).append(" abandoned");
        }
        return b.toString();
    }
}
