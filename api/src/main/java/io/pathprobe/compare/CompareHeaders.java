package io.pathprobe.compare;

import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the network did to each protocol's packets, side by side: per header field that some protocol's routers
 * saw changed, which protocols had it changed (and how, from which hop), which kept it, and which cannot tell.
 * A protocol keeps a field when its trace read a quote at or beyond the TTL where the field first changed for
 * another protocol and saw no change of it (for the DSCP and the ECN: every such quote shows the marking sent);
 * without such a quote (its transport reads none, or nothing answered that far) it is "not seen", never "kept".
 */
final class CompareHeaders {
    /** Fields a box sets to one value whatever the protocol: the change reads the same for each. */
    private static final Set<HeaderField> STEADY = EnumSet.of(HeaderField.DSCP, HeaderField.ECN, HeaderField.TCP_MSS,
            HeaderField.SOURCE_ADDRESS, HeaderField.DESTINATION_ADDRESS);
    /** Fields only TCP probes carry. */
    private static final Set<HeaderField> TCP_ONLY = EnumSet.of(HeaderField.TCP_MSS, HeaderField.TCP_OPTIONS);

    private CompareHeaders() {}

    /** {@return the highest TTL at which a router's quote of the trace's probes was read; empty if none was} */
    static OptionalInt lastQuotedTtl(TraceResult trace) {
        int last = 0;
        for (Hop h : trace.hops()) {
            for (ProbeResult p : h.probes()) {
                if (p.quotedTrafficClass().isPresent() || !p.headerChanges().isEmpty()) {
                    last = Math.max(last, h.ttl());
                }
            }
        }
        return last == 0 ? OptionalInt.empty() : OptionalInt.of(last);
    }

    /** One way a field changed: the protocols it changed for alike, at one hop. */
    private record Group(FirstChange change, List<ProbeProtocol> protocols) {}

    /**
     * {@return one sentence per header field that changed for some protocol, in header order: "TCP/443: DSCP 46 ->
     * 0 from hop 3 (198.18.0.9); ICMP and UDP keep DSCP 46", "every protocol: ECN ECT(0) -> Not-ECT from hop 5
     * (198.18.0.17)", "UDP: DSCP 46 -> 0 from hop 3 (198.18.0.9); ICMP keeps DSCP 46; TCP/443 not seen (no quote
     * from hop 3 on shows it)"}
     *
     * @param request the request (its protocols, in order, and their labels)
     * @param traces each protocol's trace, in the order of the request's protocols
     */
    static List<String> findings(CompareRequest request, List<TraceResult> traces) {
        List<ProbeProtocol> ps = request.protocols();
        List<String> out = new ArrayList<>();
        for (HeaderField f : HeaderField.values()) {
            List<ProbeProtocol> concerned = ps.stream().filter(p -> !TCP_ONLY.contains(f) || p == ProbeProtocol.TCP)
                    .toList();
            Map<List<Object>, Group> groups = new LinkedHashMap<>();
            for (ProbeProtocol p : concerned) {
                Optional<FirstChange> c = traces.get(ps.indexOf(p)).headerChanges().stream()
                        .filter(x -> x.change().field() == f).findFirst();
                if (c.isPresent()) {
                    FirstChange x = c.get();
                    List<Object> key = STEADY.contains(f)
                            ? List.of(x.change().sent(), x.change().seen(), x.ttl(), x.responder())
                            : List.of(x.ttl(), x.responder());
                    groups.computeIfAbsent(key, k -> new Group(x, new ArrayList<>())).protocols().add(p);
                }
            }
            if (groups.isEmpty()) {
                continue;
            }
            out.add(sentence(request, traces, f, concerned, List.copyOf(groups.values())));
        }
        return out;
    }

    private static String sentence(CompareRequest request, List<TraceResult> traces, HeaderField f,
            List<ProbeProtocol> concerned, List<Group> groups) {
        List<ProbeProtocol> ps = request.protocols();
        boolean steady = STEADY.contains(f);
        List<String> parts = new ArrayList<>();
        int from = Integer.MAX_VALUE;
        List<ProbeProtocol> changed = new ArrayList<>();
        for (Group g : groups) {
            from = Math.min(from, g.change().ttl());
            changed.addAll(g.protocols());
            boolean every = groups.size() == 1 && g.protocols().size() == concerned.size() && concerned.size() > 1;
            String who = every ? "every protocol" : and(g.protocols().stream().map(request::label).toList());
            FirstChange c = g.change();
            String at = " from hop " + c.ttl() + CompareResult.where(c.responder(),
                    traces.get(ps.indexOf(g.protocols().get(0))), c.ttl());
            String what = (steady || g.protocols().size() == 1 ? c.change().toString() : f + " changed") + at;
            parts.add(who + ": " + what);
        }
        List<String> kept = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        for (ProbeProtocol p : concerned) {
            if (!changed.contains(p)) {
                (keeps(traces.get(ps.indexOf(p)), f, from, request.trafficClass()) ? kept : unseen)
                        .add(request.label(p));
            }
        }
        String sent = groups.get(0).change().change().sent();
        if (!kept.isEmpty()) {
            parts.add(and(kept) + (kept.size() > 1 ? " keep " + (steady ? f + " " + sent : "their " + f)
                    : " keeps " + (steady ? f + " " + sent : "its " + f)));
        }
        if (!unseen.isEmpty()) {
            parts.add(and(unseen) + " not seen (no quote from hop " + from + " on shows it)");
        }
        return String.join("; ", parts);
    }

    /**
     * Whether a trace shows it kept a field from TTL {@code from} on: a quote was read there or beyond, and for the
     * DSCP and the ECN every such quote shows the marking as sent (a transport that knows no sent header reports no
     * change even where the quote differs: that is not kept either).
     */
    private static boolean keeps(TraceResult trace, HeaderField f, int from, TrafficClass sent) {
        boolean quoted = false;
        for (Hop h : trace.hops()) {
            if (h.ttl() < from) {
                continue;
            }
            for (ProbeResult p : h.probes()) {
                Optional<TrafficClass> q = p.quotedTrafficClass();
                quoted |= q.isPresent() || !p.headerChanges().isEmpty();
                if (q.isPresent() && (f == HeaderField.DSCP && q.get().dscp() != sent.dscp()
                        || f == HeaderField.ECN && q.get().ecn() != sent.ecn())) {
                    return false;
                }
            }
        }
        return quoted;
    }

    /** "A", "A and B", "A, B and C". */
    private static String and(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}
