package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.IcmpExtension;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ICMP or ICMPv6 error as a raw socket reads it, parsed in place: who sent it, what kind it is,
 * and where in the buffer the quoted probe's IP header and transport header are, with what the
 * router quoted of them. Mutable and reused: one per transport, used on its I/O thread only (and
 * by tests on recorded bytes).
 *
 * <ul>
 *   <li>IPv4 (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)): the data starts with the error's IPv4
 *       header (its TTL is the reply TTL, its source the responder), then the ICMP header, then the
 *       quoted IPv4 header (its IHL read) and as much of the probe as the router quoted: at least
 *       8 bytes (RFC 792), all of it from Linux routers, possibly followed by RFC 4884 padding and
 *       extensions.
 *   <li>IPv6 (socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)): the data starts with the ICMPv6 header
 *       (no IPv6 header: the responder is msg_name, the reply hop limit an IPV6_HOPLIMIT control
 *       message), then the quoted 40-byte IPv6 header and the probe (no extension headers: ours
 *       carry none, so a quote with one is not ours).
 * </ul>
 */
public final class IcmpQuote {
    static final int IPV6_HEADER = 40;

    boolean ipv6;
    public ResponseKind kind = ResponseKind.TIME_EXCEEDED;
    public int type;
    public int code;
    /** Fragmentation Needed (IPv4 3/4: the next-hop MTU field) / Packet Too Big (IPv6 2): the MTU; else UNKNOWN. */
    public int mtu = ProbeResponse.UNKNOWN;
    public int replyTtl;
    /** Offset of the ICMP header, and the ICMP message's length. */
    public int icmp;
    public int icmpLength;
    /** Offset of the quoted IP header. */
    public int quote;
    /** The quoted protocol (IPv4) or next header (IPv6). */
    public int protocol;
    public int quotedTtl;
    /** The quoted IPv4 identification; {@link ProbeResponse#UNKNOWN} for IPv6. */
    public int quotedIpId;
    /** The quoted IPv6 flow label; {@link ProbeResponse#UNKNOWN} for IPv4. */
    int quotedFlowLabel;
    /** Offset of the quoted transport header, and how many of its bytes were quoted (padding excluded). */
    public int transport;
    public int available;
    private int sourceV4;
    private @Nullable Pointer sourceSockaddr;
    private long sourceSockaddrOffset;

    /**
     * Parses an IPv4 packet (header included) carrying ICMP: null when it is a Time Exceeded or
     * Destination Unreachable with a quoted IPv4 header and at least 8 quoted bytes after it, else
     * {@link DropReason#MALFORMED}.
     */
    public @Nullable DropReason parseV4(Pointer d, int length) {
        ipv6 = false;
        int ihl = ipv4HeaderLength(d, 0, length);
        if (ihl < 0 || length < ihl + 8 || !icmpChecksumOk(d, ihl, length)) {
            return DropReason.MALFORMED;
        }
        sourceV4 = Sockets.readBigEndianInt(d, 12);
        sourceSockaddr = null;
        replyTtl = d.getByte(8) & 0xff;
        icmp = ihl;
        icmpLength = length - ihl;
        type = d.getByte(ihl) & 0xff;
        code = d.getByte(ihl + 1) & 0xff;
        if (type == IcmpEchoFormat.TIME_EXCEEDED) {
            kind = ResponseKind.TIME_EXCEEDED;
        } else if (type == IcmpEchoFormat.DEST_UNREACH) {
            kind = code == IcmpEcho.FRAG_NEEDED ? ResponseKind.PACKET_TOO_BIG : ResponseKind.DESTINATION_UNREACHABLE;
        } else {
            return DropReason.MALFORMED;
        }
        mtu = kind == ResponseKind.PACKET_TOO_BIG ? Sockets.readBigEndianShort(d, ihl + 6) : ProbeResponse.UNKNOWN;
        quote = ihl + 8;
        int quotedIhl = ipv4HeaderLength(d, quote, length - quote);
        if (quotedIhl < 0) {
            return DropReason.MALFORMED;
        }
        protocol = d.getByte(quote + 9) & 0xff;
        quotedTtl = d.getByte(quote + 8) & 0xff;
        quotedIpId = Sockets.readBigEndianShort(d, quote + 4);
        quotedFlowLabel = ProbeResponse.UNKNOWN;
        transport = quote + quotedIhl;
        available = length - transport;
        int quotedTotalLength = Sockets.readBigEndianShort(d, quote + 2);
        if (quotedTotalLength >= quotedIhl + 8) {
            available = Math.min(available, quotedTotalLength - quotedIhl); // not the RFC 4884 padding
        }
        return available < 8 ? DropReason.MALFORMED : null;
    }

