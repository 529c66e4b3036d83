package io.pathprobe.core.internal;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.enrich.LocalData;
import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.logging.QuietSlf4j;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.record.spi.Evidence;
import io.pathprobe.core.internal.record.spi.Recording;
import io.pathprobe.core.internal.record.spi.ReplayEngine;
import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.GivenScheduler;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.SendLanes;
import io.pathprobe.core.internal.runtime.ThreadSetup;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.runtime.WallClock;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.spi.ProbeTransport;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The engine found by {@link PathTracer#builder()}. Public only for {@link java.util.ServiceLoader}. */
public final class DefaultTracerFactory implements TracerFactory {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Set-up threads: resolution and transport opening; bounded, so a hanging resolver costs at most these. */
    static final int SETUP_THREADS = 4;
    /** The tracer's own callback threads, when the user gives no executor. */
    static final int CALLBACK_THREADS = 2;
    /**
     * Runs each task in the caller's thread. The tasks and factories of a first build() and trace are classes, not
     * lambdas: a lambda is generated at its first use, in a fresh JVM's first build() (docs/startup.md).
     */
    private static final Executor DIRECT = new Executor() {
        @Override
        public void execute(Runnable task) {
            task.run();
        }
    };

    @Override
    public PathTracer create(TracerSettings settings) {
        io.pathprobe.evidence.RecordingOptions recording = settings.recording();
        // the recorder (pathprobe-evidence) before anything starts or opens: without it, a RecordingException naming it
        Evidence evidence = recording == null ? null : Evidence.find(recording.file(), "recording");
        if (!settings.enrichment().offline()) {
            // before dnsjava or Netty touch SLF4J: no provider, no warning on stderr. An offline tracer starts neither
            // at build (its Netty loops, for bufferbloat or DNS/HTTP pings, do it themselves before their first thread)
            QuietSlf4j.init(DefaultTracerFactory.class.getClassLoader());
        }
        if (recording == null || evidence == null) { // evidence is null exactly when recording is
            TransportRegistry registry = settings.transport() != null
                    ? TransportRegistry.of(settings.transport())
                    : TransportRegistry.discover(settings.preferredTransport(), loader());
            return create(settings, registry, true);
        }
        Recording recorder = evidence.record(recording, settings, NettyVersions.PATHPROBE_VERSION);
        try {
            ProbeTransport given = settings.transport();
            TransportRegistry registry = given != null ? TransportRegistry.of(recorder.transport(given))
                    : TransportRegistry.discover(settings.preferredTransport(), loader(), recorder::provider);
            return create(settings, registry, false, recorder).recordTo(recorder);
        } catch (RuntimeException | Error e) {
            recorder.close();
            throw e;
        }
    }

    /** Replays a recording: see {@link io.pathprobe.PathTracer#replay(java.nio.file.Path)}. */
    @Override
    public Object replay(java.nio.file.Path file) {
        Evidence evidence = Evidence.find(file, "replaying"); // the replayer (pathprobe-evidence) first
        QuietSlf4j.init(DefaultTracerFactory.class.getClassLoader());
        return evidence.replay(file, REPLAYED, null);
    }

    /** Replays a recording with the application's code: see {@link io.pathprobe.PathTracer#replay}. */
    @Override
    public Object replay(java.nio.file.Path file, Object application) {
        Evidence evidence = Evidence.find(file, "replaying");
        QuietSlf4j.init(DefaultTracerFactory.class.getClassLoader());
        return evidence.replay(file, REPLAYED, (io.pathprobe.ReplayApplication) application);
    }

    /** The replayed engine: a tracer on the replay's loop, clock, pools, lookups and launches. */
    private static final ReplayEngine REPLAYED =
            (settings, registry, loop, ticker, pool, callbacks, lookups, wallClock, resolver, launcher, stopLoop,
                    stopThreads) -> DefaultPathTracer.create(settings, registry, loop, ticker, pool, callbacks,
                            lookups, pool, new NettyLoops(ThreadSetup.background(registry)),
                            new DefaultPathTracer.Lifecycle() {
                                @Override
                                public void stopLoop() {
                                    stopLoop.run();
                                }

                                @Override
                                public void stopThreads() {
                                    stopThreads.run();
                                }
                            }, wallClock, resolver).launchedBy(launcher);

    /** A tracer with its own engine thread, set-up pool and (unless the settings give one) callback pool. */
    static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry) {
        return create(settings, registry, false);
    }

    /**
     * As {@link #create(TracerSettings, TransportRegistry)}; with {@code prepare}, the default trace's transport
     * is opened (and Netty's native transport loaded) on the set-up pool while the rest of the tracer is
     * built, and the tracer is returned once that is done: the set-up a first trace would otherwise wait
     * for (about 400 ms of class loading in a fresh JVM) happens in {@code build()}, in parallel.
     */
    static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry, boolean prepare) {
        return create(settings, registry, prepare, null);
    }

    /** As above; with a recording, everything the engine takes from outside goes through it ({@link Recording}). */
    private static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry, boolean prepare,
            @Nullable Recording rec) {
        io.pathprobe.time.Scheduler given = settings.scheduler();
        io.pathprobe.time.Ticker givenTicker = settings.ticker();
        boolean givenLoop = given != null && givenTicker != null;
        // the application's Netty versions, before anything touches Netty (the lookups' loops, the bufferbloat
        // load): its Netty 4.1 fails build() with the versions and the fix. First, when no transport opens ahead of
        // the first measurement; else while it opens (below)
        boolean checkNettyFirst = !prepare || givenLoop;
        if (checkNettyFirst) {
            NettyVersions.require(DefaultTracerFactory.class.getClassLoader());
        }
        // local files (GeoIP, PeeringDB) first: one that cannot be used fails build() before any thread starts
        LocalData local = LocalData.open(settings.enrichment());
        if (given != null && givenTicker != null) { // givenLoop
            Ticker ticker = new Ticker() { // a class: the engine's warm-up builds such a tracer in build()
                @Override
                public long read() {
                    return givenTicker.read();
                }
            };
            return onGivenLoop(settings, registry, new GivenScheduler(given), ticker, local, rec);
        }
        int id = IDS.incrementAndGet();
        String setupPrefix = "pathprobe-setup-" + id + "-";
        String callbackPrefix = "pathprobe-callback-" + id + "-";
        // set-up threads come and go (used for names and for first opening a transport); the
        // callback threads are started with the tracer, so its thread count stays constant
        ExecutorService setup = pool(setupPrefix, SETUP_THREADS, true);
        List<Future<?>> preparing = prepare ? Preparation.start(registry, setup) : List.of();
        // the Netty check while the transport opens (the Linux transports use no Netty; the check reads every Netty
        // jar's version file, 5-8 ms of a fresh JVM's build()); a failure closes what began, then fails build()
        if (!checkNettyFirst) {
            try {
                NettyVersions.require(DefaultTracerFactory.class.getClassLoader());
            } catch (RuntimeException e) {
                Preparation.await(preparing);
                setup.shutdownNow();
                registry.close();
                local.close();
                throw e;
            }
        }
        EngineLoop loop = new EngineLoop(ThreadSetup.engine(registry));
        // sender threads only on the tracer's own loop and unrecorded: a recording replays its sends in order
        SendLanes lanes = rec != null ? SendLanes.NONE : new SendLanes(settings.senderThreads() < 0
                ? SendLanes.defaultThreads() : settings.senderThreads(), loop, ThreadSetup.engine(registry));
        Executor userExecutor = settings.executor();
        ThreadPoolExecutor own;
        Executor callbacks;
        if (userExecutor == null) {
            own = pool(callbackPrefix, CALLBACK_THREADS, false);
            own.prestartAllCoreThreads();
            callbacks = own;
        } else {
            own = null;
            callbacks = userExecutor;
        }
        // enrichment: its own small pool (lookups are started and their results handled there, never
        // on the engine loop nor on the user's executor); threads end when idle
        ExecutorService enrich = !lookups(settings.enrichment(), local) ? null
                : pool("pathprobe-enrich-" + id + "-", 2, true);
        // the tracer's one Netty group set: enrichment's DNS/STUN exchanges and the bufferbloat loops
        NettyLoops netty = new NettyLoops(ThreadSetup.background(registry));
        io.pathprobe.core.internal.lookup.EnricherLookups enricher = enrich == null ? null
                : io.pathprobe.core.internal.lookup.EnricherLookups.create(settings.enrichment(),
                        Ticker.SYSTEM, enrich, netty, local);
        HostLookups lookups = enricher == null ? HostLookups.OFF : enricher;
        if (enricher != null && !settings.enrichment().offline()) {
            preparing = Preparation.lookups(preparing, netty, setup, enricher::mayAsk);
        }
        Executor enrichOrCallbacks = enrich == null ? callbacks : enrich;
        DefaultPathTracer tracer = DefaultPathTracer.create(settings, registry,
                rec == null ? loop : rec.scheduler(loop),
                rec == null ? Ticker.SYSTEM : rec.ticker(Ticker.SYSTEM),
                rec == null ? setup : rec.executor(setup, false),
                rec == null ? callbacks : rec.callbacks(callbacks),
                rec == null ? lookups : rec.lookups(lookups),
                rec == null ? enrichOrCallbacks : rec.executor(enrichOrCallbacks, enrich != null), netty,
                new DefaultPathTracer.Lifecycle() {
                    @Override
                    public void stopLoop() {
                        loop.shutdown();
                        lanes.shutdown(); // after the loop: the sessions its last tasks closed are closed
                    }

                    @Override
                    public void stopThreads() {
                        setup.shutdownNow(); // interrupts resolvers that hang
                        if (enrich != null) {
                            enrich.shutdownNow();
                        }
                        if (own != null) {
                            own.shutdown(); // queued listener events and future completions still run
                        }
                        String me = Thread.currentThread().getName();
                        awaitUnlessOwn(setup, setupPrefix, me);
                        if (own != null) {
                            awaitUnlessOwn(own, callbackPrefix, me);
                        }
                    }
                }, rec == null ? WallClock.SYSTEM : rec.wallClock(WallClock.SYSTEM),
                rec == null ? settings.hostResolver() : rec.resolver(settings.hostResolver()));
        tracer.runtime().sends().lanes(lanes);
        // the wait for the transport's opening runs the trace code once, on fake time (see Warmup)
        Warmup.whileOpening(preparing);
        Preparation.await(preparing);
        return tracer;
    }

    /**
     * A tracer on the application's own loop and clock (fake time in its tests): no engine thread; set-up work
     * runs in the caller's thread and, unless the settings give an executor, callbacks on the loop, so a loop
     * its caller drives runs a whole measurement in that one thread.
     */
    private static DefaultPathTracer onGivenLoop(TracerSettings settings, TransportRegistry registry,
            Scheduler givenLoop, Ticker givenTicker, LocalData local, @Nullable Recording rec) {
        Scheduler loop = rec == null ? givenLoop : rec.scheduler(givenLoop);
        Ticker ticker = rec == null ? givenTicker : rec.ticker(givenTicker);
        Executor direct = DIRECT;
        Executor callbacks = settings.executor() != null ? settings.executor() : direct;
        ExecutorService enrich = !lookups(settings.enrichment(), local) ? null
                : pool("pathprobe-enrich-" + IDS.incrementAndGet() + "-", 2, true);
        NettyLoops netty = new NettyLoops(ThreadSetup.background(registry));
        HostLookups lookups = enrich == null ? HostLookups.OFF
                : io.pathprobe.core.internal.lookup.EnricherLookups.create(settings.enrichment(), ticker, enrich,
                        netty, local);
        Executor enrichOrCallbacks = enrich == null ? callbacks : enrich;
        return DefaultPathTracer.create(settings, registry, loop, ticker, rec == null ? direct
                : rec.executor(direct, false), rec == null ? callbacks : rec.callbacks(callbacks),
                rec == null ? lookups : rec.lookups(lookups),
                rec == null ? enrichOrCallbacks : rec.executor(enrichOrCallbacks, enrich != null), netty,
                new DefaultPathTracer.Lifecycle() {
                    @Override
                    public void stopLoop() {
                        loop.runQueued(); // the loop is the application's: what is queued runs, it is not stopped
                    }

                    @Override
                    public void stopThreads() {
                        if (enrich != null) {
                            enrich.shutdownNow();
                        }
                    }
                }, rec == null ? WallClock.SYSTEM : rec.wallClock(WallClock.SYSTEM),
                rec == null ? settings.hostResolver() : rec.resolver(settings.hostResolver()));
    }

    /** The tracer's lookups for these settings. */
    static HostLookups lookups(EnrichmentSettings settings, Ticker ticker, Executor executor) {
        return settings.offline() && !settings.localData() ? HostLookups.OFF
                : io.pathprobe.core.internal.lookup.EnricherLookups.create(settings, ticker, executor);
    }

    /** Whether a tracer of these settings looks anything up: online, or offline with local files. */
    private static boolean lookups(EnrichmentSettings settings, LocalData local) {
        return !settings.offline() || !local.isEmpty();
    }

    /** Waits (bounded) for a pool to end, unless the caller is one of its threads (close() from a listener). */
    private static void awaitUnlessOwn(ExecutorService pool, String prefix, String caller) {
        if (caller.startsWith(prefix)) {
            return;
        }
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads; with {@code idleTimeout} they end when idle for 10 s. */
    static ThreadPoolExecutor pool(String prefix, int threads, boolean idleTimeout) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new ThreadFactory() {
                    @Override
                    public Thread newThread(Runnable r) {
                        Thread t = new Thread(r, prefix + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }
                });
        pool.allowCoreThreadTimeOut(idleTimeout);
        return pool;
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : DefaultTracerFactory.class.getClassLoader();
    }
}
