package io.pathprobe.probe;


import io.pathprobe.trace.ProbeResult;
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
     * No answer, and nothing says the path lost the probe: the router (or a UDP destination's Port
     * Unreachable) that answers it may have refused it under its ICMP rate limit. Either its budget had
     * been learned (it answered a burst, then stopped and came back at a steady rate) and was spent when
     * the probe left; or the probe left before this tracer could know the budget (a new tracer counts
     * every router's bucket as possibly drained by other probers until one refill after it first met it,
     * Linux's one a second); or the router never answered at a TTL whose later hops answered the same
     * round (a router that suppresses its ICMP errors). Not counted as lost: the path may well have
     * carried it (docs/trace.md, "Loss"). Printed {@code *} as traceroute prints any missing answer.
     * A miss the evidence says was lost on the way (its round unanswered from there to a destination
     * that no limit explains) times out instead.
     */
    RATE_LIMITED
}
