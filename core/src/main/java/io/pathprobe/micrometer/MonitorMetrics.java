package io.pathprobe.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.pathprobe.Measurement;
import io.pathprobe.monitor.MonitorRequest;
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
 * <p>Meters:
 * <ul>
 *   <li>{@code pathprobe.monitor.hop.loss} (gauge, ratio 0..1 over the window) and
 *       {@code pathprobe.monitor.hop.rtt} (gauge, seconds, the window's mean RTT), tag {@code ttl}: one of
 *       each per TTL from the request's first to its largest TTL, NaN for a TTL beyond the current path
 *       or without answers;</li>
 *   <li>{@code pathprobe.monitor.loss} and {@code pathprobe.monitor.rtt}: the same end to end (the
 *       destination's own probes, over the whole run);</li>
 *   <li>{@code pathprobe.monitor.hops} (gauge): the current path's hop count, NaN while the destination
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
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("target", monitor.request().target());
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
            Tags ttlTag = Tags.of("ttl", Integer.toString(ttl));
            gauge(registry, "pathprobe.monitor.hop.loss", "Loss at this TTL over the window (0..1)", ttlTag, null,
                    m -> hop(m, t).map(h -> ratio(h.window())).orElse(Double.NaN));
            gauge(registry, "pathprobe.monitor.hop.rtt", "Mean RTT at this TTL over the window", ttlTag, "seconds",
                    m -> hop(m, t).map(h -> seconds(h.window())).orElse(Double.NaN));
        }
        gauge(registry, "pathprobe.monitor.loss", "End-to-end loss over the run (0..1)", Tags.empty(), null,
                m -> ratio(m.endToEnd()));
        gauge(registry, "pathprobe.monitor.rtt", "End-to-end mean RTT over the run", Tags.empty(), "seconds",
                m -> seconds(m.endToEnd()));
        gauge(registry, "pathprobe.monitor.hops", "Hops to the destination on the current path", Tags.empty(), null,
                m -> m.path().destinationReached() ? m.path().lastTtl() : Double.NaN);
        FunctionCounter.builder("pathprobe.monitor.path.changes", this, x -> x.current().pathChanges())
                .description("Rounds that changed the path").tags(tags).register(registry);
        FunctionCounter.builder("pathprobe.monitor.rounds", this, x -> x.current().rounds())
                .description("Rounds completed").tags(tags).register(registry);
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

    private void gauge(MeterRegistry registry, String name, String description, Tags extra,
            @org.jspecify.annotations.Nullable String unit, ToDoubleFunction<MonitorResult> f) {
        Gauge.Builder<MonitorMetrics> b = Gauge.builder(name, this, x -> f.applyAsDouble(x.current()))
                .description(description).tags(tags).tags(extra).strongReference(true);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }
}
