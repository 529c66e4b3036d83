package io.pathprobe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One TTL of a trace.
 *
 * @param ttl the hop number (IP TTL of its probes)
 * @param probes every probe sent at this TTL, by attempt
 * @param responders every address that answered at this TTL, most answers first
 * @param statistics counters and RTT statistics
 */
public record Hop(int ttl, List<ProbeResult> probes, List<Responder> responders, HopStatistics statistics) {

    public Hop {
        probes = List.copyOf(probes);
        responders = List.copyOf(responders);
        Objects.requireNonNull(statistics, "statistics");
    }

    /** The address that answered most often at this TTL; empty when the hop was silent. */
    public Optional<InetAddress> address() {
        return responders.isEmpty() ? Optional.empty() : Optional.of(responders.get(0).address());
    }

    /** Whether no probe at this TTL was answered. */
    public boolean silent() {
        return responders.isEmpty();
    }

    /** Whether the destination itself answered at this TTL. */
    public boolean destination() {
        return probes.stream().anyMatch(ProbeResult::destination);
    }

    /** The RTTs of the answered probes, in attempt order. */
    public List<Duration> rtts() {
        return probes.stream().flatMap(p -> p.rtt().stream()).toList();
    }
}
