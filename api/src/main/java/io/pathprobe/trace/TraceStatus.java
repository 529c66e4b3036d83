package io.pathprobe.trace;

/** How a trace ended (or {@link #RUNNING} in a snapshot). May grow. */
public enum TraceStatus {
    /** The destination answered; hops beyond it are not reported. */
    DESTINATION_REACHED,
    /**
     * A router answered with ICMP destination unreachable (network, host, prohibited, or a port
     * unreachable from a router: a firewall's REJECT): the path ends there, short of the destination.
     */
    UNREACHABLE,
    /**
     * This host has no route to the destination: the trace ended at the first send that found none
     * ({@link TraceResult#sendFailure()} says what the system answered).
     */
    NO_ROUTE,
    /**
     * Probes could not be sent, for another reason than a missing route: a send that can never
     * succeed (no source address of the destination's family, e.g. an IPv6 target on an IPv4-only
     * host: EADDRNOTAVAIL) ended the trace at once, or every probe's send failed; each failed probe's
     * {@link ProbeResult#failure()} says why ({@link TraceResult#sendFailure()} the last).
     */
    SEND_FAILED,
    /** Every TTL up to the maximum was probed and the destination never answered. */
    MAX_HOPS_EXCEEDED,
    /** The overall deadline passed first; the result holds what was learned until then. */
    DEADLINE_EXCEEDED,
    /** The trace was cancelled; the result holds what was learned until then. */
    CANCELLED,
    /** The trace is still running: only seen in {@link io.pathprobe.Measurement#snapshot}. */
    RUNNING
}
