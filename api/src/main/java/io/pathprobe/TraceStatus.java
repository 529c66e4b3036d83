package io.pathprobe;

/** How a trace ended (or {@link #RUNNING} in a snapshot). May grow. */
public enum TraceStatus {
    /** The destination answered; hops beyond it are not reported. */
    DESTINATION_REACHED,
    /**
     * A router answered with ICMP destination unreachable (network, host, prohibited, or a port
     * unreachable from a router: a firewall's REJECT): the path ends there, short of the destination.
     */
    UNREACHABLE,
    /** This host has no route to the destination: probes could not be sent at all. */
    NO_ROUTE,
    /**
     * No probe could be sent, for another reason than a missing route (for example IPv6 disabled on
     * this host); each probe's {@link ProbeResult#failure()} says why.
     */
    SEND_FAILED,
    /** Every TTL up to the maximum was probed and the destination never answered. */
    MAX_HOPS_EXCEEDED,
    /** The overall deadline passed first; the result holds what was learned until then. */
    DEADLINE_EXCEEDED,
    /** The trace was cancelled; the result holds what was learned until then. */
    CANCELLED,
    /** The trace is still running: only seen in {@link Trace#snapshot()}. */
    RUNNING
}
