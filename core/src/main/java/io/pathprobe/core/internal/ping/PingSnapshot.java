package io.pathprobe.core.internal.ping;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PingAccumulator} knew about one target at one moment; immutable. Definitions are those
 * of {@link PingAccumulator}; in short:
 *
 * @param sent probes sent (send failures are not reported to the accumulator, so not counted)
 * @param received probes answered within the timeout, each counted once however often it was answered
 * @param lost probes decided unanswered: given up at their timeout, or answered only after it
 * @param pending probes sent and not decided yet: neither received nor lost, and not in {@link #loss}
 * @param rateLimited probes given up at their timeout that the destination's ICMP rate limit was shown to refuse
 *     (UDP only): neither received nor lost, and not in {@link #loss}
 * @param mayBeRefused lost probes that the destination's ICMP rate limit could have refused (nothing excluded a
 *     spent bucket when they left): counted in {@code lost}, at most it
 * @param duplicates answers to a probe that had already been answered (in time or late): never received
 *     twice
 * @param late answers to a lost probe (the first after its timeout): the probe stays lost, so
 *     {@code late <= lost}
 * @param outOfOrder replies whose probe was sent before the probe of an earlier reply (arrival order
 *     against send order); late answers and duplicates do not count
 * @param unmatched answers tied to no probe this accumulator remembers (a number not sent yet, one
 *     older than the window, or an answer received before its probe was sent)
 * @param loss {@code lost / (received + lost)}, 0.0 to 1.0, over the decided probes only; 0 when none
 *     is decided yet
 * @param rtt the RTT statistics of the received probes; empty when none was received
 * @param jitter the RFC 3550 interarrival jitter estimator over the RTTs of the received probes in
 *     send order; empty until two probes were received
 * @param recent the most recent received probes (at most the accumulator's capacity), in send order
 * @param samplesDropped whether older received probes were left out of {@link #recent}: then the
 *     percentiles come from the histogram ({@link Rtt#exactPercentiles()} is false)
 */
public record PingSnapshot(
        long sent,
        long received,
        long lost,
        long pending,
        long rateLimited,
        long mayBeRefused,
        long duplicates,
        long late,
        long outOfOrder,
        long unmatched,
        double loss,
        Optional<Rtt> rtt,
        Optional<Duration> jitter,
        List<PingSample> recent,
        boolean samplesDropped) {
    public PingSnapshot {
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(jitter, "jitter");
        recent = List.copyOf(recent);
        if (sent < 0 || received < 0 || lost < 0 || pending < 0 || rateLimited < 0 || duplicates < 0 || late < 0
                || outOfOrder < 0 || unmatched < 0 || mayBeRefused < 0 || mayBeRefused > lost) {
            throw new IllegalArgumentException("counters must not be negative, and mayBeRefused at most lost");
        }
        if (received + lost + rateLimited + pending != sent) {
            throw new IllegalArgumentException("received " + received + " + lost " + lost + " + rateLimited "
                    + rateLimited + " + pending " + pending + " must be sent " + sent);
        }
        if (late > lost) {
            throw new IllegalArgumentException("late " + late + " must not exceed lost " + lost);
        }
        if (rtt.isPresent() != (received > 0)) {
            throw new IllegalArgumentException("rtt statistics exist exactly when something was received");
        }
    }

    /**
     * RTT statistics of the received probes of one target.
     *
     * @param last the RTT of the latest answer to arrive
     * @param min the smallest RTT (exact)
     * @param avg the arithmetic mean (exact up to double rounding, to the nanosecond)
     * @param max the largest RTT (exact)
     * @param mdev iputils ping's {@code mdev}: the <em>population</em> standard deviation
     *     {@code sqrt(mean(x²) − mean²)} (divides by n, not n − 1; not a "jitter")
     * @param p50 the median, nearest rank: the sample at index {@code ceil(0.50 n) − 1} of the sorted
     *     RTTs (oping's definition)
     * @param p90 nearest rank, index {@code ceil(0.90 n) − 1}
     * @param p95 nearest rank, index {@code ceil(0.95 n) − 1}
     * @param p99 nearest rank, index {@code ceil(0.99 n) − 1}
     * @param exactPercentiles true while every RTT is retained, and the percentiles are exact; false
     *     when they come from the histogram: then each is at least the exact value and exceeds it by
     *     less than 1/1024 of it (see {@link PingAccumulator})
     */
    public record Rtt(Duration last, Duration min, Duration avg, Duration max, Duration mdev, Duration p50,
            Duration p90, Duration p95, Duration p99, boolean exactPercentiles) {
        public Rtt {
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(avg, "avg");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(mdev, "mdev");
            Objects.requireNonNull(p50, "p50");
            Objects.requireNonNull(p90, "p90");
            Objects.requireNonNull(p95, "p95");
            Objects.requireNonNull(p99, "p99");
        }
    }
}
