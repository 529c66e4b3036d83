package io.pathprobe.core.internal;

import io.pathprobe.PathTracer;
import io.pathprobe.TraceRequest;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.internal.EnrichmentSettings;
import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine found by {@link PathTracer#builder()}. Public only for {@link java.util.ServiceLoader}. */
public final class DefaultTracerFactory implements TracerFactory {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Set-up threads: resolution and transport opening; bounded, so a hanging resolver costs at most these. */
    static final int SETUP_THREADS = 4;
    /** The tracer's own callback threads, when the user gives no executor. */
    static final int CALLBACK_THREADS = 2;
    /** The longest close() waits for the warm-up of a tracer built a moment before. */
    static final int WARM_UP_WAIT_SECONDS = 10;

    @Override
    public PathTracer create(TracerSettings settings) {
        // before anything touches Netty: an application's Netty 4.1 fails here, with the versions and the fix
        NettyVersions.require(DefaultTracerFactory.class.getClassLoader());
        // before dnsjava or Netty touch SLF4J: no provider, no warning on stderr (issue 23)
        QuietSlf4j.init(DefaultTracerFactory.class.getClassLoader());
        TransportRegistry registry = settings.transport() != null
                ? TransportRegistry.of(settings.transport())
                : TransportRegistry.discover(settings.preferredTransport(), loader());
        return create(settings, registry);
    }

    /** A tracer with its own engine thread, set-up pool and (unless the settings give one) callback pool. */
    static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry) {
        int id = IDS.incrementAndGet();
        EngineLoop loop = new EngineLoop(registry::configureEngineThread);
        String setupPrefix = "pathprobe-setup-" + id + "-";
        String callbackPrefix = "pathprobe-callback-" + id + "-";
        // set-up threads come and go (used for names and for first opening a transport); the
        // callback threads are started with the tracer, so its thread count stays constant
        ExecutorService setup = pool(setupPrefix, SETUP_THREADS, true);
        // first, so that it runs beside the rest of this build on another core (issue 23's cold start)
        CountDownLatch warmed = warm(setup, registry, loop);
        ThreadPoolExecutor own = settings.executor() == null ? pool(callbackPrefix, CALLBACK_THREADS, false) : null;
        if (own != null) {
            own.prestartAllCoreThreads();
        }
        Executor callbacks = own != null ? own : settings.executor();
        // enrichment: its own small pool (lookups are started and their results handled there, never
        // on the engine loop nor on the user's executor); threads end when idle
        ExecutorService enrich = settings.enrichment().offline() ? null : pool("pathprobe-enrich-" + id + "-", 2, true);
        // the tracer's one Netty group set: enrichment's DNS/STUN exchanges and the bufferbloat loops
        io.pathprobe.core.internal.io.NettyLoops netty = new io.pathprobe.core.internal.io.NettyLoops(registry::configureBackgroundThread);
        HostLookups lookups = enrich == null ? HostLookups.OFF
                : io.pathprobe.core.internal.lookup.EnricherLookups.create(settings.enrichment(), Ticker.SYSTEM, enrich, netty);
        DefaultPathTracer tracer = DefaultPathTracer.create(settings, registry, loop, Ticker.SYSTEM, setup, callbacks, lookups,
                enrich == null ? callbacks : enrich, netty,
                new DefaultPathTracer.Lifecycle() {
                    @Override
                    public void stopLoop() {
                        loop.shutdown();
                    }

                    @Override
                    public void stopThreads() {
                        // the warm-up first: an interrupt in the middle of a native library's or JFR's first
                        // initialisation leaves it broken for the whole JVM (under Wine, a Windows JVM then
                        // never exited after a trace closed while its warm-up still ran)
                        awaitWarmUp(warmed);
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
                });
        return tracer;
    }

    /**
     * Makes ready, on a set-up thread while the caller goes on, what the first trace needs (issues 21 and 23: a cold
     * first trace waited for it, and its adaptive wait could give up meanwhile), one part after the other, in the
     * order a first measurement takes them: the transport a default IPv4 trace chooses, opened (its native binding,
     * its I/O loop and native event loop); then the engine thread (its start configures it through a native
     * binding); then JFR's event types. Never two native bindings' first initialisations at once: jnr-ffi's are not
     * safe side by side (under Wine a Windows JVM that opened its transport while the engine thread bound libc hung).
     * A trace asking meanwhile waits for the same open (the registry opens each transport once, under a lock per
     * provider). What fails here is left to the first measurement to report, as it would have been without the
     * warm-up: the registry records a failed open.
     *
     * @return counted down once the warm-up has ended
     */
    static CountDownLatch warm(Executor setup, TransportRegistry registry, EngineLoop loop) {
        CountDownLatch done = new CountDownLatch(1);
        setup.execute(counted(done, () -> {
            try {
                TraceRequest defaults = TraceRequest.builder(InetAddress.getLoopbackAddress()).build();
                registry.choose(defaults.protocols(), defaults.automaticProtocol(), false, FlowPolicy.FIXED, false,
                        TransportRegistry.Mode.OPEN);
            } finally {
                loop.execute(() -> {});
                io.pathprobe.core.internal.observe.ProbeObserver.prepareJfr();
            }
        }));
        return done;
    }

    /** {@code part}, then one count off {@code done} whatever happens; what it throws is the first measurement's to see. */
    private static Runnable counted(CountDownLatch done, Runnable part) {
        return () -> {
            try {
                part.run();
            } catch (RuntimeException e) {
                // no usable transport, or the tracer closed meanwhile: the first measurement says so
            } finally {
                done.countDown();
            }
        };
    }

    /** Waits (bounded: {@value #WARM_UP_WAIT_SECONDS} s) for the warm-up to end. */
    private static void awaitWarmUp(CountDownLatch warmed) {
        try {
            warmed.await(WARM_UP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tracer's lookups for these settings. */
    static HostLookups lookups(EnrichmentSettings settings, Ticker ticker, Executor executor) {
        return settings.offline() ? HostLookups.OFF
                : io.pathprobe.core.internal.lookup.EnricherLookups.create(settings, ticker, executor);
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
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, prefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(idleTimeout);
        return pool;
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : DefaultTracerFactory.class.getClassLoader();
    }
}
