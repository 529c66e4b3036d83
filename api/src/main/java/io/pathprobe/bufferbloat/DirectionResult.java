package io.pathprobe.bufferbloat;

import io.pathprobe.util.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * What one load phase of a bufferbloat test measured.
 *
 * @param phase {@link BufferbloatPhase#DOWNLOAD}, {@link BufferbloatPhase#UPLOAD} or
 *     {@link BufferbloatPhase#CONCURRENT}
 * @param loadedLatency the ping latency under load (trimmed mean of the last MAD intervals)
 * @param loadedLatencyP90 its 90th percentile
 * @param throughputBitsPerSecond goodput (for CONCURRENT: download + upload), over the time the final number of
 *     load connections ran (at least the last MAD intervals): the slope of the upper envelope of the bytes
 *     delivered, which on a lossy deep queue is not thrown off by data TCP holds back behind a loss
 * @param flows load connections used
 * @param rpm responsiveness per draft-09 for this phase, if probes ran
 * @param throughputConfidence draft-09 confidence of the throughput
 * @param rpmConfidence draft-09 confidence of the responsiveness
 * @param loadedLatencyP99 the 99th percentile of the ping latency under load (the same window)
 * @param rpmP90 responsiveness as {@code rpm} with the 90th percentile of each probe kind's round trips
 *     in place of its 95 % trimmed mean (draft-09 leaves trimmed mean or percentiles open), if probes ran
 * @param rpmP99 the same with the 99th percentile, if probes ran
 * @param load the load it was measured under: congestion control, flows opened together, saturation
 */
public record DirectionResult(BufferbloatPhase phase, Duration loadedLatency, Duration loadedLatencyP90,
        double throughputBitsPerSecond, int flows, Optional<Double> rpm, MeasurementConfidence throughputConfidence,
        MeasurementConfidence rpmConfidence, Duration loadedLatencyP99, Optional<Double> rpmP90,
        Optional<Double> rpmP99,
        BufferbloatLoad load) {
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
     * @param loadedLatencyP99 the 99th percentile of the ping latency under load
     * @param rpmP90 responsiveness with the 90th percentile of each probe kind, if probes ran
     * @param rpmP99 responsiveness with the 99th percentile of each probe kind, if probes ran
     * @param load the load it was measured under
     * @throws NullPointerException if a component other than {@code throughputBitsPerSecond} and
     *     {@code flows} is null
     */
    public DirectionResult {
        Checks.nonNull("phase", phase, "loadedLatency", loadedLatency, "loadedLatencyP90", loadedLatencyP90, "rpm", rpm,
                "throughputConfidence", throughputConfidence, "rpmConfidence", rpmConfidence,
                "loadedLatencyP99", loadedLatencyP99, "rpmP90", rpmP90, "rpmP99", rpmP99, "load", load);
    }

    /**
     * A result without the figures 0.1 added later: P99 as P90, no percentile RPMs, a load nothing more is
     * known of ({@link BufferbloatLoad#unknown}).
     *
     * @param phase {@link BufferbloatPhase#DOWNLOAD}, {@link BufferbloatPhase#UPLOAD} or
     *     {@link BufferbloatPhase#CONCURRENT}
     * @param loadedLatency the ping latency under load (trimmed mean of the last MAD intervals)
     * @param loadedLatencyP90 its 90th percentile
     * @param throughputBitsPerSecond goodput
     * @param flows load connections used
     * @param rpm responsiveness per draft-09 for this phase, if probes ran
     * @param throughputConfidence draft-09 confidence of the throughput
     * @param rpmConfidence draft-09 confidence of the responsiveness
     * @throws NullPointerException if a component other than {@code throughputBitsPerSecond} and
     *     {@code flows} is null
     */
    public DirectionResult(BufferbloatPhase phase, Duration loadedLatency, Duration loadedLatencyP90,
            double throughputBitsPerSecond, int flows, Optional<Double> rpm, MeasurementConfidence throughputConfidence,
            MeasurementConfidence rpmConfidence) {
        this(phase, loadedLatency, loadedLatencyP90, throughputBitsPerSecond, flows, rpm, throughputConfidence,
                rpmConfidence, loadedLatencyP90, Optional.empty(), Optional.empty(),
                BufferbloatLoad.unknown(throughputBitsPerSecond));
    }

    /** {@return the throughput in Mbit/s} */
    public double megabitsPerSecond() {
        return throughputBitsPerSecond / 1e6;
    }

    /**
     * As the CLI's summary line: {@code "Download:         19.2 Mbit/s, 16 flows; loaded latency 120.40 ms (P90
     * 150.20 ms, P99 160.10 ms), 498 RPM (P90 401, P99 380); confidence throughput high, rpm medium; load bbr,
     * opened together, 97 % of 19.8 Mbit/s"}.
     */
    @Override
    public String toString() {
        java.util.Locale l = java.util.Locale.ROOT;
        String name = phase.name().charAt(0) + phase.name().substring(1).toLowerCase(l);
        return String.format(l, "%-18s%.1f Mbit/s, %d flows; loaded latency %.2f ms (P90 %.2f ms, P99 %.2f ms)%s%s; "
                        + "confidence throughput %s, rpm %s; load %s", name + ":", megabitsPerSecond(), flows,
                loadedLatency.toNanos() / 1e6, loadedLatencyP90.toNanos() / 1e6, loadedLatencyP99.toNanos() / 1e6,
                rpm.map(v -> String.format(l, ", %.0f RPM", v)).orElse(""),
                rpmP90.isPresent() && rpmP99.isPresent()
                        ? String.format(l, " (P90 %.0f, P99 %.0f)", rpmP90.get(), rpmP99.get()) : "",
                throughputConfidence.name().toLowerCase(l), rpmConfidence.name().toLowerCase(l), load);
    }
}
