package io.pathprobe.probe;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The IP and transport header fields of a probe: as it was sent, or as a router quoted it in an ICMP
 * error (what that router received). Fields not known are {@link #UNKNOWN} (ints) or empty.
 * {@link HeaderChange#between} lists what differs, the way tracebox reports middleboxes.
 *
 * @param ipVersion 4 or 6
 * @param trafficClass the IPv4 ToS byte or IPv6 traffic class (DSCP and ECN, {@link #marking()}), or UNKNOWN
 * @param ttl the TTL or hop limit, or UNKNOWN
 * @param ipId the IPv4 identification, or UNKNOWN (always for IPv6)
 * @param flowLabel the IPv6 flow label, or UNKNOWN (always for IPv4)
 * @param totalLength the IP packet's length, header included, as its header states it, or UNKNOWN
 * @param protocol the IPv4 protocol or IPv6 next header (1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6), or UNKNOWN
 * @param source the source address, if known
 * @param destination the destination address, if known
 * @param sourcePort the UDP or TCP source port, or UNKNOWN (always for ICMP)
 * @param destinationPort the UDP or TCP destination port, or UNKNOWN (always for ICMP)
 * @param transportChecksum the UDP, TCP or ICMP checksum, or UNKNOWN
 * @param tcpHeaderLength for TCP, the header's length (data offset times 4) when the whole header, options
 *     included, is known (quoted), else UNKNOWN
 * @param tcpMss for TCP, the MSS option's value, or UNKNOWN when the header has none or was not seen whole
 * @param tcpOptions for TCP with a known {@code tcpHeaderLength}, the option kinds in order (2 MSS, 3 window
 *     scale, 4 SACK permitted, 8 timestamps; padding left out); else empty
 */
public record PacketHeader(
        int ipVersion,
        int trafficClass,
        int ttl,
        int ipId,
        int flowLabel,
        int totalLength,
        int protocol,
        Optional<InetAddress> source,
        Optional<InetAddress> destination,
        int sourcePort,
        int destinationPort,
        int transportChecksum,
        int tcpHeaderLength,
        int tcpMss,
        List<Integer> tcpOptions) {
    /** A field not known. */
    public static final int UNKNOWN = -1;
    /** IP protocol numbers this record reads the transport header of. */
    public static final int ICMP = 1;
    /** TCP. */
    public static final int TCP = 6;
    /** UDP. */
    public static final int UDP = 17;
    /** ICMPv6. */
    public static final int ICMPV6 = 58;

    /**
     * Checks the components (see the record's description) and copies {@code tcpOptions}.
     *
     * @param ipVersion 4 or 6
     * @param trafficClass the ToS byte / traffic class, 0 to 255, or UNKNOWN
     * @param ttl the TTL or hop limit, 0 to 255, or UNKNOWN
     * @param ipId the IPv4 identification, or UNKNOWN
     * @param flowLabel the IPv6 flow label, or UNKNOWN
     * @param totalLength the IP packet's stated length, or UNKNOWN
     * @param protocol the protocol / next header, or UNKNOWN
     * @param source the source address, if known
     * @param destination the destination address, if known
     * @param sourcePort the source port, or UNKNOWN
     * @param destinationPort the destination port, or UNKNOWN
     * @param transportChecksum the transport checksum, or UNKNOWN
     * @param tcpHeaderLength the whole TCP header's length, or UNKNOWN
     * @param tcpMss the MSS option's value, or UNKNOWN
     * @param tcpOptions the TCP option kinds in order
     * @throws IllegalArgumentException if {@code ipVersion} is not 4 or 6, or {@code trafficClass} or
     *     {@code ttl} is neither UNKNOWN nor 0 to 255
     * @throws NullPointerException if an Optional or the list is null, or the list holds null
     */
    public PacketHeader {
        if (ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("ipVersion must be 4 or 6, was " + ipVersion);
        }
        if (trafficClass < UNKNOWN || trafficClass > 255) {
            throw new IllegalArgumentException("trafficClass must be -1 (unknown) or 0..255, was " + trafficClass);
        }
        if (ttl < UNKNOWN || ttl > 255) {
            throw new IllegalArgumentException("ttl must be -1 (unknown) or 0..255, was " + ttl);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        tcpOptions = List.copyOf(tcpOptions);
    }

    /**
     * {@return a header of which only the IP version and protocol are known} The start of a sent header a
     * transport fills in with the {@code with...} methods.
     *
     * @param ipVersion 4 or 6
     * @param protocol the protocol / next header, or UNKNOWN
     */
    public static PacketHeader of(int ipVersion, int protocol) {
        return new PacketHeader(ipVersion, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, protocol, Optional.empty(),
                Optional.empty(), UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, List.of());
    }

    /** {@return the DSCP and ECN of {@link #trafficClass()}, if known} */
    public Optional<TrafficClass> marking() {
        return trafficClass == UNKNOWN ? Optional.empty() : Optional.of(TrafficClass.of(trafficClass));
    }

    /**
     * {@return this header with another ToS byte / traffic class}
     *
     * @param value 0 to 255, or UNKNOWN
     */
    public PacketHeader withTrafficClass(int value) {
        return new PacketHeader(ipVersion, value, ttl, ipId, flowLabel, totalLength, protocol, source, destination,
                sourcePort, destinationPort, transportChecksum, tcpHeaderLength, tcpMss, tcpOptions);
    }

    /**
     * {@return this header with another TTL}
     *
     * @param value 0 to 255, or UNKNOWN
     */
    public PacketHeader withTtl(int value) {
        return new PacketHeader(ipVersion, trafficClass, value, ipId, flowLabel, totalLength, protocol, source,
                destination, sourcePort, destinationPort, transportChecksum, tcpHeaderLength, tcpMss, tcpOptions);
    }

    /**
     * {@return this header with other IP fields}
     *
     * @param id the IPv4 identification, or UNKNOWN
     * @param label the IPv6 flow label, or UNKNOWN
     * @param length the packet's length, or UNKNOWN
     */
    public PacketHeader withIp(int id, int label, int length) {
        return new PacketHeader(ipVersion, trafficClass, ttl, id, label, length, protocol, source, destination,
                sourcePort, destinationPort, transportChecksum, tcpHeaderLength, tcpMss, tcpOptions);
    }

    /**
     * {@return this header with other addresses}
     *
     * @param from the source, or null if not known
     * @param to the destination, or null if not known
     */
    public PacketHeader withAddresses(@Nullable InetAddress from, @Nullable InetAddress to) {
        return new PacketHeader(ipVersion, trafficClass, ttl, ipId, flowLabel, totalLength, protocol,
                Optional.ofNullable(from), Optional.ofNullable(to), sourcePort, destinationPort, transportChecksum,
                tcpHeaderLength, tcpMss, tcpOptions);
    }

    /**
     * {@return this header with other transport fields}
     *
     * @param from the source port, or UNKNOWN
     * @param to the destination port, or UNKNOWN
     * @param checksum the transport checksum, or UNKNOWN
     */
    public PacketHeader withTransport(int from, int to, int checksum) {
        return new PacketHeader(ipVersion, trafficClass, ttl, ipId, flowLabel, totalLength, protocol, source,
                destination, from, to, checksum, tcpHeaderLength, tcpMss, tcpOptions);
    }

    /**
     * {@return this header with other TCP options}
     *
     * @param headerLength the whole TCP header's length, or UNKNOWN
     * @param mss the MSS option's value, or UNKNOWN
     * @param kinds the option kinds in order
     */
    public PacketHeader withTcpOptions(int headerLength, int mss, List<Integer> kinds) {
        return new PacketHeader(ipVersion, trafficClass, ttl, ipId, flowLabel, totalLength, protocol, source,
                destination, sourcePort, destinationPort, transportChecksum, headerLength, mss, kinds);
    }

    /**
     * {@return the header of the IP packet at {@code offset}, as much of it as the bytes hold, or empty when
     * they do not start with a whole IPv4 or IPv6 header} For an ICMP error's quote: the quoted IP header
     * and whatever the router quoted after it (8 bytes at least, RFC 792; Linux and RFC 1812 routers up
     * to 576 bytes in all, so a TCP SYN's options too). Bytes beyond the stated length (RFC 4884 padding)
     * are not read.
     *
     * @param bytes the bytes
     * @param offset where the IP header starts
     * @param length how many bytes from {@code offset} are there
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code bytes}
     */
    public static Optional<PacketHeader> parse(byte[] bytes, int offset, int length) {
        return parse(bytes, offset, length, null);
    }

    /**
     * {@return what {@link #parse(byte[], int, int)} makes of these bytes, holding {@code sent}'s address
     * {@code Optional}s where the quote names the same addresses} For a transport that parses the quote of every
     * ICMP error it receives: through a path that does not translate the addresses, an answer then makes no
     * address of its own. The result is equal to {@code parse(bytes, offset, length)} either way. A scoped IPv6
     * address ({@code fe80::1%eth0}) is never shared: the quote's bytes carry no scope.
     *
     * @param bytes the bytes
     * @param offset where the IP header starts
     * @param length how many bytes from {@code offset} are there
     * @param sent the header of the probe as sent, or null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within {@code bytes}
     */
    public static Optional<PacketHeader> parse(byte[] bytes, int offset, int length, @Nullable PacketHeader sent) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length < 20) {
            return Optional.empty();
        }
        Optional<InetAddress> sentSource = sent == null ? Optional.empty() : sent.source();
        Optional<InetAddress> sentDestination = sent == null ? Optional.empty() : sent.destination();
        int version = (bytes[offset] & 0xff) >>> 4;
        if (version == 4) {
            int ihl = (bytes[offset] & 0x0f) * 4;
            if (ihl < 20 || ihl > length) {
                return Optional.empty();
            }
            int total = u16(bytes, offset + 2);
            int available = total >= ihl ? Math.min(length, total) - ihl : length - ihl;
            return Optional.of(withTransportFrom(4, bytes[offset + 1] & 0xff, bytes[offset + 8] & 0xff,
                    u16(bytes, offset + 4), UNKNOWN, total, bytes[offset + 9] & 0xff,
                    address(bytes, offset + 12, 4, sentSource), address(bytes, offset + 16, 4, sentDestination),
                    bytes, offset + ihl, available));
        }
        if (version == 6 && length >= 40) {
            int word = (int) u32(bytes, offset);
            int payload = u16(bytes, offset + 4);
            int available = payload > 0 ? Math.min(length - 40, payload) : length - 40;
            return Optional.of(withTransportFrom(6, (word >>> 20) & 0xff, bytes[offset + 7] & 0xff, UNKNOWN,
                    word & 0xfffff, payload + 40, bytes[offset + 6] & 0xff,
                    address(bytes, offset + 8, 16, sentSource), address(bytes, offset + 24, 16, sentDestination),
                    bytes, offset + 40, available));
        }
        return Optional.empty();
    }

    /**
     * The header with these IP fields and the transport fields read from {@code available} bytes at {@code at}:
     * one record per parse (a quote is parsed for every ICMP error a trace receives).
     */
    private static PacketHeader withTransportFrom(int version, int trafficClass, int ttl, int ipId, int flowLabel,
            int total, int protocol, Optional<InetAddress> source, Optional<InetAddress> destination, byte[] b, int at,
            int available) {
        int from = UNKNOWN;
        int to = UNKNOWN;
        int checksum = UNKNOWN;
        int headerLength = UNKNOWN;
        int mss = UNKNOWN;
        List<Integer> kinds = List.of();
        if (protocol == UDP && available >= 8) {
            from = u16(b, at);
            to = u16(b, at + 2);
            checksum = u16(b, at + 6);
        } else if ((protocol == ICMP || protocol == ICMPV6) && available >= 4) {
            checksum = u16(b, at + 2);
        } else if (protocol == TCP && available >= 4) {
            from = u16(b, at);
            to = u16(b, at + 2);
            checksum = available >= 18 ? u16(b, at + 16) : UNKNOWN;
            int length = available >= 13 ? ((b[at + 12] & 0xff) >>> 4) * 4 : UNKNOWN;
            if (length >= 20 && length <= available) {
                headerLength = length;
                List<Integer> seen = new ArrayList<>();
                mss = tcpOptions(b, at + 20, at + length, seen);
                kinds = seen;
            }
        }
        return new PacketHeader(version, trafficClass, ttl, ipId, flowLabel, total, protocol, source, destination,
                from, to, checksum, headerLength, mss, kinds);
    }

    /** Adds the kinds of the TCP options from {@code i} to {@code end} to {@code kinds}; returns the MSS or UNKNOWN. */
    private static int tcpOptions(byte[] b, int i, int end, List<Integer> kinds) {
        int mss = UNKNOWN;
        while (i < end) {
            int kind = b[i] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            int len = i + 1 < end ? b[i + 1] & 0xff : 0;
            if (len < 2 || i + len > end) {
                kinds.add(kind); // a malformed option: kept as seen, the rest not read
                break;
            }
            kinds.add(kind);
            if (kind == 2 && len == 4) {
                mss = u16(b, i + 2);
            }
            i += len;
        }
        return mss;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    /**
     * The address at {@code at}: {@code same} when it is the address {@link #address(byte[], int, int)} makes of
     * these bytes (the same bytes, the same class, no scope), else a new one.
     */
    private static Optional<InetAddress> address(byte[] b, int at, int size, Optional<InetAddress> same) {
        if (same.isPresent()) {
            InetAddress a = same.get();
            boolean sameKind = size == 4 ? a instanceof Inet4Address
                    : a instanceof Inet6Address && ((Inet6Address) a).getScopeId() == 0
                            && ((Inet6Address) a).getScopedInterface() == null && !mapped(b, at);
            if (sameKind && (size == 4 && IPV4_HASH_IS_ADDRESS ? a.hashCode() == int4(b, at)
                    : sameBytes(a.getAddress(), b, at))) {
                return same;
            }
        }
        return Optional.of(address(b, at, size));
    }

    /**
     * Whether an {@link Inet4Address}'s hash code is its address as an int, as the JDK's has always made it (checked
     * once here on addresses whose hash would differ otherwise): then an IPv4 address compares with the quoted bytes
     * without {@link InetAddress#getAddress()}'s copy, which the JIT keeps (a 4-byte array for every answer).
     */
    private static final boolean IPV4_HASH_IS_ADDRESS = hashIsAddress(new byte[] {(byte) 198, 18, 0, 1})
            && hashIsAddress(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 254})
            && hashIsAddress(new byte[] {10, 0, 0, 0});

    private static boolean hashIsAddress(byte[] a) {
        try {
            return InetAddress.getByAddress(a).hashCode() == int4(a, 0);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The 4 bytes at {@code at}, big-endian, as an int. */
    private static int int4(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Whether {@code b} holds {@code address} at {@code at}; a plain loop, so the JIT need not keep the copy. */
    private static boolean sameBytes(byte[] address, byte[] b, int at) {
        for (int i = 0; i < address.length; i++) {
            if (address[i] != b[at + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the 16 bytes at {@code at} are an IPv4-mapped address (::ffff:a.b.c.d), which Java makes IPv4. */
    private static boolean mapped(byte[] b, int at) {
        for (int i = 0; i < 10; i++) {
            if (b[at + i] != 0) {
                return false;
            }
        }
        return b[at + 10] == (byte) 0xff && b[at + 11] == (byte) 0xff;
    }

    private static InetAddress address(byte[] b, int at, int size) {
        byte[] a = new byte[size];
        System.arraycopy(b, at, a, 0, size);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 bytes
        }
    }

    /**
     * {@code IPv4 DSCP 46 (EF) ECT(0) TTL 1 id 4711 len 60 198.18.0.1:33434 -> 198.18.1.2:443 TCP sum 0x1a2b
     * mss 1460 opts [2]}: the fields known, in header order.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("IPv").append(ipVersion);
        marking().ifPresent(m -> s.append(' ').append(m));
        if (ttl != UNKNOWN) {
            s.append(" TTL ").append(ttl);
        }
        if (ipId != UNKNOWN) {
            s.append(" id ").append(ipId);
        }
        if (flowLabel != UNKNOWN) {
            s.append(" flow ").append(flowLabel);
        }
        if (totalLength != UNKNOWN) {
            s.append(" len ").append(totalLength);
        }
        s.append(' ').append(endpoint(source, sourcePort)).append(" -> ")
                .append(endpoint(destination, destinationPort));
        s.append(' ').append(switch (protocol) {
            case ICMP -> "ICMP";
            case ICMPV6 -> "ICMPv6";
            case TCP -> "TCP";
            case UDP -> "UDP";
            default -> "proto " + protocol;
        });
        if (transportChecksum != UNKNOWN) {
            s.append(" sum 0x").append(String.format("%04x", transportChecksum));
        }
        if (tcpMss != UNKNOWN) {
            s.append(" mss ").append(tcpMss);
        }
        if (tcpHeaderLength != UNKNOWN) {
            s.append(" opts ").append(tcpOptions);
        }
        return s.toString();
    }

    private static String endpoint(Optional<InetAddress> a, int port) {
        String host = a.map(AddressText::of).orElse("?");
        if (port == UNKNOWN) {
            return host;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
