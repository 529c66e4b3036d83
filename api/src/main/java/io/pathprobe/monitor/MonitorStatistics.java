package io.pathprobe.monitor;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import io.pathprobe.util.Checks;
import io.pathprobe.probe.ProbeStatus;
/**
 * The columns mtr shows for one hop, over the whole run or over the sliding window: probes sent and
 * received, loss, and the RTTs of the answered probes. {@code sent = received + lost + rateLimited}: a probe a
 * learned ICMP rate limiter left unanswered ({@link ProbeStatus#RATE_LIMITED}) was sent but is neither received
 * nor lost, and loss is a share of the probes answered or lost; a send that failed is not sent. Every RTT is
 * {@link Duration#ZERO} while nothing was received (as mtr prints 0.0).
 *
 * <p>Percentiles are nearest rank. Over the window they are exact; over the whole run they come from a
 * log histogram of 16 linear buckets per octave and are within 3.2 % of the true value (never beyond
 * {@link #best()} and {@link #worst()}).
 *
 * @param sent probes sent: answered, lost or rate-limited
 * @param received probes answered
 * @param last the RTT of the most recent answer
 * @param best the smallest RTT
 * @param avg the mean RTT
 * @param worst the largest RTT
 * @param stdev the sample standard deviation of the RTTs (divided by n − 1, as mtr's StDev); zero with fewer
 *     than two answers
 * @param jitter the RFC 3550 interarrival jitter of consecutive answers, {@code J += (|D| − J) / 16}
 * @param p50 the median RTT
 * @param p90 the 90th percentile RTT
 * @param p99 the 99th percentile RTT
 * @param rateLimited probes sent that nothing says the path lost ({@link ProbeStatus#RATE_LIMITED}: a learned
 *     limiter's refusals, misses while a router's budget may have been spent by another prober, a router's
 *     silence while later hops answered): neither received nor lost
 */
public record MonitorStatistics(long sent, long received, Duration last, Duration best, Duration avg, Duration worst,
        Duration stdev, Duration jitter, Duration p50, Duration p90, Duration p99, long rateLimited) {

    /** Nothing sent. */
    public static final MonitorStatistics NONE = new MonitorStatistics(0, 0, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

    /**
     * Checks the components (see the record's description).
     *
     * @param sent probes sent: answered, lost or rate-limited
     * @param received probes answered
     * @param last the RTT of the most recent answer
     * @param best the smallest RTT
     * @param avg the mean RTT
     * @param worst the largest RTT
     * @param stdev the sample standard deviation of the RTTs (divided by n − 1, as mtr's StDev); zero with fewer
     *     than two answers
     * @param jitter the RFC 3550 interarrival jitter of consecutive answers, {@code J += (|D| − J) / 16}
     * @param p50 the median RTT
     * @param p90 the 90th percentile RTT
     * @param p99 the 99th percentile RTT
     * @param rateLimited probes sent that a learned ICMP rate limiter refused: neither received nor lost
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code received} or {@code rateLimited} is negative, or their sum is above
     *     {@code sent}
     */
    public MonitorStatistics {
        if (received < 0 || rateLimited < 0 || received > sent - rateLimited) {
            throw new IllegalArgumentException("received " + received + " + rateLimited " + rateLimited
                    + " must be 0.." + sent);
        }
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(best, "best");
        Objects.requireNonNull(avg, "avg");
        Objects.requireNonNull(worst, "worst");
        Objects.requireNonNull(stdev, "stdev");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p90, "p90");
        Objects.requireNonNull(p99, "p99");
    }

    /**
     * Statistics without rate-limited probes.
     *
     * @param sent probes sent: answered or lost
     * @param received probes answered
     * @param last the RTT of the most recent answer
     * @param best the smallest RTT
     * @param avg the mean RTT
     * @param worst the largest RTT
     * @param stdev the sample standard deviation of the RTTs
     * @param jitter the RFC 3550 interarrival jitter of consecutive answers
     * @param p50 the median RTT
     * @param p90 the 90th percentile RTT
     * @param p99 the 99th percentile RTT
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code received} is negative or above {@code sent}
     */
    public MonitorStatistics(long sent, long received, Duration last, Duration best, Duration avg, Duration worst,
            Duration stdev, Duration jitter, Duration p50, Duration p90, Duration p99) {
        this(sent, received, last, best, avg, worst, stdev, jitter, p50, p90, p99, 0);
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
     * Snt, Last, Avg, Best, Wrst, StDev, milliseconds), then jitter and percentiles:
     * {@code "  jitter 0.0, p50/p90/p99 0.1/0.2/0.2 ms"}, then {@code ", 3 rate-limited"} when a limiter refused some.
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%5.1f%% %5d %6.1f %5.1f %5.1f %5.1f %5.1f  jitter %.1f, p50/p90/p99 %.1f/%.1f/%.1f ms",
                100 * loss(), sent, ms(last), ms(avg), ms(best), ms(worst), ms(stdev), ms(jitter), ms(p50), ms(p90),
                ms(p99)) + (rateLimited > 0 ? ", " + rateLimited + " rate-limited" : "");
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
