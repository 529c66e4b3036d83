package io.pathprobe.spi;

/** What a transport can do. */
public enum TransportCapability {
    /** Sends ICMP echo probes ({@link io.pathprobe.ProbeProtocol#ICMP}). */
    ICMP,
    /** Sends UDP probes ({@link io.pathprobe.ProbeProtocol#UDP}). */
    UDP,
    /** Probes IPv4 destinations. */
    IPV4,
    /** Probes IPv6 destinations. */
    IPV6,
    /** Needs no privilege (no root, no CAP_NET_RAW). */
    UNPRIVILEGED,
    /** RTTs come from kernel receive timestamps rather than from when user space read the packet. */
    KERNEL_TIMESTAMPS
}
