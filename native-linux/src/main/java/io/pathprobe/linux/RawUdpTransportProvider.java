package io.pathprobe.linux;

import io.pathprobe.linux.internal.transport.LinuxTransportKind;

/**
 * {@code linux-raw-udp}: UDP probes written whole, IP header included, through raw sockets
 * (CAP_NET_RAW); ICMP and ICMPv6 errors read from raw ICMP sockets shared by the transport's
 * sessions. IPv4 and IPv6. Priority 250: preferred over the unprivileged UDP transports, since it
 * sees the quoted headers (quoted TTL, IP ID and UDP checksum, hence NAT evidence) and offers
 * Paris flows. Turned off with {@code pathprobe.transport.linux-raw-udp.disabled=true}.
 *
 * <p>Flows: the source port is fixed per session (a port reserved for it); the destination port is
 * {@code destinationPort + flow} ({@code FIXED}, {@code EXPLICIT}: flows 0 to
 * {@code 65535 - destinationPort}) or {@code destinationPort + sequence} ({@code PER_PROBE},
 * classic traceroute); IPv6 probes carry a flow label that is a function of the flow. The probe
 * number travels in the UDP checksum (sequence + 1, steered with two payload bytes) and the IPv4
 * identification ((sequence + 1) times an odd key random per session), so an 8-byte quote proves its
 * probe on IPv4 when both agree, and a router that resets the checksum still quotes the
 * identification. Every quoted field is checked against the probe it names: the
 * identification, and when the payload is quoted the steering word, cookie and filler; a quote that
 * disagrees is not the session's, an 8-byte Paris quote on IPv6 proves nothing (QUOTE_TOO_SHORT). {@code maxSequence()}
 * is 65534 ({@code 65535 - destinationPort} for PER_PROBE). Answers carry reply TTL, quoted TTL, IP ID and checksum,
 * the checksum sent and RFC 4884 extensions.
 */
public final class RawUdpTransportProvider extends LinuxProvider {

    /** Cheap: nothing is checked or opened until {@link #availability()} or {@link #open()}. */
    public RawUdpTransportProvider() {
        super(LinuxTransportKind.RAW_UDP);
    }
}
