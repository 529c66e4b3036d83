package io.pathprobe.compare;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import io.pathprobe.probe.ProbeProtocol;

/**
 * How far one protocol's probes got.
 *
 * @param protocol the protocol
 * @param lastTtl the last TTL at which something answered its probes; empty if nothing did
 * @param lastAddress what answered there
 * @param reachedDestination whether the destination answered its probes
 * @param stops whether it stops short while another protocol reaches the destination: nothing answers it
 *     beyond {@code lastTtl} (a firewall after that hop drops it, or a router beyond is silent for it only)
 */
public record ProtocolEnd(ProbeProtocol protocol, OptionalInt lastTtl, Optional<InetAddress> lastAddress,
        boolean reachedDestination, boolean stops) {

    /**
     * Checks the components.
     *
     * @param protocol the protocol
     * @param lastTtl the last TTL at which something answered its probes
     * @param lastAddress what answered there
     * @param reachedDestination whether the destination answered its probes
     * @param stops whether it stops short while another protocol reaches the destination
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if it both reached the destination and stops
     */
    public ProtocolEnd {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(lastTtl, "lastTtl");
        Objects.requireNonNull(lastAddress, "lastAddress");
        if (stops && reachedDestination) {
            throw new IllegalArgumentException(protocol + " cannot both reach the destination and stop short");
        }
    }

    /** {@return the TTL after which it stops ({@link #lastTtl()}, 0 if nothing answered it); empty unless it stops} */
    public OptionalInt stopsAfter() {
        return stops ? OptionalInt.of(lastTtl.orElse(0)) : OptionalInt.empty();
    }
}
