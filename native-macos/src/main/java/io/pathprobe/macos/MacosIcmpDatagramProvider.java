package io.pathprobe.macos;

import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.util.Locale;
import java.util.Set;

/**
 * The macOS transport: unprivileged SOCK_DGRAM/IPPROTO_ICMP sockets on a Netty kqueue loop (received packets include the IP header; Time Exceeded arrives on the same socket).
 *
 * <p>Not implemented yet: {@link #availability()} always says why, so a tracer on macOS fails with a
 * clear {@link io.pathprobe.NoTransportAvailableException} instead of misbehaving.
 */
public final class MacosIcmpDatagramProvider implements ProbeTransportProvider {
    /** The transport's name. */
    public static final String NAME = "macos-icmp-dgram";

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
        if (!(name.startsWith("mac") || name.startsWith("darwin"))) {
            return Availability.unavailable("not macOS (os.name=" + osName + ")");
        }
        return Availability.unavailable("the macOS transport is not implemented yet in this version of pathprobe");
    }

    @Override
    public ProbeTransport open() {
        throw new TransportException(NAME + " cannot be used: " + availability().reason(), availability().unavailabilityCause());
    }
}
