package io.pathprobe.mtu;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.UnknownTargetException;
/** A running path MTU discovery, returned by {@link PathTracer#startMtuDiscovery(MtuRequest)}. */
public interface MtuDiscovery {
    /** {@return the request it runs} */
    MtuRequest request();

    /**
     * {@return the result, as a future} It completes normally when the discovery ends for any reason
     * (cancellation and the deadline included: see {@link MtuResult#status()}), on the tracer's executor
     * after the listener saw {@link MtuListener#completed}; exceptionally with
     * {@link UnknownTargetException} or {@link NoTransportAvailableException} when it could not start.
     * Completing the returned future yourself stops the discovery.
     */
    CompletableFuture<MtuResult> result();

    /** Stops the discovery; {@link #result()} completes with what was found. Does nothing once it ended. */
    void cancel();

    /** {@return what is known so far; the final result once it ended} */
    MtuResult snapshot();
}
