package io.pathprobe.monitor;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttPercentiles;
import io.pathprobe.probe.RttStatistics;

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
 * @param rateLimited probes sent that nothing says the path lost ({@link ProbeStatus#RATE_LIMITED}: a learned
 *     limiter's refusals, misses while a router's budget may have been spent by another prober, a router's
 *     silence while later hops answered): neither received nor lost
 * @param rtt the RTTs of the answered probes; empty while nothing was received
 * @param jitter the RFC 3550 interarrival jitter of consecutive answers, {@code J += (|D| − J) / 16}; zero
 *     before two answers
 */
public record MonitorStatistics(long sent, long received, long rateLimited, Optional<RttStatistics> rtt,
        Duration jitter) {

    /** Nothing sent. */
    public static final MonitorStatistics NONE = new MonitorStatistics(0, 0, 0, Optional.empty(), Duration.ZERO);

    /**
     * Checks the components (see the record's description).
     *
     * @param sent probes sent: answered, lost or rate-limited
     * @param received probes answered
     * @param rateLimited probes sent that nothing says the path lost: neither received nor lost
     * @param rtt the RTTs of the answered probes; empty while nothing was received
     * @param jitter the RFC 3550 interarrival jitter of consecutive answers
     * @throws NullPointerException if {@code rtt} or {@code jitter} is null
     * @throws IllegalArgumentException if {@code received} or {@code rateLimited} is negative, or their sum is above
     *     {@code sent}
     */
    public MonitorStatistics {
        if (received < 0 || rateLimited < 0 || received > sent - rateLimited) {
            throw new IllegalArgumentException("received " + received + " + rateLimited " + rateLimited
                    + " must be 0.." + sent);
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
     * As an mtr report row without the host: {@code "  0.0%    10    0.1   0.1   0.1   0.2   0.0"} (Loss%,
     * Snt, Last, Avg, Best, Wrst, StDev, milliseconds; 0.0 while nothing was received, as mtr), then jitter and
     * percentiles: {@code "  jitter 0.0, p50/p90/p99 0.1/0.2/0.2 ms"}, then {@code ", 3 rate-limited"} when a
     * limiter refused some.
     */
    @Override
    public String toString() {
        Optional<RttPercentiles> p = rtt.flatMap(RttStatistics::percentiles);
        return String.format(Locale.ROOT, "%5.1f%% %5d %6.1f %5.1f %5.1f %5.1f %5.1f  jitter %.1f, p50/p90/p99 "
                + "%.1f/%.1f/%.1f ms", 100 * loss(), sent, ms(RttStatistics::last), ms(RttStatistics::avg),
                ms(RttStatistics::min), ms(RttStatistics::max), ms(RttStatistics::stdDev), millis(jitter),
                p.map(q -> millis(q.p50())).orElse(0.0), p.map(q -> millis(q.p90())).orElse(0.0),
                p.map(q -> millis(q.p99())).orElse(0.0))
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
