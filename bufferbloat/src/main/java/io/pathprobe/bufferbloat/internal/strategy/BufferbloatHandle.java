package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider.Tracing;
import io.pathprobe.core.internal.runtime.Lifecycle;
import io.pathprobe.core.internal.runtime.LifecycleHandle;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * A running bufferbloat test: the adapter between {@link BufferbloatStrategy} (the phases, pure) and
 * the world, on the tracer's one lifecycle ({@link Lifecycle}: result futures, listener events on
 * the user's executor, cancel with the partial result, snapshot, await, the end when the tracer
 * closes). Every strategy call runs on the tracer's engine loop ({@link Scheduler}), as
 * {@link io.pathprobe.core.internal.runtime.ProbeRun} does for probes: the {@link LoadSession}'s events
 * and the pings' answers are queued to it, its wake-ups are engine timers, and the commands it returns
 * are carried out here (load and probes on the session, pings on the tracer, listener events through
 * the measurement). No thread and no lock of its own; the measurement has no {@code ProbeRun} part, it
 * ends when the strategy says so.
 */
public final class BufferbloatHandle extends LifecycleHandle<BufferbloatResult, BufferbloatListener>
        implements Measurement<BufferbloatRequest, BufferbloatResult> {
    private static final System.Logger LOG = System.getLogger(BufferbloatHandle.class.getName());
    /** Samples queued for a slow listener beyond which further samples are dropped (and counted). */
    static final int MAX_QUEUED_SAMPLES = 10_000;

    private final Tracing tracing;
    private final BufferbloatRequest request;
    private final LoadProvider provider;
    private final Scheduler loop;
    private final Ticker ticker;
    private final Lifecycle<BufferbloatResult, BufferbloatListener> measurement;
    private final BufferbloatPings pings;
    /** Made at once (its start is now), touched on the engine loop only. */
    private final BufferbloatStrategy strategy;

    // engine loop only
    private @Nullable LoadSession session;
    private Scheduler.Timer timer = Scheduler.NO_TIMER;
    private boolean timerArmed;
    private long timerDue;
    private @Nullable BufferbloatResult finished;
    private boolean ending;

    /** With its load generator (Netty's; tests: a fake one). */
    public BufferbloatHandle(TracerRuntime rt, Measurements owner, Tracing tracing, BufferbloatRequest request,
            LoadProvider provider) {
        this.tracing = tracing;
        this.request = request;
        this.provider = provider;
        this.loop = rt.scheduler();
        this.ticker = rt.ticker();
        this.strategy = new BufferbloatStrategy(request, Instant.now(), ticker.read());
        this.measurement = new Lifecycle<>(rt, owner, MeasurementType.BUFFERBLOAT,
                "bufferbloat test of " + request.url(),
                Optional.empty(), request.listener(), BufferbloatListener.NONE, BufferbloatListener::completed,
                MAX_QUEUED_SAMPLES, new Spec());
        this.pings = new BufferbloatPings(tracing, rt.setup(), loop, ticker,
                request.pingFirstHop(), new BufferbloatPings.Sink() {
            @Override
            public void ping(LatencySample.Kind kind, long sentAt, double ms) {
                onLoop(s -> s.onPing(kind, sentAt, ms, ticker.read()));
            }

            @Override
            public void note(String note) {
                onLoopNote(note);
            }

            @Override
            public boolean ended() {
                return measurement.ended();
            }
        });
    }

    /** What the lifecycle asks of a bufferbloat test: its result now, and the listener's last event. */
    private final class Spec implements Lifecycle.Spec<BufferbloatResult, BufferbloatListener> {
        @Override
        public BufferbloatResult result(@Nullable Stop end) {
            BufferbloatResult r = finished;
            if (r != null) {
                return r;
            }
            long now = ticker.read();
            if (end == null) {
                return strategy.snapshot(now);
            }
            // stopped from outside (cancel, the tracer closing): the strategy ends with what it has
            ending = true;
            try {
                apply(strategy.cancel(now));
            } finally {
                ending = false;
            }
            return java.util.Objects.requireNonNullElseGet(finished, () -> strategy.snapshot(now));
        }

        /** Told once, when the measurement has ended (completed, stopped, failed): pings, wake-ups and load go. */
        @Override
        public void release() {
            BufferbloatHandle.this.release();
        }
    }

    @Override
    protected Lifecycle<BufferbloatResult, BufferbloatListener> measurement() {
        return measurement;
    }

    /** Joins the tracer's measurements and starts the test on the engine loop. */
    @Override
    public void launch() {
        measurement.launch();
        if (!loop.execute(() -> guarded(this::begin))) {
            measurement.forceEnd();
        }
    }

    private void begin() {
        if (measurement.ended()) {
            return;
        }
        session = provider.open(request, tracing.loads(), new Events());
        apply(strategy.start(ticker.read()));
    }

    /** The session's events, queued to the engine loop. */
    private final class Events implements LoadEvents {
        @Override
        public void configured(URI server, InetAddress endpoint, boolean tls) {
            onLoop(s -> s.onConfigured(server, endpoint, tls, ticker.read()));
        }

        @Override
        public void setupFailed(ResponsivenessServerException error) {
            onLoop(s -> s.onSetupFailed(error, ticker.read()));
        }

        @Override
        public void opened(int id, boolean h2) {
            onLoop(s -> s.onOpened(id, h2, ticker.read()));
        }

        @Override
        public void congestionControl(int id, String name) {
            onLoop(s -> s.onCongestionControl(id, name));
        }

        @Override
        public void failed(int id, String reason) {
            onLoop(s -> s.onConnectionFailed(id, reason, ticker.read()));
        }

        @Override
        public void probeConnected(int id, long tcpNanos, long tlsNanos, @Nullable String tlsProtocol) {
            onLoop(s -> s.onProbeConnected(id, tcpNanos, tlsNanos, tlsProtocol, ticker.read()));
        }

        @Override
        public void probeAnswered(int id, boolean self, long httpNanos) {
            onLoop(s -> s.onProbeAnswered(id, self, httpNanos, ticker.read()));
        }

        @Override
        public void probeFailed(int id, boolean self, String reason) {
            onLoop(s -> s.onProbeFailed(id, self, ticker.read()));
        }
    }

    private void onLoop(java.util.function.Function<BufferbloatStrategy, List<LoadCommand>> event) {
        loop.execute(() -> guarded(() -> {
            if (session != null && !strategy.done()) {
                apply(event.apply(strategy));
            }
        }));
    }

    private void tick() {
        timerArmed = false;
        BufferbloatStrategy s = strategy;
        LoadSession ls = session;
        if (ls == null || s.done()) {
            return;
        }
        long now = ticker.read();
        for (int id : s.counting()) {
            s.onDelivered(id, ls.delivered(id), now);
        }
        apply(s.onTick(now));
    }

    /** Carries out the strategy's commands, then arms its next wake-up. */
    private void apply(List<LoadCommand> commands) {
        LoadSession ls = session; // null when ended before it began (the tracer closed first)
        for (LoadCommand c : commands) {
            if (c instanceof LoadCommand.FetchConfig f && ls != null) {
                ls.fetchConfig(f.connectTimeoutMillis());
            } else if (c instanceof LoadCommand.StartPings p) {
                pings.start(p.target());
            } else if (c instanceof LoadCommand.OpenConnection o && ls != null) {
                ls.open(o.id(), o.upload(), o.connectTimeoutMillis());
            } else if (c instanceof LoadCommand.CloseConnection o && ls != null) {
                ls.close(o.id());
            } else if (c instanceof LoadCommand.CloseAll && ls != null) {
                ls.closeAll();
            } else if (c instanceof LoadCommand.Probe p && ls != null) {
                ls.probe(p.id(), p.selfOn());
            } else if (c instanceof LoadCommand.PhaseStarted p) {
                measurement.event(l -> l.phaseStarted(p.phase()));
            } else if (c instanceof LoadCommand.Progress p) {
                measurement.event(l -> l.progress(p.phase(), p.elapsedNanos(), p.bitsPerSecond(), p.flows(),
                        p.latencyMillis()));
            } else if (c instanceof LoadCommand.Sample p) {
                measurement.probeEvent(l -> l.sample(p.sample()));
            } else if (c instanceof LoadCommand.Finish f) {
                finished = f.result();
                if (!ending) {
                    measurement.complete();
                }
            } else if (c instanceof LoadCommand.Fail f) {
                measurement.fail(f.error());
            }
        }
        BufferbloatStrategy s = strategy;
        if (s.done()) {
            return;
        }
        long now = ticker.read();
        long delay = s.nextWakeup(now);
        if (delay == Long.MAX_VALUE) {
            return;
        }
        long due = now + delay;
        if (timerArmed && due - timerDue >= 0) {
            return; // an earlier wake-up is armed: it re-arms as needed
        }
        timer.cancel();
        timerArmed = true;
        timerDue = due;
        timer = loop.schedule(() -> guarded(this::tick), delay);
    }

    private void onLoopNote(String note) {
        loop.execute(() -> strategy.note(note));
    }

    // ------------------------------------------------------------------ end

    /** Stops pings, wake-ups and the session (engine loop, or under the measurement's lock once the loop is gone). */
    private void release() {
        timer.cancel();
        pings.cancel();
        LoadSession ls = session;
        if (ls != null) {
            try {
                ls.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the bufferbloat load failed", e);
            }
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.log(System.Logger.Level.WARNING, "bufferbloat test failed", e);
            measurement.fail(e);
        }
    }

    // ------------------------------------------------------------------ API

    @Override
    public BufferbloatRequest request() {
        return request;
    }

    /**
     * Blocks until the result; an interrupt cancels and returns the partial result (flag kept).
     *
     * @throws ResponsivenessServerException when the server cannot be used
     */
    @Override
    public BufferbloatResult await() {
        return measurement.await();
    }

    @Override
    public String toString() {
        return measurement.describe("BufferbloatTest", request.url().toString());
    }
}
