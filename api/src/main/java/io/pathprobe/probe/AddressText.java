package io.pathprobe.probe;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Addresses as text: IPv4 dotted quads, IPv6 in the canonical form of RFC 5952 ({@code 2001:db8::1},
 * not {@code 2001:db8:0:0:0:0:0:1} as {@link InetAddress#getHostAddress()} writes it); as the host of
 * a URL or an {@code address:port}, IPv6 in brackets ({@code [2001:db8::53]:3478}, RFC 3986 3.2.2).
 */
public final class AddressText {
    private AddressText() {}

    /**
     * The address in canonical form: lower-case hexadecimal without leading zeros, the longest run
     * of two or more zero groups (the first of equal runs) written {@code ::}, an IPv4-mapped
     * address as {@code ::ffff:198.18.0.1}, and a scope as {@code %scope}.
     *
     * @param address an IPv4 or IPv6 address
     * @return the address as text (RFC 5952 for IPv6)
     */
    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        StringBuilder s = new StringBuilder(39);
        boolean mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
        if (mapped) {
            s.append("::ffff:").append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                    .append(b[14] & 0xff).append('.').append(b[15] & 0xff);
        } else {
            int bestStart = -1;
            int bestLength = 1; // a single zero group is never shortened (RFC 5952 4.2.2)
            for (int i = 0; i < 8; ) {
                if (groups[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    s.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                    s.append(':');
                }
                s.append(Integer.toHexString(groups[i]));
            }
        }
        if (v6.getScopedInterface() != null) {
            s.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            s.append('%').append(v6.getScopeId());
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The address as the host part of a URL or of {@code host:port}: {@link #of(InetAddress)}, in
     * brackets when it is IPv6.
     *
     * @param address an IPv4 or IPv6 address
     * @return {@code 198.18.0.1} or {@code [2001:db8::1]}
     */
    public static String host(InetAddress address) {
        String text = of(address);
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }

    /**
     * A socket address as {@code address:port}, IPv6 in brackets; an unresolved one as its host
     * name and port.
     *
     * @param address a socket address
     * @return {@code 198.18.0.53:3478}, {@code [2001:db8::53]:3478} or {@code stun.lab:3478}
     */
    public static String of(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a != null) {
            return host(a) + ":" + address.getPort();
        }
        String name = address.getHostString();
        return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + address.getPort();
    }
}
