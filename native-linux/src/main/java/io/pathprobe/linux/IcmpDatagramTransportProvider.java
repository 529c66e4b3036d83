package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-icmp-dgram}: ICMP echo probes through unprivileged ICMP datagram ("ping") sockets,
 * {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)} (and {@code AF_INET6 / IPPROTO_ICMPV6}), one per
 * session. Needs no capability, but the process's group must lie in the network namespace's
 * {@code net.ipv4.ping_group_range} (whose kernel default {@code "1 0"} excludes everyone, root too;
 * most distributions widen it). {@link #availability()} names the range and the groups when it
 * does not.
 *
 * <p>Time Exceeded and Destination Unreachable are read from the socket's error queue (IP_RECVERR);
 * RTTs use kernel receive timestamps (SO_TIMESTAMPNS). One epoll thread per open transport.
 * Turned off with the system property {@code pathprobe.transport.linux-icmp-dgram.disabled=true}.
 *
 * <p>Flow policies {@code FIXED} and {@code EXPLICIT} (flows 0 to 65534): the flow is the echo
 * checksum (the kernel computes the one chosen, on IPv6 too: the compensation covers the ICMPv6
 * pseudo-header), kept whatever the sequence; {@code PER_PROBE} (classic): the checksum changes with
 * the sequence. Answers carry the reply TTL (IP_RECVTTL, IPV6_RECVHOPLIMIT) and the checksum the
 * probe was sent with; ICMP errors also the quoted echo request's checksum (NAT evidence,
 * {@code QUOTED_CHECKSUM}). The error queue does not show the quoted IP header or extensions, so
 * quoted TTL and IP ID are unknown, and an 8-byte quote of a Paris request proves no sequence: it is
 * counted as QUOTE_TOO_SHORT, not delivered; longer quotes are checked byte for byte. The
 * transport counts what it reads ({@code counters()}).
 */
public final class IcmpDatagramTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public IcmpDatagramTransportProvider() {
        super(LinuxTransportKind.ICMP_DGRAM);
    }
}
