package io.pathprobe.windows;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.util.Locale;
import java.util.Set;

/**
 * The Windows transport: IcmpSendEcho2Ex / Icmp6SendEcho2 from iphlpapi.dll with an event per request (IP_OPTION_INFORMATION.Ttl for the TTL; status IP_TTL_EXPIRED_TRANSIT names the router).
 *
 * <p>Not implemented yet: {@link #availability()} always says why, so a tracer on Windows fails with a
 * clear {@link io.pathprobe.NoTransportAvailableException} instead of misbehaving.
 */
public final class WindowsIcmpEchoProvider implements ProbeTransportProvider {
    /** The transport's name. */
    public static final String NAME = "windows-icmp-echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.ICMP, TransportCapability.IPV4, TransportCapability.IPV6, TransportCapability.UNPRIVILEGED);
    }

    @Override
    public Availability availability() {
        return availability(System.getProperty("os.name", "unknown"));
    }

    static Availability availability(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (!(name.startsWith("windows"))) {
            return Availability.unavailable("not Windows (os.name=" + osName + ")");
        }
        return Availability.unavailable("the Windows transport is not implemented yet in this version of pathprobe");
    }

    @Override
    public ProbeTransport open() {
        throw new TransportException(NAME + " cannot be used: " + availability().reason(), availability().unavailabilityCause());
    }
}
