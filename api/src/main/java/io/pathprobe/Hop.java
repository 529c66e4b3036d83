package io.pathprobe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

    /** Whether the traced destination itself answered at this TTL. */
    public boolean isDestination() {
        return probes.stream().anyMatch(ProbeResult::fromDestination);
    }

    /** The RTTs of the answered probes, in attempt order. */
    public List<Duration> rtts() {
        return probes.stream().flatMap(p -> p.rtt().stream()).toList();
    }

    /**
     * As traceroute prints a hop: {@code " 3  198.18.0.10  0.024 ms  0.009 ms  *"}; a responder's
     * address is written before its first RTT and again whenever the responder changes.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%2d", ttl));
        InetAddress previous = null;
        for (ProbeResult p : probes) {
            b.append("  ");
            if (p.answered() && p.responder().isPresent() && !p.responder().get().equals(previous)) {
                previous = p.responder().get();
                b.append(previous.getHostAddress()).append("  ");
            }
            b.append(p.outcomeText());
        }
        return b.toString();
    }
}
