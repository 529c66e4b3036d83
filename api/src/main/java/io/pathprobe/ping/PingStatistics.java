package io.pathprobe.ping;

import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.util.Text;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
/**
 * The counters and RTT statistics of one ping target. Counters are exact however long the ping ran;
 * RTT percentiles are exact while every RTT is kept and then come from a histogram
 * ({@link RttPercentiles#exact()}), so memory stays constant per target.
 *
 * @param sent probes sent (send failures excluded)
 * @param received probes answered by the destination within the timeout, each counted once
 * @param lost probes given up: no answer within the timeout (a late answer does not change that) and no
 *     rate limit shown to refuse it ({@code rateLimited}), or answered by an ICMP error only; a target that never
 *     answered has every decided probe lost, whatever the transport
 * @param pending probes sent and not yet decided (only while running, or abandoned at the end):
 *     neither received nor lost
 * @param duplicates further answers to an already answered probe: never received twice
 * @param late answers that came after their probe's timeout; the probe stays lost ({@code late <= lost}; a
 *     rate-limited probe answered late was not refused: it becomes a late, lost one)
 * @param outOfOrder replies to a probe sent before the probe of an earlier reply
 * @param errors ICMP errors (unreachable, time exceeded) that answered probes, plus send failures
 * @param loss {@code lost / (received + lost)}, 0.0 to 1.0 (pending and rate-limited probes are neither); 0 when
 *     nothing is decided yet
 * @param rtt the RTT statistics of the received probes, with percentiles; empty when none was received
 * @param jitter the RFC 3550 interarrival jitter estimator ({@code J += (|D| − J) / 16}) over the RTTs of
 *     consecutive received probes in send order: the value itself, not mtr's 16× scaled one, not a
 *     standard deviation; empty until two probes were received
 * @param rateLimited probes sent that went unanswered where the destination's own answers showed its ICMP rate
 *     limit refusing ({@link ProbeStatus#RATE_LIMITED}: UDP pings only, whose answers are the destination's
 *     Port Unreachables; see docs/ping.md): neither received nor lost, and not in {@link #loss}
 * @param mayBeRefused lost probes that the destination's ICMP rate limit could have refused, for all the ping
 *     knows (UDP pings of a target that answered: sent while nothing excluded a spent bucket), though its answers
 *     did not show it refusing: counted in {@code lost}; {@link #lossLow()} leaves them out. 0 for a target that
 *     never answered (its loss is 100 %) and for ICMP and TCP pings
 */
