package io.pathprobe.core.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What every measurement handle hands to its {@link Lifecycle} as it is: the user's calls (result, cancel, snapshot,
 * await) and the tracer's (launch, requestCancel, whenEnded), written once rather than in each handle.
 *
 * @param <R> the result
 * @param <L> the listener
 */
public abstract class LifecycleHandle<R, L> {
    /** {@return the handle's lifecycle} */
    protected abstract Lifecycle<R, L> measurement();

    /** Runs {@code action} on the loop when the engine's result is made (or the measurement fails). */
    public final void whenEnded(BiConsumer<Object, Throwable> action) {
        measurement().whenEnded(action);
    }

    /** {@return the lifecycle, as a recording names it} */
    public final Object lifecycle() {
        return measurement();
    }

    /** Starts: set-up, the deadline (IllegalStateException if the tracer is closed). */
    public void launch() {
        measurement().launch();
    }

    /** A new future for the result, completed on the executor; completing it stops the measurement. */
    public final CompletableFuture<R> result() {
        return measurement().result();
    }

    /** Stops it and returns what it had, or the final result once ended ({@link Lifecycle#cancel}). */
    public final R cancel() {
        return measurement().cancel();
    }

    /** Stops it with what it has; returns at once. */
    public final void requestCancel() {
        measurement().requestCancel();
    }

    /** What is known now; the final result once ended. */
    public final R snapshot() {
        return measurement().snapshot();
    }

    /** Blocks until the engine ends it (never waits for the executor); an interrupt cancels it. */
    public R await() {
        return measurement().await();
    }

    /** Whether the engine has ended it. */
    public final boolean ended() {
        return measurement().ended();
    }
}
