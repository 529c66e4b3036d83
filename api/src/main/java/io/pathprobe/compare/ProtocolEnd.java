package io.pathprobe.compare;

import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.util.Checks;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

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
        Checks.nonNull("protocol", protocol, "lastTtl", lastTtl, "lastAddress", lastAddress);
        if (stops && reachedDestination) {
            throw new IllegalArgumentException(protocol + " cannot both reach the destination and stop short");
        }
    }

    /** {@return the TTL after which it stops ({@link #lastTtl()}, 0 if nothing answered it); empty unless it stops} */
    public OptionalInt stopsAfter() {
        return stops ? OptionalInt.of(lastTtl.orElse(0)) : OptionalInt.empty();
    }

    /**
     * {@return "ICMP reaches the destination at hop 5 (198.51.100.10)", "TCP stops after hop 4 (198.18.0.14)",
     * "UDP: last answer at hop 3 (198.18.0.10)", "UDP: no answer"}
     */
    @Override
    public String toString() {
        String at = lastTtl.isEmpty() ? "" : lastTtl.getAsInt() + lastAddress.map(a -> " (" + AddressText.of(a) + ")")
                .orElse("");
        if (reachedDestination) {
            return protocol + " reaches the destination" + (at.isEmpty() ? "" : " at hop " + at);
        }
        if (stops) {
            return protocol + " stops after hop " + (at.isEmpty() ? "0 (nothing answered)" : at);
        }
        return protocol + (at.isEmpty() ? ": no answer" : ": last answer at hop " + at);
    }
}
