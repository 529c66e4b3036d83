package io.pathprobe.agent;

import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The agent's own timer thread, when it is given no scheduler: one daemon thread, "pathprobe-agent". */
final class ExecutorLoop implements Scheduler, Ticker, AutoCloseable {
    private final ScheduledExecutorService executor;
    private volatile @org.jspecify.annotations.Nullable Thread thread; // set when the executor makes it

    ExecutorLoop() {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pathprobe-agent");
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public boolean execute(Runnable task) {
        return io.pathprobe.core.internal.runtime.Scheduler.tryExecute(executor, task); // false: shut down
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        try {
            ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    /**
     * {@return what {@code work} returns, run on this loop's thread: the caller waits} Not to be called on that
     * thread (it would wait for itself). What {@code work} throws is thrown here.
     */
    <T> T call(Supplier<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!execute(() -> {
            try {
                done.complete(work.get());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        })) {
            throw new IllegalStateException("the agent's loop has stopped");
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
