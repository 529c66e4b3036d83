package io.pathprobe.agent.sink;

import io.pathprobe.MeasurementType;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One result of the agent's schedule, as the sinks receive it.
 *
 * @param job the job's name in the configuration
 * @param kind what was measured
 * @param target the target as configured (a ping of several targets: the first, and {@link #result} has all)
 * @param labels the job's labels
 * @param time when the measurement ended
 * @param result a {@link TraceResult}, {@link PingResult}, {@link MonitorRound}, {@link MultipathResult} or
 *     {@link MtuResult}; or, a run that failed, a {@link Failure}
 */
public record AgentRecord(String job, MeasurementType<?, ?> kind, String target, Map<String, String> labels,
        Instant time, Object result) {
    /**
     * A run that failed: written by the {@code pathprobe} format as {@code "error"} in place of {@code "result"},
     * skipped by the others (they have no record for it).
     *
     * @param error why, in one line
     */
    public record Failure(String error) {
        /** Checks. */
        public Failure {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The kinds of measurement the agent schedules: trace, ping, monitor, multipath and mtu. */
    public static final List<MeasurementType<?, ?>> KINDS = List.of(MeasurementType.TRACE, MeasurementType.PING,
            MeasurementType.MONITOR, MeasurementType.MULTIPATH, MeasurementType.MTU);

    /** Checks that the result is one the kind has, and copies the labels. */
    public AgentRecord {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(result, "result");
        labels = Map.copyOf(labels);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("the agent does not schedule " + kind);
        }
        // a monitor job's records are its rounds
        Class<?> expected = kind == MeasurementType.MONITOR ? MonitorRound.class : kind.resultType();
        if (!expected.isInstance(result) && !(result instanceof Failure)) {
            throw new IllegalArgumentException(kind + " record with a " + result.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return time + " " + job + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + target + labels;
    }
}
