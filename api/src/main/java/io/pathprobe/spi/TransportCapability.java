package io.pathprobe.spi;

import io.pathprobe.probe.ProbeProtocol;

/** What a transport can do. May grow. */
public enum TransportCapability {
    /** Sends ICMP echo probes ({@link ProbeProtocol#ICMP}). */
    ICMP,
    /** Sends UDP probes ({@link ProbeProtocol#UDP}). */
    UDP,
    /** Sends TCP SYN probes ({@link ProbeProtocol#TCP}). */
    TCP,
    /** Probes IPv4 destinations. */
    IPV4,
    /** Probes IPv6 destinations. */
    IPV6,
    /** Needs no privilege (no root, no CAP_NET_RAW). */
    UNPRIVILEGED,
    /** RTTs come from kernel receive timestamps rather than from when user space read the packet. */
    KERNEL_TIMESTAMPS,
    /**
     * Answers to ICMP errors carry {@link ProbeResponse#quotedChecksum()} and
     * {@link ProbeResponse#sentChecksum()}: NAT on the path can be detected.
     */
    QUOTED_CHECKSUM,
    /** Sessions of {@link FlowPolicy#FIXED}: one flow for every probe (Paris). */
    FLOW_FIXED,
    /** Sessions of {@link FlowPolicy#PER_PROBE}: a new flow per probe (classic). */
    FLOW_PER_PROBE,
    /** Sessions of {@link FlowPolicy#EXPLICIT}: the engine picks each probe's flow. */
    FLOW_EXPLICIT,
    /**
     * Honours {@link SessionSpec#payloadSize()} (ICMP echo data bytes, UDP payload bytes, within the
     * transport's documented minimum and maximum) and reports {@link ProbeResponse#replyLength()} for
     * echo replies. A transport without it rejects any payload size but the default.
     */
    PAYLOAD_SIZE,
    /**
     * Path MTU discovery: honours {@link ProbeSpec#size()} (from the transport's documented minimum up to
     * {@link ProbeSpec#MAX_SIZE}, whatever the session's own size) and {@link ProbeSpec#dontFragment()}, refuses a DF
     * probe larger than the first link's MTU with {@link SendFailedException#mtu()} set, and delivers Fragmentation
     * Needed / Packet Too Big as {@link ResponseKind#PACKET_TOO_BIG} with {@link ProbeResponse#mtu()}.
     */
    PATH_MTU,
    /**
     * TCP probes inside an established connection ({@link io.pathprobe.trace.TcpMode#IN_CONNECTION}):
     * {@link ProbeTransport#openSession} first connects to the destination port, waiting at most
     * {@link SessionSpec#connectTimeout()} (so it may block: the engine opens such sessions off its loop),
     * and throws {@link TransportException} saying why when the connection cannot be used (refused, no
     * answer, no SACK); the session's probes are segments of that connection, answered by routers' Time
     * Exceeded and by the destination's acknowledgments ({@link ResponseKind#TCP_ACK}); closing the session
     * closes the connection. The engine chooses a transport with this capability only for TCP traces that
     * ask for it, and one without it for every other measurement.
     */
    TCP_IN_CONNECTION,
    /**
     * Marks probes with {@link SessionSpec#trafficClass()} (the IPv4 ToS byte, the IPv6 traffic class: DSCP and
     * ECN). A transport without it sends probes unmarked and rejects a session that asks for a marking.
     */
    TRAFFIC_CLASS,
    /**
     * Answers to ICMP errors carry {@link ProbeResponse#quotedHeader()} (the probe's IP header and as much of its
     * transport header as the router quoted: DSCP, ECN, TTL, IP ID, length, addresses, ports, checksum, TCP
     * options) and {@link ProbeResponse#sentHeader()}: what a router received, compared with what was sent.
     */
    QUOTED_HEADER;

    /**
     * {@return the capability of sending this protocol's probes}
     *
     * @param protocol the probe protocol
     */
    public static TransportCapability of(ProbeProtocol protocol) {
        return switch (protocol) {
            case ICMP -> ICMP;
            case UDP -> UDP;
            case TCP -> TCP;
        };
    }

    /**
     * {@return the capability of opening sessions of this flow policy}
     *
     * @param policy the flow policy
     */
    public static TransportCapability of(FlowPolicy policy) {
        return switch (policy) {
            case FIXED -> FLOW_FIXED;
            case PER_PROBE -> FLOW_PER_PROBE;
            case EXPLICIT -> FLOW_EXPLICIT;
        };
    }
}
