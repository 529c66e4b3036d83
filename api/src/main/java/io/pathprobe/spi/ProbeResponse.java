package io.pathprobe.spi;

import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.PacketHeader;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An answer a transport tied to one of a session's probes. Fields a transport cannot see are
 * {@link #UNKNOWN} (ints) or empty (extensions).
 *
 * @param sequence the sequence number of the probe, recovered from the answer (for an ICMP error,
 *     from the quoted probe, using only fields within the first 8 bytes after the quoted IP header)
 * @param kind what answered
 * @param icmpType the ICMP type as received ({@link #UNKNOWN} for a TCP answer)
 * @param icmpCode the ICMP code as received ({@link #UNKNOWN} for a TCP answer)
 * @param responder the source of the answer
 * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
 * @param replyTtl the TTL (hop limit) of the answer's IP header as it arrived, or {@link #UNKNOWN}
 * @param quotedTtl for an ICMP error, the TTL of the probe's IP header as the router quoted it (1 for
 *     an ordinary Time Exceeded), or {@link #UNKNOWN}
 * @param quotedIpId for an ICMPv4 error, the IP ID of the quoted probe header, or {@link #UNKNOWN}
 * @param quotedChecksum for an ICMP error, the transport checksum of the quoted probe (UDP checksum,
 *     ICMP checksum, TCP checksum) as it arrived here: a NAT that translates the probe but not the
 *     quote on the way back leaves it changed; or {@link #UNKNOWN}
 * @param sentChecksum the transport checksum the probe was sent with, where the transport knows it
 *     (with {@link #quotedChecksum} the Dublin-style NAT evidence, {@link #checksumDelta()}); or
 *     {@link #UNKNOWN}
 * @param extensions the ICMP extension objects (RFC 4884) of an ICMP error, empty if none or not seen
 * @param replyLength the size of the answer: for an ICMP answer (echo reply or error) the bytes of the
 *     ICMP message, header and data (what iputils ping prints as "64 bytes from"); for a UDP, TCP or
 *     other answer the transport-layer length the transport saw; {@link #UNKNOWN} if not seen
 * @param mtu for {@link ResponseKind#PACKET_TOO_BIG}, the MTU of the link the responder could not
 *     forward the probe onto (the next-hop MTU field of Fragmentation Needed, the MTU of Packet Too
 *     Big); {@link #UNKNOWN} otherwise, or when the transport could not read it (0 from an RFC 792
 *     router that does not fill the field in is reported as 0)
 * @param sentHeader for an ICMP error, the probe's headers as the transport sent them, as far as it knows them
 *     (the fields it left to the kernel {@link PacketHeader#UNKNOWN}); null when it reports no quoted header
 * @param quotedHeader for an ICMP error, the probe's IP header and as much of its transport header as the
 *     router quoted ({@link PacketHeader#parse}): what that router received; null when the transport does not
 *     see the quote ({@link TransportCapability#QUOTED_HEADER})
 */
public record ProbeResponse(
        int sequence,
        ResponseKind kind,
        int icmpType,
        int icmpCode,
        InetAddress responder,
        long receivedNanos,
        int replyTtl,
        int quotedTtl,
        int quotedIpId,
        int quotedChecksum,
        int sentChecksum,
        List<IcmpExtension> extensions,
        int replyLength,
        int mtu,
        @Nullable PacketHeader sentHeader,
        @Nullable PacketHeader quotedHeader) {
    /** A field the transport could not see. */
    public static final int UNKNOWN = -1;

    /**
     * Checks the components (see the record's description) and copies {@code extensions}.
     *
     * @param sequence the sequence number of the probe, recovered from the answer (for an ICMP error, from
     *     the quoted probe, using only fields within the first 8 bytes after the quoted IP header)
     * @param kind what answered
     * @param icmpType the ICMP type as received ({@link #UNKNOWN} for a TCP answer)
     * @param icmpCode the ICMP code as received ({@link #UNKNOWN} for a TCP answer)
     * @param responder the source of the answer
     * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
     * @param replyTtl the TTL (hop limit) of the answer's IP header as it arrived, or {@link #UNKNOWN}
     * @param quotedTtl for an ICMP error, the TTL of the probe's IP header as the router quoted it (1 for an
     *     ordinary Time Exceeded), or {@link #UNKNOWN}
     * @param quotedIpId for an ICMPv4 error, the IP ID of the quoted probe header, or {@link #UNKNOWN}
     * @param quotedChecksum for an ICMP error, the transport checksum of the quoted probe (UDP checksum, ICMP
     *     checksum, TCP checksum) as it arrived here: a NAT that translates the probe but not the quote on
     *     the way back leaves it changed; or {@link #UNKNOWN}
     * @param sentChecksum the transport checksum the probe was sent with, where the transport knows it (with
     *     {@link #quotedChecksum} the Dublin-style NAT evidence, {@link #checksumDelta()}); or
     *     {@link #UNKNOWN}
     * @param extensions the ICMP extension objects (RFC 4884) of an ICMP error, empty if none or not seen
     * @param replyLength the size of the answer: for an ICMP answer (echo reply or error) the bytes of the
     *     ICMP message, header and data (what iputils ping prints as "64 bytes from"); for a UDP, TCP or
     *     other answer the transport-layer length the transport saw; {@link #UNKNOWN} if not seen
     * @param mtu for {@link ResponseKind#PACKET_TOO_BIG}, the MTU of the link the responder could not forward
     *     the probe onto; {@link #UNKNOWN} otherwise or when not read
     * @param sentHeader for an ICMP error, the probe's headers as sent, as far as the transport knows them, or null
     * @param quotedHeader for an ICMP error, the probe's headers as the router quoted them, or null
     * @throws NullPointerException if {@code kind}, {@code responder} or {@code extensions} is null, or
     *     {@code extensions} holds null
     * @throws IllegalArgumentException if {@code replyLength} or {@code mtu} is below {@link #UNKNOWN}
     */
    public ProbeResponse {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(responder, "responder");
        extensions = List.copyOf(extensions);
        if (replyLength < UNKNOWN) {
            throw new IllegalArgumentException("replyLength must be -1 (unknown) or >= 0, was " + replyLength);
        }
        if (mtu < UNKNOWN) {
            throw new IllegalArgumentException("mtu must be -1 (unknown) or >= 0, was " + mtu);
        }
    }

    /**
     * An answer without quoted headers ({@link #sentHeader()} and {@link #quotedHeader()} null).
     *
     * @param sequence the sequence number of the probe, recovered from the answer
     * @param kind what answered
     * @param icmpType the ICMP type as received ({@link #UNKNOWN} for a TCP answer)
     * @param icmpCode the ICMP code as received ({@link #UNKNOWN} for a TCP answer)
     * @param responder the source of the answer
     * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
     * @param replyTtl the TTL (hop limit) of the answer's IP header as it arrived, or {@link #UNKNOWN}
     * @param quotedTtl for an ICMP error, the TTL of the probe's IP header as the router quoted it, or
     *     {@link #UNKNOWN}
     * @param quotedIpId for an ICMPv4 error, the IP ID of the quoted probe header, or {@link #UNKNOWN}
     * @param quotedChecksum for an ICMP error, the transport checksum of the quoted probe as it arrived here,
     *     or {@link #UNKNOWN}
     * @param sentChecksum the transport checksum the probe was sent with, or {@link #UNKNOWN}
     * @param extensions the ICMP extension objects (RFC 4884) of an ICMP error, empty if none or not seen
     * @param replyLength the size of the answer (see the record's description), or {@link #UNKNOWN}
     * @param mtu the MTU a {@link ResponseKind#PACKET_TOO_BIG} reports, or {@link #UNKNOWN}
     */
    public ProbeResponse(int sequence, ResponseKind kind, int icmpType, int icmpCode, InetAddress responder,
            long receivedNanos, int replyTtl, int quotedTtl, int quotedIpId, int quotedChecksum, int sentChecksum,
            List<IcmpExtension> extensions, int replyLength, int mtu) {
        this(sequence, kind, icmpType, icmpCode, responder, receivedNanos, replyTtl, quotedTtl, quotedIpId,
                quotedChecksum, sentChecksum, extensions, replyLength, mtu, null, null);
    }

    /**
     * An answer that reports no MTU ({@link #mtu()} {@link #UNKNOWN}).
     *
     * @param sequence the sequence number of the probe, recovered from the answer (for an ICMP error, from
     *     the quoted probe, using only fields within the first 8 bytes after the quoted IP header)
     * @param kind what answered
     * @param icmpType the ICMP type as received ({@link #UNKNOWN} for a TCP answer)
     * @param icmpCode the ICMP code as received ({@link #UNKNOWN} for a TCP answer)
     * @param responder the source of the answer
     * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
     * @param replyTtl the TTL (hop limit) of the answer's IP header as it arrived, or {@link #UNKNOWN}
     * @param quotedTtl for an ICMP error, the TTL of the probe's IP header as the router quoted it, or
     *     {@link #UNKNOWN}
     * @param quotedIpId for an ICMPv4 error, the IP ID of the quoted probe header, or {@link #UNKNOWN}
     * @param quotedChecksum for an ICMP error, the transport checksum of the quoted probe as it arrived here,
     *     or {@link #UNKNOWN}
     * @param sentChecksum the transport checksum the probe was sent with, or {@link #UNKNOWN}
     * @param extensions the ICMP extension objects (RFC 4884) of an ICMP error, empty if none or not seen
     * @param replyLength the size of the answer (see the record's description), or {@link #UNKNOWN}
     */
    public ProbeResponse(int sequence, ResponseKind kind, int icmpType, int icmpCode, InetAddress responder,
            long receivedNanos, int replyTtl, int quotedTtl, int quotedIpId, int quotedChecksum, int sentChecksum,
            List<IcmpExtension> extensions, int replyLength) {
        this(sequence, kind, icmpType, icmpCode, responder, receivedNanos, replyTtl, quotedTtl, quotedIpId,
                quotedChecksum, sentChecksum, extensions, replyLength, UNKNOWN);
    }

    /**
     * An answer whose size the transport did not see ({@link #replyLength()} {@link #UNKNOWN}).
     *
     * @param sequence the sequence number of the probe, recovered from the answer (for an ICMP error, from
     *     the quoted probe, using only fields within the first 8 bytes after the quoted IP header)
     * @param kind what answered
     * @param icmpType the ICMP type as received ({@link #UNKNOWN} for a TCP answer)
     * @param icmpCode the ICMP code as received ({@link #UNKNOWN} for a TCP answer)
     * @param responder the source of the answer
     * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
     * @param replyTtl the TTL (hop limit) of the answer's IP header as it arrived, or {@link #UNKNOWN}
     * @param quotedTtl for an ICMP error, the TTL of the probe's IP header as the router quoted it (1 for an
     *     ordinary Time Exceeded), or {@link #UNKNOWN}
     * @param quotedIpId for an ICMPv4 error, the IP ID of the quoted probe header, or {@link #UNKNOWN}
     * @param quotedChecksum for an ICMP error, the transport checksum of the quoted probe (UDP checksum, ICMP
     *     checksum, TCP checksum) as it arrived here: a NAT that translates the probe but not the quote on
     *     the way back leaves it changed; or {@link #UNKNOWN}
     * @param sentChecksum the transport checksum the probe was sent with, where the transport knows it (with
     *     {@link #quotedChecksum} the Dublin-style NAT evidence, {@link #checksumDelta()}); or
     *     {@link #UNKNOWN}
     * @param extensions the ICMP extension objects (RFC 4884) of an ICMP error, empty if none or not seen
     */
    public ProbeResponse(int sequence, ResponseKind kind, int icmpType, int icmpCode, InetAddress responder,
            long receivedNanos, int replyTtl, int quotedTtl, int quotedIpId, int quotedChecksum, int sentChecksum,
            List<IcmpExtension> extensions) {
        this(sequence, kind, icmpType, icmpCode, responder, receivedNanos, replyTtl, quotedTtl, quotedIpId,
                quotedChecksum, sentChecksum, extensions, UNKNOWN, UNKNOWN);
    }

    /**
     * An answer with only the fields every transport sees.
     *
     * @param sequence the sequence number of the probe, recovered from the answer (for an ICMP error, from
     *     the quoted probe, using only fields within the first 8 bytes after the quoted IP header)
     * @param kind what answered
     * @param icmpType the ICMP type as received ({@link #UNKNOWN} for a TCP answer)
     * @param icmpCode the ICMP code as received ({@link #UNKNOWN} for a TCP answer)
     * @param responder the source of the answer
     * @param receivedNanos when it was received, on the same clock as {@link ProbeSession#send}'s result
     */
    public ProbeResponse(int sequence, ResponseKind kind, int icmpType, int icmpCode, InetAddress responder,
            long receivedNanos) {
        this(sequence, kind, icmpType, icmpCode, responder, receivedNanos, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN,
                UNKNOWN, List.of(), UNKNOWN, UNKNOWN);
    }

    /**
     * {@return this answer matched to another sequence number, everything else as read} For a measurement that
     * numbers its probes in bands of its own (a monitor's rounds) and hands each band's answers to a strategy
     * that counts from 0.
     *
     * @param otherSequence the sequence number the answer stands for
     */
    public ProbeResponse withSequence(int otherSequence) {
        return new ProbeResponse(otherSequence, kind, icmpType, icmpCode, responder, receivedNanos, replyTtl, quotedTtl,
                quotedIpId, quotedChecksum, sentChecksum, extensions, replyLength, mtu, sentHeader, quotedHeader);
    }

    /**
     * {@return this answer with its size ({@link #replyLength()})}
     *
     * @param length the answer's size, or {@link #UNKNOWN}
     */
    public ProbeResponse withReplyLength(int length) {
        return new ProbeResponse(sequence, kind, icmpType, icmpCode, responder, receivedNanos, replyTtl, quotedTtl,
                quotedIpId, quotedChecksum, sentChecksum, extensions, length, mtu, sentHeader, quotedHeader);
    }

    /**
     * {@return this answer with the probe's headers as sent and as the router quoted them}
     *
     * @param sent the probe's headers as the transport sent them, as far as it knows them, or null
     * @param quoted the probe's headers as the router quoted them, or null
     */
    public ProbeResponse withHeaders(@Nullable PacketHeader sent, @Nullable PacketHeader quoted) {
        return new ProbeResponse(sequence, kind, icmpType, icmpCode, responder, receivedNanos, replyTtl, quotedTtl,
                quotedIpId, quotedChecksum, sentChecksum, extensions, replyLength, mtu, sent, quoted);
    }

    /**
     * {@return the quoted transport checksum minus the one sent, modulo 2^16 (Dublin traceroute's "NAT ID"):
     * 0 when the quote came back as sent, {@link #UNKNOWN} when either is unknown} A hop whose
     * delta differs from the previous answering hop's is where a translation happened.
     */
    public int checksumDelta() {
        if (quotedChecksum == UNKNOWN || sentChecksum == UNKNOWN) {
            return UNKNOWN;
        }
        return (quotedChecksum - sentChecksum) & 0xffff;
    }

    /** {@return whether this is a port unreachable (IPv4 3/3, IPv6 1/4), from whoever sent it} */
    public boolean portUnreachable() {
        return kind == ResponseKind.DESTINATION_UNREACHABLE
                && ((icmpType == 3 && icmpCode == 3) || (icmpType == 1 && icmpCode == 4));
    }

    /** {@return the MPLS label stack entries among the extensions, outermost first} */
    public List<MplsLabel> mplsLabels() {
        if (extensions.isEmpty()) {
            return List.of();
        }
        return extensions.stream().flatMap(e -> e.mplsLabels().stream()).toList();
    }

    /** {@return the RFC 5837 Interface Information objects among the extensions, in the order the router sent them} */
    public List<io.pathprobe.probe.InterfaceInfo> interfaces() {
        return extensions.isEmpty() ? List.of()
                : extensions.stream().flatMap(e -> e.interfaceInfo().stream()).toList();
    }

    /** {@return the first Node Identification object among the extensions; empty when there is none} */
    public java.util.Optional<io.pathprobe.probe.NodeId> nodeId() {
        return extensions.stream().flatMap(e -> e.nodeId().stream()).findFirst();
    }

    /**
     * {@code "probe 17: TIME_EXCEEDED (ICMP 11/0) from 198.18.0.10, reply TTL 253, quoted TTL 1,
     * 56 bytes"}, {@code "..., mtu 1280"}; fields the transport could not see are left out.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("probe ").append(sequence).append(": ").append(kind);
        if (icmpType != UNKNOWN) {
            b.append(" (ICMP ").append(icmpType).append('/').append(icmpCode).append(')');
        }
        b.append(" from ").append(io.pathprobe.probe.AddressText.of(responder)).append(" at ")
                .append(receivedNanos).append(" ns");
        if (replyTtl != UNKNOWN) {
            b.append(", reply TTL ").append(replyTtl);
        }
        if (quotedTtl != UNKNOWN) {
            b.append(", quoted TTL ").append(quotedTtl);
        }
        if (!extensions.isEmpty()) {
            b.append(", ").append(extensions);
        }
        if (replyLength != UNKNOWN) {
            b.append(", ").append(replyLength).append(" bytes");
        }
        if (mtu != UNKNOWN) {
            b.append(", mtu ").append(mtu);
        }
        return b.toString();
    }
}
