package io.pathprobe.core.internal;

import io.pathprobe.PathProbeException;
import io.pathprobe.PathTracer;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.Trace;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.internal.TracerSettings;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The tracer: one engine thread for all its traces, a shared probe-rate budget, transports opened
 * on first use, and (only when names must be resolved) a small resolver pool.
 */
final class DefaultPathTracer implements PathTracer {
    private static final int RESOLVER_THREADS = 2;
    private static final AtomicInteger RESOLVER_IDS = new AtomicInteger();

    private final TracerSettings settings;
    private final TransportRegistry registry;
    private final Engine engine;
    private final TokenBucket bucket;
    private final Set<TraceRun> runs = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object resolverLock = new Object();
    private @Nullable ExecutorService resolver;

    // engine thread only
    private final ArrayDeque<TraceRun> ready = new ArrayDeque<>();
    private @Nullable ScheduledFuture<?> refill;

    DefaultPathTracer(TracerSettings settings, TransportRegistry registry, LongSupplier ticker) {
        this.settings = settings;
        this.registry = registry;
        this.engine = new Engine(ticker);
        this.bucket = new TokenBucket(settings.packetsPerSecond(), settings.burst(), ticker.getAsLong());
    }

    TransportRegistry registry() {
        return registry;
    }

    // ---- API ---------------------------------------------------------------------------------

    @Override
    public Trace start(TraceRequest request) {
        TraceRun run = new TraceRun(this, engine, request);
        runs.add(run);
        if (closed.get()) {
            runs.remove(run);
            throw new IllegalStateException("tracer is closed");
        }
        InetAddress address;
        try {
            address = request.address().map(a -> Targets.checked(request.target(), a))
                    .orElseGet(() -> Targets.literal(request.target()));
        } catch (PathProbeException e) {
            engine.execute(() -> run.failSetup(e));
            return run;
        }
        if (address != null) {
            InetAddress dest = address;
            engine.execute(() -> run.begin(dest));
        } else {
            resolver().execute(() -> {
                try {
                    InetAddress dest = Targets.resolve(request.target(), settings.hostResolver());
                    engine.execute(() -> run.begin(dest));
                } catch (RuntimeException e) {
                    engine.execute(() -> run.failSetup(e));
                }
            });
        }
        return run;
    }

    @Override
    public CompletableFuture<TraceResult> traceAsync(TraceRequest request) {
        return start(request).result();
    }

    @Override
    public TraceResult trace(TraceRequest request) {
        if (engine.inEngineThread()) {
            throw new IllegalStateException(
                    "blocking trace() called from a TraceListener: it would deadlock; use traceAsync()");
        }
        Trace run = start(request);
        try {
            return run.result().get();
        } catch (InterruptedException e) {
            run.cancel();
            try {
                return awaitUninterruptibly(run.result());
            } finally {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new PathProbeException("trace of " + request.target() + " was cancelled before it started", e);
        }
    }

    private static TraceResult awaitUninterruptibly(CompletableFuture<TraceResult> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new PathProbeException("trace was cancelled before it started", e);
        }
    }

    private static RuntimeException rethrow(@Nullable Throwable cause) {
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new PathProbeException("trace failed: " + cause, cause);
    }

    @Override
    public String transportName(ProbeProtocol protocol) {
        return registry.nameFor(protocol, false);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        engine.execute(() -> {
            for (TraceRun run : List.copyOf(runs)) {
                run.finish(io.pathprobe.TraceStatus.CANCELLED);
            }
        });
        engine.shutdown();
        ExecutorService r;
        synchronized (resolverLock) {
            r = resolver;
            resolver = null;
        }
        if (r != null) {
            r.shutdownNow();
        }
        for (TraceRun run : List.copyOf(runs)) {
            // never started (still resolving): tell its caller
            run.result().completeExceptionally(new IllegalStateException("tracer closed"));
            runs.remove(run);
        }
        registry.close();
    }

    private ExecutorService resolver() {
        synchronized (resolverLock) {
            if (closed.get()) {
                throw new IllegalStateException("tracer is closed");
            }
            if (resolver == null) {
                String prefix = "pathprobe-resolver-" + RESOLVER_IDS.incrementAndGet() + "-";
                AtomicInteger n = new AtomicInteger();
                ThreadPoolExecutor pool = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS,
                        10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(r, prefix + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
                pool.allowCoreThreadTimeOut(true);
                resolver = pool;
            }
            return resolver;
        }
    }

    // ---- engine thread: the send queue -------------------------------------------------------

    void markReady(TraceRun run) {
        if (!run.queued && !run.finished()) {
            run.queued = true;
            ready.addLast(run);
        }
    }

    /** Sends what the rate budget allows, round-robin over the traces that have something to send. */
    void pump() {
        List<TraceRun> touched = null;
        while (!ready.isEmpty()) {
            TraceRun run = ready.peekFirst();
            ProbeState next = run.nextEligible();
            if (next == null) {
                ready.pollFirst();
                run.queued = false;
                continue;
            }
            long now = engine.now();
            if (!bucket.tryTake(now)) {
                armRefill(bucket.nanosUntilToken(now));
                break;
            }
            run.send(next);
            if (!run.touched) {
                run.touched = true;
                if (touched == null) {
                    touched = new ArrayList<>();
                }
                touched.add(run);
            }
            if (!bucket.unlimited() && ready.size() > 1) {
                ready.addLast(ready.pollFirst());
            }
        }
        if (touched != null) {
            for (TraceRun run : touched) {
                run.touched = false;
                run.settle();
            }
        }
    }

    private void armRefill(long delay) {
        if (refill == null) {
            refill = engine.schedule(() -> {
                refill = null;
                pump();
            }, Math.max(delay, 50_000));
        }
    }

    void onFinished(TraceRun run) {
        runs.remove(run);
        if (run.queued) {
            ready.remove(run);
            run.queued = false;
        }
    }
}
