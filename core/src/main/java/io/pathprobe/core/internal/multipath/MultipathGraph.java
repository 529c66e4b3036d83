package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.probe.RttStatistics;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What discovery knows (see {@link MultipathStrategy}): per TTL the flows probed ({@link Cell}), the
 * interfaces they reached ({@link Node}, the silent node included), and what follows from them:
 * links, meshing and evenness, diamonds, the nodes reported and their API view. Pure; confined to
 * the engine loop.
 */
final class MultipathGraph {
    /** A flow at a TTL: planned, probed, answered by one address, or silent after every attempt. */
    static final class Cell {
        final int ttl;
        final int flow;
        int attempts;
        int pending;
        /** Tries that went unanswered because the responder was over its limit (not counted in attempts). */
        int rateLimited;
        @Nullable InetAddress address;
        boolean silent;
        boolean destination;
        /**
         * Refused: a router seen at an earlier TTL answered it with an unreachable
         * ({@link MultipathGraph#unreachable}):
         * the flow never got to this TTL (the route changed), a sample of no node for links and paths.
         */
        boolean refused;
        /** When its latest discovery probe left. */
        long lastSentTick;
        /** Its tries given up while its TTL was quiet ({@link QuietTries#quiet}): evidence that it is silent. */
        int quiet;
        /** When it is sent again ({@link QuietTries}), or Long.MAX_VALUE. */
        long waveAt = Long.MAX_VALUE;

        Cell(int ttl, int flow) {
            this.ttl = ttl;
            this.flow = flow;
        }

        boolean resolved() {
            return address != null || silent || refused;
        }
    }

    /** One interface at one TTL (address null: the silent node). */
    static final class Node {
        final int ttl;
        final @Nullable InetAddress address;
        final TreeSet<Integer> flows = new TreeSet<>();
        final List<ProbeState> answers = new ArrayList<>();
        boolean perPacket;
        boolean destination;

        Node(int ttl, @Nullable InetAddress address) {
            this.ttl = ttl;
            this.address = address;
        }
    }

    /** What is known at one TTL. */
    static final class Ttl {
        final int ttl;
        final TreeMap<Integer, Cell> cells = new TreeMap<>();
        final LinkedHashMap<InetAddress, Node> nodes = new LinkedHashMap<>();
        @Nullable Node silent;
        boolean routerAnswered;
        boolean perPacketChecked;
        boolean behindPerPacket;
        boolean nodeControl;
        long firstSentTick = -1;
        /** When a discovery probe here was last answered, or Long.MIN_VALUE ({@link QuietTries}). */
        long lastHeard = Long.MIN_VALUE;
        int nextFresh;

        Ttl(int ttl) {
            this.ttl = ttl;
        }

        int width() {
            return nodes.size() + (silent != null ? 1 : 0);
        }

        List<Node> all() {
            List<Node> l = new ArrayList<>(nodes.values());
            if (silent != null) {
                l.add(silent);
            }
            return l;
        }

        boolean answered() {
            return !nodes.isEmpty();
        }
    }

    final Ttl[] ttls;
    final int firstTtl;
    final int maxTtl;
    private final boolean ipv6;
    private final Set<String> notes;
    /** The destination answered some probe. */
    boolean destinationReached;

    MultipathGraph(int firstTtl, int maxTtl, boolean ipv6, Set<String> notes) {
        this.firstTtl = firstTtl;
        this.maxTtl = maxTtl;
        this.ipv6 = ipv6;
        this.notes = notes;
        this.ttls = new Ttl[maxTtl + 2];
        for (int t = firstTtl; t <= maxTtl + 1; t++) {
            ttls[t] = new Ttl(t);
        }
    }

