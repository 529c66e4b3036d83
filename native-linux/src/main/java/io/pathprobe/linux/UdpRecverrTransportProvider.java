package io.pathprobe.linux;

import io.pathprobe.linux.internal.LinuxTransportKind;
import io.pathprobe.linux.internal.LinuxTransports;
import io.pathprobe.spi.ProbeTransport;

/**
 * {@code linux-udp-recverr}: UDP probes through ordinary UDP sockets with IP_RECVERR, one per
 * session, as tracepath does: no privilege and no sysctl needed. The sequence number is carried in
 * the destination port ({@code port = destinationPort + sequence}, so a session's
 * {@code maxSequence()} is {@code 65535 - destinationPort}); answers (Time Exceeded from routers,
 * Port Unreachable from the destination, other unreachables with their code) are read from the
 * socket's error queue, whose original-destination address and port come from the quoted UDP
 * header. IPv4 and IPv6. RTTs use kernel receive timestamps. One epoll thread per open transport.
 * Turned off with the system property {@code pathprobe.transport.linux-udp-recverr.disabled=true}.
 *
 * <p>Flow policy {@code PER_PROBE} only: the port, hence the flow, changes with every probe. Answers
 * carry the reply TTL (IP_RECVTTL); the error queue does not show the quoted IP header or
 * extensions, so quoted TTL, IP ID and checksum are unknown. The transport counts what it reads
 * ({@code counters()}).
 */
public final class UdpRecverrTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public UdpRecverrTransportProvider() {
        super(LinuxTransportKind.UDP_RECVERR);
    }

    @Override
    public ProbeTransport open() {
        return LinuxTransports.udpRecverr();
    }
}
