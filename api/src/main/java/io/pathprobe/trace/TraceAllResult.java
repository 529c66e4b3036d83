package io.pathprobe.trace;

import io.pathprobe.PathTracer;
import io.pathprobe.probe.ProbeCost;
import io.pathprobe.util.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
/**
 * The result of {@link PathTracer#measure measure(TraceAllRequest)}: one {@link TraceResult} per target, in the
 * order of {@link TraceAllRequest#targets()}. Hops a trace took from the tracer's stop set rather than
 * probed say so ({@link Hop#fromStopSet()}).
 *
 * @param traces one result per target, in the request's order
 * @param status how the call ended
 * @param startedAt wall-clock time the call started
 * @param duration how long it took, set-up included
 * @param probesSent probes sent for all the targets together (send failures excluded)
 * @param hopsFromStopSet hops taken from the stop set rather than probed, over all the targets
 * @param request the request
 */
public record TraceAllResult(List<TraceResult> traces, TraceAllStatus status, Instant startedAt, Duration duration,
        long probesSent, long hopsFromStopSet, TraceAllRequest request) {

    /**
     * Checks the components (see the record's description) and copies {@code traces}.
     *
     * @param traces one result per target, in the request's order
     * @param status how the call ended
     * @param startedAt wall-clock time the call started
     * @param duration how long it took, set-up included
     * @param probesSent probes sent for all the targets together (send failures excluded)
     * @param hopsFromStopSet hops taken from the stop set rather than probed, over all the targets
     * @param request the request
     * @throws NullPointerException if a component other than the counts is null, or {@code traces} holds null
     * @throws IllegalArgumentException if a count is negative
     */
    public TraceAllResult {
        traces = List.copyOf(traces);
        Checks.nonNull("status", status, "startedAt", startedAt, "duration", duration, "request", request);
        if (probesSent < 0 || hopsFromStopSet < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + probesSent + ", " + hopsFromStopSet);
        }
    }

    /**
     * {@return what the call cost each router: its traces' {@link TraceResult#cost()} added up} Hops taken from the
     * stop set cost nothing; probes a trace does not list (beyond its destination's TTL) are not in it, so its
     * {@code probes()} may be below {@link #probesSent()}.
     */
    public ProbeCost cost() {
        return ProbeCost.sum(traces, TraceResult::cost);
    }

    /** {@return how many targets' destinations answered} */
    public long reached() {
        return traces.stream().filter(TraceResult::destinationReached).count();
    }

    /**
     * Every trace as {@link TraceResult#toString()} prints it, a blank line between them, then a summary:
     * {@code "1000 targets: 1000 reached, 4021 probes sent, 9000 hops from the stop set, COMPLETED in 5210.4 ms"}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (TraceResult t : traces) {
            b.append(t).append("\n\n");
        }
        return b.append(summary()).toString();
    }

    /**
     * {@return the last line of {@link #toString()}: targets, reached, probes sent, hops from the stop set, status and
     * time}
     */
    public String summary() {
        return String.format(Locale.ROOT,
                "%d targets: %d reached, %d probes sent, %d hops from the stop set, %s in %.1f ms",
                traces.size(), reached(), probesSent, hopsFromStopSet, status, duration.toNanos() / 1e6);
    }
}
