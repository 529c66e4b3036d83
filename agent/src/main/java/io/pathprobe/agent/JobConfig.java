package io.pathprobe.agent;

import io.pathprobe.MeasurementType;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.options.ProbeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One job of the schedule: a kind of measurement of its targets, every {@code interval}.
 *
 * @param name unique in the schedule; the {@code job} of its records and metrics
 * @param kind trace, ping, monitor, multipath or mtu
 * @param targets host names or literal addresses
 * @param interval how often each target is measured (a monitor: its round interval); at least
 *     {@link #minimumInterval(MeasurementType<?, ?>)}
 * @param jitter each run starts up to this much later, at random (spreads jobs that share an interval)
 * @param labels added to its records and metrics
 * @param options the job's probe options over the schedule's defaults
 * @param count a ping's probes per target and run (others: unused)
 * @param probeInterval a ping's time between two probes of one target
 * @param assertions what each result must show ({@code pathprobe check}'s assertions; a ping job's on its first
 *     target), exported as {@code pathprobe_assertion_state}; empty for none. Each one the job's kind can show
 *     ({@code Assertions.refusal}): none on hops for a ping job
 */
public record JobConfig(String name, MeasurementType<?, ?> kind, List<String> targets, Duration interval,
        Duration jitter, Map<String, String> labels, ProbeOptions options, int count, Duration probeInterval,
        List<Assertion> assertions) {
    /** Checks and copies. */
    public JobConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        targets = List.copyOf(targets);
        labels = Map.copyOf(labels);
        assertions = List.copyOf(assertions);
        Objects.requireNonNull(options, "options");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("job " + name + " has no target");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("job " + name + ": interval must be positive");
        }
        if (interval.compareTo(minimumInterval(kind)) < 0) {
            throw new IllegalArgumentException("job " + name + ": interval " + interval.toMillis() + " ms is shorter "
                    + "than a " + kind.name() + " job's floor, "
                    + minimumInterval(kind).toMillis() + " ms");
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("job " + name + ": jitter must not be negative");
        }
        for (Assertion a : assertions) { // as pathprobe check refuses it: a ping job's hop assertion reads nothing
            java.util.Optional<String> refusal = Assertions.refusal(a, kind);
            if (refusal.isPresent()) {
                throw new IllegalArgumentException("job " + name + ": " + refusal.get());
            }
        }
    }

    /**
     * {@return each job's targets measured apart, by job name in the schedule's order: a ping job's first target
     * alone (its records hold all its targets under the first), every target of the others}
     *
     * @param jobs the schedule's jobs
     */
    public static Map<String, List<String>> slots(List<JobConfig> jobs) {
        Map<String, List<String>> slots = new java.util.LinkedHashMap<>();
        jobs.forEach(j -> slots.put(j.name(), j.kind() == MeasurementType.PING ? j.targets().subList(0, 1)
                : j.targets()));
        return slots;
    }

    /**
     * {@return the shortest interval of a job of this kind}: 100 ms for a monitor's rounds, 1 s for the others (a
     * trace, multipath or MTU discovery, or a ping, started more often loads the machine and the path for nothing)
     *
     * @param kind the job's kind
     */
    public static Duration minimumInterval(MeasurementType<?, ?> kind) {
        return kind == MeasurementType.MONITOR ? Duration.ofMillis(100) : Duration.ofSeconds(1);
    }
}
