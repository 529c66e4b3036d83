package io.pathprobe.monitor;

import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The columns mtr shows for one hop, over the whole run or over the sliding window: probes sent and
 * received, loss, and the RTTs of the answered probes. {@code sent = received + lost + rateLimited}: a probe a
 * learned ICMP rate limiter left unanswered ({@link ProbeStatus#RATE_LIMITED}) was sent but is neither received
 * nor lost, and loss is a share of the probes answered or lost; a send that failed is not sent.
 *
 * <p>The RTTs ({@link #rtt()}) are those of every measurement ({@link RttStatistics}), with the sample standard
 * deviation (divided by n − 1, as mtr's StDev) and percentiles: exact over the window; over the whole run from a
 * log histogram of 16 linear buckets per octave, within 3.2 % of the true value (never beyond the smallest and
 * largest RTT).
 *
 * @param sent probes sent: answered, lost or rate-limited
 * @param received probes answered
 * @param rateLimited probes sent that a responder shown to limit its ICMP errors left unanswered
 *     ({@link ProbeStatus#RATE_LIMITED}: a learned limiter's refusals, a router's silence while later hops
 *     answered): neither received nor lost
 * @param rtt the RTTs of the answered probes; empty while nothing was received
 * @param jitter the RFC 3550 interarrival jitter of consecutive answers, {@code J += (|D| − J) / 16}; zero
 *     before two answers
 * @param undecided lost probes (counted in {@link #lost()}) that a refusal is not excluded for: their responder's
 *     budget may have been spent by another prober when they left, and nothing showed whether it limits; the loss
 *     is then the bound {@link #lossLow()} to {@link #loss()}
 */
public record MonitorStatistics(long sent, long received, long rateLimited, Optional<RttStatistics> rtt,
        Duration jitter, long undecided) {

    /** Nothing sent. */
    public static final MonitorStatistics NONE = new MonitorStatistics(0, 0, 0, Optional.empty(), Duration.ZERO);

    /**
     * Statistics whose every loss is decided (none {@link #undecided}).
     *
     * @param sent probes sent: answered, lost or rate-limited
     * @param received probes answered
     * @param rateLimited probes a responder shown to limit left unanswered: neither received nor lost
     * @param rtt the RTTs of the answered probes; empty while nothing was received
     * @param jitter the RFC 3550 interarrival jitter of consecutive answers
     */
    public MonitorStatistics(long sent, long received, long rateLimited, Optional<RttStatistics> rtt,
            Duration jitter) {
        this(sent, received, rateLimited, rtt, jitter, 0);
    }

    /**
     * Checks the components (see the record's description).
     *
     * @param sent probes sent: answered, lost or rate-limited
     * @param received probes answered
     * @param rateLimited probes sent that nothing says the path lost: neither received nor lost
     * @param rtt the RTTs of the answered probes; empty while nothing was received
     * @param jitter the RFC 3550 interarrival jitter of consecutive answers
     * @param undecided lost probes that a refusal is not excluded for
     * @throws NullPointerException if {@code rtt} or {@code jitter} is null
     * @throws IllegalArgumentException if {@code received} or {@code rateLimited} is negative, their sum is above
     *     {@code sent}, or {@code undecided} is not between 0 and the lost probes
     */
    public MonitorStatistics {
        if (received < 0 || rateLimited < 0 || received > sent - rateLimited) {
            throw new IllegalArgumentException("received " + received + " + rateLimited " + rateLimited
                    + " must be 0.." + sent);
        }
        if (undecided < 0 || undecided > sent - received - rateLimited) {
            throw new IllegalArgumentException("undecided " + undecided + " must be 0 to lost "
                    + (sent - received - rateLimited));
        }
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(jitter, "jitter");
    }

    /** {@return the probes lost: {@code sent − received − rateLimited}} */
    public long lost() {
        return sent - received - rateLimited;
    }

    /** {@return the share of the probes answered or lost that were lost, 0 to 1 (0 when there were none)} */
    public double loss() {
        long decided = sent - rateLimited;
        return decided == 0 ? 0 : (double) lost() / decided;
    }

    /**
     * {@return the least loss the evidence allows, 0 to 1: {@link #loss()} with the {@link #undecided} misses taken as
     * refusals; equal to {@link #loss()} when none is undecided} The loss lies between this and {@link #loss()}.
     */
    public double lossLow() {
        long decided = sent - rateLimited - undecided;
        return decided == 0 ? 0 : (double) (lost() - undecided) / decided;
    }

    /**
     * {@return what a row says of the misses after its columns: {@code "  (loss 41-52 %: 3 may have been refused)"}
     * where some loss is {@link #undecided}, then {@code "  (rate-limited: 3)"}; "" when neither}
     */
    public String missesText() {
        StringBuilder b = new StringBuilder();
        if (undecided > 0) {
            b.append("  (loss ").append((int) Math.floor(lossLow() * 100 + 1e-9)).append('-')
                    .append((int) Math.ceil(loss() * 100 - 1e-9)).append(" %: ").append(undecided)
                    .append(" may have been refused)");
        }
        if (rateLimited > 0) {
            b.append("  (rate-limited: ").append(rateLimited).append(')');
        }
        return b.toString();
    }

    /**
     * As an mtr report row without the host: {@code "  0.0%    10    0.1   0.1   0.1   0.2   0.0"} (Loss%,
     * Snt, Last, Avg, Best, Wrst, StDev, milliseconds; 0.0 while nothing was received, as mtr), then jitter and
     * percentiles: {@code "  jitter 0.0, p50/p90/p99 0.1/0.2/0.2 ms"} ({@code "  no answer"} while nothing was
     * received: no jitter nor percentile was measured), then the bound where some loss is
     * {@link #undecided} ({@code ", loss 41-52 % (3 may have been refused)"}) and {@code ", 3 rate-limited"} when a
     * limiter refused some.
     */
    @Override
    public String toString() {
        Optional<RttPercentiles> p = rtt.flatMap(RttStatistics::percentiles);
        return String.format(Locale.ROOT, "%5.1f%% %5d %6.1f %5.1f %5.1f %5.1f %5.1f", 100 * loss(), sent,
                ms(RttStatistics::last), ms(RttStatistics::avg), ms(RttStatistics::min), ms(RttStatistics::max),
                ms(RttStatistics::stdDev))
                + (rtt.isEmpty() ? "  no answer" // no jitter nor percentile to print: 0.0 would read as measured
                        : String.format(Locale.ROOT, "  jitter %.1f, p50/p90/p99 %.1f/%.1f/%.1f ms", millis(jitter),
                                p.map(q -> millis(q.p50())).orElse(0.0), p.map(q -> millis(q.p90())).orElse(0.0),
                                p.map(q -> millis(q.p99())).orElse(0.0)))
                + (undecided > 0 ? ", loss " + (int) Math.floor(lossLow() * 100 + 1e-9) + "-"
                        + (int) Math.ceil(loss() * 100 - 1e-9) + " % (" + undecided + " may have been refused)" : "")
                + (rateLimited > 0 ? ", " + rateLimited + " rate-limited" : "");
    }

    /** {@return one RTT column in milliseconds, 0 while nothing was received (as mtr prints it)} */
    double ms(java.util.function.Function<RttStatistics, Duration> column) {
        return rtt.map(r -> millis(column.apply(r))).orElse(0.0);
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
