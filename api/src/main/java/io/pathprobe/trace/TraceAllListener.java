package io.pathprobe.trace;


import io.pathprobe.PathTracer;
/**
 * Sees a {@link PathTracer#measure traceAll} as it runs. Every method has a no-op default.
 *
 * <p>Threading contract, as {@link TraceListener}'s: methods run on the tracer's executor, never on its
 * engine thread, one at a time for one call and in the order the events happened. An exception a listener
 * throws is logged and ignored.
 */
public interface TraceAllListener {

    /** A listener that does nothing. */
    TraceAllListener NONE = new TraceAllListener() {};

    /**
     * One target's trace ended (on its own, or it could not start: then its status says why).
     *
     * @param index the target's index in {@link TraceAllRequest#targets()}
     * @param result its result
     */
    default void targetCompleted(int index, TraceResult result) {}

    /**
     * Every target ended; this is the result the futures complete with.
     *
     * @param result the final result
     */
    default void completed(TraceAllResult result) {}
}
