package io.pathprobe.multipath;

import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
/**
 * One hop of one path, with what the path's flows measured there.
 *
 * @param ttl the hop's TTL
 * @param address the interface this path's flows reach at this TTL, empty if silent
 * @param statistics probes sent to this hop on this path's flows, answers, loss split into forward
 *     and backward as in a trace (a probe whose same-round probe at a later TTL of the path was
 *     answered was lost on the way back), and RTTs
 */
public record PathHop(int ttl, Optional<InetAddress> address, HopStatistics statistics) {
    /**
     * Checks the components (see the record's description).
     *
     * @param ttl the hop's TTL
     * @param address the interface this path's flows reach at this TTL, empty if silent
     * @param statistics probes sent to this hop on this path's flows, answers, loss split into forward and
     *     backward as in a trace (a probe whose same-round probe at a later TTL of the path was answered was
     *     lost on the way back), and RTTs
     * @throws NullPointerException if {@code address} or {@code statistics} is null
     */
    public PathHop {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(statistics, "statistics");
    }

    /** {@return the address as text (RFC 5952 for IPv6), or "*" if silent} */
    public String addressText() {
        return address.map(AddressText::of).orElse("*");
    }

    /** {@code "ttl 3  198.18.0.10  10 sent, 10 received, 0.0% loss, min/avg/max/mdev = ..."}. */
    @Override
    public String toString() {
        return "ttl " + ttl + "  " + addressText() + "  " + statistics;
    }
}
