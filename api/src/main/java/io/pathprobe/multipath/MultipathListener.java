package io.pathprobe.multipath;

import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.trace.TraceListener;
import java.net.InetAddress;
/**
 * Streams a multipath discovery as it happens: nodes and links as they are found, rounds as they
 * end, paths as their statistics are complete. Methods run on the tracer's executor, never on its
 * engine thread, one at a time per discovery and in the order things happened; a slow listener does
 * not delay probes: its events are queued, none dropped, and the queue is bounded by the discovery's
 * own size (an event per node, link, round and path, which its result holds anyway). Every method
 * does nothing by default.
 */
public interface MultipathListener {
    /** A listener that does nothing. */
    MultipathListener NONE = new MultipathListener() {};

    /**
     * The destination resolved and a transport was chosen: the first event, as in every measurement's listener
     * ({@link TraceListener#started}, {@link MonitorListener#started}).
     *
     * @param request the request being run
     * @param destination the address the target resolved to
     * @param transport the name of the transport chosen
     */
    default void started(MultipathRequest request, InetAddress destination, String transport) {}


    /**
     * A node was answered for the first time.
     *
     * @param node the node as first seen
     */
    default void nodeFound(MultipathNode node) {}

    /**
     * A link was seen for the first time.
     *
     * @param link the link as first seen
     */
    default void linkFound(MultipathLink link) {}

    /**
     * A round of probes (all TTLs at once) was decided; {@code probes} were sent so far in total.
     *
     * @param round the round's number, from 1
     * @param probes the probes sent so far in total
     */
    default void roundCompleted(int round, int probes) {}

    /**
     * A path's statistics are complete (after its path probes).
     *
     * @param path the measured path
     */
    default void pathMeasured(MultipathPath path) {}

    /**
     * The discovery ended (for any reason); the last call, as in every measurement's listener.
     *
     * @param result the discovery's result
     */
    default void completed(MultipathResult result) {}

}
