package io.pathprobe.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The single engine thread of a tracer: runs every state change of every trace, and its timers.
 */
final class Engine implements Executor {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    private final LongSupplier ticker;
    private volatile @Nullable Thread thread;

    Engine(LongSupplier ticker) {
        this.ticker = ticker;
        String name = "pathprobe-engine-" + IDS.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    long now() {
        return ticker.getAsLong();
    }

    boolean inEngineThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs the task on the engine thread; dropped silently once the engine is shut down. */
    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // shut down: the trace this belonged to was already cancelled
        }
    }

    @Nullable ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Lets queued tasks finish, then stops the thread; unless called from it, returns once the
     * thread has ended (bounded).
     */
    void shutdown() {
        executor.shutdown();
        if (!inEngineThread()) {
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                    executor.awaitTermination(1, TimeUnit.SECONDS);
                }
                Thread t = thread;
                if (t != null) {
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
