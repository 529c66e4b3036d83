package io.pathprobe.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One IP packet of a {@link PacketCapture}, parsed: the IP header's fields, the transport header's
 * first bytes, and for ICMP errors the packet they quote. Parsing never fails on a short packet:
 * what is not there is empty (or shorter).
 */
public final class CapturedPacket {
    private final Instant time;
    private final byte[] ip;
    private final int version;
    private final InetAddress source;
    private final InetAddress destination;
    private final int protocol;
    private final int ttl;
    private final OptionalInt ipId;
    private final OptionalInt flowLabel;
    private final int transportOffset;
    /** Where the IP packet ends as its header says (may be beyond what was captured). */
    private final int declaredEnd;

    private CapturedPacket(Instant time, byte[] ip, int version, InetAddress source, InetAddress destination,
            int protocol, int ttl, OptionalInt ipId, OptionalInt flowLabel, int transportOffset, int declaredEnd) {
        this.time = time;
        this.ip = ip;
        this.version = version;
        this.source = source;
        this.destination = destination;
        this.protocol = protocol;
        this.ttl = ttl;
        this.ipId = ipId;
        this.flowLabel = flowLabel;
        this.transportOffset = transportOffset;
        this.declaredEnd = declaredEnd;
    }

    /**
     * Parses an IPv4 or IPv6 packet (IPv6 extension headers hop-by-hop, routing, fragment and
     * destination options are skipped; the fragment header gives {@link #ipId()}).
     *
     * @return empty if it is neither or too short for the fixed header
     */
    public static Optional<CapturedPacket> parse(Instant time, byte[] packet) {
        byte[] ip = packet.clone();
        if (ip.length < 1) {
            return Optional.empty();
        }
        int version = (ip[0] & 0xF0) >> 4;
        try {
            if (version == 4 && ip.length >= 20) {
                int ihl = (ip[0] & 0x0F) * 4;
                int total = u16(ip, 2);
                return Optional.of(new CapturedPacket(time, ip, 4, addr(ip, 12, 4), addr(ip, 16, 4), ip[9] & 0xFF,
                        ip[8] & 0xFF, OptionalInt.of(u16(ip, 4)), OptionalInt.empty(), ihl, total));
            }
            if (version == 6 && ip.length >= 40) {
                int flow = ((ip[1] & 0x0F) << 16) | ((ip[2] & 0xFF) << 8) | (ip[3] & 0xFF);
                int next = ip[6] & 0xFF;
                int off = 40;
                OptionalInt id = OptionalInt.empty();
                while ((next == 0 || next == 43 || next == 44 || next == 60) && off + 8 <= ip.length) {
                    int len = next == 44 ? 8 : ((ip[off + 1] & 0xFF) + 1) * 8;
                    if (next == 44) {
                        id = OptionalInt.of((int) (u32(ip, off + 4) & 0x7FFF_FFFF));
                    }
                    next = ip[off] & 0xFF;
                    off += len;
                }
                return Optional.of(new CapturedPacket(time, ip, 6, addr(ip, 8, 16), addr(ip, 24, 16), next,
                        ip[7] & 0xFF, id, OptionalInt.of(flow), off, 40 + u16(ip, 4)));
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        return Optional.empty();
    }

    /** When the capture saw it. */
    public Instant time() {
        return time;
    }

    /** 4 or 6. */
    public int ipVersion() {
        return version;
    }

    public InetAddress source() {
        return source;
    }

    public InetAddress destination() {
        return destination;
    }

    /** The IPv4 protocol or IPv6 next header (after extension headers): 1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6. */
    public int protocol() {
        return protocol;
    }

    /** The IPv4 TTL or IPv6 hop limit. */
    public int ttl() {
        return ttl;
    }

    /** The IPv4 identification; for IPv6 the fragment header's, if there is one. */
    public OptionalInt ipId() {
        return ipId;
    }

    /** The IPv6 flow label (20 bits); empty for IPv4. */
    public OptionalInt flowLabel() {
        return flowLabel;
    }

    /** The IPv4 ToS byte or IPv6 traffic class: the DSCP in its upper 6 bits, the ECN field in its lower 2. */
    public int trafficClass() {
        return version == 4 ? ip[1] & 0xFF : ((ip[0] & 0x0F) << 4) | ((ip[1] & 0xF0) >> 4);
    }

    /** The MSS option of a TCP segment, if it has one and the options were captured. */
    public OptionalInt tcpMss() {
        if (protocol != 6 || transportOffset + 20 > ip.length) {
            return OptionalInt.empty();
        }
        int end = Math.min(ip.length, transportOffset + ((ip[transportOffset + 12] & 0xF0) >> 4) * 4);
        for (int at = transportOffset + 20; at < end;) {
            int kind = ip[at] & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            int len = at + 1 < end ? ip[at + 1] & 0xFF : 0;
            if (len < 2) {
                break;
            }
            if (kind == 2 && len == 4 && at + 4 <= end) {
                return OptionalInt.of(u16(ip, at + 2));
            }
            at += len;
        }
        return OptionalInt.empty();
    }

    /** The whole IP packet as captured (a copy). */
    public byte[] ipPacket() {
        return ip.clone();
    }

    /** The transport header and payload as captured (a copy). */
    public byte[] transport() {
        return Arrays.copyOfRange(ip, Math.min(transportOffset, ip.length), ip.length);
    }

    /**
     * The first 8 transport bytes (UDP: ports, length, checksum; TCP: ports, sequence number; ICMP:
     * type, code, checksum, identifier, sequence), fewer if fewer were captured. The bytes routers
     * hash and quote.
     */
    public byte[] firstTransportBytes() {
        byte[] t = transport();
        return Arrays.copyOf(t, Math.min(8, t.length));
    }

    /** UDP/TCP source port, else empty. */
    public OptionalInt sourcePort() {
        return hasPorts() ? OptionalInt.of(u16(ip, transportOffset)) : OptionalInt.empty();
    }

    /** UDP/TCP destination port, else empty. */
    public OptionalInt destinationPort() {
        return hasPorts() ? OptionalInt.of(u16(ip, transportOffset + 2)) : OptionalInt.empty();
    }

    /** The transport checksum field (UDP offset 6, TCP 16, ICMP/ICMPv6 2), if captured. */
    public OptionalInt transportChecksum() {
        int at = checksumOffset();
        return at >= 0 && transportOffset + at + 2 <= ip.length ? OptionalInt.of(u16(ip, transportOffset + at))
                : OptionalInt.empty();
    }

    /** TCP flags (byte 13 of the header: 0x02 SYN, 0x10 ACK, 0x12 SYN-ACK, 0x04 RST), else empty. */
    public OptionalInt tcpFlags() {
        return protocol == 6 && transportOffset + 14 <= ip.length ? OptionalInt.of(ip[transportOffset + 13] & 0xFF)
                : OptionalInt.empty();
    }

    /** ICMP/ICMPv6 type, else empty. */
    public OptionalInt icmpType() {
        return isIcmp() && transportOffset < ip.length
                ? OptionalInt.of(ip[transportOffset] & 0xFF) : OptionalInt.empty();
    }

    /** ICMP/ICMPv6 code, else empty. */
    public OptionalInt icmpCode() {
        return isIcmp() && transportOffset + 1 < ip.length ? OptionalInt.of(ip[transportOffset + 1] & 0xFF)
                : OptionalInt.empty();
    }

    /**
     * The packet an ICMP error (IPv4 destination unreachable, time exceeded, parameter problem;
     * ICMPv6 1-4) quotes, parsed as far as it was quoted; empty for other packets.
     */
    public Optional<CapturedPacket> quoted() {
        OptionalInt type = icmpType();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        int t = type.getAsInt();
        boolean error = protocol == 1 ? (t == 3 || t == 11 || t == 12) : (t >= 1 && t <= 4);
        if (!error || transportOffset + 8 >= ip.length) {
            return Optional.empty();
        }
        return parse(time, Arrays.copyOfRange(ip, transportOffset + 8, ip.length));
    }

    /**
     * Whether the transport checksum is right (UDP, TCP, ICMP, ICMPv6; a UDP/IPv4 checksum of 0 means
     * none and counts as right); empty when the packet was not captured (or quoted) whole, or has no
     * such checksum.
     */
    public Optional<Boolean> transportChecksumOk() {
        if (checksumOffset() < 0 || declaredEnd > ip.length || declaredEnd <= transportOffset) {
            return Optional.empty();
        }
        int len = declaredEnd - transportOffset;
        if (version == 4 && protocol == 17 && u16(ip, transportOffset + 6) == 0) {
            return Optional.of(true);
        }
        long sum = 0;
        if (protocol != 1) { // pseudo header
            int addrLen = version == 4 ? 4 : 16;
            int srcAt = version == 4 ? 12 : 8;
            for (int i = 0; i < 2 * addrLen; i += 2) {
                sum += u16(ip, srcAt + i);
            }
            sum += protocol + len;
        }
        for (int i = 0; i < len; i += 2) {
            int hi = ip[transportOffset + i] & 0xFF;
            int lo = i + 1 < len ? ip[transportOffset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return Optional.of(sum == 0xFFFF);
    }

    private boolean hasPorts() {
        return (protocol == 6 || protocol == 17) && transportOffset + 4 <= ip.length;
    }

    private boolean isIcmp() {
        return (version == 4 && protocol == 1) || (version == 6 && protocol == 58);
    }

    private int checksumOffset() {
        return switch (protocol) {
            case 17 -> 6;
            case 6 -> 16;
            case 1, 58 -> isIcmp() ? 2 : -1;
            default -> -1;
        };
    }

    private static int u16(byte[] b, int at) {
        return at + 2 <= b.length ? ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF) : 0;
    }

    private static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    private static InetAddress addr(byte[] b, int at, int len) throws UnknownHostException {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + len));
    }

    @Override
    public String toString() {
        return "IPv" + version + " " + source.getHostAddress() + " > " + destination.getHostAddress() + " proto "
                + protocol + " ttl " + ttl + (ipId.isPresent() && version == 4 ? " id " + ipId.getAsInt() : "")
                + (flowLabel.isPresent() ? " flow " + Integer.toHexString(flowLabel.getAsInt()) : "") + " ["
                + HexFormat.of().formatHex(firstTransportBytes()) + "]";
    }
}
