package io.pathprobe.bufferbloat;

import io.pathprobe.util.Checks;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a bufferbloat test measured: latency idle and under load, the DSLReports grade of the
 * increase, responsiveness (RPM) per draft-ietf-ippm-responsiveness-09, throughput per direction,
 * and every sample.
 *
 * @param request the request
 * @param server the responsiveness server's configuration URL actually used
 * @param status how it ended
 * @param startedAt when it started
 * @param duration how long it ran
 * @param idleLatency the ping latency before any load (median of the idle samples)
 * @param download the download phase (or the concurrent phase for {@link LoadDirection#CONCURRENT}), if it ran
 * @param upload the upload phase, if it ran
 * @param latencyIncrease loaded minus idle latency, averaged over the directions that ran (DSLReports)
 * @param grade the grade of {@link #latencyIncrease}: present only for a {@link BufferbloatStatus#COMPLETED} test
 *     (a test whose load failed, that hit its time limit or was cancelled measured too little to grade) whose
 *     loads all held the link ({@link BufferbloatLoad#saturated()}; a load that did not is an unstable regime,
 *     and the notes say which)
 * @param rpm responsiveness over the loaded phases (draft-09: (foreign + loaded) / 2), if probes ran
 * @param rpmCategory the category of {@link #rpm}, if any
 * @param confidence the lowest confidence over what was measured
 * @param samples every latency sample, in time order (bounded by the test's length and probe rate)
 * @param notes what the caller should know (HTTP/1.1 fallback: no self probes; probes capped to 5 %
 *     of capacity; a phase not stable)
 */
public record BufferbloatResult(BufferbloatRequest request, URI server, BufferbloatStatus status, Instant startedAt,
        Duration duration, Duration idleLatency, Optional<DirectionResult> download, Optional<DirectionResult> upload,
        Duration latencyIncrease, Optional<BufferbloatGrade> grade, Optional<Double> rpm,
        Optional<RpmCategory> rpmCategory,
        MeasurementConfidence confidence, List<LatencySample> samples, List<String> notes) {
    /**
     * Checks the components (see the record's description) and copies {@code samples} and {@code notes}.
     *
     * @param request the request
     * @param server the responsiveness server's configuration URL actually used
     * @param status how it ended
     * @param startedAt when it started
     * @param duration how long it ran
     * @param idleLatency the ping latency before any load (median of the idle samples)
     * @param download the download phase (or the concurrent phase for {@link LoadDirection#CONCURRENT}), if
     *     it ran
     * @param upload the upload phase, if it ran
     * @param latencyIncrease loaded minus idle latency, averaged over the directions that ran (DSLReports)
     * @param grade the grade of {@link #latencyIncrease}, present only for a {@link BufferbloatStatus#COMPLETED} test
     *     whose loads all held the link
     * @param rpm responsiveness over the loaded phases (draft-09: (foreign + loaded) / 2), if probes ran
     * @param rpmCategory the category of {@link #rpm}, if any
     * @param confidence the lowest confidence over what was measured
     * @param samples every latency sample, in time order (bounded by the test's length and probe rate)
     * @param notes what the caller should know (HTTP/1.1 fallback: no self probes; probes capped to 5 % of
     *     capacity; a phase not stable)
     * @throws NullPointerException if a component is null, or {@code samples} or {@code notes} holds null
     */
    public BufferbloatResult {
        Checks.nonNull("request", request, "server", server, "status", status, "startedAt", startedAt,
                "duration", duration, "idleLatency", idleLatency, "download", download, "upload", upload,
                "latencyIncrease", latencyIncrease, "grade", grade, "rpm", rpm, "rpmCategory", rpmCategory,
                "confidence", confidence);
        samples = List.copyOf(samples);
        notes = List.copyOf(notes);
    }

    /**
     * As networkQuality and the CLI summarise a test, one fact per line: server, status and time,
     * idle latency, each direction ({@link DirectionResult#toString()}), the latency increase and
     * its grade, responsiveness (RPM and category), confidence, then the notes.
     */
    @Override
    public String toString() {
        java.util.Locale l = java.util.Locale.ROOT;
        StringBuilder b = new StringBuilder();
        b.append("Server:           ").append(server).append('\n');
        b.append(String.format(l, "Status:           %s (%.1f s)\n", status.name().toLowerCase(l),
                duration.toNanos() / 1e9));
        b.append(String.format(l, "Idle latency:     %.2f ms\n", idleLatency.toNanos() / 1e6));
        download.ifPresent(d -> b.append(d).append('\n'));
        upload.ifPresent(d -> b.append(d).append('\n'));
        b.append(String.format(l, "Latency increase: %.2f ms  -> %s\n", latencyIncrease.toNanos() / 1e6,
                grade.map(g -> "grade " + g.text()).orElse("not graded (" + (status == BufferbloatStatus.COMPLETED
                        ? "a load did not hold the link" : status.name().toLowerCase(l).replace('_', ' ')) + ")")));
        b.append("Responsiveness:   ").append(rpm.map(v -> String.format(l, "%.0f RPM (%s)", v,
                rpmCategory.map(c -> c.name().toLowerCase(l)).orElse("?"))).orElse("-")).append('\n');
        b.append("Confidence:       ").append(confidence.name().toLowerCase(l));
        for (String n : notes) {
            b.append("\nNote: ").append(n);
        }
        return b.toString();
    }
}
