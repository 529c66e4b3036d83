package io.pathprobe.spi;

import io.pathprobe.HostResolver;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link io.pathprobe.PathTracer.Builder}, handed to the engine's
 * {@link TracerFactory}.
 *
 * @param transport a transport the user supplied, or null to discover providers
 * @param preferredTransport the name of the discovered transport to use, or null for the best usable
 * @param packetsPerSecond the probe rate limit for all traces together; 0 is unlimited
 * @param burst probes that may leave at once before the rate applies
 * @param hostResolver how names become addresses
 */
public record TracerSettings(
        @Nullable ProbeTransport transport,
        @Nullable String preferredTransport,
        int packetsPerSecond,
        int burst,
        HostResolver hostResolver) {
    public TracerSettings {
        Objects.requireNonNull(hostResolver, "hostResolver");
    }
}
