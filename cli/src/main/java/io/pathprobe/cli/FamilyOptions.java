package io.pathprobe.cli;

import io.pathprobe.probe.IpVersion;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code -4} and {@code -6}, shared by the commands that probe. */
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
}
