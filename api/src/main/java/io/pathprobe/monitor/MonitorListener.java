package io.pathprobe.monitor;

import io.pathprobe.trace.TraceListener;
import java.net.InetAddress;
/**
 * Sees a monitor as it runs. Every method has a no-op default.
 *
 * <p>Threading contract, as {@link TraceListener}'s: methods run on the tracer's executor, never on its
 * engine thread, one at a time for one monitor and in the order the events happened; a slow listener
 * delays only its own later events, never a round. An exception a listener throws is logged and ignored.
 */
public interface MonitorListener {

    /** A listener that does nothing. */
    MonitorListener NONE = new MonitorListener() {};

    /**
     * The target resolved, a transport was chosen, and the first round is about to start.
     *
     * @param request the request
     * @param destination the address monitored
     * @param transport the name of the transport chosen
     */
    default void started(MonitorRequest request, InetAddress destination, String transport) {}

    /**
     * A round completed and was folded into the statistics; its events follow ({@link #event}).
     *
     * @param round the round
     */
    default void roundCompleted(MonitorRound round) {}

    /**
     * A round raised an event (a hop or path change, the destination lost or regained, a threshold crossed).
     *
     * @param event the event
     */
    default void event(MonitorEvent event) {}

    /**
     * The monitor ended; this is the result the futures complete with.
     *
     * @param result the final result
     */
    default void completed(MonitorResult result) {}
}
