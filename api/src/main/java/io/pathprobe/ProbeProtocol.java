package io.pathprobe;

/** The kind of packet a probe is. */
public enum ProbeProtocol {
    /** ICMP echo request; the destination answers with an echo reply. */
    ICMP,
    /** UDP datagram to an unused port; the destination answers with ICMP port unreachable. */
    UDP
}
