package io.pathprobe.macos.internal;

import static io.pathprobe.nativecommon.IcmpEchoFormat.DEST_UNREACH;
import static io.pathprobe.nativecommon.IcmpEchoFormat.DEST_UNREACH_V6;
import static io.pathprobe.nativecommon.IcmpEchoFormat.ECHO_REPLY;
import static io.pathprobe.nativecommon.IcmpEchoFormat.ECHO_REPLY_V6;
import static io.pathprobe.nativecommon.IcmpEchoFormat.ECHO_REQUEST;
import static io.pathprobe.nativecommon.IcmpEchoFormat.ECHO_REQUEST_V6;
import static io.pathprobe.nativecommon.IcmpEchoFormat.HEADER;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_COMPENSATION;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_COOKIE;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_FILL;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_ID;
import static io.pathprobe.nativecommon.IcmpEchoFormat.OFF_SEQ;
import static io.pathprobe.nativecommon.IcmpEchoFormat.TIME_EXCEEDED;
import static io.pathprobe.nativecommon.IcmpEchoFormat.TIME_EXCEEDED_V6;
import static io.pathprobe.nativecommon.IcmpEchoFormat.fill;
import static io.pathprobe.nativecommon.IcmpEchoFormat.flowChecksum;
import static io.pathprobe.nativecommon.IcmpEchoFormat.length;
import static io.pathprobe.nativecommon.InternetChecksum.onesAdd;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.IcmpExtension;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The echo requests the macOS transport sends and the parsing of what its ICMP datagram sockets
 * read, on byte arrays (no native call).
 *
 * <p>Echo request: {@link IcmpEchoFormat}, the layout the Linux transports send too, so captures compare.
 *
 * <p>What a macOS ICMP datagram socket reads (xnu: these sockets are raw IP control blocks,
 * {@code inp_ip_p = IPPROTO_ICMP}, fed by {@code rip_input} / {@code rip6_input}):
 * <ul>
 *   <li>IPv4: the whole datagram, IPv4 header first (unless IP_STRIPHDR, which this transport does
 *       not set): its TTL is the reply TTL, its source the responder. Darwin hands the header over
 *       with {@code ip_len} in host order and without the header's length, so it is not read: the
 *       datagram's length is recvmsg's result. Then the ICMP message: an echo reply, or a Time
 *       Exceeded / Destination Unreachable quoting the probe's IPv4 header (its {@code ip_len} may
 *       have been turned to host order by BSD's icmp_input before delivery: read in either order,
 *       and only to tell RFC 4884 padding from the quote) and at least 8 bytes of the probe.
 *   <li>IPv6: the ICMPv6 message only (no IPv6 header): the responder is msg_name, the reply's hop
 *       limit the IPV6_HOPLIMIT control message. Errors quote the 40-byte IPv6 header and the probe.
 *   <li>Every ICMP message that reaches the host, not only this socket's: the kernel does not
 *       filter by identifier (neither for IPv4 nor for ICMPv6), so the transport does.
 * </ul>
 */
public final class IcmpCodec {
    public static final int IPV6_HEADER = 40;
    /** IPPROTO_UDP. */
    public static final int UDP = 17;


    private IcmpCodec() {}

    /** An echo request of {@code length} bytes, sequence 0, compensation and checksum 0. */
    public static byte[] request(int length, boolean ipv6, int identifier, long cookie) {
        byte[] p = new byte[length];
        p[0] = (byte) (ipv6 ? ECHO_REQUEST_V6 : ECHO_REQUEST);
        putShort(p, OFF_ID, identifier);
        for (int i = 0; i < 8; i++) {
            p[OFF_COOKIE + i] = (byte) (cookie >>> (56 - 8 * i));
        }
        for (int i = OFF_FILL; i < length; i++) {
            p[i] = fill(i);
        }
        return p;
    }

