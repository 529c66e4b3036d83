package io.pathprobe.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pathprobe.agent.sink.SinkStatistics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The sinks' function counters and gauges, tagged {@code sink}: they read the sinks' statistics when the registry
 * is scraped (NaN for a sink that is gone, until {@link #sync} removes it). {@link #sync} registers the meters of
 * sinks that appeared since and removes those of sinks that went. Not thread-safe: {@link AgentMetrics} holds its
 * lock.
 */
final class SinkMeters {
    private final MeterRegistry registry;
    private volatile Supplier<List<SinkStatistics>> sinks = List::of;
    private final Map<String, List<Meter>> meters = new HashMap<>();

    SinkMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void bind(Supplier<List<SinkStatistics>> sinks) {
        this.sinks = sinks;
        sync();
    }

    /** Registers the meters of new sinks and removes those of sinks no longer listed. */
    void sync() {
        Set<String> names = new HashSet<>();
        for (SinkStatistics s : sinks.get()) {
            names.add(s.name());
        }
        meters.entrySet().removeIf(e -> {
            if (names.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        for (String name : names) {
            meters.computeIfAbsent(name, this::register);
        }
    }

    private List<Meter> register(String name) {
        Tags tags = Tags.of(MetricNames.SINK, name);
        return List.of(
                counter(MetricNames.SINK_WRITTEN, "Records the sink took", tags, name, SinkStatistics::written),
                counter(MetricNames.SINK_DROPPED, "Records dropped because the sink's buffer was full", tags, name,
                        SinkStatistics::dropped),
                counter(MetricNames.SINK_FAILURES, "Writes that failed (each retried)", tags, name,
                        SinkStatistics::failures),
                counter(MetricNames.SINK_FRAGMENTS, "Records a failed write left partly written in the destination "
                        + "(lines that do not parse; never counted as written)", tags, name,
                        SinkStatistics::fragments),
                Gauge.builder(MetricNames.SINK_QUEUED, this, m -> m.read(name, SinkStatistics::queued))
                        .description("Records waiting in the sink's buffer").tags(tags).strongReference(true)
                        .register(registry),
                Gauge.builder(MetricNames.SINK_UP, this, m -> m.read(name, s -> s.up() ? 1 : 0))
                        .description("1 if the sink's last write succeeded (or none was made yet), else 0")
                        .tags(tags).strongReference(true).register(registry));
    }

    private Meter counter(String metric, String description, Tags tags, String name,
            ToDoubleFunction<SinkStatistics> f) {
        return FunctionCounter.builder(metric, this, m -> m.read(name, f)).description(description).tags(tags)
                .register(registry);
    }

    /** One sink's figure now, NaN if it is no longer listed. Called by scrapes, outside the lock. */
    private double read(String name, ToDoubleFunction<SinkStatistics> f) {
        SinkStatistics s = find(name);
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }

    private @Nullable SinkStatistics find(String name) {
        for (SinkStatistics s : sinks.get()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
