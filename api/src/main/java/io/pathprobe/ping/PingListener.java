package io.pathprobe.ping;

import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.TraceListener;
import java.net.InetAddress;
/**
 * Sees a ping as it happens. Every method has a no-op default.
 *
 * <p>Threading contract, as {@link TraceListener}'s: methods run on the tracer's executor, never on
 * its engine thread, one at a time for one ping and in the order the events happened. A slow listener
 * delays only its own later events, never a send: the engine sends on its own schedule and queues the
 * events. The queue is bounded ({@link #MAX_QUEUED_EVENTS}): a listener that falls that far behind
 * misses per-probe events (counted and logged), never {@link #targetCompleted} nor
 * {@link #completed}. An exception a listener throws is logged and ignored.
 */
public interface PingListener {

    /** A listener that does nothing. */
    PingListener NONE = new PingListener() {};

    /** The most per-probe events queued for a listener before newer ones are dropped. */
    int MAX_QUEUED_EVENTS = 100_000;

    /**
     * A target resolved, its transport was chosen, and its first probe is about to be scheduled.
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param address the address it resolved to
     * @param kind the kind of probe it is pinged with
     * @param transport the name of the transport chosen
     */
    default void targetStarted(int index, String target, InetAddress address, PingKind kind, String transport) {}

    /**
     * As {@link #targetStarted(int, String, InetAddress, PingKind, String)}, with the target's
     * {@link PingTargetResult#kindNote() kind note} (why the automatic choice did not use its first kind, in one line
     * naming what would let it: {@code fell back to UDP: ICMP not usable: ...}), which the engine calls. By default it
     * calls the one without the note.
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param address the address it resolved to
     * @param kind the kind of probe it is pinged with
     * @param transport the name of the transport chosen
     * @param kindNote the target's kind note, empty when there is nothing to say
     */
    default void targetStarted(int index, String target, InetAddress address, PingKind kind, String transport,
            java.util.Optional<String> kindNote) {
        targetStarted(index, target, address, kind, transport);
    }

    /**
     * A probe completed: a reply in time, a timeout, an ICMP error, or a send failure. Each probe is
     * reported once.
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param probe the probe and its outcome
     */
    default void probeCompleted(int index, String target, PingProbe probe) {}

    /**
     * A further answer to a probe already answered: counted as a duplicate, not received again.
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param probe the probe answered again
     */
    default void duplicate(int index, String target, PingProbe probe) {}

    /**
     * An answer after its probe's timeout: counted as late; the probe stays lost. {@code probe} is
     * {@link PingProbe#late()}: status {@link ProbeStatus#TIMEOUT}, the late answer's time in its RTT.
     *
     * @param index the target's place in {@link PingRequest#targets()}, from 0
     * @param target the target as given
     * @param probe the probe answered late
     */
    default void late(int index, String target, PingProbe probe) {}

    /**
     * A target is done (count reached, error, or the ping ended): its final result.
     *
     * @param result the target's final result
     */
    default void targetCompleted(PingTargetResult result) {}

    /**
     * The ping ended; this is the result the futures complete with. The last event, as in every measurement's
     * listener ({@link TraceListener#completed}, {@link MonitorListener#completed}); a ping's targets start and end
     * on their own ({@link #targetStarted}, {@link #targetCompleted}).
     *
     * @param result the ping's result
     */
    default void completed(PingResult result) {}

}