    /**
     * Parses an ICMPv6 message (no IPv6 header) from the sender at {@code source} (a sockaddr_in6
     * at {@code sourceOffset}) that arrived with hop limit {@code hopLimit}: null when it is a Time
     * Exceeded or Destination Unreachable quoting an IPv6 header and at least 8 bytes after it,
     * else {@link DropReason#MALFORMED}.
     */
    public @Nullable DropReason parseV6(Pointer d, int length, Pointer source, long sourceOffset, int hopLimit) {
        ipv6 = true;
        if (length < 8 || Sockets.readFamily(source, sourceOffset) != Abi.AF_INET6) {
            return DropReason.MALFORMED;
        }
        sourceSockaddr = source;
        sourceSockaddrOffset = sourceOffset;
        replyTtl = hopLimit;
        icmp = 0;
        icmpLength = length;
        type = d.getByte(0) & 0xff;
        code = d.getByte(1) & 0xff;
        if (type == IcmpEchoFormat.TIME_EXCEEDED_V6) {
            kind = ResponseKind.TIME_EXCEEDED;
        } else if (type == IcmpEchoFormat.DEST_UNREACH_V6) {
            kind = ResponseKind.DESTINATION_UNREACHABLE;
        } else if (type == IcmpEcho.PACKET_TOO_BIG_V6) {
            kind = ResponseKind.PACKET_TOO_BIG;
        } else {
            return DropReason.MALFORMED;
        }
        long reported = Sockets.readBigEndianInt(d, 4) & 0xffffffffL;
        mtu = kind != ResponseKind.PACKET_TOO_BIG ? ProbeResponse.UNKNOWN : reported > 0xffff ? 0xffff : (int) reported;
        quote = 8;
        if (length < quote + IPV6_HEADER + 8 || ((d.getByte(quote) & 0xff) >>> 4) != 6) {
            return DropReason.MALFORMED;
        }
        quotedFlowLabel = Sockets.readBigEndianInt(d, quote) & 0xfffff;
        protocol = d.getByte(quote + 6) & 0xff;
        quotedTtl = d.getByte(quote + 7) & 0xff;
        quotedIpId = ProbeResponse.UNKNOWN;
        transport = quote + IPV6_HEADER;
        available = length - transport;
        int payloadLength = Sockets.readBigEndianShort(d, quote + 4);
        if (payloadLength >= 8) {
            available = Math.min(available, payloadLength); // not the RFC 4884 padding
        }
        return null;
    }

    /** Whether the quoted probe went to {@code destination}. */
    public boolean quotedDestinationIs(Pointer d, Destination destination) {
        if (ipv6) {
            return destination.isIpv6(d, quote + 24);
        }
        return destination.isIpv4(Sockets.readBigEndianInt(d, quote + 16));
    }

    /** The quoted transport header's 16-bit word at {@code offset}, or UNKNOWN when it was not quoted. */
    public int transportShort(Pointer d, int offset) {
        return offset + 2 <= available ? Sockets.readBigEndianShort(d, transport + offset) : ProbeResponse.UNKNOWN;
    }

    /** Who sent the error. Allocates for IPv6 only (IPv4 addresses are cached). */
    public InetAddress responder(InetAddresses addresses) {
        if (!ipv6) {
            return addresses.ipv4(sourceV4);
        }
        Pointer s = sourceSockaddr;
        InetAddress a = s == null ? null : addresses.fromSockaddr(s, sourceSockaddrOffset);
        if (a == null) {
            try {
                return InetAddress.getByAddress(new byte[16]);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return a;
    }

    /** The RFC 4884 extension objects after the quote; allocates only when the error has a length field. */
    public List<IcmpExtension> extensions(Pointer d) {
        if ((d.getByte(icmp + (ipv6 ? 4 : 5)) & 0xff) == 0) {
            return List.of();
        }
        byte[] message = new byte[icmpLength];
        d.get(icmp, message, 0, icmpLength);
        return IcmpExtension.parse(message, 0, icmpLength, ipv6);
    }

    /** The header length of the IPv4 header at {@code offset}, or -1 if there is none. */
    public static int ipv4HeaderLength(Pointer d, int offset, int available) {
        if (available < 20) {
            return -1;
        }
        int versionAndIhl = d.getByte(offset) & 0xff;
        int ihl = (versionAndIhl & 0x0f) * 4;
        return (versionAndIhl >>> 4) == 4 && ihl >= 20 && ihl <= available ? ihl : -1;
    }

    /**
     * Whether the ICMP message after an IPv4 header of {@code ihl} bytes has a right checksum. A raw
     * socket gets ICMP messages before the kernel checks them (corrupt or forged ones included); a
     * message cut short by the receive buffer (IP total length beyond {@code length}) cannot be
     * checked and passes.
     */
    public static boolean icmpChecksumOk(Pointer d, int ihl, int length) {
        int total = Sockets.readBigEndianShort(d, 2);
        if (total > length) {
            return true;
        }
        int end = total >= ihl + 8 ? total : length;
        return IcmpEcho.checksum(d, ihl, end - ihl) == 0;
    }

    /** The 16-bit byte swap of {@code v}. */
    static int swap16(int v) {
        return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
    }
}