    /** The ones' complement sum of the words that never change (all but checksum, sequence, compensation). */
    public static int baseSum(byte[] p) {
        int sum = 0;
        for (int i = 0; i < p.length; i += 2) {
            if (i != 2 && i != OFF_SEQ && i != OFF_COMPENSATION) {
                int word = i + 1 < p.length ? getShort(p, i) : (p[i] & 0xff) << 8;
                sum = onesAdd(sum, word);
            }
        }
        return sum;
    }

    /**
     * The ones' complement sum of the ICMPv6 pseudo-header (RFC 8200 8.1): source, destination,
     * upper-layer length, next header 58.
     */
    public static int pseudoHeaderSum(InetAddress source, InetAddress destination, int length) {
        return InternetChecksum.pseudoHeaderSum(source.getAddress(), destination.getAddress(), Darwin.IPPROTO_ICMPV6,
                length);
    }

    /**
     * Sets the sequence and the compensation word so that the checksum of a message whose fixed words
     * (with the pseudo-header for ICMPv6) sum to {@code baseSum} is {@link IcmpEchoFormat#flowChecksum}({@code flow});
     * with {@code writeChecksum} (ICMPv4: the macOS kernel sends the checksum as written) writes it too.
     */
    public static void setProbe(byte[] p, int baseSum, int sequence, int flow, boolean writeChecksum) {
        int checksum = flowChecksum(flow);
        putShort(p, OFF_SEQ, sequence);
        putShort(p, OFF_COMPENSATION, InternetChecksum.compensation(onesAdd(baseSum, sequence), checksum));
        putShort(p, 2, writeChecksum ? checksum : 0);
    }

    /**
     * Classic (PER_PROBE): the sequence with compensation 0; the checksum {@code ~(baseSum + sequence)}
     * changes with it. Written with {@code writeChecksum} (ICMPv4), else left 0 for the kernel (ICMPv6).
     *
     * @return the checksum on the wire, when {@code baseSum} includes everything the checksum covers
     */
    public static int setClassicProbe(byte[] p, int baseSum, int sequence, boolean writeChecksum) {
        putShort(p, OFF_SEQ, sequence);
        putShort(p, OFF_COMPENSATION, 0);
        int checksum = ~onesAdd(baseSum, sequence) & 0xffff;
        putShort(p, 2, writeChecksum ? checksum : 0);
        return checksum;
    }

    /**
     * One message as read, parsed: an echo reply (quote fields UNKNOWN) or an ICMP error about an
     * echo request (identifier, sequence and checksum from the quote) or about a UDP datagram.
     *
     * @param protocol what the answer is about: {@link Darwin#IPPROTO_ICMP} / {@link Darwin#IPPROTO_ICMPV6}
     *     (an echo request) or {@link #UDP}; for UDP, {@code identifier} is the quoted source port,
     *     {@code sequence} the quoted destination port, {@code quotedChecksum} the UDP checksum and
     *     {@code cookie} the payload's bytes 2..9 ({@link UdpCodec})
     * @param quotedDestination where the quoted probe went; null for an echo reply
     * @param cookie the 8 cookie bytes the message carries (reply payload or quote), or 0 when not there
     * @param icmpLength the ICMP message's length (header and data)
     */
    public record Message(int protocol, ResponseKind kind, int type, int code, InetAddress responder, int replyTtl,
            int identifier,
            int sequence, long cookie, @Nullable InetAddress quotedDestination, int quotedTtl, int quotedIpId,
            int quotedChecksum, List<IcmpExtension> extensions, int icmpLength) {}

    /** A parse's outcome: a message, or why the datagram is not one an echo session could own. */
    public record Parsed(@Nullable Message message, @Nullable DropReason drop) {
        static Parsed of(Message m) {
            return new Parsed(m, null);
        }

        static Parsed dropped(DropReason reason) {
            return new Parsed(null, reason);
        }
    }

