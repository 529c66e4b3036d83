package io.pathprobe.macos.internal;

import io.pathprobe.spi.TransportCapability;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the macOS transport can do, apart from {@link MacIcmpTransport}: the provider answers
 * {@code capabilities()} on every OS, and on another OS that answer must load nothing else (the transport's class
 * starts the platform's logging when it is initialised).
 */
public final class MacCapabilities {
    /** What {@link MacIcmpTransport} can do. */
    public static final Set<TransportCapability> ALL = Collections.unmodifiableSet(EnumSet.of(
            TransportCapability.ICMP, TransportCapability.UDP, TransportCapability.IPV4, TransportCapability.IPV6,
            TransportCapability.UNPRIVILEGED, TransportCapability.QUOTED_CHECKSUM, TransportCapability.FLOW_FIXED,
            TransportCapability.FLOW_PER_PROBE, TransportCapability.FLOW_EXPLICIT, TransportCapability.PAYLOAD_SIZE,
            TransportCapability.TRAFFIC_CLASS));

    private MacCapabilities() {
    }
}
