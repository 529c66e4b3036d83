package io.pathprobe.probe;


import io.pathprobe.trace.TraceRequest;
/** The kind of packet a probe is. May grow: don't switch over it exhaustively without a default. */
public enum ProbeProtocol {
    /** ICMP echo request; the destination answers with an echo reply. */
    ICMP,
    /** UDP datagram to an unused port; the destination answers with ICMP port unreachable. */
    UDP,
    /**
     * TCP SYN; the destination answers with SYN-ACK (open port) or RST (closed port). Never chosen
     * automatically: ask for it with {@link TraceRequest.Builder#protocol(ProbeProtocol)}.
     */
    TCP
}
