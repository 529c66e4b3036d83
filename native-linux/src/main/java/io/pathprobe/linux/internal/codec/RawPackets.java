package io.pathprobe.linux.internal.codec;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.InternetChecksum;

/**
 * IP headers and checksums for the packets the raw transports write whole (IPPROTO_RAW sockets:
 * the caller writes the IPv4 or IPv6 header).
 *
 * <p>IPv4: 20 bytes, the session's ToS byte (DSCP and ECN, {@link io.pathprobe.spi.SessionSpec#trafficClass()}),
 * DF set, the identification chosen per probe; Linux fills in the total length and the header checksum of
 * every packet sent with IP_HDRINCL, and sends the ToS byte as written. IPv6: 40 bytes, the session's traffic
 * class, the flow label of the probe's flow ({@link #flowLabel}), no extension headers.
 */
public final class RawPackets {
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;

    private RawPackets() {}

    public static int headerLength(boolean ipv6) {
        return ipv6 ? IPV6_HEADER : IPV4_HEADER;
    }

    /** Writes the unmarked IP header of a packet of {@code payloadLength} transport bytes; returns its length. */
    public static int writeHeader(Pointer p, boolean ipv6, int protocol, int payloadLength,
            byte[] source, byte[] destination) {
        return writeHeader(p, ipv6, 0, protocol, payloadLength, source, destination);
    }

    /**
     * Writes the IP header of a packet of {@code payloadLength} transport bytes marked with {@code trafficClass}
     * (the IPv4 ToS byte / the IPv6 traffic class, 0 to 255); returns its length.
     */
    public static int writeHeader(Pointer p, boolean ipv6, int trafficClass, int protocol, int payloadLength,
            byte[] source, byte[] destination) {
        if (ipv6) {
            p.setMemory(0, IPV6_HEADER, (byte) 0);
            setFlowLabel(p, trafficClass, 0);
            Sockets.writeBigEndianShort(p, 4, payloadLength);
            p.putByte(6, (byte) protocol);
            p.putByte(7, (byte) 64);
            p.put(8, source, 0, 16);
            p.put(24, destination, 0, 16);
            return IPV6_HEADER;
        }
        p.setMemory(0, IPV4_HEADER, (byte) 0);
        p.putByte(0, (byte) 0x45);
        p.putByte(1, (byte) trafficClass);
        Sockets.writeBigEndianShort(p, 2, IPV4_HEADER + payloadLength);
        Sockets.writeBigEndianShort(p, 6, 0x4000); // DF: a probe is never fragmented
        p.putByte(8, (byte) 64);
        p.putByte(9, (byte) protocol);
        p.put(12, source, 0, 4);
        p.put(16, destination, 0, 4);
        return IPV4_HEADER;
    }

    public static void setTtl(Pointer p, boolean ipv6, int ttl) {
        p.putByte(ipv6 ? 7 : 8, (byte) ttl);
    }

    /** IPv4: the identification (0 would let the kernel choose one). */
    public static void setIpId(Pointer p, int id) {
        Sockets.writeBigEndianShort(p, 4, id);
    }

    /** IPv6: the 20-bit flow label (version 6; the traffic class the header has is kept). */
    public static void setFlowLabel(Pointer p, int label) {
        setFlowLabel(p, trafficClass6(p), label);
    }

    /** IPv6: the first 32-bit word: version 6, {@code trafficClass} (0 to 255) and the 20-bit flow label. */
    public static void setFlowLabel(Pointer p, int trafficClass, int label) {
        p.putByte(0, (byte) (0x60 | (trafficClass >>> 4)));
        p.putByte(1, (byte) (((trafficClass & 0x0f) << 4) | ((label >>> 16) & 0x0f)));
        Sockets.writeBigEndianShort(p, 2, label & 0xffff);
    }

    /** IPv6: the traffic class of the header at {@code p} (for a flow label set again). */
    public static int trafficClass6(Pointer p) {
        return ((p.getByte(0) & 0x0f) << 4) | ((p.getByte(1) & 0xf0) >>> 4);
    }

    /**
     * The IPv6 flow label of a flow: constant for the flow, distinct for the flows 0..65535 (an
     * odd multiplier is a bijection modulo 2^20), never 0 for them (0 means "no label"), and
     * spread over the 20 bits, so that Linux's default IPv6 multipath hash (source, destination,
     * flow label, next header) puts a flow on one path and spreads flows over paths.
     */
    public static int flowLabel(int flow) {
        return (flow * 0x9E3779B1 + 0x5A5A5) & 0xfffff;
    }

    /** The ones' complement sum of {@code length} bytes at {@code offset} (odd lengths padded with 0). */
    public static int onesSum(Pointer p, long offset, int length) {
        int sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum = InternetChecksum.onesAdd(sum, Sockets.readBigEndianShort(p, offset + i));
        }
        if ((length & 1) != 0) {
            sum = InternetChecksum.onesAdd(sum, (p.getByte(offset + length - 1) & 0xff) << 8);
        }
        return sum;
    }

    /** The checksum field for words summing to {@code sum}: its ones' complement, with 0 sent as 0xffff (UDP). */
    static int checksumOf(int sum) {
        int c = ~sum & 0xffff;
        return c == 0 ? 0xffff : c;
    }

    /**
     * Refuses a session whose whole packets ({@code packetLength} bytes, IP header included) exceed
     * the MTU of the route toward {@code destination}: the kernel never fragments header-included
     * raw packets (it fails the send with EMSGSIZE), so such a size can never be sent. Passes when
     * there is no route now (the first send reports it).
     */
    public static void requireFitsMtu(String transport, java.net.InetAddress destination, int packetLength,
            int payloadSize,
            String alternative) {
        NativeMemory scratch = NativeMemory.allocate(64);
        int mtu;
        try {
            mtu = Sockets.routeMtu(destination, scratch.pointer());
        } finally {
            scratch.free();
        }
        if (mtu > 0 && packetLength > mtu) {
            int most = payloadSize - (packetLength - mtu);
            throw new IllegalArgumentException(transport + ": payload size " + payloadSize + " makes " + packetLength
                    + "-byte packets, beyond the MTU of the route to " + destination.getHostAddress() + " (" + mtu
                    + "): this transport writes whole IP packets, which the kernel does not fragment; at most " + most
                    + " payload bytes here (" + alternative + " lets the kernel fragment larger ones)");
        }
    }
}
