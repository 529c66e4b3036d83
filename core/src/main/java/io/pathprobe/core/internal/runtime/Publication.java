package io.pathprobe.core.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * How a measurement's handle hands its result to the caller, the same for every measurement: the
 * engine completes {@code done} on its loop; what the caller sees is {@code published}, completed on
 * the executor behind the listener's events (so a future's continuations never run on the engine loop
 * and come after the listener saw the end), and each caller gets a future of its own, whose completion
 * from outside (cancel, orTimeout, complete) stops the measurement.
 */
public final class Publication {
    private Publication() {}

    /**
     * Completes {@code published} with {@code done}'s outcome on {@code events} (behind the listener's
     * events) if it takes the task, else on {@code callbacks}, else at once.
     */
    public static <R> void publish(CompletableFuture<R> done, CompletableFuture<R> published,
            @Nullable SerialExecutor events, Executor callbacks) {
        Runnable forward = new Runnable() {
            @Override
            public void run() {
                done.whenComplete(new CompleteWith<>(published));
            }
        };
        if (events != null && events.tryExecute(forward)) {
            return;
        }
        try {
            callbacks.execute(forward);
        } catch (RejectedExecutionException e) {
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

    /**
     * Blocks until {@code done} completes. If the waiting thread is interrupted, runs {@code cancel}
     * once and keeps waiting for the (partial) result, ignoring further interrupts, then returns with
     * the interrupt flag set. A failed {@code done} throws what {@code failure} makes of its cause.
     */
    public static <R> R awaitCancellingOnInterrupt(CompletableFuture<R> done, Runnable cancel,
            java.util.function.Function<Throwable, RuntimeException> failure) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        interrupted = true;
                        cancel.run();
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    throw failure.apply(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt(); // the caller was interrupted: keep the flag
            }
        }
    }
}
