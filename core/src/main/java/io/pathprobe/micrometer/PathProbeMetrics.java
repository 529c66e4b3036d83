package io.pathprobe.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.spi.DropReason;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a tracer's {@link PathTracer#stats()} to a Micrometer registry: function counters and gauges
 * that read the stats when the registry is scraped (nothing is counted twice, nothing runs per probe).
 *
 * <pre>{@code
 * PathTracer tracer = PathTracer.create();
 * new PathProbeMetrics(tracer, Tags.of("tracer", "main")).bindTo(registry);
 * }</pre>
 *
 * <p>Meters ({@link PathProbeMeters} documents each): {@code pathprobe.probes.sent},
 * {@code pathprobe.probes.send.failures}, {@code pathprobe.probes.timeouts}, {@code pathprobe.probes.abandoned},
 * {@code pathprobe.probes.pending} (gauge), {@code pathprobe.answers} with tag {@code result} = {@code matched},
 * {@code late}, {@code beyond_path}, {@code unmatched}, {@code pathprobe.answers.dropped} with tag {@code reason} =
 * each {@link DropReason}, lower case, {@code pathprobe.ratelimit.wait} (seconds), {@code pathprobe.ratelimit.waits}
 * and {@code pathprobe.measurements.active} (gauge) with tag {@code kind}, each measurement kind in lower case.
 * The registry holds the tracer weakly (Micrometer's default): once the tracer is unreachable its
 * meters read NaN.
 */
public final class PathProbeMetrics implements MeterBinder {
    private final PathTracer tracer;
    private final Iterable<Tag> tags;

    public PathProbeMetrics(PathTracer tracer) {
        this(tracer, Tags.empty());
    }

    /** With these tags on every meter (e.g. to tell several tracers apart). */
    public PathProbeMetrics(PathTracer tracer, Iterable<Tag> tags) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, PathProbeMeters.PROBES_SENT, Tags.empty(), s -> s.probesSent());
        counter(registry, PathProbeMeters.PROBES_SEND_FAILURES, Tags.empty(), s -> s.sendFailures());
        counter(registry, PathProbeMeters.PROBES_TIMEOUTS, Tags.empty(), s -> s.timeouts());
        counter(registry, PathProbeMeters.PROBES_ABANDONED, Tags.empty(), s -> s.abandoned());
        gauge(registry, PathProbeMeters.PROBES_PENDING, Tags.empty(), s -> s.pending());
        counter(registry, PathProbeMeters.ANSWERS, result("matched"), s -> s.answersMatched());
        counter(registry, PathProbeMeters.ANSWERS, result("late"), s -> s.lateAnswers());
        counter(registry, PathProbeMeters.ANSWERS, result("beyond_path"), s -> s.answersBeyondPath());
        counter(registry, PathProbeMeters.ANSWERS, result("unmatched"), s -> s.unmatchedAnswers());
        for (DropReason reason : DropReason.values()) {
            counter(registry, PathProbeMeters.ANSWERS_DROPPED, Tags.of(PathProbeMeters.Tag.REASON.asString(),
                    reason.name().toLowerCase(Locale.ROOT)), s -> s.dropped(reason));
        }
        counter(registry, PathProbeMeters.RATE_LIMIT_WAIT, Tags.empty(), s -> s.rateLimitWait().toNanos() / 1e9);
        counter(registry, PathProbeMeters.RATE_LIMIT_WAITS, Tags.empty(), s -> s.rateLimitWaits());
        for (io.pathprobe.MeasurementType<?, ?> kind : io.pathprobe.MeasurementType.all()) {
            gauge(registry, PathProbeMeters.MEASUREMENTS_ACTIVE, Tags.of(PathProbeMeters.Tag.KIND.asString(),
                    kind.name()), s -> s.active(kind));
        }
    }

    private static Tags result(String result) {
        return Tags.of(PathProbeMeters.Tag.RESULT.asString(), result);
    }

    private void counter(MeterRegistry registry, PathProbeMeters meter, Tags extra, ToDoubleFunction<TracerStats> f) {
        FunctionCounter.builder(meter.getName(), tracer, t -> f.applyAsDouble(t.stats()))
                .description(meter.description()).baseUnit(meter.getBaseUnit()).tags(tags).tags(extra)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, PathProbeMeters meter, Tags extra, ToDoubleFunction<TracerStats> f) {
        Gauge.builder(meter.getName(), tracer, t -> f.applyAsDouble(t.stats()))
                .description(meter.description()).baseUnit(meter.getBaseUnit()).tags(tags).tags(extra)
                .register(registry);
    }
}