public record PingStatistics(long sent, long received, long lost, long pending, long duplicates, long late,
        long outOfOrder, long errors, double loss, Optional<RttStatistics> rtt, Optional<Duration> jitter,
        long rateLimited, long mayBeRefused) {

    /** No probe sent. */
    public static final PingStatistics EMPTY =
            new PingStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0.0, Optional.empty(), Optional.empty(), 0, 0);

    /**
     * Checks the components (see the record's description).
     *
     * @param sent probes sent (send failures excluded)
     * @param received probes answered by the destination within the timeout, each counted once
     * @param lost probes given up: no answer within the timeout (a late answer does not change that) and no
     *     rate limit to explain it ({@code rateLimited}), or answered by an ICMP error only
     * @param pending probes sent and not yet decided (only while running, or abandoned at the end): neither
     *     received nor lost
     * @param duplicates further answers to an already answered probe: never received twice
     * @param late answers that came after their probe's timeout; the probe stays lost ({@code late <= lost})
     * @param outOfOrder replies to a probe sent before the probe of an earlier reply
     * @param errors ICMP errors (unreachable, time exceeded) that answered probes, plus send failures
     * @param loss {@code lost / (received + lost)}, 0.0 to 1.0; 0 when nothing is decided yet
     * @param rtt the RTT statistics of the received probes, with percentiles; empty when none was received
     * @param jitter the RFC 3550 interarrival jitter estimator ({@code J += (|D| − J) / 16}) over the RTTs of
     *     consecutive received probes in send order: the value itself, not mtr's 16× scaled one, not a
     *     standard deviation; empty until two probes were received
     * @param rateLimited probes sent that went unanswered where the destination's answers showed its ICMP rate
     *     limit refusing ({@link ProbeStatus#RATE_LIMITED}: UDP pings only): neither received nor lost, and not
     *     in {@code loss}
     * @param mayBeRefused lost probes that the destination's ICMP rate limit could have refused, though its
     *     answers did not show it: counted in {@code lost}, 0 to {@code lost}
     * @throws NullPointerException if {@code rtt} or {@code jitter} is null
     * @throws IllegalArgumentException if {@code rateLimited} is negative, {@code mayBeRefused} is not 0 to
     *     {@code lost}, or {@code received + lost + rateLimited + pending} is not {@code sent}
     */
    public PingStatistics {
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(jitter, "jitter");
        if (rateLimited < 0 || received + lost + rateLimited + pending != sent) {
            throw new IllegalArgumentException("received " + received + " + lost " + lost + " + rateLimited "
                    + rateLimited + " + pending " + pending + " must be sent " + sent);
        }
        if (mayBeRefused < 0 || mayBeRefused > lost) {
            throw new IllegalArgumentException("mayBeRefused " + mayBeRefused + " must be 0 to lost " + lost);
        }
    }

    /**
     * Statistics with nothing that the destination's rate limit could have refused ({@code mayBeRefused} 0): every
     * ICMP and TCP ping's, as before issue 68.
     *
     * @param sent probes sent (send failures excluded)
     * @param received probes answered by the destination within the timeout
     * @param lost probes given up
     * @param pending probes sent and not yet decided
     * @param duplicates further answers to an already answered probe
     * @param late answers that came after their probe's timeout
     * @param outOfOrder replies to a probe sent before the probe of an earlier reply
     * @param errors ICMP errors that answered probes, plus send failures
     * @param loss {@code lost / (received + lost)}
     * @param rtt the RTT statistics of the received probes
     * @param jitter the RFC 3550 interarrival jitter estimator
     * @param rateLimited probes the destination's rate limit was shown to refuse
     */
    public PingStatistics(long sent, long received, long lost, long pending, long duplicates, long late,
            long outOfOrder, long errors, double loss, Optional<RttStatistics> rtt, Optional<Duration> jitter,
            long rateLimited) {
        this(sent, received, lost, pending, duplicates, late, outOfOrder, errors, loss, rtt, jitter, rateLimited, 0);
    }

    /**
     * {@return the least the loss can be: {@link #loss()} with the probes the destination's rate limit could have
     * refused ({@link #mayBeRefused()}) taken as refused, neither received nor lost} Equal to {@link #loss()} when
     * there are none; 0 when nothing else is decided.
     */
    public double lossLow() {
        long lostSurely = lost - mayBeRefused;
        return received + lostSurely == 0 ? 0.0 : (double) lostSurely / (received + lostSurely);
    }

    /**
     * {@return the most the loss can be: {@link #loss()} itself, which counts every probe not shown to be refused as
     * lost} The loss lies between {@link #lossLow()} and this; the two differ only where a limiter could not be told
     * from loss ({@link #mayBeRefused()} above 0).
     */
    public double lossHigh() {
        return loss;
    }

    /**
     * As iputils ping's summary, on one line: {@code "10 sent, 9 received, 10.0% loss,
     * min/avg/max/mdev = ... ms, p50/p90/p95/p99 = ... ms, last ... ms, jitter 0.004 ms"}; pending, duplicate,
     * late, out-of-order and error counts follow where there were any, then
     * {@code "3 rate-limited (not counted as loss)"} when some were, and {@code "loss 0.0-60.0% (3 may be
     * refusals)"} when the rate limit could explain some losses.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(sent).append(" sent, ").append(received).append(" received, ")
                .append(Text.percent(loss)).append(" loss");
        rtt.ifPresent(r -> b.append(", ").append(r));
        jitter.ifPresent(j -> b.append(", jitter ").append(Text.ms(j)));
        long[] counts = {pending, duplicates, late, outOfOrder, errors};
        String[] names = {"pending", "duplicate", "late", "out of order", "error"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                b.append(", ").append(counts[i]).append(' ').append(names[i])
                        .append(counts[i] > 1 && (i == 1 || i == 4) ? "s" : "");
            }
        }
        if (rateLimited > 0) {
            b.append(", ").append(rateLimited).append(" rate-limited (not counted as loss)");
        }
        if (mayBeRefused > 0) {
            b.append(", loss ").append(Text.percent(lossLow()).replace("%", "")).append('-')
                    .append(Text.percent(lossHigh())).append(" (").append(mayBeRefused).append(" may be refusals)");
        }
        return b.toString();
    }
}
