package io.pathprobe.mtu;

import java.net.InetAddress;

/**
 * Streams a path MTU discovery as it happens. Methods run on the tracer's executor, never on its engine
 * thread, one at a time per discovery and in order; a slow listener does not delay probes (its events
 * are queued: at most one per TTL and a few more). Every method does nothing by default.
 */
public interface MtuListener {
    /** A listener that does nothing. */
    MtuListener NONE = new MtuListener() {};

    /**
     * The destination resolved and a transport was chosen: the first event, as in every measurement's listener.
     *
     * @param request the request being run
     * @param destination the address the target resolved to
     * @param transport the name of the transport chosen
     */
    default void started(MtuRequest request, InetAddress destination, String transport) {}

    /**
     * A TTL is done: answered at the size that got through, or silent.
     *
     * @param hop the hop
     */
    default void hopCompleted(MtuHop hop) {}

    /**
     * An MTU black hole was found (its size boundary searched out).
     *
     * @param blackHole the black hole
     */
    default void blackHoleFound(MtuBlackHole blackHole) {}

    /**
     * The discovery ended (for any reason); the last call, as in every measurement's listener.
     *
     * @param result the discovery's result
     */
    default void completed(MtuResult result) {}
}
