package io.pathprobe.core.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.PathTracer;
import io.pathprobe.TransportInfo;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
import io.pathprobe.core.internal.compare.CompareHandle;
import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.lookup.Enrichment;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.monitor.MonitorHandle;
import io.pathprobe.core.internal.mtu.MtuHandle;
import io.pathprobe.core.internal.multipath.MultipathHandle;
import io.pathprobe.core.internal.ping.PingHandle;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.RateBudget;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.SendScheduler;
import io.pathprobe.core.internal.runtime.ThreadSetup;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportOpening;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.trace.TraceAllHandle;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.MeasurementRequest;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
/**
 * The tracer: the runtime its measurements share (engine loop, rate budget, transports, set-up pool,
 * callback executor) and the measurements running on it, whatever their kind ({@link Measurements}).
 */
public final class DefaultPathTracer implements PathTracer, TransportOpening, io.pathprobe.internal.BudgetSetting {
    private static final System.Logger LOG = System.getLogger(DefaultPathTracer.class.getName());

    /** How the tracer's threads stop; tests use fakes. */
    public interface Lifecycle {
        /** Runs what is queued on the loop, then stops it (bounded wait unless called from the loop). */
        void stopLoop();

        /** Stops the set-up pool and, if the tracer owns it, the callback executor. */
        void stopThreads();
    }

    private final TracerRuntime rt;
    private final Enrichment enrichment;
    private final Lifecycle lifecycle;
    private final Measurements measurements;
    private final NettyLoops nettyLoops;
    private io.pathprobe.core.internal.ping.app.@org.jspecify.annotations.Nullable AppProbeLoop appLoop;
    /** Where this tracer records its measurements, or null; set once, before the tracer is handed out. */
    private io.pathprobe.core.internal.record.spi.@org.jspecify.annotations.Nullable Recording recorder;
    /** How measurements are launched when recorded or replayed; null: at once. */
    private io.pathprobe.core.internal.record.spi.@org.jspecify.annotations.Nullable Launcher launcher;
    /** Each measurement type's start: its handle, launched. */
    private final java.util.Map<MeasurementType<?, ?>, java.util.function.Function<Object, Measurement<?, ?>>> starts =
            new java.util.HashMap<>();
    /** traceAll's Doubletree stop set: the routers this tracer's traceAll calls saw; engine loop only. */
    private final io.pathprobe.core.internal.probe.StopSet stopSet =
            new io.pathprobe.core.internal.probe.StopSet(100_000, 3_600_000_000_000L);

    public DefaultPathTracer(TracerRuntime rt, Lifecycle lifecycle) {
        this(rt, Enrichment.off(rt.callbacks()), lifecycle, new NettyLoops(ThreadSetup.background(rt.registry())));
    }

    /** What its measurements share (the factory sets the send scheduler's sender threads through it). */
    public TracerRuntime runtime() {
        return rt;
    }

    /** @param nettyLoops the tracer's Netty groups (shared with its lookups), closed with it */
    public DefaultPathTracer(TracerRuntime rt, Enrichment enrichment, Lifecycle lifecycle, NettyLoops nettyLoops) {
        this.rt = rt;
        this.enrichment = enrichment;
        this.measurements = new Measurements(rt.scheduler());
        this.nettyLoops = nettyLoops;
        this.lifecycle = lifecycle;
        on(MeasurementType.TRACE, q -> launched(q, new TraceHandle(rt, enrichment, measurements, q)));
        on(MeasurementType.TRACE_ALL, q -> launched(q, new TraceAllHandle(rt, measurements, q, stopSet)));
        on(MeasurementType.PING, this::startPing);
        on(MeasurementType.MONITOR, q -> start(q, true));
        on(MeasurementType.MULTIPATH, q -> start(q, null));
        on(MeasurementType.MTU, q -> launched(q, new MtuHandle(rt, measurements, q)));
        on(MeasurementType.BUFFERBLOAT, this::startBufferbloat);
        on(MeasurementType.COMPARE, q -> {
            refuseRecording("a compare");
            CompareHandle handle = new CompareHandle(rt, measurements, q);
            handle.launch();
            return handle;
        });
        if (!starts.keySet().containsAll(MeasurementType.all())) {
            throw new AssertionError("a measurement type without its handle"); // MeasurementType has one more
        }
    }

