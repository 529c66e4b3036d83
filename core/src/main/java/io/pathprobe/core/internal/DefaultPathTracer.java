package io.pathprobe.core.internal;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.TransportInfo;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.core.internal.bufferbloat.BufferbloatHandle;
import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.lookup.Enrichment;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.multipath.MultipathHandle;
import io.pathprobe.core.internal.ping.PingHandle;
import io.pathprobe.core.internal.runtime.Awaitable;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.RateBudget;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.SendScheduler;
import io.pathprobe.core.internal.runtime.ThreadSetup;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportOpening;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.enrich.EnrichmentStatistics;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
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
public final class DefaultPathTracer implements PathTracer, TransportOpening {
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
    /** traceAll's Doubletree stop set: the routers this tracer's traceAll calls saw; engine loop only. */
    /** Where this tracer records its measurements, or null; set once, before the tracer is handed out. */
    private io.pathprobe.core.internal.record.spi.@org.jspecify.annotations.Nullable Recording recorder;
    /** How measurements are launched when recorded or replayed; null: at once. */
    private io.pathprobe.core.internal.record.spi.@org.jspecify.annotations.Nullable Launcher launcher;
    private final io.pathprobe.core.internal.probe.StopSet stopSet =
            new io.pathprobe.core.internal.probe.StopSet(100_000, 3_600_000_000_000L);

    public DefaultPathTracer(TracerRuntime rt, Lifecycle lifecycle) {
        this(rt, Enrichment.off(rt.callbacks()), lifecycle, new NettyLoops(ThreadSetup.background(rt.registry())));
    }

    /** @param nettyLoops the tracer's Netty groups (shared with its lookups), closed with it */
    /** What its measurements share (the factory sets the send scheduler's sender threads through it). */
    public TracerRuntime runtime() {
        return rt;
    }

    public DefaultPathTracer(TracerRuntime rt, Enrichment enrichment, Lifecycle lifecycle, NettyLoops nettyLoops) {
        this.rt = rt;
        this.enrichment = enrichment;
        this.measurements = new Measurements(rt.scheduler());
        this.nettyLoops = nettyLoops;
        this.lifecycle = lifecycle;
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
            io.pathprobe.enrich.HostResolver resolver) {
        io.pathprobe.core.internal.observe.ProbeObserver.prepareJfr(); // here, not on the engine thread
        SendScheduler sends = new SendScheduler(scheduler, ticker,
                new RateBudget(settings.packetsPerSecond(), settings.burst(), ticker.read()));
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
    private void launched(Object request, io.pathprobe.core.internal.runtime.Ended handle) {
        io.pathprobe.core.internal.record.spi.Launcher l = launcher;
        if (l == null) {
            handle.launch();
        } else {
            l.launch(request, handle);
        }
    }

    private void refuseRecording(String what) {
        if (recorder != null) {
            throw new UnsupportedOperationException(what + " is not recorded (it measures beyond the probes a "
                    + "recording holds): run it on a tracer without record()");
        }
    }

    @Override
    public EnrichmentStatistics enrichmentStatistics() {
        return enrichment.lookups().statistics();
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
        java.util.Map<io.pathprobe.TracerStats.MeasurementKind, Integer> active = measurements.active();
        return new io.pathprobe.TracerStats(c.sent(), c.sendFailures(), c.matched(), c.late(), c.unmatched(), dropped,
                c.timeouts(), c.abandoned(), c.pending(), java.time.Duration.ofNanos(c.rateWaitNanos()), c.rateWaits(),
                active, transports, c.beyondPath());
    }

    @Override
    public Measurement<TraceRequest, TraceResult> start(TraceRequest request) {
        Objects.requireNonNull(request, "request");
        TraceHandle handle = new TraceHandle(rt, enrichment, measurements, request);
        launched(request, handle);
        return handle;
    }

    @Override
    public TraceResult trace(TraceRequest request) {
        notOnLoop("trace");
        return awaited(start(request));
    }

    @Override
    public Measurement<TraceAllRequest, TraceAllResult> start(io.pathprobe.trace.TraceAllRequest request) {
        Objects.requireNonNull(request, "request");
        io.pathprobe.core.internal.trace.TraceAllHandle handle =
                new io.pathprobe.core.internal.trace.TraceAllHandle(rt, measurements, request, stopSet);
        launched(request, handle);
        return handle;
    }

    @Override
    public io.pathprobe.trace.TraceAllResult traceAll(io.pathprobe.trace.TraceAllRequest request) {
        notOnLoop("traceAll");
        return awaited(start(request));
    }

    @Override
    public Measurement<io.pathprobe.compare.CompareRequest, io.pathprobe.compare.CompareResult> start(
            io.pathprobe.compare.CompareRequest request) {
        Objects.requireNonNull(request, "request");
        refuseRecording("a compare");
        io.pathprobe.core.internal.compare.CompareHandle handle =
                new io.pathprobe.core.internal.compare.CompareHandle(rt, measurements, request);
        handle.launch();
        return handle;
    }

    @Override
    public io.pathprobe.compare.CompareResult compare(io.pathprobe.compare.CompareRequest request) {
        notOnLoop("compare");
        return awaited(start(request));
    }

    @Override
    public Measurement<PingRequest, PingResult> start(PingRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.kinds().stream().anyMatch(io.pathprobe.ping.PingKind::application)) {
            refuseRecording("a DNS or HTTP ping");
        }
        PingHandle handle = new PingHandle(rt, enrichment, measurements, request, this::appLoop);
        launched(request, handle);
        return handle;
    }

