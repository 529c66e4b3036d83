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
 * <p>Meters (counters unless said otherwise):
 * <ul>
 *   <li>{@code pathprobe.probes.sent}, {@code pathprobe.probes.send.failures}</li>
 *   <li>{@code pathprobe.probes.timeouts}, {@code pathprobe.probes.abandoned}; {@code pathprobe.probes.pending}
 *   (gauge)</li>
 *   <li>{@code pathprobe.answers} with tag {@code result} = {@code matched}, {@code late}, {@code unmatched}</li>
 *   <li>{@code pathprobe.answers.dropped} with tag {@code reason} = each {@link DropReason}, lower case</li>
 *   <li>{@code pathprobe.ratelimit.wait} (seconds), {@code pathprobe.ratelimit.waits}</li>
 *   <li>{@code pathprobe.measurements.active} (gauge) with tag {@code kind} = {@code trace}, {@code ping},
 *       {@code multipath}, {@code bufferbloat}, {@code monitor}</li>
 * </ul>
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
        counter(registry, "pathprobe.probes.sent", "Probes handed to a transport", Tags.empty(),
                s -> s.probesSent());
        counter(registry, "pathprobe.probes.send.failures", "Probes the operating system refused", Tags.empty(),
                s -> s.sendFailures());
        counter(registry, "pathprobe.probes.timeouts", "Probes given up: no answer within their wait", Tags.empty(),
                s -> s.timeouts());
        counter(registry, "pathprobe.probes.abandoned", "Probes given up without waiting (measurement or path ended)",
                Tags.empty(), s -> s.abandoned());
        gauge(registry, "pathprobe.probes.pending", "Probes sent and not yet decided", Tags.empty(), s -> s.pending());
        counter(registry, "pathprobe.answers", "Answers that decided a probe", Tags.of("result", "matched"),
                s -> s.answersMatched());
        counter(registry, "pathprobe.answers", "Answers to a probe already decided", Tags.of("result", "late"),
                s -> s.lateAnswers());
        counter(registry, "pathprobe.answers", "Answers to probes beyond the end of a path (normal for traces)",
                Tags.of("result", "beyond_path"), s -> s.answersBeyondPath());
        counter(registry, "pathprobe.answers", "Answers no probe could take", Tags.of("result", "unmatched"),
                s -> s.unmatchedAnswers());
        for (DropReason reason : DropReason.values()) {
            counter(registry, "pathprobe.answers.dropped", "Messages a transport read and did not deliver",
                    Tags.of("reason", reason.name().toLowerCase(Locale.ROOT)), s -> s.dropped(reason));
        }
        FunctionCounter.builder("pathprobe.ratelimit.wait", tracer,
                        t -> t.stats().rateLimitWait().toNanos() / 1e9)
                .description("Time probes waited for the tracer's packet-rate budget")
                .baseUnit("seconds").tags(tags).register(registry);
        counter(registry, "pathprobe.ratelimit.waits", "Times the packet-rate budget held probes back", Tags.empty(),
                s -> s.rateLimitWaits());
        for (TracerStats.MeasurementKind kind : TracerStats.MeasurementKind.values()) {
            gauge(registry, "pathprobe.measurements.active", "Measurements running now",
                    Tags.of("kind", kind.name().toLowerCase(Locale.ROOT)), s -> s.active(kind));
        }
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra,
            ToDoubleFunction<TracerStats> f) {
        FunctionCounter.builder(name, tracer, t -> f.applyAsDouble(t.stats()))
                .description(description).tags(tags).tags(extra).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags extra,
            ToDoubleFunction<TracerStats> f) {
        Gauge.builder(name, tracer, t -> f.applyAsDouble(t.stats()))
                .description(description).tags(tags).tags(extra).register(registry);
    }
}
