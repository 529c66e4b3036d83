package io.pathprobe.trace;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.UnknownTargetException;
/** A running trace, returned by {@link PathTracer#start(TraceRequest)}. */
public interface Trace {

    /** {@return the request this trace runs} */
    TraceRequest request();

    /**
     * {@return the result, as a future} It completes normally when the trace ends for any reason, including
     * cancellation (status {@link TraceStatus#CANCELLED}) and the deadline; exceptionally only for setup
     * errors ({@link UnknownTargetException}, {@link NoTransportAvailableException}, a closed tracer).
     */
    CompletableFuture<TraceResult> result();

    /**
     * Stops the trace: nothing more is sent, outstanding probes are dropped, and {@link #result()}
     * completes with what was learned so far. Does nothing if the trace already ended.
     */
    void cancel();

    /** {@return what the trace has learned so far (pending probes included); the final result once it ended} */
    TraceResult snapshot();
}
