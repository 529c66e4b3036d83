package io.pathprobe.compare;

import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads the protocols' traces side by side: the rows, where paths part and meet, how far each protocol got.
 * Each pair of protocols is walked TTL by TTL: they part where both answered from disjoint addresses (a silent
 * hop says nothing), and meet again at the first later address both paths hold, after which the walk goes on
 * aligned on that meeting (a longer branch shifts one path's TTLs). The pairs that part at one hop are grouped:
 * the protocols still answering alike stay together, the largest group is the one the others part from.
 */
final class CompareAnalysis {
    private final List<ProbeProtocol> protocols;
    private final Map<ProbeProtocol, TreeMap<Integer, Set<InetAddress>>> answers = new EnumMap<>(ProbeProtocol.class);

    /** A pair's parting: a (earlier in the request) and b; TTLs in each one's own terms. */
    private record PairPart(ProbeProtocol a, ProbeProtocol b, int lastCommonA, int lastCommonB,
            @Nullable InetAddress common, int partA, int partB, int meetA, int meetB, @Nullable InetAddress meet) {}

    CompareAnalysis(List<ProbeProtocol> protocols, List<TraceResult> traces) {
        this.protocols = protocols;
        for (int i = 0; i < protocols.size(); i++) {
            TreeMap<Integer, Set<InetAddress>> byTtl = new TreeMap<>();
            if (i < traces.size()) {
                for (Hop h : traces.get(i).hops()) {
                    Set<InetAddress> s = new LinkedHashSet<>();
                    h.responders().stream().map(Responder::address).forEach(s::add);
                    if (!s.isEmpty()) {
                        byTtl.put(h.ttl(), s);
                    }
                }
            }
            answers.put(protocols.get(i), byTtl);
        }
    }

    static List<CompareRow> rows(List<ProbeProtocol> protocols, List<TraceResult> traces) {
        TreeMap<Integer, Map<ProbeProtocol, Hop>> rows = new TreeMap<>();
        for (int i = 0; i < protocols.size() && i < traces.size(); i++) {
            for (Hop h : traces.get(i).hops()) {
                rows.computeIfAbsent(h.ttl(), t -> new EnumMap<>(ProbeProtocol.class)).put(protocols.get(i), h);
            }
        }
        List<CompareRow> out = new ArrayList<>();
        rows.forEach((ttl, hops) -> out.add(new CompareRow(ttl, hops)));
        return out;
    }

    static List<ProtocolEnd> ends(List<ProbeProtocol> protocols, List<TraceResult> traces) {
        boolean anyReached = traces.stream().anyMatch(TraceResult::destinationReached);
        List<ProtocolEnd> out = new ArrayList<>();
        for (int i = 0; i < protocols.size() && i < traces.size(); i++) {
            TraceResult t = traces.get(i);
            Hop last = null;
            for (Hop h : t.hops()) {
                if (!h.silent()) {
                    last = h;
                }
            }
            boolean reached = t.destinationReached();
            boolean othersReach = false;
            for (int j = 0; j < traces.size(); j++) {
                othersReach |= j != i && traces.get(j).destinationReached();
            }
            // a protocol this host could not send stops nowhere: nothing was learnt of its path
            out.add(new ProtocolEnd(protocols.get(i), last == null ? OptionalInt.empty() : OptionalInt.of(last.ttl()),
                    last == null ? Optional.empty() : last.address(), reached,
                    !notProbed(t) && anyReached && !reached && othersReach));
        }
        return out;
    }

    /**
     * Whether no probe of this trace left this host because it could not send them: no usable transport for its
     * protocol, no route, no source address (SEND_FAILED or NO_ROUTE with nothing sent).
     */
    static boolean notProbed(TraceResult t) {
        if (t.status() != io.pathprobe.trace.TraceStatus.SEND_FAILED
                && t.status() != io.pathprobe.trace.TraceStatus.NO_ROUTE) {
            return false;
        }
        for (Hop h : t.hops()) {
            if (h.statistics().sent() > 0) {
                return false;
            }
        }
        return true;
    }

    List<Divergence> divergences() {
        List<PairPart> parts = new ArrayList<>();
        for (int i = 0; i < protocols.size(); i++) {
            for (int j = i + 1; j < protocols.size(); j++) {
                walk(protocols.get(i), protocols.get(j), parts);
            }
        }
        // group by the hop (in the earlier protocol's TTLs) at which the pairs part
        TreeMap<Integer, List<PairPart>> byHop = new TreeMap<>();
        for (PairPart p : parts) {
            byHop.computeIfAbsent(p.partA(), k -> new ArrayList<>()).add(p);
        }
        List<Divergence> out = new ArrayList<>();
        for (List<PairPart> cluster : byHop.values()) {
            out.addAll(group(cluster));
        }
        return out;
    }

    /** The pairs parting at one hop as divergences: each group of protocols apart from the largest group. */
    private List<Divergence> group(List<PairPart> cluster) {
        List<ProbeProtocol> members = new ArrayList<>();
        for (ProbeProtocol p : protocols) {
            if (cluster.stream().anyMatch(c -> c.a() == p || c.b() == p)) {
                members.add(p);
            }
        }
        // groups: connected by pairs that did not part here
        List<List<ProbeProtocol>> groups = new ArrayList<>();
        Set<ProbeProtocol> placed = new TreeSet<>();
        for (ProbeProtocol p : members) {
            if (placed.contains(p)) {
                continue;
            }
            List<ProbeProtocol> g = new ArrayList<>();
            ArrayList<ProbeProtocol> todo = new ArrayList<>(List.of(p));
            while (!todo.isEmpty()) {
                ProbeProtocol x = todo.remove(todo.size() - 1);
                if (!placed.add(x)) {
                    continue;
                }
                g.add(x);
                for (ProbeProtocol y : members) {
                    if (!placed.contains(y) && pair(cluster, x, y) == null) {
                        todo.add(y);
                    }
                }
            }
            g.sort(null);
            groups.add(g);
        }
        List<ProbeProtocol> major = groups.get(0);
        for (List<ProbeProtocol> g : groups) {
            if (g.size() > major.size()) {
                major = g;
            }
        }
        List<Divergence> out = new ArrayList<>();
        for (List<ProbeProtocol> g : groups) {
            if (g == major) {
                continue;
            }
            PairPart p = pair(cluster, g.get(0), major.get(0));
            if (p == null) {
                continue; // not possible: protocols of different groups parted
            }
            boolean gIsA = p.a() == g.get(0);
            out.add(new Divergence(g, major,
                    (gIsA ? p.lastCommonA() : p.lastCommonB()) > 0
                            ? OptionalInt.of(gIsA ? p.lastCommonA() : p.lastCommonB()) : OptionalInt.empty(),
                    Optional.ofNullable(p.common()), gIsA ? p.partA() : p.partB(),
                    first(gIsA ? p.a() : p.b(), gIsA ? p.partA() : p.partB()),
                    first(gIsA ? p.b() : p.a(), gIsA ? p.partB() : p.partA()),
                    p.meet() == null ? OptionalInt.empty() : OptionalInt.of(gIsA ? p.meetA() : p.meetB()),
                    p.meet() == null ? OptionalInt.empty() : OptionalInt.of(gIsA ? p.meetB() : p.meetA()),
                    Optional.ofNullable(p.meet())));
        }
        return out;
    }

    private Optional<InetAddress> first(ProbeProtocol p, int ttl) {
        Set<InetAddress> s = answersOf(p).get(ttl);
        return s == null ? Optional.empty() : s.stream().findFirst();
    }

    /** The answers of a compared protocol: the constructor made an entry for each. */
    private TreeMap<Integer, Set<InetAddress>> answersOf(ProbeProtocol p) {
        TreeMap<Integer, Set<InetAddress>> a = answers.get(p);
        if (a == null) {
            throw new IllegalArgumentException(p + " is not one of the compared protocols " + protocols);
        }
        return a;
    }

    private static @Nullable PairPart pair(List<PairPart> cluster, ProbeProtocol x, ProbeProtocol y) {
        for (PairPart p : cluster) {
            if ((p.a() == x && p.b() == y) || (p.a() == y && p.b() == x)) {
                return p;
            }
        }
        return null;
    }

    /** Walks one pair: each parting, and its meeting, after which the walk goes on aligned there. */
    private void walk(ProbeProtocol a, ProbeProtocol b, List<PairPart> out) {
        TreeMap<Integer, Set<InetAddress>> pa = answersOf(a);
        TreeMap<Integer, Set<InetAddress>> pb = answersOf(b);
        int offset = 0; // b's TTL = a's TTL - offset
        int lastA = 0;
        int lastB = 0;
        InetAddress common = null;
        for (Map.Entry<Integer, Set<InetAddress>> ea = pa.firstEntry(); ea != null; ea = pa.higherEntry(ea.getKey())) {
            int t = ea.getKey();
            int u = t - offset;
            Set<InetAddress> sa = ea.getValue();
            Set<InetAddress> sb = pb.get(u);
            if (sb == null) {
                continue; // a silent hop (or beyond b's end) is no evidence either way
            }
            InetAddress shared = shared(sa, sb);
            if (shared != null) {
                lastA = t;
                lastB = u;
                common = shared;
                continue;
            }
            Meet meet = meet(pa, pb, t, u);
            out.add(new PairPart(a, b, lastA, lastB, common, t, u, meet == null ? 0 : meet.ttlA(),
                    meet == null ? 0 : meet.ttlB(), meet == null ? null : meet.address()));
            if (meet == null) {
                return;
            }
            offset = meet.ttlA() - meet.ttlB();
            lastA = meet.ttlA();
            lastB = meet.ttlB();
            common = meet.address();
            ea = meet.a();
        }
    }

    /** Where two paths meet: a's hop, its TTL in each path, and the first address both hold there. */
    private record Meet(Map.Entry<Integer, Set<InetAddress>> a, int ttlA, int ttlB, InetAddress address) {}

    /** The first address, from TTL {@code t} of a's path and {@code u} of b's on, that both paths hold. */
    private static @Nullable Meet meet(TreeMap<Integer, Set<InetAddress>> pa, TreeMap<Integer, Set<InetAddress>> pb,
            int t, int u) {
        for (Map.Entry<Integer, Set<InetAddress>> ea : pa.tailMap(t, true).entrySet()) {
            for (Map.Entry<Integer, Set<InetAddress>> eb : pb.tailMap(u, true).entrySet()) {
                InetAddress shared = shared(ea.getValue(), eb.getValue());
                if (shared != null) {
                    return new Meet(ea, ea.getKey(), eb.getKey(), shared);
                }
            }
        }
        return null;
    }

    private static @Nullable InetAddress shared(Set<InetAddress> a, Set<InetAddress> b) {
        for (InetAddress x : a) {
            if (b.contains(x)) {
                return x;
            }
        }
        return null;
    }
}