    /** Records a discovery answer; returns the node if it is new, else null. */
    @Nullable Node answered(ProbeState p, Cell c, InetAddress responder, boolean router, boolean isDestination) {
        Ttl t = ttls[p.ttl()];
        if (router) {
            t.routerAnswered = true;
        }
        if (isDestination) {
            destinationReached = true;
        }
        boolean newNode = !t.nodes.containsKey(responder);
        Node n = t.nodes.computeIfAbsent(responder, a -> new Node(p.ttl(), a));
        n.destination |= isDestination;
        if (isDestination && destinationOnly(t)) {
            t.silent = null; // the flows silent here were lost on the way to it (see silence)
        }
        n.answers.add(p);
        if (c.address == null) {
            c.address = responder;
            c.destination = isDestination;
            c.refused = false; // a late answer revises the refusal
            unsilence(c); // and the silence
            n.flows.add(c.flow);
        } else if (!c.address.equals(responder)) {
            n.flows.add(c.flow);
            perPacket(c, responder);
        }
        return newNode ? n : null;
    }

    /**
     * The flow got no answer after every try: it belongs to the TTL's silent node, unless only the
     * destination answered at that TTL. The destination is one host, so a flow silent there was lost on
     * the way to it: a silent node beside it doubled the paths, each second one "lost" whole (its path
     * probes answered by the destination, off its path), on a diamond whose last router dropped some of
     * what it forwarded.
     */
    void silence(Cell c) {
        Ttl t = ttls[c.ttl];
        c.silent = true;
        if (destinationOnly(t)) {
            return;
        }
        if (t.silent == null) {
            t.silent = new Node(c.ttl, null);
        }
        t.silent.flows.add(c.flow);
    }

    /** Whether answers at the TTL came from the destination alone (and some did). */
    private static boolean destinationOnly(Ttl t) {
        return !t.nodes.isEmpty() && t.nodes.values().stream().allMatch(n -> n.destination);
    }

    /**
     * The flow is no longer taken for silent (answered late, or to be tried again); its TTL's silent node goes with its
     * last flow.
     */
    void unsilence(Cell c) {
        if (!c.silent) {
            return;
        }
        c.silent = false;
        Ttl t = ttls[c.ttl];
        if (t.silent != null) {
            t.silent.flows.remove(c.flow);
            if (t.silent.flows.isEmpty()) {
                t.silent = null;
            }
        }
    }

    /** The first unreachable a router answered a discovery probe with (who, what, at which TTL), or null. */
    @Nullable String unreachable;

    /**
     * A router (not the destination) answered discovery probe {@code p} of cell {@code c} with an
     * unreachable: it refused to forward (traceroute's !N, !H, !X), remembered for the notes. When
     * that router is a node at an earlier TTL, the probe never got to this TTL (the route changed under
     * the discovery): no node here (a second one beside the TTL's router made a diamond of a chain),
     * the cell a refusal (a sample of no new node, of no node for links); true then.
     */
    boolean unreachable(ProbeState p, Cell c, InetAddress responder) {
        if (unreachable == null) {
            unreachable = responder.getHostAddress() + " answered " + p.toResult(ipv6).icmp()
                    .map(io.pathprobe.probe.IcmpMessage::description).orElse("an unreachable") + " at TTL " + p.ttl();
        }
        if (c.address != null || !seenBefore(responder, p.ttl())) {
            return false;
        }
        unsilence(c);
        c.refused = true;
        return true;
    }

    /**
     * Adds what the topology reported up to TTL {@code last} says of the destination: not answering
     * ({@code horizonAtMax}: nothing ended the paths nearer), or an unreachable that did.
     * {@code reached}: the destination is in the topology reported (it is not when an unreachable
     * ended the paths before its TTL: the route changed during the discovery).
     */
    void endNotes(List<String> notes, boolean reached, int last, boolean horizonAtMax) {
        if (!destinationReached && last >= firstTtl && horizonAtMax) {
            notes.add("the destination did not answer; nothing answered beyond TTL " + last);
        }
        if (unreachable != null) {
            notes.add(reached || !destinationReached ? unreachable + ": nothing beyond it was probed"
                    : "the destination answered, then " + unreachable + ": the route changed during the"
                            + " discovery; the topology ends there and the destination counts as not reached");
        }
    }

    /** Whether {@code address} answered as a node at a TTL below {@code ttl}. */
    boolean seenBefore(InetAddress address, int ttl) {
        for (int t = firstTtl; t < ttl && t < ttls.length; t++) {
            if (ttls[t].nodes.containsKey(address)) {
                return true;
            }
        }
        return false;
    }

