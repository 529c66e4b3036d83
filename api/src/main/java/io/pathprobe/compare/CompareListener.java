package io.pathprobe.compare;

import io.pathprobe.PathTracer;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceResult;

/**
 * Sees a {@link PathTracer#measure compare} as it runs. Every method has a no-op default.
 *
 * <p>Threading contract, as {@link io.pathprobe.trace.TraceListener}'s: methods run on the tracer's executor,
 * never on its engine thread, one at a time for one call and in the order the events happened. An exception a
 * listener throws is logged and ignored.
 */
public interface CompareListener {

    /** A listener that does nothing. */
    CompareListener NONE = new CompareListener() {};

    /**
     * One protocol's trace ended (on its own, or it could not start: then its status and note say why).
     *
     * @param protocol the protocol
     * @param result its trace
     */
    default void traceCompleted(ProbeProtocol protocol, TraceResult result) {}

    /**
     * Every trace ended; this is the result the futures complete with.
     *
     * @param result the final result
     */
    default void completed(CompareResult result) {}
}
