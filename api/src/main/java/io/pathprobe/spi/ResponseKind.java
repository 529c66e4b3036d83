package io.pathprobe.spi;

/** What kind of ICMP message answered a probe. */
public enum ResponseKind {
    /** ICMP Time Exceeded (IPv4 type 11, IPv6 type 3): a router on the path. */
    TIME_EXCEEDED,
    /** ICMP Echo Reply (IPv4 type 0, IPv6 type 129): the destination. */
    ECHO_REPLY,
    /**
     * ICMP Destination Unreachable (IPv4 type 3, IPv6 type 1). With port unreachable (IPv4 code 3,
     * IPv6 code 4) for a UDP probe this is the destination; otherwise the path ends at the responder.
     */
    DESTINATION_UNREACHABLE
}
