package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.Pointer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Turns addresses read from native memory into {@link InetAddress}es. One instance per I/O thread
 * (not thread-safe): IPv4 responders are cached, since a trace hears the same routers again and
 * again, so a response costs no address allocation in the steady state.
 */
public final class InetAddresses {
    private static final int MAX_CACHED = 4096;
    /** Open addressing with linear probing, twice {@link #MAX_CACHED} slots; a null address is a free slot. */
    private final int[] keys = new int[MAX_CACHED * 2];
    private final Inet4Address[] addresses = new Inet4Address[MAX_CACHED * 2];
    private int cached;

    /** The IPv4 address given as a big-endian int. */
    public Inet4Address ipv4(int address) {
        int mask = keys.length - 1;
        int i = slot(address);
        Inet4Address a;
        while ((a = addresses[i]) != null) {
            if (keys[i] == address) {
                return a;
            }
            i = (i + 1) & mask;
        }
        if (cached >= MAX_CACHED) {
            java.util.Arrays.fill(addresses, null);
            cached = 0;
            i = slot(address);
        }
        a = toInet4(address);
        keys[i] = address;
        addresses[i] = a;
        cached++;
        return a;
    }

    /** Where {@code address}'s probing starts in the table. */
    private int slot(int address) {
        return (address * 0x9E3779B9 >>> 16 ^ address) & (keys.length - 1);
    }

    /** The address of the sockaddr_in or sockaddr_in6 at {@code offset}; null for any other family. */
    public @Nullable InetAddress fromSockaddr(Pointer p, long offset) {
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

    public static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
