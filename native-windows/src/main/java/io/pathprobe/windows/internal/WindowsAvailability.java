package io.pathprobe.windows.internal;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.TransportCapability;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether the Windows transport can be used here, and if not why: the kill switch, the operating
 * system (checked first, from {@code os.name}, so that elsewhere nothing native is touched), a 64-bit
 * JVM (the reply structures are decoded with the x64 layouts), the jnr-ffi binding of iphlpapi.dll
 * and kernel32.dll, then an ICMP handle and an event opened and closed. Nothing is sent. No
 * administrator rights are involved: the ICMP API needs none.
 *
 * <p>IPv6 is offered only when an ICMPv6 handle opens too (Icmp6CreateFile, opened and closed): a
 * Windows without an IPv6 stack, or Wine, whose Icmp6CreateFile is a stub failing with
 * ERROR_CALL_NOT_IMPLEMENTED (120), gets a transport without {@link TransportCapability#IPV6} and the
 * reason ({@link Result#ipv6Unavailable()}), rather than one that claims IPv6 and fails every IPv6
 * session.
 */
public final class WindowsAvailability {
    /** The system property that turns the transport off. */
    public static final String KILL_SWITCH = "pathprobe.transport." + WindowsTransport.NAME + ".disabled";

    /**
     * What the transport can do. No Paris flows: Windows chooses the ICMP identifier and sequence
     * number of each request, and so its checksum; the transport cannot hold a flow constant. Here, not in
     * {@link WindowsTransport}, so that a provider asked for its capabilities on another OS loads only this class.
     */
    public static final Set<TransportCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            TransportCapability.ICMP, TransportCapability.IPV4, TransportCapability.IPV6,
            TransportCapability.UNPRIVILEGED, TransportCapability.FLOW_PER_PROBE, TransportCapability.PAYLOAD_SIZE));

    /** What the transport offers where IPv6 cannot be used: everything but {@link TransportCapability#IPV6}. */
    static final Set<TransportCapability> WITHOUT_IPV6;

    static {
        EnumSet<TransportCapability> s = EnumSet.copyOf(CAPABILITIES);
        s.remove(TransportCapability.IPV6);
        WITHOUT_IPV6 = Collections.unmodifiableSet(s);
    }

    private WindowsAvailability() {}

    /**
     * The outcome of a check.
     *
     * @param availability whether the transport can be used, and if not why
     * @param ipv6Unavailable why IPv6 is not offered (e.g. "Icmp6CreateFile failed: ERROR_CALL_NOT_IMPLEMENTED
     *     (120)"), null when it is, or when nothing native was checked (not Windows, turned off, ...)
     */
    public record Result(Availability availability, @Nullable String ipv6Unavailable) {
        /**
         * What the transport offers: {@link #CAPABILITIES}, without IPv6 when the check
         * found Icmp6CreateFile failing. Where nothing native was checked, the full set: what it does on a
         * Windows with both stacks.
         */
        public Set<TransportCapability> capabilities() {
            return ipv6Unavailable == null ? CAPABILITIES : WITHOUT_IPV6;
        }
    }

    /**
     * @param osName the {@code os.name} to judge
     * @param arch the {@code os.arch}
     * @param api loads the binding; called only once everything before it passed
     */
    public static Availability of(String osName, String arch, Supplier<IcmpApi> api) {
        return check(osName, arch, api).availability();
    }

    /** As {@link #of}, with what the transport offers here (IPv6 or not, and why). */
    public static Result check(String osName, String arch, Supplier<IcmpApi> api) {
        if (Boolean.parseBoolean(System.getProperty(KILL_SWITCH, "false"))) {
            return new Result(Availability.unavailable("disabled by system property " + KILL_SWITCH + "=true"), null);
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return new Result(Availability.otherPlatform("not Windows (os.name=" + osName + ")"), null);
        }
        String a = arch.toLowerCase(Locale.ROOT);
        if (!(a.equals("amd64") || a.equals("x86_64") || a.equals("aarch64") || a.equals("arm64"))) {
            return new Result(Availability.unavailable("needs a 64-bit JVM (os.arch=" + arch + "): the ICMP reply "
                    + "structures are decoded with their 64-bit layouts"), null);
        }
        IcmpApi bound;
        try {
            bound = api.get();
        } catch (RuntimeException | LinkageError e) {
            return new Result(Availability.unavailable("jnr-ffi could not bind iphlpapi.dll and kernel32.dll: " + e, e),
                    null);
        }
        return check(bound);
    }

    /** Opens and closes what a transport needs: an ICMP handle and an event; then an ICMPv6 handle, for IPv6. */
    static Result check(IcmpApi api) {
        long icmp = api.icmpCreateFile();
        if (icmp == Win32.INVALID_HANDLE_VALUE || icmp == 0) {
            return new Result(Availability.unavailable("IcmpCreateFile failed: "
                    + IcmpStatus.describe(api.lastError())),
                    null);
        }
        api.icmpCloseHandle(icmp);
        long event = api.createEvent(true);
        if (event == 0) {
            return new Result(Availability.unavailable("CreateEventW failed: " + IcmpStatus.describe(api.lastError())),
                    null);
        }
        api.closeHandle(event);
        long icmp6 = api.icmp6CreateFile();
        if (icmp6 == Win32.INVALID_HANDLE_VALUE || icmp6 == 0) {
            return new Result(Availability.available(),
                    "Icmp6CreateFile failed: " + IcmpStatus.describe(api.lastError()));
        }
        api.icmpCloseHandle(icmp6);
        return new Result(Availability.available(), null);
    }
}
