package io.pathprobe.core.internal.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The real {@link Scheduler}: one daemon thread. A task that throws is logged and does not stop the
 * loop (measurements guard their own tasks and fail only themselves; this is the last net).
 */
public final class EngineLoop implements Scheduler {
    private static final System.Logger LOG = System.getLogger(EngineLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    static final long MAX_DELAY_NANOS = TimeUnit.DAYS.toNanos(366);

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
