package io.pathprobe.linux.internal.transport;

import io.pathprobe.spi.ProbeTransport;

/** Opens the Linux transports, each after checking it can be used here (else TransportException saying why). */
public final class LinuxTransports {
    private LinuxTransports() {}

    /** linux-icmp-dgram: ping sockets. */
    public static ProbeTransport icmpDatagram() {
        LinuxAvailability.require(LinuxTransportKind.ICMP_DGRAM);
        return new IcmpDgramTransport();
    }

    /** linux-raw-icmp: one raw ICMP socket. */
    public static ProbeTransport rawIcmp() {
        LinuxAvailability.require(LinuxTransportKind.RAW_ICMP);
        return new RawIcmpTransport();
    }

    /** linux-udp-recverr: UDP sockets with IP_RECVERR. */
    public static ProbeTransport udpRecverr() {
        LinuxAvailability.require(LinuxTransportKind.UDP_RECVERR);
        return new UdpTransport();
    }

    /** linux-raw-udp: raw UDP probes, raw ICMP and ICMPv6 receive sockets. */
    public static ProbeTransport rawUdp() {
        LinuxAvailability.require(LinuxTransportKind.RAW_UDP);
        return new RawPortTransport(LinuxTransportKind.RAW_UDP);
    }

    /** linux-raw-tcp: raw TCP SYN probes, raw ICMP, ICMPv6 and TCP receive sockets. */
    public static ProbeTransport rawTcp() {
        LinuxAvailability.require(LinuxTransportKind.RAW_TCP);
        return new RawPortTransport(LinuxTransportKind.RAW_TCP);
    }

    /** linux-tcp-in-connection: probes inside an established TCP connection, through raw sockets. */
    public static ProbeTransport tcpInConnection() {
        LinuxAvailability.require(LinuxTransportKind.TCP_IN_CONNECTION);
        return new InConnectionTransport();
    }

    /** linux-tcp-connect: a non-blocking TCP connect() per probe. */
    public static ProbeTransport tcpConnect() {
        LinuxAvailability.require(LinuxTransportKind.TCP_CONNECT);
        return new TcpConnectTransport();
    }
}