    /** How a request of {@code type} starts: its handle. */
    private <Q> void on(MeasurementType<Q, ?> type, java.util.function.Function<Q, Measurement<?, ?>> start) {
        starts.put(type, request -> start.apply(type.requestType().cast(request)));
    }

    /** A tracer on the given loop, clock and executors, without enrichment. */
    public static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry, Scheduler scheduler,
            Ticker ticker, Executor setup, Executor callbacks, Lifecycle lifecycle) {
        return create(settings, registry, scheduler, ticker, setup, callbacks, HostLookups.OFF, callbacks, lifecycle);
    }

    /**
     * A tracer on the given loop, clock and executors, with these lookups (closed with the tracer)
     * whose results are handled on {@code enrichment}.
     */
    public static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry, Scheduler scheduler,
            Ticker ticker, Executor setup, Executor callbacks, HostLookups lookups, Executor enrichment,
            Lifecycle lifecycle) {
        return create(settings, registry, scheduler, ticker, setup, callbacks, lookups, enrichment,
                new NettyLoops(ThreadSetup.background(registry)), lifecycle);
    }

    /** The same, on these Netty groups (the ones {@code lookups} use), closed with the tracer. */
    public static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry, Scheduler scheduler,
            Ticker ticker, Executor setup, Executor callbacks, HostLookups lookups, Executor enrichment,
            NettyLoops nettyLoops, Lifecycle lifecycle) {
        return create(settings, registry, scheduler, ticker, setup, callbacks, lookups, enrichment, nettyLoops,
                lifecycle, io.pathprobe.core.internal.runtime.WallClock.SYSTEM, settings.hostResolver());
    }

    /** The same, on this wall clock and resolver (a recording's or a replay's). */
    public static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry, Scheduler scheduler,
            Ticker ticker, Executor setup, Executor callbacks, HostLookups lookups, Executor enrichment,
            NettyLoops nettyLoops, Lifecycle lifecycle, io.pathprobe.core.internal.runtime.WallClock wallClock,
            HostResolver resolver) {
        io.pathprobe.core.internal.observe.ProbeObserver.prepareJfr(); // here, not on the engine thread
        SendScheduler sends = new SendScheduler(scheduler, ticker,
                new RateBudget(settings.packetsPerSecond(), settings.burst(), ticker.read()));
        sends.budgets(settings.budget());
        return new DefaultPathTracer(new TracerRuntime(scheduler, ticker, sends, registry, setup, callbacks,
                resolver, wallClock), new Enrichment(lookups, enrichment), lifecycle, nettyLoops);
    }

    /** Records this tracer's measurements (see {@link io.pathprobe.PathTracerBuilder#record}); once, at build. */
    public DefaultPathTracer recordTo(io.pathprobe.core.internal.record.spi.Recording recorder) {
        this.recorder = recorder;
        this.launcher = recorder;
        return this;
    }

    /**
     * Launches this replayed tracer's measurements as its recording did
     * ({@link io.pathprobe.core.internal.record.spi.Launcher}); once, at build.
     */
    public DefaultPathTracer launchedBy(io.pathprobe.core.internal.record.spi.Launcher launcher) {
        this.launcher = launcher;
        return this;
    }

    /**
     * Launches a measurement; a recording writes its request first and its result when it comes, and a recording
     * and a replay name the work its launch gives after it ({@link io.pathprobe.core.internal.record.spi.Launcher}).
     */
    private <H extends io.pathprobe.core.internal.runtime.Ended> H launched(Object request, H handle) {
        io.pathprobe.core.internal.record.spi.Launcher l = launcher;
        if (l == null) {
            handle.launch();
        } else {
            l.launch(request, handle);
        }
        return handle;
    }

    private void refuseRecording(String what) {
        if (recorder != null) {
            throw new UnsupportedOperationException(what + " is not recorded (it measures beyond the probes a "
                    + "recording holds): run it on a tracer without record()");
        }
    }

    @Override
    public io.pathprobe.TracerStats stats() {
        io.pathprobe.core.internal.observe.EngineStats.Snapshot c = rt.sends().stats().snapshot();
        java.util.Map<String, io.pathprobe.spi.TransportCounters> transports = rt.registry().counters();
        java.util.EnumMap<io.pathprobe.spi.DropReason, Long> dropped =
                new java.util.EnumMap<>(io.pathprobe.spi.DropReason.class);
        for (io.pathprobe.spi.TransportCounters t : transports.values()) {
            t.dropped().forEach((reason, n) -> dropped.merge(reason, n, Long::sum));
        }
        java.util.Map<io.pathprobe.MeasurementType<?, ?>, Integer> active = measurements.active();
        return new io.pathprobe.TracerStats(c.sent(), c.sendFailures(), c.matched(), c.late(), c.unmatched(), dropped,
                c.timeouts(), c.abandoned(), c.pending(), java.time.Duration.ofNanos(c.rateWaitNanos()), c.rateWaits(),
                active, transports, c.beyondPath(),
                enrichment.lookups().statistics());
    }

    /**
     * Starts a measurement of any kind: its {@link MeasurementType} picks its handle. A recording writes each
     * launched request first; the kinds a recording cannot hold (a compare, a bufferbloat test, a DNS or HTTP ping)
     * are refused on a recording tracer.
     */
    @Override
    public <Q extends MeasurementRequest<R>, R> Measurement<Q, R> start(Q request) {
        Objects.requireNonNull(request, "request");
        MeasurementType<?, ?> type = MeasurementType.of(request).orElseThrow(() -> new IllegalArgumentException(
                "not a request pathprobe measures: " + request.getClass().getName()));
        Measurement<?, ?> started = Objects.requireNonNull(starts.get(type), type.name()).apply(request);
        @SuppressWarnings("unchecked") // each request type names its result type, as its handle does
        Measurement<Q, R> typed = (Measurement<Q, R>) started;
        return typed;
    }

    /**
     * Measures and blocks until done: {@code start(request).await()}, after the checks a blocking call makes first
     * (never on the engine's thread; a monitor must end by itself).
     */
    @Override
    public <R> R measure(MeasurementRequest<R> request) {
        Objects.requireNonNull(request, "request");
        if (MeasurementType.of(request).orElse(null) == MeasurementType.MONITOR // one that never ends by itself
                && ((MonitorRequest) request).rounds().isEmpty() && ((MonitorRequest) request).deadline().isEmpty()) {
            throw new IllegalArgumentException("measure() blocks until the monitor ends: give the request rounds(n) "
                    + "or a deadline, or use start() and cancel it");
        }
        if (rt.scheduler().inLoop()) {
            throw new IllegalStateException("blocking measure() called on the pathprobe engine thread");
        }
        return start(request).await();
    }

    private PingHandle startPing(PingRequest request) {
        if (request.kinds().stream().anyMatch(io.pathprobe.ping.PingKind::application)) {
            refuseRecording("a DNS or HTTP ping");
        }
        return launched(request, new PingHandle(rt, enrichment, measurements, request, this::appLoop));
    }

    /** A monitor; {@code banded} false only for the test that shows what the per-round sequence bands prevent. */
    public MonitorHandle start(MonitorRequest request, boolean banded) {
        return launched(request, new MonitorHandle(rt, enrichment, measurements, request, banded));
    }

    /** The DNS and HTTP probes, made on first use (on the tracer's Netty I/O group). */
    private synchronized io.pathprobe.core.internal.ping.app.AppProbeLoop appLoop() {
        if (measurements.closed()) {
            throw new IllegalStateException("tracer is closed");
        }
        if (appLoop == null) {
            appLoop = new io.pathprobe.core.internal.ping.app.AppProbeLoop(nettyLoops, rt.ticker());
        }
        return appLoop;
    }

    /** Starts a discovery whose strategy {@code strategies} makes (tests), or the real one if null. */
    public MultipathHandle start(MultipathRequest request,
            MultipathHandle.@org.jspecify.annotations.Nullable StrategyFactory strategies) {
        return launched(request, strategies == null ? new MultipathHandle(rt, enrichment, measurements, request)
                : new MultipathHandle(rt, enrichment, measurements, request, strategies));
    }

    private Measurement<?, ?> startBufferbloat(BufferbloatRequest request) {
        refuseRecording("a bufferbloat test");
        BufferbloatProvider provider = BufferbloatProvider.find();
        return provider.launch(rt, measurements, new BufferbloatProvider.Tracing() {
            @Override
            public Measurement<PingRequest, PingResult> start(PingRequest r) {
                return DefaultPathTracer.this.start(r);
            }

            @Override
            public CompletableFuture<TraceResult> traceAsync(TraceRequest r) {
                return DefaultPathTracer.this.traceAsync(r);
            }

            @Override
            public BufferbloatProvider.Loads loads() {
                return loadsOf(nettyLoops, rt.resolver());
            }
        }, request);
    }

    /** A bufferbloat test's load loops: the tracer's Netty groups and resolver. */
    private static BufferbloatProvider.Loads loadsOf(NettyLoops loops, HostResolver resolver) {
        return new BufferbloatProvider.Loads() {
            @Override
            public EventLoopGroup loadGroup() {
                return loops.load();
            }

            @Override
            public EventLoopGroup probeGroup() {
                return loops.probes();
            }

            @Override
            public Class<? extends SocketChannel> channelClass() {
                return loops.channelClass();
            }

            @Override
            public HostResolver resolver() {
                return resolver;
            }
        };
    }

    @Override
    public io.pathprobe.options.ProbeBudget budget() {
        return rt.sends().budget();
    }

    /** A new budget, applied on the loop ({@link SendScheduler#rebudget}); refused when recording or replaying. */
    @Override
    public void budget(io.pathprobe.options.ProbeBudget next) {
        Objects.requireNonNull(next, "budget");
        if (launcher != null) {
            throw new UnsupportedOperationException("the budget of a tracer that records or replays cannot change: "
                    + "a recording holds the budget it started with");
        }
        if (measurements.closed() || !rt.sends().rebudget(next)) {
            throw new IllegalStateException("tracer is closed");
        }
    }

    @Override
    public List<TransportInfo> transports() {
        return rt.registry().transports();
    }

    @Override
    public List<String> openTransports() {
        return rt.registry().openUsable();
    }

    /** Measurements not yet ended (tests). */
    public int running() {
        return measurements.size();
    }

    /**
     * Ends every running measurement CANCELLED with what it has, closes every session, then the transports
     * it opened and its threads. Safe from any thread, a listener or future continuation included.
     */
    @Override
    public void close() {
        if (!measurements.markClosed()) {
            return;
        }
        measurements.endAll(new Runnable() { // classes, not lambdas: the engine's warm-up closes a tracer in build()
            @Override
            public void run() {
                lifecycle.stopLoop();
            }
        });
        synchronized (this) {
            if (appLoop != null) {
                appLoop.close();
            }
        }
        try {
            enrichment.lookups().close(); // sockets and threads of the lookups; those still running end FAILED
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the lookups failed", e);
        }
        nettyLoops.close(); // after the lookups, whose exchanges run on its I/O group
        try {
            rt.registry().close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a transport failed", e);
        }
        lifecycle.stopThreads();
        io.pathprobe.core.internal.record.spi.Recording r = recorder;
        if (r != null) {
            r.close(); // after the loop: every result written
        }
    }

    @Override
    public String toString() {
        return "PathTracer{" + running() + " running" + (measurements.closed() ? ", closed" : "") + "}";
    }
}
