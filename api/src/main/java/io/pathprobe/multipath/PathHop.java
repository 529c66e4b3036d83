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
 * @param masked whether the hop is hidden ({@link io.pathprobe.evidence.Masking#apply(MultipathResult)}): then it
 *     has no address and prints {@code masked}; its statistics stay
 */
public record PathHop(int ttl, Optional<InetAddress> address, HopStatistics statistics, boolean masked) {
    /**
     * Checks the components (see the record's description).
     *
     * @param ttl the hop's TTL
     * @param address the interface this path's flows reach at this TTL, empty if silent
     * @param statistics probes sent to this hop on this path's flows, answers, loss split into forward and
     *     backward as in a trace (a probe whose same-round probe at a later TTL of the path was answered was
     *     lost on the way back), and RTTs
     * @param masked whether the hop is hidden (no address)
     * @throws NullPointerException if {@code address} or {@code statistics} is null
     * @throws IllegalArgumentException if a masked hop holds an address
     */
    public PathHop {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(statistics, "statistics");
        if (masked && address.isPresent()) {
            throw new IllegalArgumentException("a masked hop holds no address (TTL " + ttl + ")");
        }
    }

    /**
     * A hop as it was measured (not masked).
     *
     * @param ttl the hop's TTL
     * @param address the interface this path's flows reach at this TTL, empty if silent
     * @param statistics what this path's flows measured at this TTL
     */
    public PathHop(int ttl, Optional<InetAddress> address, HopStatistics statistics) {
        this(ttl, address, statistics, false);
    }

    /** {@return the address as text (RFC 5952 for IPv6), "*" if silent, {@code masked} if hidden} */
    public String addressText() {
        return masked ? io.pathprobe.probe.MaskStatement.MASKED : address.map(AddressText::of).orElse("*");
    }

    /** {@code "ttl 3  198.18.0.10  10 sent, 10 received, 0.0% loss, min/avg/max/mdev = ..."}. */
    @Override
    public String toString() {
        return "ttl " + ttl + "  " + addressText() + "  " + statistics;
    }
}
