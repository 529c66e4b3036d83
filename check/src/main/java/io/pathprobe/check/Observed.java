package io.pathprobe.check;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the assertions read of a trace, monitor or ping, in one shape: the responders hop by hop, the destination's
 * claimed loss, RTTs and jitter, the header changes and the path ids. What a measurement does not measure is empty.
 *
 * @param kind "trace", "monitor" or "ping", as a reason names it
 * @param nodes every responder at every hop, in TTL order
 * @param hopLoss each hop's claimed loss, by TTL (empty for a ping)
 * @param destinationTtl the TTL the destination answered at (a monitor: the most hops of a round); empty when it
 *     did not answer, and for a ping
 * @param destination the destination's claimed loss; its {@code decided} 0 and {@code received} 0 when it never
 *     answered
 * @param destinationAddress the destination's address as a reason names it
 * @param rtt the destination's RTTs
 * @param jitter the destination's jitter; empty for a trace, and before two answers
 * @param headerChanges the header changes the routers' quotes showed; empty when no quote was read, or for a
 *     monitor and a ping
 * @param pathIds the path's id, one per flow; empty for a ping
 */
record Observed(String kind, List<Node> nodes, Map<Integer, Loss> hopLoss, OptionalInt destinationTtl, Loss destination,
        String destinationAddress, Optional<RttStatistics> rtt, Optional<Duration> jitter,
        Optional<List<FirstChange>> headerChanges, List<Long> pathIds) {

    /** A responder at a hop, with its lookups. */
    record Node(int ttl, InetAddress address, Lookup<String> hostname, Lookup<AsnInfo> asn) {}

    /**
     * Loss the result claims: {@code lost} of {@code decided} probes (answered or claimed lost), of {@code sent}.
     */
    record Loss(long lost, long decided, long received) {
        double percent() {
            return decided == 0 ? 0 : 100.0 * lost / decided;
        }
    }

    static Observed of(TraceResult t) {
        List<Node> nodes = new ArrayList<>();
        Map<Integer, Loss> hopLoss = new TreeMap<>();
        for (Hop h : t.hops()) {
            h.responders().forEach(r -> nodes.add(new Node(h.ttl(), r.address(), r.hostname(), r.asn())));
            HopStatistics s = h.statistics();
            // on the way out only: a router's unsent answers (backward) are not the path's loss
            long lost = Math.min(s.forwardLost(), s.decidedLost());
            hopLoss.put(h.ttl(), new Loss(lost, s.received() + lost, s.received()));
        }
        Optional<Hop> d = t.destinationHop();
        Loss destination = d.map(h -> new Loss(h.statistics().decidedLost(),
                h.statistics().received() + h.statistics().decidedLost(), h.statistics().received()))
                .orElse(new Loss(0, 0, 0));
        boolean quoted = t.hops().stream().anyMatch(h -> h.quotedTrafficClass().isPresent());
        return new Observed("trace", nodes, hopLoss, d.map(h -> OptionalInt.of(h.ttl())).orElse(OptionalInt.empty()),
                destination, t.destination().map(AddressText::of).orElse(t.target()),
                d.flatMap(h -> h.statistics().rtt()), Optional.empty(),
                quoted ? Optional.of(t.headerChanges()) : Optional.empty(), tracePathIds(t));
    }

    static Observed of(MonitorResult m) {
        List<Node> nodes = new ArrayList<>();
        Map<Integer, Loss> hopLoss = new TreeMap<>();
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (MonitorHop h : m.hops()) {
            for (MonitorResponder r : h.responders()) {
                nodes.add(new Node(h.ttl(), r.address(), r.hostname(), r.asn()));
            }
            hopLoss.put(h.ttl(), loss(h.total()));
            path.add(h.responders().stream().map(MonitorResponder::address).findFirst());
        }
        MonitorStatistics e = m.endToEnd();
        return new Observed("monitor", nodes, hopLoss,
                m.maxHopCount() > 0 ? OptionalInt.of(m.maxHopCount()) : OptionalInt.empty(), loss(e),
                m.destination().map(AddressText::of).orElse(m.target()), e.rtt(),
                e.received() >= 2 ? Optional.of(e.jitter()) : Optional.empty(), Optional.empty(),
                List.of(Assertion.PathId.idOf(path)));
    }

    static Observed of(PingTargetResult p) {
        PingStatistics s = p.statistics();
        long lost = s.lost() - s.mayBeRefused(); // what the rate limit could have refused is not claimed
        return new Observed("ping", List.of(), Map.of(), OptionalInt.empty(),
                new Loss(lost, s.received() + lost, s.received()), p.address().map(AddressText::of).orElse(p.target()),
                s.rtt(), s.jitter(), Optional.empty(), List.of());
    }

    private static Loss loss(MonitorStatistics s) {
        long lost = s.lost() - s.undecided();
        return new Loss(lost, s.received() + lost, s.received());
    }

    /**
     * Each flow's path id as the agent's {@code pathprobe_path_id}: a Paris trace's flows each, the responder at a TTL
     * the address that answered most of the flow's probes there; a classic trace one path of its hops' most frequent
     * responders.
     */
    static List<Long> tracePathIds(TraceResult t) {
        TreeSet<Integer> flows = new TreeSet<>();
        t.hops().forEach(h -> h.probes().forEach(p -> p.flow().ifPresent(flows::add)));
        if (flows.isEmpty()) {
            return List.of(Assertion.PathId.idOf(t.hops().stream().map(Hop::address).toList()));
        }
        List<Long> ids = new ArrayList<>();
        for (int flow : flows) {
            List<Optional<InetAddress>> path = new ArrayList<>();
            for (Hop h : t.hops()) {
                Map<InetAddress, Integer> answers = new LinkedHashMap<>();
                for (ProbeResult p : h.probes()) {
                    if (p.flow().equals(OptionalInt.of(flow)) && p.answered()) {
                        p.responder().ifPresent(a -> answers.merge(a, 1, Integer::sum));
                    }
                }
                path.add(answers.entrySet().stream().reduce((a, b) -> b.getValue() > a.getValue() ? b : a)
                        .map(Map.Entry::getKey));
            }
            ids.add(Assertion.PathId.idOf(path));
        }
        return ids;
    }
}
