package io.pathprobe.evidence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.RecordingException;
import io.pathprobe.ReplayApplication;
import io.pathprobe.core.internal.record.spi.Launcher;
import io.pathprobe.core.internal.record.spi.ReplayEngine;
import io.pathprobe.core.internal.runtime.Ended;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.evidence.ReplayDivergence;
import io.pathprobe.evidence.ReplayResult;
import io.pathprobe.evidence.ReplayedMeasurement;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Replays a recording (see the package): builds an engine on the record, runs each measurement (or the
 * application's code, which starts them: {@link ReplayApplication}), compares each result with the recorded one.
 */
public final class Replayer {
    /** Fake time a replay that left the record may run past the recording's last reading before it stops. */
    static final long OVERRUN_NANOS = 3_600_000_000_000L;

    private Replayer() {}

    /** The outcome of one measurement. */
    static final class Outcome {
        final ReplayLog.Measurement recorded;
        /** The request as recorded (with a listener that does nothing if it had one). */
        final Object request;
        boolean started;
        @Nullable Object result;
        @Nullable String failure;
        volatile boolean ended;

        Outcome(ReplayLog.Measurement recorded, Object request) {
            this.recorded = recorded;
            this.request = request;
        }
    }

    /**
     * The replay's launches ({@link Launcher}): the n-th measurement started is the recording's n-th, its launch the
     * piece {@code M<n>} (a format 1 recording named it as an application's call: launched at once).
     */
    private static final class Launches implements Launcher {
        private final ReplayLoop loop;
        private final ReplayLog log;
        private final boolean named;
        private long count;

        Launches(ReplayLoop loop, ReplayLog log) {
            this.loop = loop;
            this.log = log;
            this.named = log.format >= 2;
        }

        @Override
        public void launch(Object request, Ended handle) {
            long id = ++count;
            loop.measurement(id, handle);
            if (Boolean.FALSE.equals(log.launchedPooled.get(id))) {
                // it began on the loop at once while recording: what another set-up had opened was there
                loop.runWaitingJobs();
            }
            if (named) {
                loop.causality.runIn(new Causality.Context(Causality.measurement(id), false, null), handle::launch);
            } else {
                handle.launch();
            }
        }
    }

    /**
     * Replays {@code file} on an engine {@code engine} builds (core's tracer: this package does not make one);
     * without an application, starting each recorded measurement itself; with one, the application's code starts
     * them (in the caller's thread, the replay's loop in a thread of its own: {@link ReplayApplication}).
     *
     * @throws RecordingException if it cannot be read or replayed
     * @throws RuntimeException what the application throws, once the replay has ended
     */
    public static ReplayResult replay(Path file, ReplayEngine engine, @Nullable ReplayApplication application) {
        try (ReplayLog log = ReplayLog.read(file)) {
            return replay(log, engine, application);
        }
    }

    private static ReplayResult replay(ReplayLog log, ReplayEngine engine, @Nullable ReplayApplication application) {
        Path file = log.file;
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
            return result(log, outcomes, Optional.of(new ReplayDivergence("this is segment " + log.segment
                    + " of a rotated recording: only the first segment of a measurement replays; the results "
                    + "recorded in this one are given", Duration.ZERO, 0, sends(log), "")), true);
        }
        ReplayLoop loop = new ReplayLoop(log);
        ReplayTransports transports = new ReplayTransports(log, loop);
        ReplayLookups lookups = new ReplayLookups(log, loop);
        loop.events(root -> transports.fire(root) || lookups.fire(root));
        TracerSettings settings = new TracerSettings(null, Codec.optString(tracerLine, "preferredTransport"),
                new io.pathprobe.options.ProbeBudget(tracerLine.path("packetsPerSecond").asInt(0),
                        tracerLine.path("perDestination").asInt(0), tracerLine.path("perRouter").asInt(0),
                        tracerLine.path("perPrefix").asInt(0), tracerLine.path("burst").asInt(1)),
                lookups.resolver(), null, EnrichmentSettings.OFFLINE, null, null, null, -1);
        JsonNode user = log.userTransport;
        TransportRegistry registry = user != null ? TransportRegistry.of(transports.userTransport(user))
                : TransportRegistry.withPreferred(settings.preferredTransport(), transports.providers(), List.of());
        PathTracer tracer = engine.create(settings, registry, loop, loop, loop.pool(), loop.callbacks(), lookups, loop,
                lookups.resolver(), new Launches(loop, log), loop::runQueued, loop::clear);
        loop.finished(() -> !loop.applicationRunning() && outcomes.values().stream().allMatch(o -> o.ended));
        loop.idle(() -> outcomes.values().stream().allMatch(o -> o.ended || !o.started));
        long limit = log.lastTick == Long.MIN_VALUE ? Long.MAX_VALUE : log.lastTick + OVERRUN_NANOS;
        try {
            if (application == null) {
                for (Outcome o : outcomes.values()) {
                    begin(tracer, o, o.request);
                }
                drive(loop, outcomes, limit);
            } else {
                withApplication(application, tracer, loop, log, outcomes, limit);
            }
        } finally {
            tracer.close();
        }
        ReplayLoop.Left left = loop.divergence();
        return result(log, outcomes, Optional.ofNullable(left).map(l -> new ReplayDivergence(l.what(),
                Duration.ofNanos(Math.max(0, l.at() - loop.origin())), l.probesFollowed(), sends(log), l.detail(),
                l.recordEnded())),
                false);
    }

    /** Starts a measurement on the replayed engine (on the loop's thread); its outcome is written when it ends. */
    static Object begin(PathTracer tracer, Outcome o, Object request) {
        o.started = true;
        try {
            Object handle = start(tracer, request);
            ((Ended) handle).whenEnded((r, e) -> {
                o.result = r;
                o.failure = e == null ? null : String.valueOf(e);
                o.ended = true;
            });
            return handle;
        } catch (RuntimeException e) {
            o.failure = e.toString();
            o.ended = true;
            throw e;
        }
    }

    /**
     * Runs the loop until every measurement has ended: on the record, then (a replay that left it) on fake time
     * at most {@link #OVERRUN_NANOS} past the recording's last reading; a measurement the recording ended (the
     * application cancelled it) and the replay has not is cancelled, and so, at last, is every one still running.
     */
    private static void drive(ReplayLoop loop, Map<Long, Outcome> outcomes, long limit) {
        loop.runUntil(() -> ended(outcomes) || (!loop.following() && loop.time() > limit));
        for (Outcome o : outcomes.values()) {
            if (o.started && !o.ended && o.recorded.result != null) {
                // the recording's measurement ended (the application cancelled it): end the replayed one too
                Ended h = loop.measurementOf(o.recorded.id);
                if (h != null) {
                    loop.cancel(h);
                }
            }
        }
        loop.runUntil(() -> ended(outcomes) || (!loop.following() && loop.time() > limit + OVERRUN_NANOS));
        for (Outcome o : outcomes.values()) {
            Ended h = o.started && !o.ended ? loop.measurementOf(o.recorded.id) : null;
            if (h != null) {
                loop.cancel(h); // nothing else would end it (an application waits for it)
            }
        }
        loop.runUntil(() -> ended(outcomes));
    }

    /** Whether every measurement started has ended and the application (if any) starts no more. */
    private static boolean ended(Map<Long, Outcome> outcomes) {
        return outcomes.values().stream().allMatch(o -> o.ended || !o.started)
                && outcomes.values().stream().allMatch(o -> o.started);
    }

    /**
     * Runs the application in this thread on a tracer that replays ({@link ReplayingTracer}), the loop in a thread
     * of its own, which waits for the application's launches where the record has them, and serves the
     * application's calls until it returns.
     */
    private static void withApplication(ReplayApplication application, PathTracer tracer, ReplayLoop loop,
            ReplayLog log, Map<Long, Outcome> outcomes, long limit) {
        Throwable[] failed = new Throwable[1];
        Thread driver = new Thread(() -> {
            try {
                drive(loop, outcomes, limit);
                while (loop.awaitApplicationIfRunning()) {
                    // the application's calls and its code queued, until it returns
                }
            } catch (RuntimeException | Error e) {
                failed[0] = e;
                while (loop.awaitApplicationIfRunning()) {
                    // what the application still calls, until it returns
                }
            }
        }, "pathprobe-replay");
        driver.setDaemon(true);
        loop.applicationStarted(driver);
        driver.start();
        RuntimeException thrown = null;
        try {
            application.run(new ReplayingTracer(tracer, loop, List.copyOf(outcomes.values())), log.application);
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            loop.applicationEnded();
            boolean interrupted = false;
            while (true) {
                try {
                    driver.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            loop.loopThreadEnded();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Outcome o : outcomes.values()) {
            if (!o.started) {
                o.failure = "not started by the application";
                o.ended = true;
            }
        }
        if (failed[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failed[0] instanceof Error e) {
            throw e;
        }
        if (thrown != null) {
            throw thrown;
        }
    }

    private static Object start(PathTracer tracer, Object request) {
        return MeasurementType.of(request)
                .orElseThrow(() -> new IllegalArgumentException("not replayed: " + request.getClass().getSimpleName()))
                .startOf(tracer, request);
    }

    /** The probes the recording holds. */
    private static long sends(ReplayLog log) {
        return log.probes;
    }

    private static ReplayResult result(ReplayLog log, Map<Long, Outcome> outcomes,
            Optional<ReplayDivergence> divergence, boolean recordedOnly) {
        List<ReplayedMeasurement> out = new ArrayList<>();
        for (Outcome o : outcomes.values()) {
            Optional<String> recorded = Optional.ofNullable(o.recorded.result).map(Documents::compact);
            Optional<Object> result = Optional.ofNullable(o.result);
            Optional<String> replayed = result.map(r -> Documents.compact(Documents.asRecorded(
                    Documents.tree(o.recorded.kind, o.request, r, log.masking), o.recorded.result)));
            Optional<String> failure = Optional.ofNullable(o.failure);
            if (recordedOnly) {
                failure = Optional.of("not replayed: " + divergence.map(ReplayDivergence::what).orElse(""));
            } else if (result.isEmpty() && failure.isEmpty()) {
                failure = Optional.of("did not end in the replay");
            }
            out.add(new ReplayedMeasurement(o.recorded.kind, o.request, result, failure, recorded, replayed));
        }
        return new ReplayResult(log.file.toString(), log.format, log.library, log.recordedAt, log.application,
                log.segment, log.lines, log.truncated, divergence, out, log.masking);
    }
}