    Cell cell(int ttl, int flow) {
        return ttls[ttl].cells.computeIfAbsent(flow, f -> new Cell(ttl, f));
    }

    static @Nullable Node nodeAt(Ttl t, Cell c) {
        if (c.address != null) {
            return t.nodes.get(c.address);
        }
        return c.silent ? t.silent : null;
    }

    /** The node flow f reached at ttl: seen, or the only node there. */
    @Nullable Node nodeOf(int ttl, int flow) {
        if (ttl < firstTtl || ttl >= ttls.length) {
            return null;
        }
        Ttl t = ttls[ttl];
        Cell c = t.cells.get(flow);
        if (c != null && c.resolved() && !c.refused) {
            return nodeAt(t, c);
        }
        if (t.width() == 1) {
            return t.silent != null ? t.silent : t.nodes.values().iterator().next();
        }
        return null;
    }

    /** Observed answering links between ttl-1 and ttl: from-node to its successors. */
    Map<Node, Set<Node>> observedLinks(int ttl) {
        Map<Node, Set<Node>> links = new LinkedHashMap<>();
        Ttl t = ttls[ttl];
        Ttl prev = ttls[ttl - 1];
        for (Cell c : t.cells.values()) {
            Cell pc = prev.cells.get(c.flow);
            if (c.address == null || pc == null || pc.address == null) {
                continue;
            }
            links.computeIfAbsent(prev.nodes.get(pc.address), k -> new LinkedHashSet<>()).add(t.nodes.get(c.address));
        }
        return links;
    }

    /** Cross links: a connected component with two nodes or more on both sides. */
    boolean meshed(int ttl) {
        Map<Node, Set<Node>> links = observedLinks(ttl);
        Map<Node, Node> parent = new HashMap<>();
        for (var e : links.entrySet()) {
            for (Node s : e.getValue()) {
                union(parent, e.getKey(), s);
            }
        }
        Map<Node, int[]> sides = new HashMap<>();
        for (Node n : parent.keySet()) {
            int[] c = sides.computeIfAbsent(find(parent, n), k -> new int[2]);
            c[n.ttl == ttl ? 1 : 0]++;
        }
        return sides.values().stream().anyMatch(c -> c[0] >= 2 && c[1] >= 2);
    }

    static Node find(Map<Node, Node> parent, Node n) {
        Node p = parent.getOrDefault(n, n);
        if (p == n) {
            parent.putIfAbsent(n, n);
            return n;
        }
        Node root = find(parent, p);
        parent.put(n, root);
        return root;
    }

    static void union(Map<Node, Node> parent, Node a, Node b) {
        Node ra = find(parent, a);
        Node rb = find(parent, b);
        if (ra != rb) {
            parent.put(ra, rb);
        }
    }

    /** Out-degrees of ttl-1's nodes, or in-degrees of ttl's, differ. */
    boolean uneven(int ttl) {
        Map<Node, Set<Node>> links = observedLinks(ttl);
        Set<Integer> out = new HashSet<>();
        Map<Node, Integer> in = new HashMap<>();
        for (var e : links.entrySet()) {
            out.add(e.getValue().size());
            for (Node s : e.getValue()) {
                in.merge(s, 1, Integer::sum);
            }
        }
        return out.size() > 1 || new HashSet<>(in.values()).size() > 1;
    }

    boolean afterPerPacket(int ttl) {
        for (int t = firstTtl; t <= ttl; t++) {
            if (ttls[t].behindPerPacket) {
                return true;
            }
        }
        return false;
    }

    int trailingSilent(int ttl) {
        int n = 0;
        for (int t = ttl; t >= firstTtl && !ttls[t].answered(); t--) {
            n++;
        }
        return n;
    }

    int lastReportedTtl(int horizon) {
        int last = firstTtl - 1;
        for (int t = firstTtl; t <= Math.min(horizon, maxTtl); t++) {
            if (ttls[t].answered()) {
                last = t;
            }
        }
        return last;
    }

    /** The nodes reported at a TTL: answering ones by address, the silent one last. */
    List<Node> reportedNodes(int ttl) {
        Ttl t = ttls[ttl];
        List<Node> out = new ArrayList<>(t.nodes.values());
        out.sort((a, b) -> compare(a.address, b.address));
        if (t.silent != null) {
            out.add(t.silent);
        }
        return out;
    }

