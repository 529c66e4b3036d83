package io.pathprobe.ping;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.PathTracer;
/** A running ping, returned by {@link PathTracer#startPing(PingRequest)}. */
public interface Ping {

    /** {@return the request this ping runs} */
    PingRequest request();

    /**
     * {@return the result, as a future} It completes normally when the ping ends for any reason, cancellation
     * (status {@link PingStatus#CANCELLED}) and the deadline included, on the tracer's executor after the
     * listener saw {@link PingListener#completed}. Per-target problems (unknown names, no transport) are
     * in the result, not exceptions; it completes exceptionally only when the tracer is closed before the
     * ping could start. Completing the returned future yourself stops the ping.
     */
    CompletableFuture<PingResult> result();

    /**
     * Stops the ping: nothing more is sent, outstanding probes are dropped (counted as pending, not
     * lost), and {@link #result()} completes with what was measured. Does nothing once it ended.
     */
    void cancel();

    /** {@return what the ping has measured so far; the final result once it ended} */
    PingResult snapshot();
}
