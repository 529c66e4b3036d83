package io.pathprobe.ping;


import io.pathprobe.trace.TraceStatus;
/** How a ping ended (or {@link #RUNNING} in a snapshot). May grow. */
public enum PingStatus {
    /**
     * Every target ended: it sent its count of probes and each was answered or given up, or it ended
     * early with its own error ({@link PingTargetResult#error()}: no route, a send that can never
     * succeed), while others sent.
     */
    COMPLETED,
    /**
     * No probe could be sent to any target: this host has no route to any of them (each target's
     * error is {@link PingError.Type#NO_ROUTE}); as {@link TraceStatus#NO_ROUTE}.
     */
    NO_ROUTE,
    /**
     * No probe could be sent to any target, not only for want of a route (e.g. IPv6 targets on an
     * IPv4-only host: EADDRNOTAVAIL); each target's error says why; as {@link TraceStatus#SEND_FAILED}.
     */
    SEND_FAILED,
    /** The ping was cancelled (the only way an until-cancelled ping ends, besides its deadline). */
    CANCELLED,
    /** The overall deadline passed first; the result holds what was learned until then. */
    DEADLINE_EXCEEDED,
    /** Still running: only seen in {@link io.pathprobe.Measurement#snapshot}. */
    RUNNING
}
