package io.pathprobe.cli;

import io.pathprobe.options.ProbeOptions;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.TrafficClass;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code -4} and {@code -6}, shared by the commands that probe, and the options every probing request takes beside
 * them ({@link #apply(ProbeOptions.Common, Duration, TrafficClass, Duration)}).
 */
final class FamilyOptions {
    @Option(names = "-4", description = "IPv4 only.")
    boolean ipv4;

    @Option(names = "-6", description = "IPv6 only.")
    boolean ipv6;

    /**
     * The IP version asked for, or null for either.
     *
     * @throws IllegalArgumentException for {@code -4} with {@code -6}
     */
    @Nullable IpVersion version() {
        if (ipv4 && ipv6) {
            throw new IllegalArgumentException("-4 and -6 exclude each other");
        }
        return ipv4 ? IpVersion.IPV4 : ipv6 ? IpVersion.IPV6 : null;
    }

    /**
     * The IP version asked for, onto a request's builder ({@code b::ipVersion}); nothing for either.
     *
     * @throws IllegalArgumentException for {@code -4} with {@code -6}
     */
    void apply(java.util.function.Consumer<IpVersion> ipVersion) {
        IpVersion version = version();
        if (version != null) {
            ipVersion.accept(version);
        }
    }

    /**
     * The options every probing request shares, onto its builder, each where given: the longest wait for one probe,
     * the marking, the deadline, then the IP version asked for.
     *
     * @throws IllegalArgumentException for a bad wait or deadline (the builder's check), or {@code -4} with
     *     {@code -6}
     */
    void apply(ProbeOptions.Common<?> b, @Nullable Duration wait, @Nullable TrafficClass tos,
            @Nullable Duration deadline) {
        Optional.ofNullable(wait).ifPresent(b::probeTimeout);
        Optional.ofNullable(tos).ifPresent(b::trafficClass);
        Optional.ofNullable(deadline).ifPresent(b::deadline);
        apply(b::ipVersion);
    }
}
