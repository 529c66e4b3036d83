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
    PENDING
}
