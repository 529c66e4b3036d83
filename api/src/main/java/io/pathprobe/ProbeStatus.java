package io.pathprobe;

/** What became of one probe. May grow. */
public enum ProbeStatus {
    /**
     * Answered: by a router (ICMP Time Exceeded) or by the destination (echo reply, port unreachable
     * from the destination itself, TCP SYN-ACK or RST). {@link ProbeResult#icmp()} says which message.
     */
    REPLY,
    /**
     * Answered with an ICMP destination unreachable that ends the path: network, host, prohibited,
     * or a port unreachable from a router rather than the destination (a firewall's REJECT).
     */
    UNREACHABLE,
    /** No answer within the probe's wait. */
    TIMEOUT,
    /** The probe could not be sent (for example: no route from this host); {@link ProbeResult#failure()} says why. */
    SEND_FAILED,
    /**
     * Sent, but the trace ended before it was answered or given up: cancelled, out of time, or
     * beyond the end of the path once the destination answered. Not counted as lost.
     */
    ABANDONED,
    /** Sent, not yet answered nor timed out: only in snapshots and listener callbacks of running traces. */
    PENDING,
    /**
     * No answer, and none was to be expected: the router (or destination) that answers this probe
     * had been learned to rate-limit its ICMP errors (it answered a burst, then stopped and came back
     * at a steady rate) and its learned budget was spent when the probe left. Not counted as lost:
     * the path may well have carried it. Printed {@code *} as traceroute prints any missing answer.
     * A responder that never answered anything is never rate-limited: its probes time out.
     */
    RATE_LIMITED
}
