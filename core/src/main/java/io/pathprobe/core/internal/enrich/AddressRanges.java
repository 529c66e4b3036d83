package io.pathprobe.core.internal.enrich;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Address ranges that matter to enrichment. Deliberately narrow: the lab (and many real networks under
 * test) use the benchmarking range 198.18.0.0/15 and the documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) as "public" space, so those are <em>not</em>
 * special here: they are looked up like any other public address.
 */
public final class AddressRanges {
    private AddressRanges() {}

    /** RFC 1918: 10/8, 172.16/12, 192.168/16. */
    public static boolean isRfc1918(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            return false;
        }
        byte[] b = a.getAddress();
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        return o0 == 10 || (o0 == 172 && (o1 & 0xf0) == 16) || (o0 == 192 && o1 == 168);
    }

    /** RFC 6598 shared address space (carrier-grade NAT): 100.64.0.0/10. */
    public static boolean isCgnat(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            return false;
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    /** IPv6 unique local addresses, fc00::/7. */
    public static boolean isUniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** Link-local: 169.254/16, fe80::/10. */
    public static boolean isLinkLocal(InetAddress a) {
        return a.isLinkLocalAddress();
    }

    /** What a home or office network uses: RFC 1918, link-local, unique local (IPv6), loopback. */
    public static boolean isLocalNetwork(InetAddress a) {
        return isRfc1918(a) || isLinkLocal(a) || isUniqueLocal(a) || a.isLoopbackAddress();
    }

    /**
     * Addresses no public AS announces, so an IP-to-ASN service is not asked about them: RFC 1918,
     * 100.64/10, loopback (127/8, ::1), link-local (169.254/16, fe80::/10), unique local (fc00::/7),
     * multicast (224/4, ff00::/8) and unspecified (0.0.0.0, ::). Nothing else: benchmarking and
     * documentation ranges are looked up.
     */
    public static boolean isUnannounced(InetAddress a) {
        return isRfc1918(a) || isCgnat(a) || a.isLoopbackAddress() || isLinkLocal(a) || isUniqueLocal(a)
                || a.isMulticastAddress() || a.isAnyLocalAddress();
    }
}
