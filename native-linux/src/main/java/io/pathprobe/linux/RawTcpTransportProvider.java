package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-raw-tcp}: TCP SYN probes written whole through raw sockets (CAP_NET_RAW), as
 * {@code traceroute -T} sends them (half-open, with an MSS option). ICMP and ICMPv6 errors are read
 * from raw ICMP sockets, the destination's SYN-ACK or RST from raw TCP sockets (filtered in the
 * kernel to SYN-ACK and RST segments). IPv4 and IPv6. Priority 250. Turned off with
 * {@code pathprobe.transport.linux-raw-tcp.disabled=true}.
 *
 * <p>Flows: the destination port is {@code destinationPort}; the source port is the session's
 * reserved port ({@code FIXED}) or one of a block of 32 reserved ports: {@code first + flow}
 * ({@code EXPLICIT}, flows 0 to 31) or {@code first + sequence % 32} ({@code PER_PROBE}); IPv6
 * probes carry a flow label that is a function of the flow. The probe number travels in the low
 * half of the TCP sequence number (the high half is random per session) and the IPv4
 * identification (keyed per session), which a quote must agree with (IPv6: the quoted checksum, when
 * the router quoted it; an 8-byte quote proves nothing there and is QUOTE_TOO_SHORT). The reserved ports are held by
 * bound, non-listening TCP sockets: the kernel answers a SYN-ACK arriving there with a RST, closing the destination's
 * half-open connection. {@code maxSequence()} is 65534. Answers: Time Exceeded and unreachables with quoted TTL, IP ID
 * and, when quoted, TCP checksum; {@code TCP_SYN_ACK} or {@code TCP_RESET} from the destination.
 */
public final class RawTcpTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public RawTcpTransportProvider() {
        super(LinuxTransportKind.RAW_TCP);
    }
}
