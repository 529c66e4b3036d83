package io.pathprobe.enrich;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Parses a server given as text: {@code ADDR}, {@code ADDR:PORT} for IPv4, {@code IPV6},
 * {@code [IPV6]} or {@code [IPV6]:PORT} for IPv6. Literal addresses only: nothing is resolved, nothing
 * is contacted. What the command line's {@code --dns-server} and {@code --stun-server} take.
 */
public final class ServerAddress {
    private ServerAddress() {}

    /**
     * {@return the server, with {@code defaultPort} when none is given}
     *
     * @param text the server as text: {@code ADDR}, {@code ADDR:PORT}, {@code IPV6}, {@code [IPV6]} or
     *     {@code [IPV6]:PORT}
     * @param defaultPort the port when the text gives none
     * @param what what the server is, for the message ("DNS server")
     * @throws InvalidServerAddressException if it is not a literal address with an optional port 1..65535
     */
    public static InetSocketAddress parse(String text, int defaultPort, String what) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new InvalidServerAddressException(what, text, "missing ']'");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidServerAddressException(what, text, "expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
            if (!host.contains(":")) {
                throw new InvalidServerAddressException(what, text, "only IPv6 addresses go in brackets");
            }
        } else if (t.indexOf(':') != t.lastIndexOf(':')) {
            host = t; // a bare IPv6 address
        } else {
            int colon = t.indexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? null : t.substring(colon + 1);
        }
        InetAddress address = literal(host, what, text);
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new InvalidServerAddressException(what, text, "port '" + port + "' is not a number");
            }
            if (p < 1 || p > 65535) {
                throw new InvalidServerAddressException(what, text, "port " + p + " is out of range 1..65535");
            }
        }
        return new InetSocketAddress(address, p);
    }

    private static InetAddress literal(String host, String what, String text) {
        if (host.isEmpty()) {
            throw new InvalidServerAddressException(what, text, "no address");
        }
        boolean v6 = host.contains(":");
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!v6 && !v4) {
            throw new InvalidServerAddressException(what, text, "not an IP address (names are not resolved here)");
        }
        if (v4) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new InvalidServerAddressException(what, text, "not an IPv4 address");
                }
            }
        } else if (!host.matches("[0-9a-fA-F:.]+(%[A-Za-z0-9_.-]+)?")) {
            throw new InvalidServerAddressException(what, text, "not an IPv6 address");
        }
        try {
            // a literal: in brackets an IPv6 text is never looked up
            InetAddress a = InetAddress.getByName(v6 ? "[" + host + "]" : host);
            if (v6 != (a instanceof Inet6Address) && !(v6 && a.getAddress().length == 4)) {
                throw new InvalidServerAddressException(what, text, "not an IP address");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new InvalidServerAddressException(what, text, "not an IP address");
        }
    }

    /** A server address that is malformed, or whose port is out of range. */
    public static final class InvalidServerAddressException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidServerAddressException(String what, String text, String why) {
            super("invalid " + what + " '" + text + "': " + why);
        }

        /**
         * For the builder's own checks.
         *
         * @param message what is wrong with the address
         */
        public InvalidServerAddressException(String message) {
            super(message);
        }
    }
}
