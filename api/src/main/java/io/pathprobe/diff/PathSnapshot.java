package io.pathprobe.diff;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One measured path as {@link DiffRules} compares it: a trace ({@link #of(TraceResult)}) or a monitor run
 * ({@link #of(MonitorResult)}), so that one algorithm serves both.
 *
 * @param target the target as it was given
 * @param destination the address measured; empty when the target did not resolve
 * @param hops one entry per TTL measured, in TTL order
 * @param destinationTtl the TTL at which the destination answered (a trace's first hop a probe says the destination
 *     answered at; a monitor's current path's end when it reached the destination, else the most hops a round needed
 *     to reach it); empty when it never answered
 */
record PathSnapshot(String target, Optional<InetAddress> destination, List<HopSnapshot> hops,
        OptionalInt destinationTtl) {
    /**
     * Checks that {@code hops} is in increasing TTL order.
     *
     * @throws IllegalArgumentException if it is not
     */
    PathSnapshot {
        for (int i = 1; i < hops.size(); i++) {
            if (hops.get(i).ttl() <= hops.get(i - 1).ttl()) {
                throw new IllegalArgumentException("hops must be in increasing TTL order: " + hops.get(i - 1).ttl()
                        + " before " + hops.get(i).ttl());
            }
        }
    }

    /**
     * {@return the snapshot of a trace: per hop its responders (with their AS numbers where enrichment found them),
     * counts and RTT samples; its forward losses are the path's, its backward losses the router's} The destination
     * answered at the first hop a probe says it answered at (a probe's word, not the status's).
     *
     * @param trace the trace
     */
    static PathSnapshot of(TraceResult trace) {
        List<HopSnapshot> hops = new ArrayList<>(trace.hops().size());
        for (Hop h : trace.hops()) {
            HopStatistics s = h.statistics();
            hops.add(new HopSnapshot(h.ttl(), sorted(h.responders().stream().map(r -> r.address())),
                    identities(h), asns(h.responders().stream().map(r -> r.asn())), firstAsn(h.responders().stream()
                            .map(r -> r.asn())), s.received(), s.forwardLost(), s.backwardLost(), s.rateLimited(),
                    h.rtts().stream().min(Comparator.naturalOrder()),
                    s.rtt().map(RttStatistics::stdDev).orElse(Duration.ZERO)));
        }
        OptionalInt destinationTtl = trace.hops().stream().filter(Hop::isDestination).mapToInt(Hop::ttl).findFirst();
        return new PathSnapshot(trace.target(), trace.destination(), hops, destinationTtl);
    }

    /**
     * {@return the snapshot of a monitor run: per hop its responders over the run and its whole-run statistics (its
     * best RTT, its standard deviation); a monitor has no RTT samples and counts a router's silence while later hops
     * answered as rate-limited} The destination answered at its current path's end when that path reached it, else
     * at the most hops a round needed to reach it ({@link MonitorResult#maxHopCount()}).
     *
     * @param monitor the monitor's result (a snapshot or the final one)
     */
    static PathSnapshot of(MonitorResult monitor) {
        OptionalInt destinationTtl = monitor.path().destinationReached() && monitor.path().lastTtl() >= 1
                ? OptionalInt.of(monitor.path().lastTtl())
                : monitor.maxHopCount() > 0 ? OptionalInt.of(monitor.maxHopCount()) : OptionalInt.empty();
        List<HopSnapshot> hops = new ArrayList<>(monitor.hops().size());
        for (MonitorHop h : monitor.hops()) {
            MonitorStatistics s = h.total();
            hops.add(new HopSnapshot(h.ttl(), sorted(h.responders().stream().map(r -> r.address())), List.of(),
                    asns(h.responders().stream().map(r -> r.asn())), firstAsn(h.responders().stream()
                            .map(r -> r.asn())), s.received(), s.lost(), 0, s.rateLimited(),
                    s.rtt().map(RttStatistics::min), s.rtt().map(RttStatistics::stdDev).orElse(Duration.ZERO)));
        }
        return new PathSnapshot(monitor.target(), monitor.destination(), hops, destinationTtl);
    }

    /**
     * A trace hop's answers that carried an incoming interface (RFC 5837) or a Node Identification object: each
     * distinct address with those objects, as {@link io.pathprobe.trace.ProbeResult#identityText()} writes them, in
     * the order of their text. Outgoing, sub-IP and next-hop objects say where the probe would have gone, not who
     * answered: left out.
     */
    static List<String> identities(Hop h) {
        return h.probes().stream().filter(p -> p.responder().isPresent()).map(p -> {
            List<String> objects = new ArrayList<>();
            p.interfaces().stream().filter(i -> i.role() == InterfaceInfo.Role.INCOMING)
                    .forEach(i -> objects.add(i.toString()));
            p.nodeId().ifPresent(n -> objects.add(n.toString()));
            return objects.isEmpty() ? ""
                    : AddressText.of(p.responder().get()) + " <" + String.join(";", objects) + ">";
        }).filter(s -> !s.isEmpty()).distinct().sorted().toList();
    }

    private static List<InetAddress> sorted(java.util.stream.Stream<InetAddress> addresses) {
        return addresses.sorted(Comparator.comparing(AddressText::of)).toList();
    }

    /** The AS numbers enrichment found, in the responders' order, each once. */
    private static List<Long> asns(java.util.stream.Stream<Lookup<AsnInfo>> lookups) {
        return lookups.flatMap(l -> l.value().stream()).map(AsnInfo::number).distinct().toList();
    }

    /** The AS number of the first (most answering) responder, where enrichment found it. */
    private static OptionalLong firstAsn(java.util.stream.Stream<Lookup<AsnInfo>> lookups) {
        return lookups.findFirst().flatMap(Lookup::value).map(a -> OptionalLong.of(a.number()))
                .orElse(OptionalLong.empty());
    }

    /**
     * {@return the hop at {@code ttl}, if it was measured}
     *
     * @param ttl a TTL
     */
    Optional<HopSnapshot> hop(int ttl) {
        return hops.stream().filter(h -> h.ttl() == ttl).findFirst();
    }

    /**
     * {@return the last TTL of the path: the destination's where it answered, else the last TTL measured (0 when
     * none was)} Hops beyond it (probes that reached the destination at higher TTLs) are not part of the path.
     */
    int endTtl() {
        if (destinationTtl.isPresent()) {
            return destinationTtl.getAsInt();
        }
        return hops.isEmpty() ? 0 : hops.get(hops.size() - 1).ttl();
    }

    /**
     * {@return the AS path: the AS numbers of the hops up to {@link #endTtl()} (each hop's most answering responder's,
     * where enrichment found one), a run of equal numbers written once} Empty without enrichment.
     */
    List<Long> asPath() {
        List<Long> path = new ArrayList<>();
        for (HopSnapshot h : hops) {
            if (h.ttl() > endTtl()) {
                break;
            }
            OptionalLong a = h.firstAsn();
            if (a.isPresent() && (path.isEmpty() || path.get(path.size() - 1) != a.getAsLong())) {
                path.add(a.getAsLong());
            }
        }
        return path;
    }

    /** {@return the path as the diff names it: its target, destination and per TTL up to its end who answered} */
    PathDiff.Side side() {
        SortedMap<Integer, List<InetAddress>> path = new TreeMap<>();
        hops.stream().filter(h -> h.ttl() <= endTtl()).forEach(h -> path.put(h.ttl(), h.addresses()));
        return new PathDiff.Side(target, destination, destinationTtl, path);
    }
}
