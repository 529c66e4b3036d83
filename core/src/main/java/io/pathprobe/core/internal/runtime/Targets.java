package io.pathprobe.core.internal.runtime;

import io.pathprobe.UnknownTargetException;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IpVersion;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns targets into addresses without touching DNS for literals. The checks of a target's text are loops, not
 * regular expressions: this class is loaded by every measurement, a fresh JVM's first trace among them, and
 * compiling the patterns took 2-3 ms of it (docs/startup.md).
 */
public final class Targets {
    /** Compiled when a target fails to parse: the message names a port where only a host goes. */
    private static final class Port {
        /** {@code 198.19.0.1:80}, {@code host.example:80}, {@code [2001:db8::1]:443}: a host (group 1 or 2), a port. */
        static final Pattern ADDRESS_AND_PORT =
                Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})$");
    }

    private Targets() {}

    /** Four groups of one to three ASCII digits, separated by dots (regex {@code \\d{1,3}(\\.\\d{1,3}){3}}). */
    static boolean dotted(String t) {
        int groups = 0;
        int digits = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && groups < 3) {
                groups++;
                digits = 0;
            } else {
                return false;
            }
        }
        return groups == 3 && digits > 0;
    }

    /** Only ASCII digits and dots, at least one character (regex {@code [\\d.]+}). */
    static boolean numeric(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return !t.isEmpty();
    }

    /**
     * Whether {@code t} has a character no host name or address literal has ('%' stays: an IPv6 scope): white
     * space as regex {@code \\s} means it (space, tab, line feed, vertical tab, form feed, carriage return), '/',
     * '@', '?' or '#'.
     */
    static boolean notInAHost(String t) {
        for (int i = 0; i < t.length(); i++) {
            switch (t.charAt(i)) {
                case ' ', '\t', '\n', '\u000B', '\f', '\r', '/', '@', '?', '#' -> {
                    return true;
                }
                default -> {
                }
            }
        }
        return false;
    }

    /**
     * The address a literal names, null if {@code target} is a name; throws for malformed literals and
     * for what is neither a name nor an address (a URL, a path), before any lookup.
     */
    public static @Nullable InetAddress literal(String target) {
        notAHost(target);
        String t = target.startsWith("[") && target.endsWith("]") ? target.substring(1, target.length() - 1) : target;
        try {
            if (dotted(t)) {
                for (String part : t.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL,
                                "'" + target + "' is not a valid IPv4 address", null);
                    }
                }
                return checked(target, InetAddress.getByName(t));
            }
            if (numeric(t)) {
                throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL,
                        "'" + target + "' is not a valid IPv4 address", null);
            }
            if (t.indexOf(':') >= 0) {
                return checked(target, InetAddress.getByName(t)); // IPv6 literal: no lookup
            }
        } catch (UnknownHostException e) {
            java.util.regex.Matcher port = Port.ADDRESS_AND_PORT.matcher(target);
            if (port.matches()) { // 198.19.0.1:80, [2001:db8::1]:443, host:80: a port where only a host goes
                throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL, "'" + target
                        + "' names a port: a target is a host name or address alone ("
                        + (port.group(1) != null ? port.group(1) : port.group(2))
                        + "); the port is an option of its own (the request's destinationPort, the CLI's -p)", e);
            }
            throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL, "'" + target
                    + "' is not a valid address", e);
        }
        return null;
    }

    /** Fails for a URL, a host with a path, or characters no host name or address has. */
    private static void notAHost(String target) {
        if (target.contains("://")) {
            String host = null;
            try {
                host = java.net.URI.create(target.strip()).getHost();
            } catch (IllegalArgumentException e) {
                // not even a well-formed URL: the message below says so without a host
            }
            throw new UnknownTargetException(target, UnknownTargetException.Reason.NOT_A_HOST, "'" + target
                    + "' is a URL, not a host name or address" + (host == null || host.isEmpty() ? ""
                    : ": give its host, '" + (host.startsWith("[")
                            ? host.substring(1, host.length() - 1) : host) + "'"),
                    null);
        }
        if (target.isBlank() || notInAHost(target)) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.NOT_A_HOST, "'" + target
                    + "' is not a host name or address (it has a space, '/', '@', '?' or '#', or is blank)", null);
        }
    }

    /** Fails when {@code a} is not of the requested IP version. */
    public static InetAddress checkVersion(String target, InetAddress a, IpVersion version) {
        boolean v6 = a instanceof Inet6Address;
        if (version == IpVersion.IPV4 && v6 || version == IpVersion.IPV6 && !v6) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.WRONG_IP_VERSION, "'" + target
                    + "' is an " + (v6 ? "IPv6" : "IPv4") + " address; the request asks for " + version, null);
        }
        return a;
    }

    /** Resolves a name (may block); prefers IPv4 addresses. */
    public static InetAddress resolve(String target, HostResolver resolver) {
        return resolve(target, resolver, IpVersion.ANY);
    }

    /** Resolves a name (may block) to an address of {@code version}; for ANY prefers IPv4. */
    public static InetAddress resolve(String target, HostResolver resolver, IpVersion version) {
        List<InetAddress> all;
        try {
            all = resolver.resolve(target);
        } catch (UnknownHostException e) {
            throw new UnknownTargetException(target, "unknown host '" + target + "'"
                    + (e.getMessage() == null || e.getMessage().equals(target) ? "" : ": " + e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new UnknownTargetException(target, "could not resolve '" + target + "': " + e, e);
        }
        if (all == null || all.isEmpty()) {
            throw new UnknownTargetException(target, "'" + target + "' resolved to no address", null);
        }
        InetAddress chosen = switch (version) {
            case ANY -> all.stream().filter(a -> a instanceof Inet4Address).findFirst().orElse(all.get(0));
            case IPV4 -> all.stream().filter(a -> a instanceof Inet4Address).findFirst().orElse(null);
            case IPV6 -> all.stream().filter(a -> a instanceof Inet6Address).findFirst().orElse(null);
        };
        if (chosen == null) {
            throw new UnknownTargetException(target, "'" + target + "' has no " + version + " address (it resolved to "
                    + all.stream().map(AddressText::of).toList() + ")", null);
        }
        return checked(target, chosen);
    }

    /** Rejects addresses no probe can sensibly go to. */
    public static InetAddress checked(String target, InetAddress a) {
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.NOT_UNICAST,
                    "'" + target + "' is not a unicast address", null);
        }
        if (a instanceof Inet4Address && (a.getAddress()[0] & 0xff) == 255) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.NOT_UNICAST,
                    "'" + target + "' is a broadcast address", null);
        }
        return a;
    }
}