    static int compare(@Nullable InetAddress a, @Nullable InetAddress b) {
        byte[] x = a == null ? new byte[0] : a.getAddress();
        byte[] y = b == null ? new byte[0] : b.getAddress();
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return Arrays.compareUnsigned(x, y);
    }

    /** Links between reported TTLs with the flows taking them (seen at both ends, or at one end of a one-node TTL). */
    Map<Node, Map<Node, Integer>> linkFlows(int last) {
        Map<Node, Map<Node, Integer>> out = new LinkedHashMap<>();
        for (int t = firstTtl; t < last; t++) {
            Set<Integer> flows = new TreeSet<>(ttls[t].cells.keySet());
            flows.addAll(ttls[t + 1].cells.keySet());
            for (int f : flows) {
                Cell a = ttls[t].cells.get(f);
                Cell b = ttls[t + 1].cells.get(f);
                boolean seenA = a != null && a.resolved();
                boolean seenB = b != null && b.resolved();
                if (!seenA && !seenB) {
                    continue;
                }
                Node from = nodeOf(t, f);
                Node to = nodeOf(t + 1, f);
                if (from == null || to == null || from.destination) {
                    continue;
                }
                out.computeIfAbsent(from, k -> new LinkedHashMap<>()).merge(to, 1, Integer::sum);
            }
        }
        return out;
    }

    Map<Node, List<Node>> successors(int last) {
        Map<Node, List<Node>> out = new LinkedHashMap<>();
        linkFlows(last).forEach((from, tos) -> {
            List<Node> l = new ArrayList<>(tos.keySet());
            l.sort((a, b) -> a.address == null ? 1 : b.address == null ? -1 : compare(a.address, b.address));
            out.put(from, l);
        });
        return out;
    }

    List<MultipathLink> links(int last) {
        List<MultipathLink> out = new ArrayList<>();
        linkFlows(last).forEach((from, tos) -> tos.forEach((to, n) -> out.add(new MultipathLink(from.ttl,
                Optional.ofNullable(from.address), Optional.ofNullable(to.address), n))));
        out.sort(Comparator.comparingInt(MultipathLink::ttl)
                .thenComparing((a, b) -> compare(a.from().orElse(null), b.from().orElse(null)))
                .thenComparing((a, b) -> compare(a.to().orElse(null), b.to().orElse(null))));
        return out;
    }

    /** A reported node's API view: {@code view} holds every reported node. */
    private static MultipathNode inView(Map<Node, MultipathNode> view, Node n) {
        MultipathNode m = view.get(n);
        if (m == null) {
            throw new IllegalStateException("node " + n + " is not in the reported view");
        }
        return m;
    }

    List<Diamond> diamonds(int last, Map<Node, MultipathNode> view) {
        Map<Node, List<Node>> succ = successors(last);
        List<Diamond> out = new ArrayList<>();
        int coveredTo = 0;
        for (int t = firstTtl; t < last; t++) {
            if (t < coveredTo) {
                continue;
            }
            for (Node v : reportedNodes(t)) {
                List<Node> s = succ.getOrDefault(v, List.of());
                if (s.size() < 2) {
                    continue;
                }
                Set<Node> level = new LinkedHashSet<>(s);
                List<Integer> widths = new ArrayList<>();
                boolean meshed = false;
                Node convergence = null;
                int u = t + 1;
                while (true) {
                    if (level.size() == 1) {
                        convergence = level.iterator().next();
                        break;
                    }
                    widths.add(level.size());
                    Set<Node> next = new LinkedHashSet<>();
                    Map<Node, Integer> preds = new HashMap<>();
                    for (Node n : level) {
                        for (Node m : succ.getOrDefault(n, List.of())) {
                            next.add(m);
                            preds.merge(m, 1, Integer::sum);
                        }
                    }
                    if (next.isEmpty() || u >= last) {
                        break;
                    }
                    if (next.size() > 1 && preds.values().stream().anyMatch(c -> c >= 2)) {
                        meshed = true;
                    }
                    level = next;
                    u++;
                }
                Optional<MultipathNode> conv = Optional.ofNullable(convergence == null ? null : view.get(convergence));
                out.add(new Diamond(inView(view, v), conv, widths, meshed,
                        v.perPacket ? LoadBalancing.PER_PACKET : LoadBalancing.PER_FLOW));
                coveredTo = Math.max(coveredTo, convergence == null ? last : convergence.ttl);
            }
        }
        return out;
    }

