package io.pathprobe.spi;

/** What answered a probe. May grow. */
public enum ResponseKind {
    /** ICMP Time Exceeded (IPv4 type 11, IPv6 type 3): a router on the path. */
    TIME_EXCEEDED,
    /** ICMP Echo Reply (IPv4 type 0, IPv6 type 129): the destination. */
    ECHO_REPLY,
    /**
     * ICMP Destination Unreachable (IPv4 type 3, IPv6 type 1). A port unreachable (IPv4 code 3, IPv6
     * code 4) from the destination itself answers a UDP probe; from anyone else, and for every other
     * code, the path ends at the responder.
     */
    DESTINATION_UNREACHABLE,
    /**
     * ICMP Fragmentation Needed (IPv4 type 3 code 4) or Packet Too Big (IPv6 type 2): a router could not
     * forward the probe, too big for its next link and not to be fragmented; the MTU of that link is
     * {@link ProbeResponse#mtu()} where the transport read it. Like any unreachable from a router, for a
     * trace the path ends at the responder.
     */
    PACKET_TOO_BIG,
    /** A TCP SYN-ACK from the destination: the port is open. */
    TCP_SYN_ACK,
    /** A TCP RST from the destination: the port is closed, the host is there. */
    TCP_RESET,
    /**
     * A TCP acknowledgment from the destination inside an established connection
     * ({@link TransportCapability#TCP_IN_CONNECTION}): a duplicate ACK whose SACK block names the probe's
     * segment, which reached the destination.
     */
    TCP_ACK
}
