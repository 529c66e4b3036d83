package io.pathprobe.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Not API: the one blocking wait of a measurement ({@code Measurement.await()} and the engine's handles). */
public final class Awaiting {
    private Awaiting() {
    }

    /**
     * Blocks until {@code done} completes. If the waiting thread is interrupted, runs {@code cancel} once and keeps
     * waiting for the (partial) result, ignoring further interrupts, then returns with the interrupt flag set.
     *
     * @param <R> the result
     * @param done what to wait for
     * @param cancel what an interrupt does, once
     * @param checked what a failure whose cause is neither a {@link RuntimeException} nor an {@link Error} throws
     * @return the result
     */
    public static <R> R await(CompletableFuture<R> done, Runnable cancel,
            Function<@Nullable Throwable, RuntimeException> checked) {
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
                } catch (ExecutionException e) {
                    throw unchecked(e.getCause(), checked);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt(); // the caller was interrupted: keep the flag
            }
        }
    }

    /**
     * {@return what a blocking call throws for the cause of a failed measurement: the cause itself if it is a
     * {@link RuntimeException}, else what {@code checked} makes of it}
     *
     * @param cause the failure's cause
     * @param checked what a cause that is neither a {@link RuntimeException} nor an {@link Error} becomes
     * @throws Error if the cause is one
     */
    public static RuntimeException unchecked(@Nullable Throwable cause,
            Function<@Nullable Throwable, RuntimeException> checked) {
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return checked.apply(cause);
    }
}
