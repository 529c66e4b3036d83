package io.pathprobe.spi;

/** Why a transport read something and did not deliver it to a session. May grow. */
public enum DropReason {
    /** Too short, or not the kind of message a probe's answer is (e.g. a datagram on a UDP probe socket). */
    MALFORMED,
    /**
     * Well formed, but for no live session's probe: another process's traffic, a wrong identifier,
     * destination or cookie, or a sequence outside the session's range (forged or stray).
     */
    UNRELATED,
    /** For a session that was closing or closed. */
    SESSION_CLOSED,
    /** The session's listener threw. */
    LISTENER_FAILED,
    /**
     * An ICMP error whose quote of the probe is too short to tell which probe it answers: e.g. a
     * router that quotes only the 8 bytes after the IP header (the RFC 792 minimum), seen by a
     * transport that carries the probe number beyond them (an unprivileged Paris UDP socket, which
     * is shown only the quoted UDP payload).
     */
    QUOTE_TOO_SHORT
}
