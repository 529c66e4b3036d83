package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.bufferbloat.RpmCategory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BufferbloatStrategy} has measured: the samples (bounded), the phase timeline, the
 * notes, the idle latency and the directions, and the result built from them (draft-09's figures
 * through {@link Draft09}). Pure data, on the strategy's thread; times are nanoseconds from the start.
 */
final class BufferbloatRecord {
    /** Time between two pings of one target (the adapter's pings). */
    static final Duration PING_INTERVAL = Duration.ofMillis(100);

    /** One sample with its time (nanos from the start). */
    private record Sample(long at, BufferbloatPhase phase, LatencySample.Kind kind, double ms) {
        LatencySample api() {
            return new LatencySample(Duration.ofNanos(at), phase, kind, Draft09.millis(ms));
        }
    }

    private final BufferbloatRequest request;
    private final long t0;
    private final int maxSamples;
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<DirectionResult> directions = new ArrayList<>();
    private final List<long[]> timeline = new ArrayList<>(); // {start nanos from t0, phase ordinal}
    private URI server;
    private boolean tls;
    private boolean capped;
    private double lastPingMs = Double.NaN;
    private @Nullable Duration idle;

    BufferbloatRecord(BufferbloatRequest request, long t0) {
        this.request = request;
        this.t0 = t0;
        this.server = request.url();
        // ping of two targets + two probe kinds per probe slot, for the whole test
        long perSecond = 2L * (1000 / PING_INTERVAL.toMillis()) + 3L * request.probesPerSecond() + 1;
        this.maxSamples = (int) Math.min(2_000_000, perSecond * Math.max(1, request.deadline().toSeconds() + 1));
    }

    void configured(URI server, boolean tls) {
        this.server = server;
        this.tls = tls;
    }

    void note(String n) {
        if (!notes.contains(n)) {
            notes.add(n);
        }
    }

    void phaseStarted(BufferbloatPhase p, long now) {
        timeline.add(new long[] {now - t0, p.ordinal()});
    }

    double lastPingMs() {
        return lastPingMs;
    }

    int directions() {
        return directions.size();
    }

    /** Keeps a sample; null when the cap is reached. */
    @Nullable LatencySample add(long at, LatencySample.Kind kind, double ms) {
        if (kind == LatencySample.Kind.PING) {
            lastPingMs = ms;
        }
        if (samples.size() >= maxSamples) {
            capped = true;
            return null;
        }
        Sample s = new Sample(at, phaseAt(at), kind, ms);
        samples.add(s);
        return s.api();
    }

    private BufferbloatPhase phaseAt(long at) {
        BufferbloatPhase p = BufferbloatPhase.IDLE;
        for (long[] t : timeline) {
            if (t[0] <= at) {
                p = BufferbloatPhase.values()[(int) t[1]];
            }
        }
        return p;
    }

    /** The idle phase ended: its latency is the median ping, else the median TCP connect of the foreign probes. */
    void idleEnded() {
        List<Double> ping = values(BufferbloatPhase.IDLE, LatencySample.Kind.PING, 0, Long.MAX_VALUE);
        if (!ping.isEmpty()) {
            idle = Draft09.millis(Draft09.median(ping));
            return;
        }
        List<Double> tcp = values(BufferbloatPhase.IDLE, LatencySample.Kind.TCP_FOREIGN, 0, Long.MAX_VALUE);
        if (!tcp.isEmpty()) {
            idle = Draft09.millis(Draft09.median(tcp));
            notes.add("no ping answers: latencies are TCP connect times of the foreign probes");
        }
    }

