package io.pathprobe;

import java.net.InetAddress;

/**
 * Sees a trace as it happens. Every method has a no-op default: override what you need.
 *
 * <p>Threading contract: methods are called on the tracer's executor
 * ({@link PathTracer.Builder#executor(java.util.concurrent.Executor)}), never on the engine's own
 * thread, one at a time for one trace and in the order the events happened; events of different
 * traces may run at the same time on different threads. A slow listener delays only its own trace's
 * later events, never probing nor other traces (events are queued for it; the queue is bounded by the
 * trace's probe count). An exception a listener throws is logged and ignored: it never changes the
 * trace. A listener may call the tracer, blocking calls included.
 */
public interface TraceListener {

    /** A listener that does nothing. */
    TraceListener NONE = new TraceListener() {};

    /** The trace starts: the target is resolved and the transport chosen. */
    default void traceStarted(TraceRequest request, InetAddress destination, String transport) {}

    /** A probe was handed to the transport. */
    default void probeSent(int ttl, int attempt) {}

    /**
     * A probe completed: answered, timed out, unreachable, or not sent. Rarely, a probe reported as
     * timed out is reported again as answered: when its answer turns out to have arrived within the
     * wait (by the kernel's receive timestamp) but was read late.
     */
    default void probeCompleted(ProbeResult probe) {}

    /**
     * Every probe of this hop has completed. Hops complete in any order when TTLs are probed
     * concurrently; no hop beyond the destination is reported.
     */
    default void hopCompleted(Hop hop) {}

    /** The trace ended; this is the result the future completes with. */
    default void traceCompleted(TraceResult result) {}
}
