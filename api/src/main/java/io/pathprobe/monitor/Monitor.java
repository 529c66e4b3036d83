package io.pathprobe.monitor;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.UnknownTargetException;
/**
 * A running monitor, returned by {@link PathTracer#startMonitor(MonitorRequest)}. Closing it cancels it.
 */
public interface Monitor extends AutoCloseable {

    /** {@return the request this monitor runs} */
    MonitorRequest request();

    /**
     * {@return the result, as a future} It completes normally when the monitor ends for any reason: its
     * rounds run, cancellation (status {@link MonitorStatus#CANCELLED}) or the deadline; exceptionally
     * only for set-up errors ({@link UnknownTargetException}, {@link NoTransportAvailableException}, a closed
     * tracer). Completing the returned future yourself stops the monitor.
     */
    CompletableFuture<MonitorResult> result();

    /**
     * Stops the monitor: nothing more is sent, the round under way is dropped, and {@link #result()}
     * completes with the rounds completed so far. Does nothing once it ended.
     */
    void cancel();

    /** {@return what the monitor has measured so far; the final result once it ended} */
    MonitorResult snapshot();

    /** Cancels the monitor ({@link #cancel()}). */
    @Override
    default void close() {
        cancel();
    }
}
