package io.pathprobe.linux.internal.transport;

import io.pathprobe.spi.ProbeTransport;

/** Opens the Linux transports, each after checking it can be used here (else TransportException saying why). */
public final class LinuxTransports {
    private LinuxTransports() {}

    /** The transport of {@code kind}, checked first ({@code LinuxAvailability.require}). */
    public static ProbeTransport open(LinuxTransportKind kind) {
        LinuxAvailability.require(kind);
        return switch (kind) {
            case ICMP_DGRAM -> new IcmpDgramTransport();
            case RAW_ICMP -> new RawIcmpTransport();
            case UDP_RECVERR -> new UdpTransport();
            case RAW_UDP, RAW_TCP -> new RawPortTransport(kind);
            case TCP_IN_CONNECTION -> new InConnectionTransport();
            case TCP_CONNECT -> new TcpConnectTransport();
        };
    }
}
