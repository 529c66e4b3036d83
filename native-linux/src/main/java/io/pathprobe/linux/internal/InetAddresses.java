package io.pathprobe.linux.internal;

import io.netty.util.collection.IntObjectHashMap;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import jnr.ffi.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * Turns addresses read from native memory into {@link InetAddress}es. One instance per I/O thread
 * (not thread-safe): IPv4 responders are cached, since a trace hears the same routers again and
 * again, so a response costs no address allocation in the steady state.
 */
final class InetAddresses {
    private static final int MAX_CACHED = 4096;
    private final IntObjectHashMap<Inet4Address> ipv4 = new IntObjectHashMap<>();

    /** The IPv4 address given as a big-endian int. */
    Inet4Address ipv4(int address) {
        Inet4Address a = ipv4.get(address);
        if (a == null) {
            if (ipv4.size() >= MAX_CACHED) {
                ipv4.clear();
            }
            a = toInet4(address);
            ipv4.put(address, a);
        }
        return a;
    }

    /** The address of the sockaddr_in or sockaddr_in6 at {@code offset}; null for any other family. */
    @Nullable InetAddress fromSockaddr(Pointer p, long offset) {
        int family = Sockets.readFamily(p, offset);
        if (family == Abi.AF_INET) {
            return ipv4(Sockets.readIpv4(p, offset));
        }
        if (family == Abi.AF_INET6) {
            byte[] raw = new byte[16];
            p.get(offset + Abi.SIN6_ADDR, raw, 0, 16);
            int scope = p.getInt(offset + Abi.SIN6_SCOPE_ID);
            try {
                return scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // cannot happen: 16 bytes
            }
        }
        return null;
    }

    static Inet4Address toInet4(int address) {
        byte[] raw = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // cannot happen: 4 bytes
        }
    }

    static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
