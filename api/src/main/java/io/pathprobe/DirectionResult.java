package io.pathprobe;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one load phase of a bufferbloat test measured.
 *
 * @param phase {@link BufferbloatPhase#DOWNLOAD}, {@link BufferbloatPhase#UPLOAD} or {@link BufferbloatPhase#CONCURRENT}
 * @param loadedLatency the ping latency under load (trimmed mean of the last MAD intervals)
 * @param loadedLatencyP90 its 90th percentile
 * @param throughputBitsPerSecond goodput (for CONCURRENT: download + upload), over the time the final number of
 *     load connections ran (at least the last MAD intervals): the slope of the upper envelope of the bytes
 *     delivered, which on a lossy deep queue is not thrown off by data TCP holds back behind a loss
 * @param flows load connections used
 * @param rpm responsiveness per draft-09 for this phase, if probes ran
 * @param throughputConfidence draft-09 confidence of the throughput
 * @param rpmConfidence draft-09 confidence of the responsiveness
 */
public record DirectionResult(BufferbloatPhase phase, Duration loadedLatency, Duration loadedLatencyP90,
        double throughputBitsPerSecond, int flows, Optional<Double> rpm, MeasurementConfidence throughputConfidence,
        MeasurementConfidence rpmConfidence) {
    /**
     * Checks the components (see the record's description).
     *
     * @param phase {@link BufferbloatPhase#DOWNLOAD}, {@link BufferbloatPhase#UPLOAD} or
     *     {@link BufferbloatPhase#CONCURRENT}
     * @param loadedLatency the ping latency under load (trimmed mean of the last MAD intervals)
     * @param loadedLatencyP90 its 90th percentile
     * @param throughputBitsPerSecond goodput (for CONCURRENT: download + upload), over the time the final
     *     number of load connections ran (at least the last MAD intervals): the slope of the upper envelope
     *     of the bytes delivered, which on a lossy deep queue is not thrown off by data TCP holds back behind
     *     a loss
     * @param flows load connections used
     * @param rpm responsiveness per draft-09 for this phase, if probes ran
     * @param throughputConfidence draft-09 confidence of the throughput
     * @param rpmConfidence draft-09 confidence of the responsiveness
     * @throws NullPointerException if a component other than {@code throughputBitsPerSecond} and
     *     {@code flows} is null
     */
    public DirectionResult {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(loadedLatency, "loadedLatency");
        Objects.requireNonNull(loadedLatencyP90, "loadedLatencyP90");
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(throughputConfidence, "throughputConfidence");
        Objects.requireNonNull(rpmConfidence, "rpmConfidence");
    }

    /** {@return the throughput in Mbit/s} */
    public double megabitsPerSecond() {
        return throughputBitsPerSecond / 1e6;
    }

    /**
     * As the CLI's summary line: {@code "Download:         19.2 Mbit/s, 16 flows; loaded latency 120.40 ms (P90
     * 150.20 ms), 498 RPM; confidence throughput high, rpm medium"}.
     */
    @Override
    public String toString() {
        String name = phase.name().charAt(0) + phase.name().substring(1).toLowerCase(java.util.Locale.ROOT);
        return String.format(java.util.Locale.ROOT, "%-18s%.1f Mbit/s, %d flows; loaded latency %.2f ms (P90 %.2f ms)%s; "
                        + "confidence throughput %s, rpm %s", name + ":", megabitsPerSecond(), flows,
                loadedLatency.toNanos() / 1e6, loadedLatencyP90.toNanos() / 1e6,
                rpm.map(v -> String.format(java.util.Locale.ROOT, ", %.0f RPM", v)).orElse(""),
                throughputConfidence.name().toLowerCase(java.util.Locale.ROOT),
                rpmConfidence.name().toLowerCase(java.util.Locale.ROOT));
    }
}