    MultipathNode toNode(Node n) {
        io.pathprobe.trace.Hop hop = n.answers.isEmpty() ? null : HopFolder.hop(n.ttl, n.answers, ipv6);
        Optional<RttStatistics> rtt = hop == null ? Optional.empty() : hop.statistics().rtt();
        MultipathNode node = new MultipathNode(n.ttl, Optional.ofNullable(n.address), n.answers.size(),
                List.copyOf(n.flows), n.destination, n.perPacket ? LoadBalancing.PER_PACKET : LoadBalancing.PER_FLOW,
                rtt);
        return hop == null ? node : node.withQuotes(hop.quotedTrafficClass(), hop.headerChanges());
    }

    static String text(Node n) {
        return n.address == null ? "*" : n.address.getHostAddress();
    }

    /**
     * Flow c.flow was answered by two addresses at one TTL: its predecessor balances per packet, unless one of them is
     * the flow's own node at an earlier TTL. A flow's path has no router twice, so a probe answered there went through
     * it again: a routing loop (or a route change that made one), noted as such, never a balancer.
     */
    void perPacket(Cell c, InetAddress other) {
        Ttl t = ttls[c.ttl];
        int loop = loopTtl(c, other);
        if (loop < 0 && c.address != null) {
            loop = loopTtl(c, c.address);
        }
        if (loop >= 0) {
            if (loopNoted.add(c.ttl)) {
                notes.add("a routing loop during the discovery: flow " + c.flow + " was answered at TTL " + c.ttl
                        + " by " + (c.address == null ? "*" : c.address.getHostAddress()) + " and by "
                        + other.getHostAddress() + ", the node of its path at TTL " + loop
                        + " answering again (a loop or a route change, not per-packet balancing)");
            }
            return;
        }
        if (t.behindPerPacket) {
            return;
        }
        t.behindPerPacket = true;
        Node pred = c.ttl > firstTtl ? nodeOf(c.ttl - 1, c.flow) : null;
        String first = c.address == null ? "*" : c.address.getHostAddress();
        if (pred != null) {
            pred.perPacket = true;
            notes.add("per-packet load balancing at " + text(pred) + " (TTL " + pred.ttl + "): flow " + c.flow
                    + " was answered by " + first + " and " + other.getHostAddress() + " at TTL " + c.ttl
                    + "; the branches behind it are what was seen, not widened further");
        } else {
            notes.add("per-packet load balancing before TTL " + c.ttl + ": flow " + c.flow + " was answered by " + first
                    + " and " + other.getHostAddress() + "; not widened further");
        }
    }

    /** The TTLs a routing loop was noted at ({@link #perPacket}). */
    private final Set<Integer> loopNoted = new java.util.HashSet<>();

    /** The TTL below {@code c}'s where {@code address} is {@code c}'s flow's node, or -1. */
    private int loopTtl(Cell c, InetAddress address) {
        for (int k = firstTtl; k < c.ttl; k++) {
            Node n = nodeOf(k, c.flow);
            if (n != null && address.equals(n.address)) {
                return k;
            }
        }
        return -1;
    }

    /** The API view of every node reported up to TTL {@code last}, in report order. */
    Map<Node, MultipathNode> views(int last) {
        Map<Node, MultipathNode> view = new LinkedHashMap<>();
        for (int t = firstTtl; t <= last; t++) {
            for (Node n : reportedNodes(t)) {
                view.put(n, toNode(n));
            }
        }
        return view;
    }

    /** Nodes up to TTL {@code last} with two successors or more, per-packet balancers aside. */
    int branchPoints(int last) {
        int n = 0;
        for (var e : successors(last).entrySet()) {
            if (e.getValue().size() >= 2 && !e.getKey().perPacket) {
                n++;
            }
        }
        return n;
    }
}
