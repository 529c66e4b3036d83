package io.pathprobe.core.internal.runtime;

import java.util.concurrent.CompletableFuture;
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
        Runnable forward = () -> done.whenComplete((r, e) -> {
            if (e != null) {
                published.completeExceptionally(e);
            } else {
                published.complete(r);
            }
        });
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
        published.whenComplete((r, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(r);
            }
        });
        f.whenComplete((r, e) -> {
            if (!done.isDone()) {
                stop.run();
            }
        });
        return f;
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
