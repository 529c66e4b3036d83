package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.Pointer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** A session's destination in the form the receive path compares against, without allocating. */
public final class Destination {
    public final InetAddress address;
    /** {@code Optional.of(address)}, for the headers of every answer. */
    public final java.util.Optional<InetAddress> present;
    public final boolean ipv6;
    private final int v4;
    private final long v6High;
    private final long v6Low;

    public Destination(InetAddress address) {
        this.address = address;
        this.present = java.util.Optional.of(address);
        this.ipv6 = address instanceof Inet6Address;
        if (ipv6) {
            byte[] b = address.getAddress();
            this.v4 = 0;
            this.v6High = bigEndianLong(b, 0);
            this.v6Low = bigEndianLong(b, 8);
        } else {
            this.v4 = InetAddresses.toInt((Inet4Address) address);
            this.v6High = 0;
            this.v6Low = 0;
        }
    }

    /** Whether the IPv4 address (big-endian int) is this destination. */
    public boolean isIpv4(int address) {
        return !ipv6 && address == v4;
    }

    /** Whether the 16 bytes at {@code offset} are this (IPv6) destination's address. */
    public boolean isIpv6(Pointer p, long offset) {
        return ipv6 && Sockets.readBigEndianLong(p, offset) == v6High
                && Sockets.readBigEndianLong(p, offset + 8) == v6Low;
    }

    /**
     * Whether the sockaddr_in/sockaddr_in6 at {@code offset} holds this destination's address (the port is not
     * compared).
     */
    public boolean matchesSockaddr(Pointer p, long offset) {
        int family = Sockets.readFamily(p, offset);
        if (ipv6) {
            return family == Abi.AF_INET6
                    && Sockets.readBigEndianLong(p, offset + Abi.SIN6_ADDR) == v6High
                    && Sockets.readBigEndianLong(p, offset + Abi.SIN6_ADDR + 8) == v6Low;
        }
        return family == Abi.AF_INET && Sockets.readIpv4(p, offset) == v4;
    }

    private static long bigEndianLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
