package io.pathprobe.core.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * How a measurement's handle hands its result to the caller, the same for every measurement: the
 * engine completes {@code done} on its loop; what the caller sees is {@code published}, completed on
 * the executor behind the listener's events (so a future's continuations never run on the engine loop
 * and come after the listener saw the end), and each caller gets a future of its own, whose completion
 * from outside (cancel, orTimeout, complete) stops the measurement.
 */
public final class Publication {
    /** Set while this thread runs listener events ({@link SerialExecutor}) or completes callers' futures. */
    private static final ThreadLocal<Boolean> IN_CALLBACK = new ThreadLocal<>();

    private Publication() {}

    /**
     * {@return whether this thread is running a listener's events or a result's continuations now} Code there
     * must not wait for a publication: it may be queued behind the very task that waits.
     */
    static boolean inCallback() {
        return IN_CALLBACK.get() != null;
    }

    /** Runs {@code task} marked as a callback ({@link #inCallback()}). */
    static void runAsCallback(Runnable task) {
        if (IN_CALLBACK.get() != null) {
            task.run();
            return;
        }
        IN_CALLBACK.set(Boolean.TRUE);
        try {
            task.run();
        } finally {
            IN_CALLBACK.remove();
        }
    }

    /** The callers' futures of one measurement not complete yet (those {@link #now} completes). */
    static final class Callers<R> {
        private final List<CompletableFuture<R>> open = new ArrayList<>();

        /** {@return {@code f}, kept until it completes} */
        CompletableFuture<R> add(CompletableFuture<R> f) {
            synchronized (open) {
                open.removeIf(CompletableFuture::isDone);
                if (!f.isDone()) {
                    open.add(f);
                }
            }
            return f;
        }

        private List<CompletableFuture<R>> take() {
            synchronized (open) {
                List<CompletableFuture<R>> all = List.copyOf(open);
                open.clear();
                return all;
            }
        }
    }

    /**
     * Once the engine has ended a measurement ({@code done}), completes its callers' futures before returning,
     * for {@code cancel()}: the publication (queued on the executor behind the listener's events) is waited for,
     * at most 10 s, where waiting cannot hold it up; on the loop, or on a thread running listener events or a
     * result's continuations (a listener may cancel), or after 10 s, {@code published} and the callers' futures
     * are completed at once, in this thread, ahead of the listener's events still queued. A measurement the
     * engine has not ended is left as it is.
     */
    static <R> void now(CompletableFuture<R> done, CompletableFuture<R> published, Callers<R> callers,
            Scheduler scheduler) {
        if (!done.isDone()) {
            return;
        }
        if (!published.isDone() && !scheduler.inLoop() && !inCallback() && !scheduler.runQueued()) {
            try {
                published.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // failed: completed with the same failure below; a listener still busy: completed below
            }
        }
        done.whenComplete(new CompleteWith<>(published));
        for (CompletableFuture<R> f : callers.take()) {
            published.whenComplete(new CompleteWith<>(f)); // each completed now, here or in published's thread
        }
    }

    /**
     * Completes {@code published} with {@code done}'s outcome on {@code events} (behind the listener's
     * events) if it takes the task, else on {@code callbacks}, else at once.
     */
    public static <R> void publish(CompletableFuture<R> done, CompletableFuture<R> published,
            @Nullable SerialExecutor events, Executor callbacks) {
        Runnable forward = new Runnable() {
            @Override
            public void run() {
                runAsCallback(new Runnable() {
                    @Override
                    public void run() {
                        done.whenComplete(new CompleteWith<>(published));
                    }
                });
            }
        };
        if (events != null && events.tryExecute(forward)) {
            return;
        }
        if (!Scheduler.tryExecute(callbacks, forward)) {
            forward.run();
        }
    }

    /**
     * A new future for the caller, completed with {@code published}; completing it from outside
     * while {@code done} is not done runs {@code stop}. It never detaches the engine's result.
     */
    public static <R> CompletableFuture<R> callersFuture(CompletableFuture<R> published, CompletableFuture<R> done,
            Runnable stop) {
        CompletableFuture<R> f = new CompletableFuture<>();
        published.whenComplete(new CompleteWith<>(f));
        f.whenComplete(new BiConsumer<R, Throwable>() {
            @Override
            public void accept(R r, Throwable e) {
                if (!done.isDone()) {
                    stop.run();
                }
            }
        });
        return f;
    }

    /**
     * Completes {@code target} with the outcome it is given. The hand-offs here are classes, not lambdas, as on the
     * rest of a first trace's path: a lambda is generated at its first use (docs/startup.md).
     */
    private static final class CompleteWith<R> implements BiConsumer<R, Throwable> {
        private final CompletableFuture<R> target;

        CompleteWith(CompletableFuture<R> target) {
            this.target = target;
        }

        @Override
        public void accept(R r, Throwable e) {
            if (e != null) {
                target.completeExceptionally(e);
            } else {
                target.complete(r);
            }
        }
    }
}
