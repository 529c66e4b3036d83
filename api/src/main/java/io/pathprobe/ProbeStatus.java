package io.pathprobe;

/** What became of one probe. */
public enum ProbeStatus {
    /** A router (Time Exceeded) or the destination (echo reply, port unreachable) answered. */
    REPLY,
    /** An ICMP destination unreachable other than the destination's own port unreachable (network, host, prohibited...). */
    UNREACHABLE,
    /** No answer within the probe's wait. */
    TIMEOUT,
    /** The probe could not be sent (for example: no route from this host). */
    SEND_FAILED,
    /** Sent, not yet answered nor timed out (only seen in snapshots and listener callbacks of unfinished traces). */
    PENDING
}