    /**
     * Parses an IPv4 datagram as a macOS ICMP datagram socket reads it (IPv4 header first).
     * {@link DropReason#MALFORMED}: too short, no IPv4 header, or an ICMP type that answers no echo
     * request; {@link DropReason#UNRELATED}: an error quoting something other than an echo request
     * (another program's UDP or TCP probe, say).
     */
    public static Parsed parseV4(byte[] d, int length) {
        int ihl = ipv4HeaderLength(d, 0, length);
        if (ihl < 0 || length < ihl + HEADER) {
            return Parsed.dropped(DropReason.MALFORMED);
        }
        InetAddress responder = ipv4(d, 12);
        int replyTtl = d[8] & 0xff;
        int icmp = ihl;
        int icmpLength = length - ihl;
        int type = d[icmp] & 0xff;
        int code = d[icmp + 1] & 0xff;
        if (type == ECHO_REPLY) {
            long cookie = icmpLength >= OFF_COOKIE + 8 ? getLong(d, icmp + OFF_COOKIE) : 0;
            return Parsed.of(new Message(Darwin.IPPROTO_ICMP, ResponseKind.ECHO_REPLY, type, code, responder, replyTtl,
                    getShort(d, icmp + OFF_ID), getShort(d, icmp + OFF_SEQ), cookie, null, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of(), icmpLength));
        }
        ResponseKind kind;
        if (type == TIME_EXCEEDED) {
            kind = ResponseKind.TIME_EXCEEDED;
        } else if (type == DEST_UNREACH) {
            kind = ResponseKind.DESTINATION_UNREACHABLE;
        } else {
            return Parsed.dropped(DropReason.MALFORMED);
        }
        int quote = icmp + HEADER;
        int quotedIhl = ipv4HeaderLength(d, quote, length - quote);
        if (quotedIhl < 0 || length - quote - quotedIhl < HEADER) {
            return Parsed.dropped(DropReason.MALFORMED);
        }
        int protocol = d[quote + 9] & 0xff;
        int probe = quote + quotedIhl;
        if (!(protocol == UDP || (protocol == Darwin.IPPROTO_ICMP && (d[probe] & 0xff) == ECHO_REQUEST))) {
            return Parsed.dropped(DropReason.UNRELATED); // another program's TCP probe, say
        }
        int available = length - probe;
        int totalLength = quotedTotalLength(d, quote, quotedIhl, length - quote);
        if (totalLength > 0) {
            available = Math.min(available, totalLength - quotedIhl);
        }
        return Parsed.of(quoteMessage(protocol, d, probe, available, kind, type, code, responder, replyTtl,
                ipv4(d, quote + 16), d[quote + 8] & 0xff, getShort(d, quote + 4),
                extensions(d, icmp, icmpLength, false), icmpLength));
    }

