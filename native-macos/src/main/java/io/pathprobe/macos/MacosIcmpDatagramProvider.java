package io.pathprobe.macos;

import io.pathprobe.macos.internal.MacIcmpTransport;
import io.pathprobe.macos.internal.MacPlatform;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code macos-icmp-dgram}: ICMP echo probes (IPv4 and IPv6) through macOS's unprivileged ICMP
 * datagram sockets, {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)} and
 * {@code socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6)}, bound with jnr-ffi and registered with a
 * Netty kqueue loop. Needs no root. Per-probe TTL, Paris flows (the echo checksum held per flow),
 * Time Exceeded and Destination Unreachable read from the same socket with the quoted probe matched
 * back, identifiers filtered by the transport (the kernel hands every ICMP message to every such
 * socket). Also UDP probes, sent from ordinary unprivileged UDP sockets, their ICMP errors read on
 * the same ICMP sockets (the probe number in the UDP checksum, so even 8-byte quotes are matched).
 * See {@link MacIcmpTransport} for the details.
 *
 * <p>On any other operating system it is inert: {@link #availability()} says "not macOS" and nothing
 * native is loaded. On macOS, availability loads libc and checks that Netty's kqueue is usable and
 * that an ICMP datagram socket opens (nothing is sent). Turned off with the system property
 * {@code pathprobe.transport.macos-icmp-dgram.disabled=true}.
 *
 * <p>Built and unit-tested (codecs on recorded bytes, the transport against a simulated kernel);
 * not yet run on macOS.
 */
public final class MacosIcmpDatagramProvider implements ProbeTransportProvider {
    /** The transport's name. */
    public static final String NAME = MacIcmpTransport.NAME;
    private static final String DISABLED = "pathprobe.transport." + NAME + ".disabled";

    /** Null: the real platform, loaded on first use on macOS. */
    private final @Nullable Supplier<MacPlatform> platform;

    /** Cheap: nothing is loaded or checked until {@link #availability()} or {@link #open()}. */
    public MacosIcmpDatagramProvider() {
        this.platform = null;
    }

    /** A provider on another platform (tests: a simulated macOS kernel). */
    MacosIcmpDatagramProvider(Supplier<MacPlatform> platform) {
        this.platform = platform;
    }

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
        return io.pathprobe.macos.internal.MacCapabilities.ALL; // not MacIcmpTransport's: loads nothing more
    }

    @Override
    public Availability availability() {
        if (Boolean.getBoolean(DISABLED)) {
            return Availability.unavailable(NAME + " is disabled by the system property " + DISABLED + "=true");
        }
        Supplier<MacPlatform> p = platform;
        if (p != null) {
            return availableOn(p);
        }
        return availability(System.getProperty("os.name", "unknown"), () -> availableOn(Real::platform));
    }

    /** On another OS: unavailable, saying which OS; on macOS: what {@code onMac} finds. */
    static Availability availability(String osName, Supplier<Availability> onMac) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (!(name.startsWith("mac") || name.startsWith("darwin"))) {
            return Availability.otherPlatform("not macOS (os.name=" + osName + ")");
        }
        return onMac.get();
    }

    private static Availability availableOn(Supplier<MacPlatform> platform) {
        MacPlatform p;
        try {
            p = platform.get();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable(NAME + ": cannot load libc through jnr-ffi: " + e, e);
        }
        Availability kqueue = Real.kqueue(p);
        if (!kqueue.isAvailable()) {
            return kqueue;
        }
        return MacIcmpTransport.probe(p.sockets());
    }

    @Override
    public ProbeTransport open() {
        Availability a = availability();
        if (!a.isAvailable()) {
            throw new TransportException(NAME + " cannot be used: " + a.reason(), a.unavailabilityCause());
        }
        Supplier<MacPlatform> p = platform;
        return new MacIcmpTransport(p != null ? p.get() : Real.platform());
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The real platform, loaded (libc, Netty kqueue) only when first asked for: only on macOS. */
    private static final class Real {
        private static @Nullable MacPlatform loaded;

        static synchronized MacPlatform platform() {
            MacPlatform p = loaded;
            if (p == null) {
                p = MacPlatform.darwin();
                loaded = p;
            }
            return p;
        }

        /** Whether Netty's kqueue native library loads (for the real platform; a test platform has its own loop). */
        static Availability kqueue(MacPlatform p) {
            if (p != loaded) {
                return Availability.available();
            }
            if (!io.netty.channel.kqueue.KQueue.isAvailable()) {
                Throwable cause = io.netty.channel.kqueue.KQueue.unavailabilityCause();
                return Availability.unavailable(NAME + ": Netty's kqueue transport is unavailable: " + cause, cause);
            }
            return Availability.available();
        }
    }
}
