package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-raw-icmp}: ICMP echo probes through one raw socket,
 * {@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}, shared by every session of a transport; each
 * session gets its own echo identifier. Needs CAP_NET_RAW ({@link #availability()} says so when the
 * process lacks it). IPv4 only.
 *
 * <p>The transport builds the echo requests and checksums itself, filters the socket to echo reply,
 * destination unreachable and time exceeded (ICMP_FILTER), and matches errors to sessions by the
 * quoted echo request's identifier and destination. RTTs use kernel receive timestamps. One epoll
 * thread per open transport. Turned off with the system property
 * {@code pathprobe.transport.linux-raw-icmp.disabled=true}.
 *
 * <p>Flow policies {@code FIXED} and {@code EXPLICIT} (flows 0 to 65534): the flow is the echo
 * checksum, kept whatever the sequence. Answers carry the reply TTL, and ICMP errors also the quoted
 * TTL, IP ID and checksum and the RFC 4884 extensions (MPLS label stacks). An error is delivered
 * only when its quote proves the sequence (under Paris every probe of a flow has one
 * checksum): every quoted byte of the request, the checksum over a whole IPv4 quote, and the IPv4
 * identification, which the transport chooses per probe (keyed per session) by writing IPv4 requests
 * whole; an 8-byte quote without it proves nothing (QUOTE_TOO_SHORT). The transport counts what it
 * reads ({@code counters()}).
 */
public final class RawIcmpTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public RawIcmpTransportProvider() {
        super(LinuxTransportKind.RAW_ICMP);
    }
}
