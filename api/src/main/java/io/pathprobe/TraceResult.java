package io.pathprobe;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one trace.
 *
 * @param target the target as the caller named it
 * @param destination the address that was traced
 * @param protocol the probe protocol
 * @param transport the name of the transport that sent the probes
 * @param status how the trace ended
 * @param hops one entry per TTL from the first TTL up to the destination (or the last TTL probed), ordered by TTL
 * @param startedAt wall-clock time the trace started
 * @param duration how long the trace took
 * @param unmatchedReplies ICMP messages that came back for this trace but matched no outstanding probe
 *     (late after their timeout, duplicated, or malformed); dropped, never attributed to a hop
 */
public record TraceResult(
        String target,
        InetAddress destination,
        ProbeProtocol protocol,
        String transport,
        TraceStatus status,
        List<Hop> hops,
        Instant startedAt,
        Duration duration,
        int unmatchedReplies) {

    public TraceResult {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(status, "status");
        hops = List.copyOf(hops);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /** Whether the destination answered at some TTL. */
    public boolean destinationReached() {
        return hops.stream().anyMatch(Hop::destination);
    }

    /** The hop at the given TTL, if it was probed. */
    public Optional<Hop> hop(int ttl) {
        return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
    }
}