    /**
     * Parses an ICMPv6 message as a macOS ICMPv6 datagram socket reads it (no IPv6 header), from
     * {@code responder} (msg_name) with hop limit {@code hopLimit} (-1: no IPV6_HOPLIMIT control message).
     */
    public static Parsed parseV6(byte[] d, int length, InetAddress responder, int hopLimit) {
        if (length < HEADER) {
            return Parsed.dropped(DropReason.MALFORMED);
        }
        int replyTtl = hopLimit < 0 ? ProbeResponse.UNKNOWN : hopLimit;
        int type = d[0] & 0xff;
        int code = d[1] & 0xff;
        if (type == ECHO_REPLY_V6) {
            long cookie = length >= OFF_COOKIE + 8 ? getLong(d, OFF_COOKIE) : 0;
            return Parsed.of(new Message(Darwin.IPPROTO_ICMPV6, ResponseKind.ECHO_REPLY, type,
                    code, responder, replyTtl,
                    getShort(d, OFF_ID),
                    getShort(d, OFF_SEQ), cookie, null, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, List.of(), length));
        }
        ResponseKind kind;
        if (type == TIME_EXCEEDED_V6) {
            kind = ResponseKind.TIME_EXCEEDED;
        } else if (type == DEST_UNREACH_V6) {
            kind = ResponseKind.DESTINATION_UNREACHABLE;
        } else {
            return Parsed.dropped(DropReason.MALFORMED);
        }
        int quote = HEADER;
        if (length < quote + IPV6_HEADER + HEADER || ((d[quote] & 0xff) >>> 4) != 6) {
            return Parsed.dropped(DropReason.MALFORMED);
        }
        int protocol = d[quote + 6] & 0xff;
        int probe = quote + IPV6_HEADER;
        if (!(protocol == UDP || (protocol == Darwin.IPPROTO_ICMPV6 && (d[probe] & 0xff) == ECHO_REQUEST_V6))) {
            return Parsed.dropped(DropReason.UNRELATED); // not our kind of probe (ours carry no extension header)
        }
        int available = length - probe;
        int payloadLength = getShort(d, quote + 4);
        if (payloadLength >= HEADER) {
            available = Math.min(available, payloadLength);
        }
        InetAddress quotedDestination;
        try {
            quotedDestination = InetAddress.getByAddress(Arrays.copyOfRange(d, quote + 24, quote + 40));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        return Parsed.of(quoteMessage(protocol, d, probe, available, kind, type, code, responder, replyTtl,
                quotedDestination, d[quote + 7] & 0xff, ProbeResponse.UNKNOWN, extensions(d, 0, length, true), length));
    }

    /** The message of an error quoting an echo request or a UDP datagram at {@code probe}. */
    private static Message quoteMessage(int protocol, byte[] d, int probe, int available, ResponseKind kind, int type,
            int code, InetAddress responder, int replyTtl, InetAddress quotedDestination, int quotedTtl, int quotedIpId,
            List<IcmpExtension> extensions, int icmpLength) {
        if (protocol == UDP) {
            long cookie = available >= HEADER + UdpCodec.OFF_COOKIE + 8
                    ? getLong(d, probe + HEADER + UdpCodec.OFF_COOKIE)
                    : 0;
            return new Message(protocol, kind, type, code, responder, replyTtl, getShort(d, probe),
                    getShort(d, probe + 2), cookie, quotedDestination, quotedTtl, quotedIpId, getShort(d, probe + 6),
                    extensions, icmpLength);
        }
        return new Message(protocol, kind, type, code, responder, replyTtl, getShort(d, probe + OFF_ID),
                getShort(d, probe + OFF_SEQ), quotedCookie(d, probe, available),
                quotedDestination, quotedTtl, quotedIpId,
                getShort(d, probe + 2), extensions, icmpLength);
    }

    /**
     * The quoted probe's total length: its {@code ip_len} read in network order or, failing that, in
     * host (little-endian) order, whichever is plausible (at least the header and 8 bytes) and no more
     * than the {@code present} bytes quoted (so that trailing RFC 4884 padding is not taken for the
     * probe); 0 when neither is (a short quote: nothing to trim).
     */
    static int quotedTotalLength(byte[] d, int quote, int quotedIhl, int present) {
        int network = getShort(d, quote + 2);
        if (network >= quotedIhl + HEADER && network <= present) {
            return network;
        }
        int host = ((d[quote + 3] & 0xff) << 8) | (d[quote + 2] & 0xff);
        return host >= quotedIhl + HEADER && host <= present ? host : 0;
    }

    /** The quoted cookie, or 0 when the router quoted too little (RFC 792: 8 bytes) to carry it. */
    private static long quotedCookie(byte[] d, int probe, int available) {
        return available >= OFF_COOKIE + 8 ? getLong(d, probe + OFF_COOKIE) : 0;
    }

    private static List<IcmpExtension> extensions(byte[] d, int icmp, int icmpLength, boolean ipv6) {
        if ((d[icmp + (ipv6 ? 4 : 5)] & 0xff) == 0) {
            return List.of();
        }
        return IcmpExtension.parse(d, icmp, icmpLength, ipv6);
    }

    /** The header length of the IPv4 header at {@code offset}, or -1 if there is none. */
    static int ipv4HeaderLength(byte[] d, int offset, int available) {
        if (available < 20) {
            return -1;
        }
        int v = d[offset] & 0xff;
        int ihl = (v & 0x0f) * 4;
        return (v >>> 4) == 4 && ihl >= 20 && ihl <= available ? ihl : -1;
    }

    private static InetAddress ipv4(byte[] d, int at) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(d, at, at + 4));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public static int getShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    public static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
