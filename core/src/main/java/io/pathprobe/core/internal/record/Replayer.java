package io.pathprobe.core.internal.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.WallClock;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.core.internal.runtime.Ended;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.RecordingException;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Replays a recording (see the package): builds an engine on the record, runs each measurement, compares. */
public final class Replayer {
    /** Builds the replayed engine (the tracer's own factory: this package does not depend on it). */
    @FunctionalInterface
    public interface Engine {
        /**
         * A tracer on this loop, clock, pool (set-up, callbacks and enrichment alike), lookups, wall clock and
         * resolver; {@code stopLoop} and {@code stopThreads} are its lifecycle's.
         */
        PathTracer create(TracerSettings settings, TransportRegistry registry, Scheduler loop, Ticker ticker,
                java.util.concurrent.Executor pool, HostLookups lookups, WallClock wallClock, HostResolver resolver,
                Runnable stopLoop, Runnable stopThreads);
    }

    /** Fake time a replay that left the record may run past the recording's last reading before it stops. */
    static final long OVERRUN_NANOS = 3_600_000_000_000L;

    private Replayer() {}

    /** The outcome of one measurement. */
    private static final class Outcome {
        final ReplayLog.Measurement recorded;
        final Object request;
        @Nullable Object result;
        @Nullable String failure;
        boolean ended;

        Outcome(ReplayLog.Measurement recorded, Object request) {
            this.recorded = recorded;
            this.request = request;
        }
    }

    /**
     * Replays {@code file}.
     *
     * @throws RecordingException if it cannot be read or replayed
     */
    public static ReplayResult replay(Path file, Engine engine) {
        ReplayLog log = ReplayLog.read(file);
        JsonNode tracerLine = log.tracer;
        if (tracerLine == null || log.measurements.isEmpty()) {
            throw new RecordingException(file, "holds no measurement" + (log.truncated ? " (it is cut before the "
                    + "first one was recorded)" : ""), null);
        }
        Map<Long, Outcome> outcomes = new LinkedHashMap<>();
        for (ReplayLog.Measurement m : log.measurements.values()) {
            try {
                outcomes.put(m.id, new Outcome(m, RequestCodec.read(m.kind, m.request)));
            } catch (Codec.BadRecord | IllegalArgumentException e) {
                throw new RecordingException(file, "measurement " + m.id + " (" + m.kind + "): its request cannot be "
                        + "read: " + e.getMessage(), e);
            }
        }
        if (log.segment > 1) {
            // a later segment of a rotated recording: the engine's state before it is gone; its results stand
            return result(log, outcomes, Optional.of("segment " + log.segment + " of a rotated recording: only the "
                    + "first segment of a measurement replays; the results recorded in this one are given"), true);
        }
        ReplayLoop loop = new ReplayLoop(log);
        ReplayTransports transports = new ReplayTransports(log, loop);
        ReplayLookups lookups = new ReplayLookups(log, loop);
        loop.events(root -> transports.fire(root) || lookups.fire(root));
        TracerSettings settings = new TracerSettings(null, Codec.optString(tracerLine, "preferredTransport"),
                tracerLine.path("packetsPerSecond").asInt(0), tracerLine.path("burst").asInt(1), lookups.resolver(),
                null, EnrichmentSettings.OFFLINE);
        JsonNode user = log.userTransport;
        TransportRegistry registry = user != null ? TransportRegistry.of(transports.userTransport(user))
                : TransportRegistry.withPreferred(settings.preferredTransport(), transports.providers(), List.of());
        PathTracer tracer = engine.create(settings, registry, loop, loop, loop.pool(), lookups, loop,
                lookups.resolver(), loop::runQueued, loop::clear);
        loop.finished(() -> outcomes.values().stream().allMatch(o -> o.ended));
        try {
            for (Outcome o : outcomes.values()) {
                try {
                    Ended handle = start(tracer, o.request);
                    loop.measurement(o.recorded.id, handle);
                    handle.whenEnded((r, e) -> {
                        o.ended = true;
                        o.result = r;
                        o.failure = e == null ? null : String.valueOf(e);
                    });
                } catch (RuntimeException e) {
                    o.ended = true;
                    o.failure = e.toString();
                }
            }
            long limit = log.lastTick == Long.MIN_VALUE ? Long.MAX_VALUE : log.lastTick + OVERRUN_NANOS;
            loop.runUntil(() -> outcomes.values().stream().allMatch(o -> o.ended)
                    || (!loop.following() && loop.time() > limit));
            for (Outcome o : outcomes.values()) {
                if (!o.ended && o.recorded.result != null) {
                    // the recording's measurement ended (the application cancelled it): end the replayed one too
                    Ended h = loop.measurementOf(o.recorded.id);
                    if (h != null) {
                        h.requestCancel();
                    }
                }
            }
            loop.runUntil(() -> outcomes.values().stream().allMatch(o -> o.ended)
                    || (!loop.following() && loop.time() > limit + OVERRUN_NANOS));
        } finally {
            tracer.close();
        }
        return result(log, outcomes, Optional.ofNullable(loop.divergence()), false);
    }

    private static Ended start(PathTracer tracer, Object request) {
        Object handle;
        if (request instanceof TraceRequest r) {
            handle = tracer.start(r);
        } else if (request instanceof TraceAllRequest r) {
            handle = tracer.start(r);
        } else if (request instanceof MonitorRequest r) {
            handle = tracer.start(r);
        } else if (request instanceof MultipathRequest r) {
            handle = tracer.start(r);
        } else if (request instanceof MtuRequest r) {
            handle = tracer.start(r);
        } else if (request instanceof PingRequest r) {
            handle = tracer.start(r);
        } else {
            throw new IllegalArgumentException("not replayed: " + request.getClass().getSimpleName());
        }
        return (Ended) handle;
    }

    private static ReplayResult result(ReplayLog log, Map<Long, Outcome> outcomes, Optional<String> divergence,
            boolean recordedOnly) {
        List<ReplayedMeasurement> out = new ArrayList<>();
        for (Outcome o : outcomes.values()) {
            Optional<String> recorded = Optional.ofNullable(o.recorded.result).map(Documents::compact);
            Optional<Object> result = Optional.ofNullable(o.result);
            Optional<String> replayed = result.map(r -> Documents.compact(Documents.tree(o.recorded.kind, o.request, r,
                    log.masking)));
            Optional<String> failure = Optional.ofNullable(o.failure);
            if (recordedOnly) {
                failure = Optional.of("not replayed: " + divergence.orElse(""));
            } else if (result.isEmpty() && failure.isEmpty()) {
                failure = Optional.of("did not end in the replay");
            }
            out.add(new ReplayedMeasurement(o.recorded.kind, o.request, result, failure, recorded, replayed));
        }
        return new ReplayResult(log.file.toString(), log.format, log.library, log.recordedAt, log.segment, log.lines,
                log.truncated, divergence, out, log.masking);
    }
}
