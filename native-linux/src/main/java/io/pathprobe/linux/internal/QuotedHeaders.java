package io.pathprobe.linux.internal;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.probe.PacketHeader;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The probe headers an ICMP error's answer carries ({@link io.pathprobe.spi.ProbeResponse#sentHeader()},
 * {@link io.pathprobe.spi.ProbeResponse#quotedHeader()}; QUOTED_HEADER): the quoted IP header and what the
 * router quoted after it, parsed by {@link PacketHeader#parse}, and what the raw transports know they sent.
 * Called on the I/O thread for ICMP errors only (echo replies, SYN-ACKs and ACKs allocate nothing here).
 *
 * <p>What a sent header leaves {@link PacketHeader#UNKNOWN}: the TTL (the engine knows each probe's and fills
 * it in), and whatever the kernel chooses (the IP identification of requests sent through the ICMP socket,
 * the source address of those).
 */
final class QuotedHeaders {
    /** The most quoted bytes copied: RFC 1812 routers quote up to 576 bytes of the ICMP error in all. */
    static final int MAX_QUOTE = 576;
    /** The TCP MSS option's kind. */
    private static final List<Integer> MSS_ONLY = List.of(2);
    private static final List<Integer> TIMESTAMPS_ONLY = List.of(8);
    private static final List<Integer> NO_OPTIONS = List.of();

    private QuotedHeaders() {}

    /**
     * The header quoted from {@code quote} (the quoted IP header) to {@code end} (the end of the quoted probe,
     * RFC 4884 padding and extensions excluded), at most {@value #MAX_QUOTE} bytes of it; null if it is no
     * whole IP header.
     */
    static @Nullable PacketHeader quoted(Pointer d, int quote, int end) {
        return quoted(d, quote, end, null);
    }

    /**
     * {@link #quoted(Pointer, int, int)}, equal to what {@link PacketHeader#parse} makes of it, sharing the address
     * {@code Optional}s of {@code sent} (the probe as sent) when the router quoted the same addresses (nothing
     * copied, no address made: every answer through a path that does not translate them).
     */
    static @Nullable PacketHeader quoted(Pointer d, int quote, int end, @Nullable PacketHeader sent) {
        int n = Math.min(MAX_QUOTE, end - quote);
        if (n < RawPackets.IPV4_HEADER) {
            return null;
        }
        PacketHeader same = sent == null ? null : withSentAddresses(d, quote, n, sent);
        if (same != null) {
            return same;
        }
        byte[] bytes = new byte[n];
        d.get(quote, bytes, 0, n);
        return PacketHeader.parse(bytes, 0, n).orElse(null);
    }

    /** The header quoted in an error parsed into {@code q}. */
    static @Nullable PacketHeader quoted(IcmpQuote q, Pointer d) {
        return quoted(q, d, null);
    }

    /** The header quoted in an error parsed into {@code q}, sharing what it can of {@code sent}. */
    static @Nullable PacketHeader quoted(IcmpQuote q, Pointer d, @Nullable PacketHeader sent) {
        return quoted(d, q.quote, q.transport + q.available, sent);
    }

    /**
     * What {@link PacketHeader#parse} makes of the {@code n} (at least 20) bytes at {@code quote}, with the address
     * {@code Optional}s of {@code sent}, when both quoted addresses are sent's and the quoted transport is not TCP
     * (whose options only the parser reads); else null.
     */
    private static @Nullable PacketHeader withSentAddresses(Pointer d, int quote, int n, PacketHeader sent) {
        Optional<InetAddress> source = sent.source();
        Optional<InetAddress> destination = sent.destination();
        if (source.isEmpty() || destination.isEmpty()) {
            return null;
        }
        int first = d.getByte(quote) & 0xff;
        int version = first >>> 4;
        int trafficClass;
        int ttl;
        int ipId = PacketHeader.UNKNOWN;
        int flowLabel = PacketHeader.UNKNOWN;
        int total;
        int protocol;
        int at;
        int available;
        if (version == 4) {
            int ihl = (first & 0x0f) * 4;
            if (ihl < RawPackets.IPV4_HEADER || ihl > n || !isV4(source.get(), Sockets.readBigEndianInt(d, quote + 12))
                    || !isV4(destination.get(), Sockets.readBigEndianInt(d, quote + 16))) {
                return null;
            }
            trafficClass = d.getByte(quote + 1) & 0xff;
            ttl = d.getByte(quote + 8) & 0xff;
            ipId = Sockets.readBigEndianShort(d, quote + 4);
            total = Sockets.readBigEndianShort(d, quote + 2);
            protocol = d.getByte(quote + 9) & 0xff;
            at = quote + ihl;
            available = total >= ihl ? Math.min(n, total) - ihl : n - ihl;
        } else if (version == 6 && n >= RawPackets.IPV6_HEADER) {
            if (!isV6(source.get(), d, quote + 8) || !isV6(destination.get(), d, quote + 24)) {
                return null;
            }
            int word = Sockets.readBigEndianInt(d, quote);
            int payload = Sockets.readBigEndianShort(d, quote + 4);
            trafficClass = (word >>> 20) & 0xff;
            flowLabel = word & 0xfffff;
            ttl = d.getByte(quote + 7) & 0xff;
            total = payload + RawPackets.IPV6_HEADER;
            protocol = d.getByte(quote + 6) & 0xff;
            at = quote + RawPackets.IPV6_HEADER;
            available = payload > 0 ? Math.min(n - RawPackets.IPV6_HEADER, payload) : n - RawPackets.IPV6_HEADER;
        } else {
            return null;
        }
        int from = PacketHeader.UNKNOWN;
        int to = PacketHeader.UNKNOWN;
        int checksum = PacketHeader.UNKNOWN;
        if (protocol == PacketHeader.TCP) {
            return null;
        } else if (protocol == PacketHeader.UDP && available >= 8) {
            from = Sockets.readBigEndianShort(d, at);
            to = Sockets.readBigEndianShort(d, at + 2);
            checksum = Sockets.readBigEndianShort(d, at + 6);
        } else if ((protocol == PacketHeader.ICMP || protocol == PacketHeader.ICMPV6) && available >= 4) {
            checksum = Sockets.readBigEndianShort(d, at + 2);
        }
        return new PacketHeader(version, trafficClass, ttl, ipId, flowLabel, total, protocol, source, destination,
                from, to, checksum, PacketHeader.UNKNOWN, PacketHeader.UNKNOWN, NO_OPTIONS);
    }

    private static boolean isV4(InetAddress a, int bigEndian) {
        return a instanceof java.net.Inet4Address && InetAddresses.toInt((java.net.Inet4Address) a) == bigEndian;
    }

    private static boolean isV6(InetAddress a, Pointer d, int at) {
        if (!(a instanceof java.net.Inet6Address) || ((java.net.Inet6Address) a).getScopeId() != 0) {
            return false; // a scoped address prints its scope: the parser's would not
        }
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            if (d.getByte(at + i) != b[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IP fields of a sent probe: marking, protocol, addresses ({@code source} null when the kernel chose
     * it), IPv4 identification or IPv6 flow label (UNKNOWN when the kernel chose it), and the packet's length.
     */
    static PacketHeader ip(boolean ipv6, int trafficClass, int protocol, @Nullable InetAddress source,
            InetAddress destination, int idOrFlowLabel, int totalLength) {
        return sent(ipv6, trafficClass, protocol, source, destination, idOrFlowLabel, totalLength, PacketHeader.UNKNOWN,
                PacketHeader.UNKNOWN, PacketHeader.UNKNOWN);
    }

    /** {@link #ip} with the transport's ports and checksum (UNKNOWN where not known). */
    static PacketHeader sent(boolean ipv6, int trafficClass, int protocol, @Nullable InetAddress source,
            InetAddress destination, int idOrFlowLabel, int totalLength, int sourcePort, int destinationPort,
            int checksum) {
        return sent(ipv6, trafficClass, protocol, source, destination, idOrFlowLabel, totalLength, sourcePort,
                destinationPort, checksum, PacketHeader.UNKNOWN, PacketHeader.UNKNOWN, NO_OPTIONS);
    }

    /**
     * The whole sent header in one record (an answer's, on the I/O thread: no chain of {@code with...} copies), as
     * {@code PacketHeader.of(...).withTrafficClass(...).withIp(...).withAddresses(...).withTransport(...)
     * .withTcpOptions(...)} makes it.
     */
    static PacketHeader sent(boolean ipv6, int trafficClass, int protocol, @Nullable InetAddress source,
            InetAddress destination, int idOrFlowLabel, int totalLength, int sourcePort, int destinationPort,
            int checksum, int tcpHeaderLength, int tcpMss, List<Integer> tcpOptions) {
        return sent(ipv6, trafficClass, protocol, Optional.ofNullable(source), Optional.of(destination), idOrFlowLabel,
                totalLength, sourcePort, destinationPort, checksum, tcpHeaderLength, tcpMss, tcpOptions);
    }

    /** {@link #sent(boolean, int, int, InetAddress, InetAddress, int, int, int, int, int, int, int, List)}. */
    static PacketHeader sent(boolean ipv6, int trafficClass, int protocol, Optional<InetAddress> source,
            Optional<InetAddress> destination, int idOrFlowLabel, int totalLength, int sourcePort, int destinationPort,
            int checksum, int tcpHeaderLength, int tcpMss, List<Integer> tcpOptions) {
        return new PacketHeader(ipv6 ? 6 : 4, trafficClass, PacketHeader.UNKNOWN,
                ipv6 ? PacketHeader.UNKNOWN : idOrFlowLabel, ipv6 ? idOrFlowLabel : PacketHeader.UNKNOWN, totalLength,
                protocol, source, destination, sourcePort, destinationPort, checksum, tcpHeaderLength, tcpMss,
                tcpOptions);
    }

    /**
     * A linux-raw-udp probe as sent: {@code udpLength} bytes of UDP after the IP header, destination port
     * {@code destinationPort} (UNKNOWN for an EXPLICIT session, whose flows are not recorded per probe), the
     * checksum {@link UdpProbes#checksum}.
     */
    static PacketHeader udp(PortKey k, int sequence, int destinationPort, int udpLength) {
        boolean ipv6 = k.destination.ipv6;
        int flowLabel = destinationPort == PacketHeader.UNKNOWN ? PacketHeader.UNKNOWN
                : RawPackets.flowLabel(destinationPort - k.remoteFirst);
        return sent(ipv6, k.trafficClass, PacketHeader.UDP, k.sourceOptional.of(k.source), k.destination.present,
                ipv6 ? flowLabel : PortKey.ipId(k.ipIdKey, sequence), RawPackets.headerLength(ipv6) + udpLength,
                k.localFirst, destinationPort, UdpProbes.checksum(sequence), PacketHeader.UNKNOWN, PacketHeader.UNKNOWN,
                NO_OPTIONS);
    }

    /** A linux-raw-tcp SYN as sent from {@code localPort}: MSS 1460, no other option, a 24-byte header. */
    static PacketHeader tcp(PortKey k, int sequence, int localPort, int checksum) {
        boolean ipv6 = k.destination.ipv6;
        int flow = k.policy == io.pathprobe.spi.FlowPolicy.FIXED ? k.flow : localPort - k.localFirst;
        return sent(ipv6, k.trafficClass, PacketHeader.TCP, k.sourceOptional.of(k.source), k.destination.present,
                ipv6 ? RawPackets.flowLabel(flow) : PortKey.ipId(k.ipIdKey, sequence),
                RawPackets.headerLength(ipv6) + TcpProbes.LENGTH, localPort, k.remoteFirst,
                checksum < 0 ? PacketHeader.UNKNOWN : checksum, TcpProbes.LENGTH, TcpProbes.MSS, MSS_ONLY);
    }

    /**
     * A linux-tcp-in-connection segment as sent: the connection's addresses and ports, flow label 0, the
     * timestamps option when agreed (after two NOPs), one data byte.
     */
    static PacketHeader inConnection(InConnectionKey k, int trafficClass, int slot, int checksum) {
        int headerLength = k.segmentLength - 1;
        return sent(k.ipv6, trafficClass, PacketHeader.TCP, address(k.source), k.destination.address,
                k.ipv6 ? 0 : PortKey.ipId(k.ipIdKey, slot), RawPackets.headerLength(k.ipv6) + k.segmentLength,
                k.localPort, k.remotePort, checksum, headerLength, PacketHeader.UNKNOWN,
                k.timestamps ? TIMESTAMPS_ONLY : NO_OPTIONS);
    }

    /** The address of {@code bytes} (4 or 16), or null. */
    static @Nullable InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 4 || bytes.length == 16 ? InetAddress.getByAddress(bytes) : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