    @Override
    public Measurement<MonitorRequest, MonitorResult> start(io.pathprobe.monitor.MonitorRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        return start(request, true);
    }

    /** A monitor; {@code banded} false only for the test that shows what the per-round sequence bands prevent. */
    public io.pathprobe.core.internal.monitor.MonitorHandle start(io.pathprobe.monitor.MonitorRequest request,
            boolean banded) {
        io.pathprobe.core.internal.monitor.MonitorHandle handle =
                new io.pathprobe.core.internal.monitor.MonitorHandle(rt, enrichment, measurements, request, banded);
        launched(request, handle);
        return handle;
    }

    @Override
    public io.pathprobe.monitor.MonitorResult monitor(io.pathprobe.monitor.MonitorRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        if (request.rounds().isEmpty() && request.deadline().isEmpty()) {
            throw new IllegalArgumentException("monitor() blocks until the monitor ends: give the request rounds(n) "
                    + "or a deadline, or use start() and cancel it");
        }
        notOnLoop("monitor");
        return awaited(start(request));
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

    @Override
    public PingResult ping(PingRequest request) {
        notOnLoop("ping");
        return awaited(start(request));
    }

    @Override
    public Measurement<MultipathRequest, MultipathResult> start(MultipathRequest request) {
        Objects.requireNonNull(request, "request");
        return start(request, null);
    }

    /** Starts a discovery whose strategy {@code strategies} makes (tests), or the real one if null. */
    public MultipathHandle start(MultipathRequest request,
            MultipathHandle.@org.jspecify.annotations.Nullable StrategyFactory strategies) {
        MultipathHandle handle = strategies == null ? new MultipathHandle(rt, enrichment, measurements, request)
                : new MultipathHandle(rt, enrichment, measurements, request, strategies);
        launched(request, handle);
        return handle;
    }

    @Override
    public MultipathResult discoverPaths(MultipathRequest request) {
        notOnLoop("discoverPaths");
        return awaited(start(request));
    }

    @Override
    public Measurement<MtuRequest, MtuResult> start(io.pathprobe.mtu.MtuRequest request) {
        Objects.requireNonNull(request, "request");
        io.pathprobe.core.internal.mtu.MtuHandle handle =
                new io.pathprobe.core.internal.mtu.MtuHandle(rt, measurements, request);
        launched(request, handle);
        return handle;
    }

    @Override
    public io.pathprobe.mtu.MtuResult discoverMtu(io.pathprobe.mtu.MtuRequest request) {
        notOnLoop("discoverMtu");
        return awaited(start(request));
    }

    @Override
    public Measurement<BufferbloatRequest, BufferbloatResult> start(
            io.pathprobe.bufferbloat.BufferbloatRequest request) {
        Objects.requireNonNull(request, "request");
        refuseRecording("a bufferbloat test");
        BufferbloatHandle handle = new BufferbloatHandle(rt, measurements, new BufferbloatHandle.Tracing() {
            @Override
            public Measurement<PingRequest, PingResult> start(PingRequest r) {
                return DefaultPathTracer.this.start(r);
            }

            @Override
            public CompletableFuture<TraceResult> traceAsync(TraceRequest r) {
                return DefaultPathTracer.this.traceAsync(r);
            }

            @Override
            public io.pathprobe.core.internal.bufferbloat.spi.LoadProvider.Context loads() {
                return BufferbloatHandle.context(nettyLoops, rt.resolver());
            }
        }, request);
        handle.launch();
        return handle;
    }

    @Override
    public io.pathprobe.bufferbloat.BufferbloatResult testBufferbloat(
            io.pathprobe.bufferbloat.BufferbloatRequest request) {
        notOnLoop("testBufferbloat");
        return awaited(start(request));
    }

    /** Every blocking call, written once: never on the engine's own thread (no user code runs there). */
    /** A blocking call's first step, before anything starts: never on the engine's thread, which it would wait for. */
    private void notOnLoop(String call) {
        if (rt.scheduler().inLoop()) {
            throw new IllegalStateException("blocking " + call + "() called on the pathprobe engine thread");
        }
    }

    /** Waits for a started measurement's result, as a blocking call returns it. */
    private static <R> R awaited(Measurement<?, R> started) {
        @SuppressWarnings("unchecked")
        Awaitable<R> handle = (Awaitable<R>) started;
        return handle.await();
    }

    @Override
    public List<TransportInfo> transports() {
        return rt.registry().transports();
    }

    @Override
    public String transportName(ProbeProtocol protocol) {
        TransportRegistry.Choice c = rt.registry().choose(List.of(protocol), false, false, TransportRegistry.Mode.PEEK);
        return Objects.requireNonNull(c).name();
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
