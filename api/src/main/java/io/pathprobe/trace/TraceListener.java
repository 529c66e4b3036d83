package io.pathprobe.trace;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.multipath.MultipathListener;
import java.net.InetAddress;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
/**
 * Sees a trace as it happens. Every method has a no-op default: override what you need.
 *
 * <p>Threading contract: methods are called on the tracer's executor
 * ({@link PathTracerBuilder#executor(java.util.concurrent.Executor)}), never on the engine's own
 * thread, one at a time for one trace and in the order the events happened; events of different
 * traces may run at the same time on different threads. A slow listener delays only its own trace's
 * later events, never probing nor other traces (events are queued for it; the queue is bounded by the
 * trace's probe count). An exception a listener throws is logged and ignored: it never changes the
 * trace. A listener may call the tracer, blocking calls included. The future of
 * {@link PathTracer#traceAsync(TraceRequest)} and {@link io.pathprobe.Measurement#result} completes after the listener
 * has seen {@link #completed}; a blocking {@link PathTracer#trace(TraceRequest)} returns as soon
 * as the trace ended, without waiting for the listener.
 */
public interface TraceListener {

    /** A listener that does nothing. */
    TraceListener NONE = new TraceListener() {};

    /**
     * The trace starts: the target is resolved and the transport chosen. The first event, as in every
     * measurement's listener ({@link MonitorListener#started}, {@link MultipathListener#started}).
     *
     * @param request the request being traced
     * @param destination the address the target resolved to
     * @param transport the name of the transport chosen
     */
    default void started(TraceRequest request, InetAddress destination, String transport) {}


    /**
     * A probe was handed to the transport.
     *
     * @param ttl the probe's TTL
     * @param attempt the probe's index within its hop, from 0
     */
    default void probeSent(int ttl, int attempt) {}

    /**
     * A probe completed: answered, timed out, unreachable, or not sent. Rarely, a probe reported as
     * timed out is reported again as answered: when its answer arrives within the probe timeout
     * while the trace still runs, after the adaptive wait gave it up early or after it was read late
     * (its hop may already have been reported by {@link #hopCompleted} with the loss; the result
     * has the answer).
     *
     * @param probe the probe and its outcome
     */
    default void probeCompleted(ProbeResult probe) {}

    /**
     * Every probe of this hop has completed. Hops complete in any order when TTLs are probed
     * concurrently; no hop beyond the destination is reported.
     *
     * @param hop the completed hop
     */
    default void hopCompleted(Hop hop) {}

    /**
     * The trace ended; this is the result the future completes with. The last event but the enrichment ones
     * (below), as in every measurement's listener.
     *
     * @param result the trace's result
     */
    default void completed(TraceResult result) {}


    /**
     * The lookups (host names, AS numbers) of a hop already reported by {@link #hopCompleted} have
     * all ended: {@code hop} is that hop again with their outcome and its segment as known now. Called
     * at most once per hop, only for hops whose lookups were still {@link LookupStatus#PENDING} when
     * reported; with {@link EnrichMode#BACKGROUND} possibly after {@link #completed}.
     *
     * @param hop the hop with the outcome of its lookups
     */
    default void hopEnriched(Hop hop) {}

    /**
     * The lookups about the ends of the path (this host's public address and AS, the destination's
     * AS) have all ended. Called once per enriched trace, possibly after {@link #completed} with
     * {@link EnrichMode#BACKGROUND}; not called when enrichment is off.
     *
     * @param context what the lookups learned about the ends of the path
     */
    default void contextEnriched(PathContext context) {}

    /**
     * A listener that hands {@code hopInOrder} each hop in TTL order, as soon as it and every hop
     * before it have completed (hops complete in any order when TTLs are probed at once), and stops
     * after the destination's hop. Hops a cancelled or expired trace never completed are not handed
     * over: take them from the result. Thread-safe; holds at most one trace's hops.
     *
     * @param hopInOrder what receives the hops in TTL order
     * @return a listener for one trace
     */
    static TraceListener inTtlOrder(Consumer<Hop> hopInOrder) {
        Objects.requireNonNull(hopInOrder, "hopInOrder");
        return new TraceListener() {
            private final TreeMap<Integer, Hop> waiting = new TreeMap<>();
            private int next = -1;
            private boolean ended;

            @Override
            public synchronized void started(TraceRequest request, InetAddress destination, String transport) {
                next = request.firstTtl();
            }

            @Override
            public synchronized void hopCompleted(Hop hop) {
                if (ended) {
                    return;
                }
                waiting.put(hop.ttl(), hop);
                Hop h;
                while (!ended && (h = waiting.remove(next)) != null) {
                    next++;
                    ended = h.isDestination();
                    hopInOrder.accept(h);
                }
                if (ended) {
                    waiting.clear();
                }
            }
        };
    }
}
