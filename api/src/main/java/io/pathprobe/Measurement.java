package io.pathprobe;

import io.pathprobe.internal.Awaiting;
import java.util.concurrent.CompletableFuture;

/**
 * A running measurement, whatever its kind: what {@link PathTracer#start} returns for a trace, a traceAll, a ping,
 * a multipath discovery, a monitor, a path MTU discovery, a bufferbloat test or a comparison. One handle for all of
 * them (as OkHttp's {@code Call}): its request, its result as a future, what it has learned so far, a way to wait
 * for it ({@link #await()}) and a way to stop it. Closing it cancels it, so a measurement can sit in a
 * try-with-resources block:
 *
 * <pre>{@code
 * try (Measurement<TraceRequest, TraceResult> trace = tracer.start(TraceRequest.of("198.19.0.1"))) {
 *     TraceResult r = trace.result().get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Its methods may be called from any thread, listeners included.
 *
 * @param <Q> the request it runs
 * @param <R> its result
 */
public interface Measurement<Q, R> extends AutoCloseable {

    /** {@return the request it runs} */
    Q request();

    /**
     * {@return the result, as a future} It completes normally when the measurement ends for any reason,
     * cancellation (status {@code CANCELLED}) and the deadline included, after the listener's last event;
     * exceptionally only for set-up errors ({@link UnknownTargetException}, {@link NoTransportAvailableException},
     * a closed tracer). Each call returns a future of its own: completing or cancelling it stops the
     * measurement, and never takes the result from another caller.
     */
    CompletableFuture<R> result();

    /**
     * Blocks until it ends and returns its result: what the tracer's blocking forms ({@link PathTracer#measure},
     * {@link PathTracer#trace(io.pathprobe.trace.TraceRequest)}, ...) return, as they are
     * {@code start(request).await()}. It waits for the engine to end the measurement, not for the executor that
     * completes {@link #result()}'s futures. If the calling thread is interrupted (before or while it waits), the
     * measurement is cancelled ({@link #cancel()}), its partial result (status {@code CANCELLED}) is returned once
     * the engine closed it, and the interrupt flag is kept set. May be called from a listener or a future's
     * continuation, and by many threads: each gets the same result.
     *
     * <p>This default waits on {@link #result()} with the same interrupt rules; the engine's handles override it
     * to wait for the engine itself.
     *
     * @return the result, partial if it was cancelled
     * @throws UnknownTargetException if it failed to set up because its target does not resolve
     * @throws NoTransportAvailableException if it failed to set up because no transport can send what it needs
     * @throws PathProbeException if it failed for a cause that is not a {@link RuntimeException}
     * @throws IllegalStateException if the tracer was closed before it started
     */
    default R await() {
        return Awaiting.await(result(), this::cancel,
                cause -> new PathProbeException("the measurement failed: " + cause, cause));
    }

    /** {@return what it has learned so far (outstanding probes included); the final result once it ended} */
    R snapshot();

    /**
     * Stops it: nothing more is sent, outstanding probes are abandoned, and {@link #result()} completes with
     * what was learned so far. Returns that result (status {@code CANCELLED}), or the final result if it had
     * already ended. When it returns, every future {@link #result()} gave, and any it gives after, is complete
     * with the same result: {@code m.cancel()} then {@code m.result().getNow(null)} is that result. It waits for
     * the engine to close the measurement (milliseconds), then for the futures' completion behind the
     * listener's events (so they still come first); called from a listener or a future's continuation, it does
     * not wait for those and completes the futures at once, ahead of the listener's events still queued. A
     * measurement that failed to set up throws its failure, as {@link #snapshot()} does, and its futures
     * complete with it.
     *
     * @return the partial result, or the final one
     */
    R cancel();

    /** Cancels it ({@link #cancel()}), for try-with-resources; does nothing once it ended. */
    @Override
    default void close() {
        cancel();
    }
}
