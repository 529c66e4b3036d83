package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-udp-recverr}: UDP probes through ordinary UDP sockets with IP_RECVERR, one per
 * session, as tracepath does: no privilege and no sysctl needed. Answers (Time Exceeded from
 * routers, Port Unreachable from the destination, other unreachables with their code) are read
 * from the socket's error queue. IPv4 and IPv6. RTTs use kernel receive timestamps. One epoll
 * thread per open transport. Turned off with the system property
 * {@code pathprobe.transport.linux-udp-recverr.disabled=true}.
 *
 * <p>Flow policies:
 * <ul>
 *   <li>{@code PER_PROBE} (classic): the sequence number is the destination port
 *       ({@code destinationPort + sequence}, so {@code maxSequence()} is {@code 65535 - destinationPort});
 *   <li>{@code FIXED} and {@code EXPLICIT} (Paris, Dublin): source port fixed per session, destination
 *       port {@code destinationPort + flow} (EXPLICIT: flows 0 to {@code min(4095, 65535 - destinationPort)}),
 *       IPv6 flow label constant per flow (Linux's automatic label hashes the ports); the sequence
 *       (0 to 0xfffe) travels in the UDP checksum ({@code sequence + 1}, steered with two payload
 *       bytes) and in the payload, where answers read it back: answers from routers that quote only
 *       8 bytes after the IP header cannot be matched and are counted as dropped
 *       ({@code QUOTE_TOO_SHORT}).
 * </ul>
 * Answers carry the reply TTL (IP_RECVTTL); the error queue does not show the quoted IP or UDP
 * header or extensions, so quoted TTL, IP ID and checksum (and the sent checksum) are unknown. The
 * transport counts what it reads ({@code counters()}).
 */
public final class UdpRecverrTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public UdpRecverrTransportProvider() {
        super(LinuxTransportKind.UDP_RECVERR);
    }
}
