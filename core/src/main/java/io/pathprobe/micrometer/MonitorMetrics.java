package io.pathprobe.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pathprobe.Measurement;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds one running {@link io.pathprobe.Measurement} to a Micrometer registry: gauges and function counters that read
 * the monitor's snapshot when the registry is scraped (taken at most once per {@code refresh}, one
 * second by default, whatever the number of meters), tagged {@code target} (the request's target)
 * besides the tags given.
 *
 * <pre>{@code
 * Monitor m = tracer.start(MonitorRequest.of("198.19.0.1"));
 * new MonitorMetrics(m).bindTo(registry);
 * }</pre>
 *
 * <p>Meters ({@link PathProbeMeters} documents each):
 * <ul>
 *   <li>{@code pathprobe.monitor.hop.loss.ratio} (gauge, 0..1 over the window) and
 *       {@code pathprobe.monitor.hop.rtt.avg} (gauge, seconds, the window's mean RTT), tag {@code hop}: one of
 *       each per TTL from the request's first to its largest TTL, NaN for a TTL beyond the current path
 *       or without answers;</li>
 *   <li>{@code pathprobe.monitor.loss.ratio} and {@code pathprobe.monitor.rtt.avg}: the same end to end (the
 *       destination's own probes, over the whole run);</li>
 *   <li>{@code pathprobe.path.hops} (gauge): the current path's hop count, NaN while the destination
 *       was not reached;</li>
 *   <li>{@code pathprobe.monitor.path.changes} and {@code pathprobe.monitor.rounds}: function counters.</li>
 * </ul>
 * The gauges hold this binder (and so the monitor's handle) strongly: remove them from the registry when the
 * monitor is no longer of interest.
 */
public final class MonitorMetrics implements MeterBinder {
    private final Measurement<MonitorRequest, MonitorResult> monitor;
    private final Iterable<Tag> tags;
    private final long refreshNanos;
    private final LongSupplier clock;
    private volatile Optional<MonitorResult> cached = Optional.empty();
    private volatile long takenAt;

    public MonitorMetrics(Measurement<MonitorRequest, MonitorResult> monitor) {
        this(monitor, Tags.empty());
    }

    /** With these tags on every meter besides {@code target}. */
    public MonitorMetrics(Measurement<MonitorRequest, MonitorResult> monitor, Iterable<Tag> tags) {
        this(monitor, tags, Duration.ofSeconds(1), System::nanoTime);
    }

    /** With the snapshot refreshed at most once per {@code refresh} of {@code clock} (nanoseconds; tests). */
    public MonitorMetrics(Measurement<MonitorRequest, MonitorResult> monitor, Iterable<Tag> tags,
            Duration refresh, LongSupplier clock) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and(PathProbeMeters.Tag.TARGET.asString(),
                monitor.request().target());
        this.refreshNanos = refresh.toNanos();
        this.clock = clock;
    }

    /** The monitor's snapshot, taken again once the last is older than the refresh period. */
    MonitorResult current() {
        long now = clock.getAsLong();
        Optional<MonitorResult> c = cached;
        if (c.isEmpty() || now - takenAt >= refreshNanos) {
            c = Optional.of(monitor.snapshot());
            cached = c;
            takenAt = now;
        }
        return c.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        int first = monitor.request().trace().firstTtl();
        int last = monitor.request().trace().maxTtl();
        for (int ttl = first; ttl <= last; ttl++) {
            int t = ttl;
            Tags hopTag = Tags.of(PathProbeMeters.Tag.HOP.asString(), Integer.toString(ttl));
            gauge(registry, PathProbeMeters.MONITOR_HOP_LOSS, hopTag,
                    m -> hop(m, t).map(h -> ratio(h.window())).orElse(Double.NaN));
            gauge(registry, PathProbeMeters.MONITOR_HOP_RTT_AVG, hopTag,
                    m -> hop(m, t).map(h -> seconds(h.window())).orElse(Double.NaN));
        }
        gauge(registry, PathProbeMeters.MONITOR_LOSS, Tags.empty(), m -> ratio(m.endToEnd()));
        gauge(registry, PathProbeMeters.MONITOR_RTT_AVG, Tags.empty(), m -> seconds(m.endToEnd()));
        gauge(registry, PathProbeMeters.PATH_HOPS, Tags.empty(),
                m -> m.path().destinationReached() ? m.path().lastTtl() : Double.NaN);
        counter(registry, PathProbeMeters.MONITOR_PATH_CHANGES, MonitorResult::pathChanges);
        counter(registry, PathProbeMeters.MONITOR_ROUNDS, MonitorResult::rounds);
    }

    private static Optional<MonitorHop> hop(MonitorResult m, int ttl) {
        return ttl > m.path().lastTtl() ? Optional.empty() : m.hop(ttl);
    }

    private static double ratio(MonitorStatistics s) {
        return s.sent() - s.rateLimited() == 0 ? Double.NaN : s.loss(); // of the probes answered or lost
    }

    private static double seconds(MonitorStatistics s) {
        return s.rtt().map(r -> r.avg().toNanos() / 1e9).orElse(Double.NaN);
    }

    private void gauge(MeterRegistry registry, PathProbeMeters meter, Tags extra, ToDoubleFunction<MonitorResult> f) {
        Gauge.builder(meter.getName(), this, x -> f.applyAsDouble(x.current())).description(meter.description())
                .baseUnit(meter.getBaseUnit()).tags(tags).tags(extra).strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, PathProbeMeters meter, ToDoubleFunction<MonitorResult> f) {
        FunctionCounter.builder(meter.getName(), this, x -> f.applyAsDouble(x.current()))
                .description(meter.description()).baseUnit(meter.getBaseUnit()).tags(tags).register(registry);
    }
}
