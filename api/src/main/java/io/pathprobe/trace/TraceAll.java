package io.pathprobe.trace;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.PathTracer;
/** A running {@link PathTracer#startTraceAll traceAll}: its result, cancellation and snapshots. */
public interface TraceAll {

    /** {@return the request it runs} */
    TraceAllRequest request();

    /**
     * {@return the future of the final result} It completes on the tracer's executor; completing it yourself
     * in any way stops the call (use {@link #cancel()} to stop it and still get the partial result).
     */
    CompletableFuture<TraceAllResult> result();

    /** Stops every target: those running end {@link TraceStatus#CANCELLED} with what they have. Idempotent. */
    void cancel();

    /** {@return what is known now: every target's trace so far, {@link TraceAllStatus#RUNNING} until it ends} */
    TraceAllResult snapshot();
}
