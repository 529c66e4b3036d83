package io.pathprobe.core.internal;

import io.pathprobe.HostResolver;
import io.pathprobe.UnknownTargetException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Turns targets into addresses without touching DNS for literals. */
public final class Targets {
    private static final Pattern DOTTED = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NUMERIC = Pattern.compile("[\\d.]+");

    private Targets() {}

    /** The address a literal names, null if {@code target} is a name; throws for malformed literals. */
    public static @Nullable InetAddress literal(String target) {
        String t = target.startsWith("[") && target.endsWith("]") ? target.substring(1, target.length() - 1) : target;
        try {
            if (DOTTED.matcher(t).matches()) {
                for (String part : t.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL, "'" + target + "' is not a valid IPv4 address", null);
                    }
                }
                return checked(target, InetAddress.getByName(t));
            }
            if (NUMERIC.matcher(t).matches()) {
                throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL, "'" + target + "' is not a valid IPv4 address", null);
            }
            if (t.indexOf(':') >= 0) {
                return checked(target, InetAddress.getByName(t)); // IPv6 literal: no lookup
            }
        } catch (UnknownHostException e) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.INVALID_LITERAL, "'" + target + "' is not a valid address: " + e.getMessage(), e);
        }
        return null;
    }

    /** Resolves a name (may block); prefers IPv4 addresses. */
    public static InetAddress resolve(String target, HostResolver resolver) {
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
        InetAddress chosen = all.stream().filter(a -> a instanceof Inet4Address).findFirst().orElse(all.get(0));
        return checked(target, chosen);
    }

    /** Rejects addresses no probe can sensibly go to. */
    public static InetAddress checked(String target, InetAddress a) {
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.NOT_UNICAST, "'" + target + "' is not a unicast address", null);
        }
        if (a instanceof Inet4Address && (a.getAddress()[0] & 0xff) == 255) {
            throw new UnknownTargetException(target, UnknownTargetException.Reason.NOT_UNICAST, "'" + target + "' is a broadcast address", null);
        }
        return a;
    }
}
