package io.pathprobe.multipath;

import java.util.concurrent.CompletableFuture;

import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.UnknownTargetException;
/** A running multipath discovery, returned by {@link PathTracer#startDiscovery(MultipathRequest)}. */
public interface MultipathDiscovery {
    /** {@return the request it runs} */
    MultipathRequest request();

    /**
     * {@return the result, as a future} It completes normally when the discovery ends for any reason
     * (cancellation, budget and deadline included: see {@link MultipathResult#status()}), on the tracer's
     * executor after the listener saw {@link MultipathListener#completed}. It completes
     * exceptionally with {@link UnknownTargetException} or {@link NoTransportAvailableException} when it
     * could not start. Completing the returned future yourself stops the discovery.
     */
    CompletableFuture<MultipathResult> result();

    /** Stops the discovery; {@link #result()} completes with what was found. Does nothing once it ended. */
    void cancel();

    /** {@return what is known so far; the final result once it ended} */
    MultipathResult snapshot();
}
