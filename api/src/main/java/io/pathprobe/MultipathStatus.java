package io.pathprobe;

/** How a multipath discovery ended (or {@link #RUNNING} in a snapshot). */
public enum MultipathStatus {
    /** Every node was probed to the stopping rule (or found to be the destination or silent). */
    COMPLETE,
    /** The request's probe budget ran out first; {@link MultipathResult#unexplored()} says where. */
    PROBE_BUDGET,
    /** The request's deadline passed first. */
    DEADLINE,
    /** Cancelled by the caller, or the tracer was closed. */
    CANCELLED,
    /** Still running: only seen in {@link MultipathDiscovery#snapshot()}. */
    RUNNING
}
