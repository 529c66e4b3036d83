package io.pathprobe;

/** How a trace ended. */
public enum TraceStatus {
    /** The destination answered; hops beyond it are not reported. */
    DESTINATION_REACHED,
    /** A router answered with ICMP destination unreachable (network, host, prohibited...): the path ends there. */
    UNREACHABLE,
    /** This host has no route to the destination: probes could not be sent at all. */
    NO_ROUTE,
    /** Every TTL up to the maximum was probed and the destination never answered. */
    MAX_HOPS_EXCEEDED,
    /** The overall deadline passed first; the result holds what was learned until then. */
    DEADLINE_EXCEEDED,
    /** The trace was cancelled; the result holds what was learned until then. */
    CANCELLED,
    /** The trace is still running: only seen in {@link Trace#snapshot()}. */
    RUNNING
}
