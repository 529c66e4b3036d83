package io.pathprobe.multipath;


import io.pathprobe.trace.TraceStatus;
/** How a multipath discovery ended (or {@link #RUNNING} in a snapshot). May grow. */
public enum MultipathStatus {
    /** Every node was probed to the stopping rule (or found to be the destination or silent). */
    COMPLETED,
    /** The request's probe budget ran out first; {@link MultipathResult#unexplored()} says where. */
    PROBE_BUDGET,
    /** The request's deadline passed first. */
    DEADLINE_EXCEEDED,
    /** Cancelled by the caller, or the tracer was closed. */
    CANCELLED,
    /**
     * This host has no route to the destination: the discovery ended at the first send that found
     * none (as {@link TraceStatus#NO_ROUTE}); {@link MultipathResult#notes()} holds what the system answered.
     */
    NO_ROUTE,
    /**
     * A send that can never succeed for another reason than a missing route (no source address of
     * the destination's family, e.g. an IPv6 target on an IPv4-only host) ended the discovery at once
     * (as {@link TraceStatus#SEND_FAILED}); {@link MultipathResult#notes()} holds what the system answered.
     */
    SEND_FAILED,
    /** Still running: only seen in {@link io.pathprobe.Measurement#snapshot}. */
    RUNNING
}
