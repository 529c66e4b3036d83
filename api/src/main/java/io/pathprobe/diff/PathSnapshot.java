package io.pathprobe.diff;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One measured path brought to the form {@link PathDiff} compares: a trace ({@link #of(TraceResult)}), each trace
 * of a traceAll ({@link #of(TraceAllResult)}) or a monitor run ({@link #of(MonitorResult)}), or the same read from
 * their JSON documents (the command line's {@code pathprobe diff} builds snapshots from files), so that one
 * algorithm serves objects and files.
 *
 * @param target the target as it was given
 * @param destination the address measured; empty when the target did not resolve
 * @param hops one entry per TTL measured, in TTL order
 * @param destinationTtl the TTL at which the destination answered (a trace's first such hop; a monitor's current
 *     path's end when it reached the destination, else the most hops a round needed to reach it); empty when it
 *     never answered
 */
public record PathSnapshot(String target, Optional<InetAddress> destination, List<HopSnapshot> hops,
        OptionalInt destinationTtl) {
    /**
     * Checks the components (see the record's description) and copies {@code hops}.
     *
     * @param target the target as it was given
     * @param destination the address measured; empty when the target did not resolve
     * @param hops one entry per TTL measured, in TTL order
     * @param destinationTtl the TTL at which the destination answered; empty when it never answered
     * @throws NullPointerException if a component is null or {@code hops} holds null
     * @throws IllegalArgumentException if {@code hops} is not in increasing TTL order
     */
    public PathSnapshot {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(destination, "destination");
        hops = List.copyOf(hops);
        Objects.requireNonNull(destinationTtl, "destinationTtl");
        for (int i = 1; i < hops.size(); i++) {
            if (hops.get(i).ttl() <= hops.get(i - 1).ttl()) {
                throw new IllegalArgumentException("hops must be in increasing TTL order: " + hops.get(i - 1).ttl()
                        + " before " + hops.get(i).ttl());
            }
        }
    }

    /**
     * {@return the snapshot of a trace: per hop its responders (with their AS numbers where enrichment found them),
     * counts and RTT samples; its forward losses are the path's, its backward losses the router's}
     *
     * @param trace the trace
     */
    public static PathSnapshot of(TraceResult trace) {
        List<HopSnapshot> hops = new ArrayList<>(trace.hops().size());
        for (Hop h : trace.hops()) {
            HopStatistics s = h.statistics();
            List<ResponderSnapshot> responders = h.responders().stream()
                    .map(r -> new ResponderSnapshot(r.address(), r.replies(), asn(r.asn()))).toList();
            hops.add(new HopSnapshot(h.ttl(), responders, s.sent(), s.received(), s.forwardLost(), s.backwardLost(),
                    s.rateLimited(), h.rtts(), s.rtt().map(RttStatistics::stdDev).orElse(Duration.ZERO),
                    h.isDestination(), h.fromStopSet()));
        }
        OptionalInt destinationTtl = trace.destinationHop().map(h -> OptionalInt.of(h.ttl()))
                .orElse(OptionalInt.empty());
        return new PathSnapshot(trace.target(), trace.destination(), hops, destinationTtl);
    }

    /**
     * {@return the snapshots of a traceAll's traces, in its targets' order}
     *
     * @param traces the traceAll's result
     */
    public static List<PathSnapshot> of(TraceAllResult traces) {
        return traces.traces().stream().map(PathSnapshot::of).toList();
    }

    /**
     * {@return the snapshot of a monitor run: per hop its responders over the run and its whole-run statistics (its
     * best RTT, its standard deviation); a monitor has no RTT samples and counts a router's silence while later hops
     * answered as rate-limited}
     *
     * @param monitor the monitor's result (a snapshot or the final one)
     */
    public static PathSnapshot of(MonitorResult monitor) {
        OptionalInt destinationTtl = monitorDestinationTtl(monitor.path().destinationReached(),
                monitor.path().lastTtl(), monitor.maxHopCount());
        List<HopSnapshot> hops = new ArrayList<>(monitor.hops().size());
        for (MonitorHop h : monitor.hops()) {
            MonitorStatistics s = h.total();
            List<ResponderSnapshot> responders = new ArrayList<>();
            for (MonitorResponder r : h.responders()) {
                responders.add(new ResponderSnapshot(r.address(), r.replies(), asn(r.asn())));
            }
            Optional<Duration> best = s.rtt().map(RttStatistics::min);
            hops.add(new HopSnapshot(h.ttl(), responders, s.sent(), s.received(), s.lost(), 0, s.rateLimited(),
                    List.of(), best, s.rtt().map(RttStatistics::stdDev).orElse(Duration.ZERO),
                    destinationTtl.isPresent() && destinationTtl.getAsInt() == h.ttl(), false));
        }
        return new PathSnapshot(monitor.target(), monitor.destination(), hops, destinationTtl);
    }

    /**
     * {@return where a monitor's destination answered: its current path's end when that path reached it, else the
     * most hops a round needed to reach it ({@link MonitorResult#maxHopCount()}), else empty} The rule {@link
     * #of(MonitorResult)} applies, for a monitor document read from JSON.
     *
     * @param pathReached whether the monitor's current path reached the destination
     * @param pathLastTtl the last TTL of that path
     * @param maxHopCount the most hops to the destination in a round that reached it (0 if none did)
     */
    public static OptionalInt monitorDestinationTtl(boolean pathReached, int pathLastTtl, int maxHopCount) {
        if (pathReached && pathLastTtl >= 1) {
            return OptionalInt.of(pathLastTtl);
        }
        return maxHopCount > 0 ? OptionalInt.of(maxHopCount) : OptionalInt.empty();
    }

    private static OptionalLong asn(Lookup<AsnInfo> lookup) {
        return lookup.value().map(a -> OptionalLong.of(a.number())).orElse(OptionalLong.empty());
    }

    /** {@return whether the destination answered} */
    public boolean destinationReached() {
        return destinationTtl.isPresent();
    }

    /**
     * {@return the hop at {@code ttl}, if it was measured}
     *
     * @param ttl a TTL
     */
    public Optional<HopSnapshot> hop(int ttl) {
        return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
    }

    /**
     * {@return the last TTL of the path: the destination's where it answered, else the last TTL measured (0 when
     * none was)} Hops beyond it (probes that reached the destination at higher TTLs) are not part of the path.
     */
    public int endTtl() {
        if (destinationTtl.isPresent()) {
            return destinationTtl.getAsInt();
        }
        return hops.isEmpty() ? 0 : hops.get(hops.size() - 1).ttl();
    }

    /**
     * {@return the AS path: the AS numbers of the hops up to {@link #endTtl()} (each hop's most answering responder's,
     * where enrichment found one), a run of equal numbers written once} Empty without enrichment.
     */
    public List<Long> asPath() {
        List<Long> path = new ArrayList<>();
        for (HopSnapshot h : hops) {
            if (h.ttl() > endTtl()) {
                break;
            }
            OptionalLong a = firstAsn(h);
            if (a.isPresent() && (path.isEmpty() || path.get(path.size() - 1) != a.getAsLong())) {
                path.add(a.getAsLong());
            }
        }
        return path;
    }

    /** The AS of the hop's most answering responder, if found. */
    static OptionalLong firstAsn(HopSnapshot h) {
        return h.responders().isEmpty() ? OptionalLong.empty() : h.responders().get(0).asn();
    }

    /**
     * {@code "198.19.0.1 (198.19.0.1): 198.18.0.2 → * → 198.19.0.1"}: the target, its address where it differs,
     * each TTL's responders up to {@link #endTtl()} ({@code "{a, b}"} for several, {@code "*"} where silent), then
     * {@code " (destination not reached)"} when it was not.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(target);
        destination.map(AddressText::of).filter(a -> !a.equals(target)).ifPresent(a -> b.append(" (").append(a)
                .append(')'));
        b.append(':');
        boolean first = true;
        for (HopSnapshot h : hops) {
            if (h.ttl() > endTtl()) {
                break;
            }
            b.append(first ? " " : " → ").append(PathDiff.addresses(h.addresses()));
            first = false;
        }
        if (first) {
            b.append(" (no hops)");
        }
        return destinationReached() ? b.toString() : b + " (destination not reached)";
    }
}
