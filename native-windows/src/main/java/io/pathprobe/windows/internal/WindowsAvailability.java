package io.pathprobe.windows.internal;

import io.pathprobe.spi.Availability;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Whether the Windows transport can be used here, and if not why: the kill switch, the operating
 * system (checked first, from {@code os.name}, so that elsewhere nothing native is touched), a 64-bit
 * JVM (the reply structures are decoded with the x64 layouts), the jnr-ffi binding of iphlpapi.dll
 * and kernel32.dll, then an ICMP handle and an event opened and closed. Nothing is sent. No
 * administrator rights are involved: the ICMP API needs none.
 */
public final class WindowsAvailability {
    /** The system property that turns the transport off. */
    public static final String KILL_SWITCH = "pathprobe.transport." + WindowsTransport.NAME + ".disabled";

    private WindowsAvailability() {}

    /**
     * @param osName the {@code os.name} to judge
     * @param arch the {@code os.arch}
     * @param api loads the binding; called only once everything before it passed
     */
    public static Availability of(String osName, String arch, Supplier<IcmpApi> api) {
        if (Boolean.parseBoolean(System.getProperty(KILL_SWITCH, "false"))) {
            return Availability.unavailable("disabled by system property " + KILL_SWITCH + "=true");
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Availability.unavailable("not Windows (os.name=" + osName + ")");
        }
        String a = arch.toLowerCase(Locale.ROOT);
        if (!(a.equals("amd64") || a.equals("x86_64") || a.equals("aarch64") || a.equals("arm64"))) {
            return Availability.unavailable("needs a 64-bit JVM (os.arch=" + arch + "): the ICMP reply structures are "
                    + "decoded with their 64-bit layouts");
        }
        IcmpApi bound;
        try {
            bound = api.get();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("jnr-ffi could not bind iphlpapi.dll and kernel32.dll: " + e, e);
        }
        return check(bound);
    }

    /** Opens and closes what a transport needs: an ICMP handle and an event. */
    static Availability check(IcmpApi api) {
        long icmp = api.icmpCreateFile();
        if (icmp == Win32.INVALID_HANDLE_VALUE || icmp == 0) {
            return Availability.unavailable("IcmpCreateFile failed: " + IcmpStatus.describe(api.lastError()));
        }
        api.icmpCloseHandle(icmp);
        long event = api.createEvent(true);
        if (event == 0) {
            return Availability.unavailable("CreateEventW failed: " + IcmpStatus.describe(api.lastError()));
        }
        api.closeHandle(event);
        return Availability.available();
    }
}
