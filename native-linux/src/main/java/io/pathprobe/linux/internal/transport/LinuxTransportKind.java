package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.spi.TransportCapability;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Linux transports as data: names, priorities, capabilities, and the socket each one
 * opens. Whether one can be used here is {@link LinuxAvailability}'s business; each provider opens
 * its own transport ({@link LinuxTransports}).
 */
public enum LinuxTransportKind {
    /**
     * Every kind marks its probes with the session's traffic class (TRAFFIC_CLASS); the raw ones that read ICMP
     * errors whole also report the quoted header (QUOTED_HEADER), the datagram ones cannot (the error queue
     * hands over the quoted probe without its IP header).
     *
     * <p>socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP): unprivileged ping sockets, one per session. Below raw
     * ICMP where both are usable: a socket per trace, and a retried send after every ICMP error (the
     * error the kernel leaves pending on the socket), cost a warm 29-hop trace about 1.5 ms more.
     */
    ICMP_DGRAM("linux-icmp-dgram", 200, false, TransportCapability.ICMP, TransportCapability.KERNEL_TIMESTAMPS,
            TransportCapability.FLOW_FIXED, TransportCapability.FLOW_EXPLICIT, TransportCapability.FLOW_PER_PROBE,
            TransportCapability.QUOTED_CHECKSUM, TransportCapability.PAYLOAD_SIZE),
    /**
     * socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): one raw socket shared by all sessions; needs CAP_NET_RAW.
     * Preferred where usable: faster, and it sees the quoted header (TTL, IP ID) and RFC 4884
     * extensions (MPLS labels), as the raw UDP and TCP transports do.
     */
    RAW_ICMP("linux-raw-icmp", 300, true, TransportCapability.ICMP, TransportCapability.FLOW_FIXED,
            TransportCapability.FLOW_EXPLICIT, TransportCapability.PAYLOAD_SIZE),
    /**
     * UDP sockets with IP_RECVERR, one per session: no privilege, no sysctl (the tracepath way). Path MTU
     * probes (IP_PMTUDISC_PROBE, the MTU from the error queue's ee_info) in PER_PROBE sessions.
     */
    UDP_RECVERR("linux-udp-recverr", 100, false, TransportCapability.UDP, TransportCapability.KERNEL_TIMESTAMPS,
            TransportCapability.FLOW_PER_PROBE, TransportCapability.FLOW_FIXED, TransportCapability.FLOW_EXPLICIT,
            TransportCapability.PAYLOAD_SIZE, TransportCapability.PATH_MTU),
    /**
     * Raw UDP probes written whole (IPPROTO_RAW, IP header included), errors read on raw ICMP and
     * ICMPv6 sockets, one set of sockets per transport; needs CAP_NET_RAW. Preferred over the
     * unprivileged UDP transports: it sees quoted headers (NAT evidence) and offers Paris flows.
     */
    RAW_UDP("linux-raw-udp", 250, true, TransportCapability.UDP, TransportCapability.FLOW_FIXED,
            TransportCapability.FLOW_PER_PROBE, TransportCapability.FLOW_EXPLICIT, TransportCapability.PAYLOAD_SIZE,
            TransportCapability.PATH_MTU),
    /**
     * Raw TCP SYN probes written whole, errors read on raw ICMP and ICMPv6 sockets, SYN-ACK and RST
     * on raw TCP sockets; needs CAP_NET_RAW.
     */
    RAW_TCP("linux-raw-tcp", 250, true, TransportCapability.TCP, TransportCapability.FLOW_FIXED,
            TransportCapability.FLOW_PER_PROBE, TransportCapability.FLOW_EXPLICIT),
    /**
     * Non-blocking TCP connect(2), one socket per probe, IP_RECVERR: unprivileged TCP SYN probes
     * (no kernel timestamps for SYN-ACK and RST: see TcpConnectTransport).
     */
    TCP_CONNECT("linux-tcp-connect", 100, false, TransportCapability.TCP, TransportCapability.FLOW_FIXED,
            TransportCapability.FLOW_PER_PROBE),
    /**
     * TCP probes inside an established connection (TcpMode.IN_CONNECTION): a kernel connection to the
     * service port, then one-byte segments of it written whole at rising TTL through IPPROTO_RAW; Time
     * Exceeded read on raw ICMP and ICMPv6 sockets, the destination's SACKs on a raw TCP socket filtered to
     * the connection. Needs CAP_NET_RAW; chosen only for traces that ask for it (TCP_IN_CONNECTION).
     */
    TCP_IN_CONNECTION("linux-tcp-in-connection", 250, true, TransportCapability.TCP, TransportCapability.FLOW_FIXED,
            TransportCapability.TCP_IN_CONNECTION);

    private final String providerName;
    private final int priority;
    private final boolean raw;
    private final Set<TransportCapability> capabilities;

    /**
     * A kind's capabilities are {@code more} and what its socket type gives: every kind offers both families and
     * markings; a raw one (SOCK_RAW, needs CAP_NET_RAW) reads kernel timestamps and the ICMP errors whole (the
     * quoted checksum and header), the others (SOCK_DGRAM) need no privilege.
     */
    LinuxTransportKind(String providerName, int priority, boolean raw, TransportCapability... more) {
        this.providerName = providerName;
        this.priority = priority;
        this.raw = raw;
        Set<TransportCapability> all = EnumSet.of(TransportCapability.IPV4, TransportCapability.IPV6,
                TransportCapability.TRAFFIC_CLASS);
        all.addAll(raw ? EnumSet.of(TransportCapability.KERNEL_TIMESTAMPS, TransportCapability.QUOTED_CHECKSUM,
                TransportCapability.QUOTED_HEADER) : EnumSet.of(TransportCapability.UNPRIVILEGED));
        all.addAll(List.of(more));
        this.capabilities = Collections.unmodifiableSet(all);
    }

    public String providerName() {
        return providerName;
    }

    public int priority() {
        return priority;
    }

    public Set<TransportCapability> capabilities() {
        return capabilities;
    }

    /** The system property that turns this transport off: {@code pathprobe.transport.<name>.disabled}. */
    public String killSwitchProperty() {
        return "pathprobe.transport." + providerName + ".disabled";
    }

    /** The socket type this transport's sockets are: SOCK_RAW or SOCK_DGRAM. */
    int socketType() {
        return raw ? Abi.SOCK_RAW : Abi.SOCK_DGRAM;
    }

    /** The IPv4 protocol of this transport's sockets. */
    int ipv4Protocol() {
        if (this == RAW_UDP || this == RAW_TCP || this == TCP_IN_CONNECTION) {
            return Abi.IPPROTO_RAW; // what they send through; their receive sockets need the same privilege
        }
        return this == UDP_RECVERR ? Abi.IPPROTO_UDP : Abi.IPPROTO_ICMP;
    }
}
