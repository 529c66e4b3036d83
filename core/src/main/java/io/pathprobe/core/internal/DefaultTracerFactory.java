package io.pathprobe.core.internal;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.runtime.EngineLoop;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.internal.TracerFactory;
import io.pathprobe.internal.TracerSettings;
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

    @Override
    public PathTracer create(TracerSettings settings) {
        TransportRegistry registry = settings.transport() != null
                ? TransportRegistry.of(settings.transport())
                : TransportRegistry.discover(settings.preferredTransport(), loader());
        return create(settings, registry);
    }

    /** A tracer with its own engine thread, set-up pool and (unless the settings give one) callback pool. */
    static DefaultPathTracer create(TracerSettings settings, TransportRegistry registry) {
        int id = IDS.incrementAndGet();
        EngineLoop loop = new EngineLoop();
        ExecutorService setup = pool("pathprobe-setup-" + id + "-", SETUP_THREADS);
        ExecutorService own = settings.executor() == null ? pool("pathprobe-callback-" + id + "-", CALLBACK_THREADS) : null;
        Executor callbacks = own != null ? own : settings.executor();
        return DefaultPathTracer.create(settings, registry, loop, Ticker.SYSTEM, setup, callbacks,
                new DefaultPathTracer.Lifecycle() {
                    @Override
                    public void stopLoop() {
                        loop.shutdown();
                    }

                    @Override
                    public void stopThreads() {
                        setup.shutdownNow();
                        if (own != null) {
                            own.shutdown(); // queued listener events and future completions still run
                        }
                    }
                });
    }

    /** Daemon threads that end when idle: a tracer that is not used holds none. */
    static ExecutorService pool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, prefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : DefaultTracerFactory.class.getClassLoader();
    }
}