    List<Double> values(BufferbloatPhase p, LatencySample.Kind k, long from, long to) {
        List<Double> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.phase() == p && s.kind() == k && s.at() >= from && s.at() < to) {
                out.add(s.ms());
            }
        }
        return out;
    }

    /** The median ping of the idle phase in ms; NaN when there is none. */
    double idleMs() {
        return idle == null ? Double.NaN : idle.toNanos() / 1e6;
    }

    /**
     * What a load phase measured besides its samples: its figures read off its delivery curve, and
     * whether its flows were opened together after the ramp.
     */
    record Measured(List<Double> goodput, double tput, List<Double> responsiveness,
            boolean tputStable, boolean rpmStable,
            int flows, long fromTick, long toTick, long window, boolean together, double rampGoodput,
            @Nullable String congestionControl) {}

    /**
     * A load phase ended: its direction, over the last MAD intervals ({@code window}) of the measured load
     * (when its flows were opened together: from their start; else from the phase's start, all of it when
     * it ran less than two windows).
     */
    void direction(BufferbloatPhase p, Measured m) {
        long from = m.fromTick() - t0;
        long to = m.toTick() - t0;
        long window = m.window();
        long measuredFrom = m.together() ? Math.max(from, to - window)
                : Math.max(from + (to - from) / 2 > to - window ? from : to - window, from);
        List<Double> ping = values(p, LatencySample.Kind.PING, measuredFrom, to);
        if (ping.isEmpty()) {
            ping = values(p, LatencySample.Kind.HTTP_FOREIGN, measuredFrom, to);
        }
        double loaded = Draft09.trimmedMean(ping);
        double p90 = Draft09.percentile(ping, 90);
        double p99 = Draft09.percentile(ping, 99);
        Draft09.Probes probes = new Draft09.Probes(values(p, LatencySample.Kind.TCP_FOREIGN, measuredFrom, to),
                values(p, LatencySample.Kind.TLS_FOREIGN, measuredFrom, to),
                values(p, LatencySample.Kind.HTTP_FOREIGN, measuredFrom, to),
                values(p, LatencySample.Kind.HTTP_SELF, measuredFrom, to));
        OptionalDouble rpm = Draft09.rpm(probes, tls);
        OptionalDouble rpmP90 = Draft09.rpmPercentile(probes, tls, 90);
        OptionalDouble rpmP99 = Draft09.rpmPercentile(probes, tls, 99);
        String name = p.name().toLowerCase(java.util.Locale.ROOT);
        if (!m.tputStable() && m.goodput().size() >= Draft09.MAD) {
            notes.add(name + ": throughput did not become stable");
        }
        double tput = m.tput();
        if (m.together()) {
            notes.add(String.format(java.util.Locale.ROOT, "%s: measured with the ramp's %d flows opened together "
                    + "once its queue drained (%.1f Mbit/s)", name, Math.max(0, m.flows()), tput / 1e6));
        }
        BufferbloatLoad used = load(m);
        if (!used.saturated() && tput > 0) {
            notes.add(String.format(java.util.Locale.ROOT, "%s: the measured load carried %.0f %% of the %.1f Mbit/s "
                    + "the ramp's flows did: it did not hold the link, so its latency is no latency under load and the "
                    + "test is not graded", name, used.saturation() * 100, used.capacityBitsPerSecond() / 1e6));
        }
        directions.add(new DirectionResult(p, Double.isNaN(loaded) ? Duration.ZERO : Draft09.millis(loaded),
                Double.isNaN(p90) ? Duration.ZERO : Draft09.millis(p90), tput, Math.max(0, m.flows()), optional(rpm),
                Draft09.confidence(m.goodput().size(), m.tputStable()),
                Draft09.confidence(m.responsiveness().size(), m.rpmStable()),
                Double.isNaN(p99) ? Duration.ZERO : Draft09.millis(p99), optional(rpmP90), optional(rpmP99), used));
    }

    /**
     * The load a direction was measured under: the capacity estimate is the higher of the ramp's goodput
     * with its final flows and the measured goodput (when the ramp's own flows were measured there is no
     * second load to hold against it: the measured goodput, saturation 1).
     */
    static BufferbloatLoad load(Measured m) {
        double tput = m.tput();
        double ramp = m.together() && !Double.isNaN(m.rampGoodput()) ? m.rampGoodput() : tput;
        double capacity = Math.max(0, Math.max(ramp, tput));
        double saturation = capacity > 0 ? Math.min(1, Math.max(0, tput) / capacity) : 0;
        return new BufferbloatLoad(Optional.ofNullable(m.congestionControl()), m.together(), capacity, saturation,
                Duration.ofNanos(Math.max(0, m.toTick() - m.fromTick())));
    }

    private static Optional<Double> optional(OptionalDouble d) {
        return d.isPresent() ? Optional.of(d.getAsDouble()) : Optional.empty();
    }

    BufferbloatResult result(BufferbloatStatus status, Instant startedAt, long now, @Nullable String loadFailure,
            boolean probeCapped) {
        List<String> n = new ArrayList<>(notes);
        if (loadFailure != null) {
            n.add(0, loadFailure);
        }
        if (capped) {
            n.add("samples capped at " + maxSamples);
        }
        Duration idleLatency = idle == null ? Duration.ZERO : idle;
        Optional<DirectionResult> down = directions.stream()
                .filter(d -> d.phase() == BufferbloatPhase.DOWNLOAD
                        || d.phase() == BufferbloatPhase.CONCURRENT).findFirst();
        Optional<DirectionResult> up = directions.stream()
                .filter(d -> d.phase() == BufferbloatPhase.UPLOAD).findFirst();
        List<Duration> loaded = directions.stream().map(DirectionResult::loadedLatency).toList();
        Duration increase = Draft09.averageIncrease(idleLatency, loaded);
        // only a test that ran its course is graded: a failed load, a time limit or a cancel measured too little
        // nor one whose load did not hold the link (an unstable regime: its latency is not the latency under load)
        boolean held = directions.stream().allMatch(d -> d.load().saturated());
        Optional<BufferbloatGrade> grade = status == BufferbloatStatus.COMPLETED && held
                ? Optional.of(BufferbloatGrade.of(increase)) : Optional.empty();
        OptionalDouble rpm = directions.stream().filter(d -> d.rpm().isPresent())
                .mapToDouble(d -> d.rpm().get()).average();
        List<MeasurementConfidence> cs = new ArrayList<>();
        for (DirectionResult d : directions) {
            cs.add(d.throughputConfidence());
            cs.add(d.rpmConfidence());
        }
        MeasurementConfidence conf = directions.isEmpty() ? MeasurementConfidence.LOW : Draft09.lowest(cs);
        if (probeCapped) {
            n.add("probes capped to 5 % of the measured capacity");
        }
        return new BufferbloatResult(request, server, status, startedAt,
                Duration.ofNanos(now - t0), idleLatency, down, up,
                increase, grade, rpm.isPresent() ? Optional.of(rpm.getAsDouble()) : Optional.empty(),
                rpm.isPresent() ? Optional.of(RpmCategory.of(rpm.getAsDouble())) : Optional.empty(), conf,
                samples.stream().map(Sample::api).toList(), n);
    }
}
