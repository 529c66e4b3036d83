package io.pathprobe.core.internal.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The real {@link Scheduler}: one daemon thread. A task that throws is logged and does not stop the
 * loop (measurements guard their own tasks and fail only themselves; this is the last net).
 *
 * <p><b>Bounded inbox.</b> The tasks the engine makes itself are bounded by the measurements running
 * (each holds at most a few timers and hand-offs at a time). What comes from outside, the answers the
 * transports hand over ({@link #offer}), is bounded too: at most {@value #MAX_QUEUED_OFFERS} wait at
 * once, for all measurements of the tracer. An answer beyond that (the engine is that far behind the
 * wire: a flood, a long GC pause) is dropped before it reaches its measurement, counted
 * ({@link #refusedOffers()}) and logged (WARNING the first time, then DEBUG): its probe stays
 * unanswered and ends as a timeout, so every measurement's accounting still adds up.
 */
public final class EngineLoop implements Scheduler {
    private static final System.Logger LOG = System.getLogger(EngineLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    static final long MAX_DELAY_NANOS = TimeUnit.DAYS.toNanos(366);
    /** The most {@linkplain #offer offered} tasks (answers) queued at once. */
    public static final int MAX_QUEUED_OFFERS = 65_536;

    private final AtomicInteger queuedOffers = new AtomicInteger();
    private final AtomicLong refusedOffers = new AtomicLong();

    private final ScheduledThreadPoolExecutor executor;
    private volatile @Nullable Thread thread;

    public EngineLoop() {
        this(() -> {});
    }

    /**
     * @param onThreadStart runs first on every thread the loop starts (normally one; another only if
     *     an Error ended the previous), before any task: the transports tune the thread
     *     ({@link TransportRegistry#configureEngineThread()}); what it throws is logged and ignored
     */
    public EngineLoop(Runnable onThreadStart) {
        String name = "pathprobe-engine-" + IDS.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(() -> {
                try {
                    onThreadStart.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(Level.DEBUG, "configuring the pathprobe engine thread failed", e);
                }
                r.run();
            }, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean execute(Runnable task) {
        try {
            executor.execute(() -> guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public boolean offer(Runnable task) {
        if (queuedOffers.incrementAndGet() > MAX_QUEUED_OFFERS) {
            queuedOffers.decrementAndGet();
            long n = refusedOffers.incrementAndGet();
            LOG.log(n == 1 ? Level.WARNING : Level.DEBUG, "pathprobe engine is " + MAX_QUEUED_OFFERS
                    + " answers behind: answer dropped (" + n + " so far; their probes end as timeouts)");
            return false;
        }
        try {
            executor.execute(() -> {
                queuedOffers.decrementAndGet();
                guarded(task);
            });
            return true;
        } catch (RejectedExecutionException e) {
            queuedOffers.decrementAndGet();
            return false;
        }
    }

    /** Offered tasks (answers) refused because {@value #MAX_QUEUED_OFFERS} were queued. */
    public long refusedOffers() {
        return refusedOffers.get();
    }

    /** Offered tasks (answers) queued now. */
    public int queuedOffers() {
        return queuedOffers.get();
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        try {
            ScheduledFuture<?> f = executor.schedule(() -> guarded(task),
                    Math.min(MAX_DELAY_NANOS, Math.max(0, delayNanos)), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return NO_TIMER;
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "pathprobe engine task failed", t);
            if (t instanceof Error && !(t instanceof StackOverflowError)) {
                throw t;
            }
        }
    }

    /**
     * Lets the queued tasks run (timers are dropped), then stops the thread; unless called from the
     * loop itself, returns once it has ended (bounded).
     */
    public void shutdown() {
        executor.shutdown();
        if (inLoop()) {
            return;
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "pathprobe engine did not stop within 5 s; interrupting it");
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
            Thread t = thread;
            if (t != null) {
                t.join(1000); // terminated is not yet dead: callers count threads
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
