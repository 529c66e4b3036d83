package io.pathprobe.server;

import java.net.Inet6Address;
import java.net.InetAddress;

/** How the address a server listens on appears as the host of its URLs. */
final class UrlHosts {
    private UrlHosts() {
    }

    /** The address for URLs: a wildcard address gives the loopback address of its family. */
    static InetAddress urlHost(InetAddress a) {
        if (!a.isAnyLocalAddress()) {
            return a;
        }
        byte[] raw = new byte[a instanceof Inet6Address ? 16 : 4];
        if (raw.length == 4) {
            raw[0] = 127;
        }
        raw[raw.length - 1] = 1;
        try {
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address as URL host text: IPv6 in brackets, no scope name. */
    static String hostText(InetAddress a) {
        String s = a.getHostAddress();
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        return a instanceof Inet6Address ? "[" + s + "]" : s;
    }

    static String bracket(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
