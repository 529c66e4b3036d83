package io.pathprobe.linux.internal.codec;

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
public final class QuotedHeaders {
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
    public static @Nullable PacketHeader quoted(Pointer d, int quote, int end) {
        return quoted(d, quote, end, null);
    }

    /**
     * {@link #quoted(Pointer, int, int)}, sharing the address {@code Optional}s of {@code sent} (the probe as sent)
     * when the router quoted the same addresses ({@link PacketHeader#parse(byte[], int, int, PacketHeader)}: no
     * address made for every answer through a path that does not translate them). The bytes are copied into this
     * thread's scratch array, which the header does not keep.
     */
    public static @Nullable PacketHeader quoted(Pointer d, int quote, int end, @Nullable PacketHeader sent) {
        int n = Math.min(MAX_QUOTE, end - quote);
        if (n < RawPackets.IPV4_HEADER) {
            return null;
        }
        byte[] bytes = SCRATCH.get();
        d.get(quote, bytes, 0, n);
        return PacketHeader.parse(bytes, 0, n, sent).orElse(null);
    }

    /** A quote's bytes on their way to the parser: one array per thread (the I/O threads), reused. */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_QUOTE];
        }
    };

    /** The header quoted in an error parsed into {@code q}. */
    public static @Nullable PacketHeader quoted(IcmpQuote q, Pointer d) {
        return quoted(q, d, null);
    }

    /** The header quoted in an error parsed into {@code q}, sharing what it can of {@code sent}. */
    public static @Nullable PacketHeader quoted(IcmpQuote q, Pointer d, @Nullable PacketHeader sent) {
        return quoted(d, q.quote, q.transport + q.available, sent);
    }

    /**
     * The IP fields of a sent probe: marking, protocol, addresses ({@code source} null when the kernel chose
     * it), IPv4 identification or IPv6 flow label (UNKNOWN when the kernel chose it), and the packet's length.
     */
    public static PacketHeader ip(boolean ipv6, int trafficClass, int protocol, @Nullable InetAddress source,
            InetAddress destination, int idOrFlowLabel, int totalLength) {
        return sent(ipv6, trafficClass, protocol, source, destination, idOrFlowLabel, totalLength, PacketHeader.UNKNOWN,
                PacketHeader.UNKNOWN, PacketHeader.UNKNOWN);
    }

    /** {@link #ip} with the transport's ports and checksum (UNKNOWN where not known). */
    public static PacketHeader sent(boolean ipv6, int trafficClass, int protocol, @Nullable InetAddress source,
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
    public static PacketHeader sent(boolean ipv6, int trafficClass, int protocol, @Nullable InetAddress source,
            InetAddress destination, int idOrFlowLabel, int totalLength, int sourcePort, int destinationPort,
            int checksum, int tcpHeaderLength, int tcpMss, List<Integer> tcpOptions) {
        return sent(ipv6, trafficClass, protocol, Optional.ofNullable(source), Optional.of(destination), idOrFlowLabel,
                totalLength, sourcePort, destinationPort, checksum, tcpHeaderLength, tcpMss, tcpOptions);
    }

    /** {@link #sent(boolean, int, int, InetAddress, InetAddress, int, int, int, int, int, int, int, List)}. */
    public static PacketHeader sent(boolean ipv6, int trafficClass, int protocol, Optional<InetAddress> source,
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
    public static PacketHeader udp(PortKey k, int sequence, int destinationPort, int udpLength) {
        boolean ipv6 = k.destination.ipv6;
        int flowLabel = destinationPort == PacketHeader.UNKNOWN ? PacketHeader.UNKNOWN
                : RawPackets.flowLabel(destinationPort - k.remoteFirst);
        return sent(ipv6, k.trafficClass, PacketHeader.UDP, k.sourceOptional.of(k.source), k.destination.present,
                ipv6 ? flowLabel : PortKey.ipId(k.ipIdKey, sequence), RawPackets.headerLength(ipv6) + udpLength,
                k.localFirst, destinationPort, UdpProbes.checksum(sequence), PacketHeader.UNKNOWN, PacketHeader.UNKNOWN,
                NO_OPTIONS);
    }

    /** A linux-raw-tcp SYN as sent from {@code localPort}: MSS 1460, no other option, a 24-byte header. */
    public static PacketHeader tcp(PortKey k, int sequence, int localPort, int checksum) {
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
    public static PacketHeader inConnection(InConnectionKey k, int trafficClass, int slot, int checksum) {
        int headerLength = k.segmentLength - 1;
        return sent(k.ipv6, trafficClass, PacketHeader.TCP, address(k.source), k.destination.address,
                k.ipv6 ? 0 : PortKey.ipId(k.ipIdKey, slot), RawPackets.headerLength(k.ipv6) + k.segmentLength,
                k.localPort, k.remotePort, checksum, headerLength, PacketHeader.UNKNOWN,
                k.timestamps ? TIMESTAMPS_ONLY : NO_OPTIONS);
    }

    /** The address of {@code bytes} (4 or 16), or null. */
    public static @Nullable InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 4 || bytes.length == 16 ? InetAddress.getByAddress(bytes) : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
