package io.pathprobe.lab.topology;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabProvisioner;
import io.pathprobe.lab.LabSettings;
import io.pathprobe.lab.NatKind;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The shape of one lab, as plain data: its nodes and their roles, namespaces, interfaces, addresses
 * and routes, and what a correct trace through it shows. Nothing here runs a process or reads a file.
 *
 * <p>Node ids: 0 is the probing host, 1..hops-1 the routers (node id = TTL), {@code hops} the
 * destination (see {@link Addressing} for the address plan). With an ECMP fabric ({@link EcmpFabric},
 * a diamond being its one-layer case) whose first layer is at TTL {@code e}, node {@code e+i} is the
 * first router (branch 1) of layer {@code i} and nodes {@code hops+1 ..} are the other routers, layer
 * by layer; router {@code e-1} branches, router {@code e+layers} merges. Every fabric router routes
 * back toward the host through its first predecessor only, so it answers from its address on that
 * link (the merger of a diamond from 198.18.5.2 / 2001:db8:3:1::2; over IPv6 Linux would answer from
 * the link the probe came in on, so a router with several such links rewrites the source of its
 * ICMPv6 errors to that address, see {@code LabProvisioner.nftRules}). The links between TTL
 * {@code e-1+t} and {@code e+t} (transition {@code t}) are /30s of 198.18.{4+t}.0/24, the k-th (from
 * 0) being 198.18.{4+t}.{4k}/30, its near end .1 and its far end .2 (IPv6 2001:db8:{2+t}:{k+1}::/64).
 * Each node's namespace is {@code <lab name>-h|d|r<ttl>|r<ttl>b<branch>}; the host's is "" when the
 * host is the calling namespace. In a lab namespace, a node's one interface toward the host is
 * {@value #UPLINK} and its one toward the destination {@value #DOWNLINK}; a fabric node with several
 * has {@code up1..upN} (index 10+k) and {@code down1..downN} (index 40+k); the calling namespace's host
 * end of link 0 is {@value Lab#HOST_INTERFACE}.
 */
public final class ChainTopology {
    public static final String UPLINK = "uplink";
    public static final String DOWNLINK = "downlink";
    /** Interface index of a fabric node's k-th of several links toward the host: {@code BRANCH_INDEX + k}. */
    static final int BRANCH_INDEX = 10;
    /**
     * Interface index of a fabric node's k-th of several links toward the destination: {@code BRANCH_OUT_INDEX + k}.
     */
    static final int BRANCH_OUT_INDEX = 40;
    /** Routing table of the k-th branch on a {@link EcmpHash#FIRST_4_BYTES} router: {@code BRANCH_TABLE + k}. */
    public static final int BRANCH_TABLE = 100;

    /** One interface of a node: its name, fixed index, IPv4 address/prefix length and IPv6 address (/64). */
    public record Iface(String name, int index, long v4, int v4Length, @Nullable String v6) {}

    /**
     * Routes to {@code prefixes} through one gateway, or several (an ECMP route), in routing table {@code table} (0:
     * main).
     */
    public record Route(List<String> prefixes, List<String> gateways, int table) {}

    /**
     * A fabric link: the {@code index}-th (from 0) of transition {@code transition}, from node {@code from} to node
     * {@code to}.
     */
    record Edge(int transition, int index, int from, int to) {}

    private final String name;
    final LabSettings s;
    private final int hops;
    /** Namespace of each node, index = node id; index 0 is "" when the host is the calling namespace. */
    private final List<String> namespaces;
    final @Nullable EcmpFabric fabric;
    /** The TTL of the fabric's first layer, 0 without one. */
    final int e;
    /** The node ids of each fabric layer. */
    private final List<List<Integer>> layerNodes = new ArrayList<>();
    /** Per node: its fabric links toward the host and toward the destination (empty for chain links). */
    final List<List<Edge>> inEdges = new ArrayList<>();
    final List<List<Edge>> outEdges = new ArrayList<>();

    /** A plain chain (tests of the text the provisioner writes). */
    public ChainTopology(String name, int hops, List<Integer> silent, boolean currentNamespace) {
        this(name, LabSettings.chain(hops, silent, currentNamespace));
    }

    public ChainTopology(String name, LabSettings settings) {
        int hops = settings.hops();
        if (hops < 1 || hops > Addressing.MAX_HOPS) {
            throw new IllegalArgumentException("hops must be 1.." + Addressing.MAX_HOPS + ", was " + hops);
        }
        this.name = name;
        this.s = settings;
        this.hops = hops;
        this.fabric = settings.ecmpFabric();
        this.e = fabric == null ? 0 : settings.ecmpTtl();
        buildFabric();
        List<String> ns = new ArrayList<>();
        for (int node = 0; node < nodeCount(); node++) {
            ns.add(node == 0 && settings.currentNamespace() ? "" : name + "-" + role(node));
        }
        this.namespaces = List.copyOf(ns);
    }

    private void buildFabric() {
        int extra = hops + 1;
        if (fabric != null) {
            for (int i = 0; i < fabric.layers(); i++) {
                List<Integer> ids = new ArrayList<>();
                for (int j = 0; j < fabric.widths().get(i); j++) {
                    ids.add(j == 0 ? e + i : extra++);
                }
                layerNodes.add(List.copyOf(ids));
            }
        }
        for (int node = 0; node < extra; node++) {
            inEdges.add(new ArrayList<>());
            outEdges.add(new ArrayList<>());
        }
        if (fabric == null) {
            return;
        }
        int layers = fabric.layers();
        for (int t = 0; t <= layers; t++) {
            int index = 0;
            if (t == 0) {
                for (int to : layerNodes.get(0)) {
                    addEdge(new Edge(0, index++, e - 1, to));
                }
            } else if (t == layers) {
                for (int from : layerNodes.get(layers - 1)) {
                    addEdge(new Edge(t, index++, from, e + layers));
                }
            } else {
                List<Integer> prev = layerNodes.get(t - 1);
                for (int j = 0; j < prev.size(); j++) {
                    for (int succ : fabric.successors(t - 1, j)) {
                        addEdge(new Edge(t, index++, prev.get(j), layerNodes.get(t).get(succ)));
                    }
                }
            }
        }
    }

    private void addEdge(Edge edge) {
        outEdges.get(edge.from()).add(edge);
        inEdges.get(edge.to()).add(edge);
    }

    /** The fabric's layer of a node, -1 for a chain node (the branching and merging routers too). */
    private int layer(int node) {
        for (int i = 0; i < layerNodes.size(); i++) {
            if (layerNodes.get(i).contains(node)) {
                return i;
            }
        }
        return -1;
    }

    /** The TTL of the merging router, 0 without a fabric. */
    int mergerTtl() {
        return fabric == null ? 0 : e + fabric.layers();
    }

    public String name() {
        return name;
    }

    public int hops() {
        return hops;
    }

    List<Integer> silent() {
        return s.silent();
    }

    public boolean hostIsCallingNamespace() {
        return s.currentNamespace();
    }

    public boolean ipv6() {
        return s.ipv6();
    }

    /** Every node: the chain's hops+1, and the fabric's routers beyond the first of each layer. */
    int nodeCount() {
        return inEdges.size();
    }

    /** The TTL at which a node answers. */
    public int ttl(int node) {
        if (node <= hops) {
            return node;
        }
        return e + layer(node);
    }

    /** The branch (1..N) of a router in a fabric layer of several routers, 0 for every other node. */
    public int branch(int node) {
        int layer = node == 0 ? -1 : layer(node);
        if (layer < 0 || layerNodes.get(layer).size() == 1) {
            return 0;
        }
        return layerNodes.get(layer).indexOf(node) + 1;
    }

    /** The nodes at this TTL: one, or every router of the fabric's layer at that TTL. */
    public List<Integer> nodesAt(int ttl) {
        if (ttl < 0 || ttl > hops) {
            throw new IllegalArgumentException("TTL must be 0 (host).." + hops + " (destination), was " + ttl);
        }
        if (fabric != null && ttl >= e && ttl < mergerTtl()) {
            return layerNodes.get(ttl - e);
        }
        return List.of(ttl);
    }

    /** A node's fabric links toward the host (empty when its link toward the host is a chain link). */
    public List<Edge> inEdges(int node) {
        return inEdges.get(node);
    }

    /** A node's fabric links toward the destination (empty when its link toward the destination is a chain link). */
    public List<Edge> outEdges(int node) {
        return outEdges.get(node);
    }

    /**
     * Whether the node spreads packets over several next hops (the branching router and fabric routers with several
     * successors).
     */
    public boolean balances(int node) {
        return node < nodeCount() && outEdges.get(node).size() > 1;
    }

    /** A node's role in namespace names: {@code h}, {@code d}, {@code r<ttl>} or {@code r<ttl>b<branch>}. */
    String role(int node) {
        int b = branch(node);
        return node == 0 ? "h" : node == hops ? "d" : b > 0 ? "r" + ttl(node) + "b" + b : "r" + node;
    }

    /** A chain node's role in namespace names (no diamond). */
    static String role(int node, int hops) {
        return node == 0 ? "h" : node == hops ? "d" : "r" + node;
    }

    /** What set-up messages call the node: "the host", "router 3", "router 2 (branch 4)", "the destination". */
    public String describe(int node) {
        checkNodeId(node);
        int b = branch(node);
        return node == 0 ? "the host" : node == hops ? "the destination"
                : "router " + ttl(node) + (b > 0 ? " (branch " + b + ")" : "");
    }

    /** Every node's namespace, index = node id (0 is the host: "" when it is the calling namespace). */
    public List<String> namespaces() {
        return namespaces;
    }

    /** The namespace of a node id. */
    public String namespace(int node) {
        checkNodeId(node);
        return namespaces.get(node);
    }

    /** The nodes that live in a namespace of the lab's own (all but a calling-namespace host), ascending. */
    public List<Integer> labNodes() {
        List<Integer> nodes = new ArrayList<>();
        for (int node = 0; node < nodeCount(); node++) {
            if (!namespaces.get(node).isEmpty()) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    public String hostInterface() {
        return s.currentNamespace() ? Lab.HOST_INTERFACE : DOWNLINK;
    }

    /** Whether the node forwards: every router, and with a single hop the destination. */
    public boolean forwards(int node) {
        // with a single hop the destination stands in for router 1 toward unroutedAddress()
        return node > hops || (node >= 1 && (node < hops || hops == 1));
    }

    public boolean isSilent(int node) {
        return node != 0 && node != hops && s.silent().contains(ttl(node));
    }

    public String carrierSuffices(String namespace) {
        return s.currentNamespace() && namespace.equals(namespaces.get(1)) ? UPLINK : "";
    }

    // ---------------------------------------------------------------------------------------------
    // addresses

    /** The first address of link {@code i} (between chain nodes i and i+1): inside a NAT, private. */
    private long linkBase(int i) {
        if (i < s.natHop()) {
            return (s.natHop() == 1 ? Addressing.INSIDE_HOME : Addressing.INSIDE_CGNAT) + 4L * i;
        }
        return Addressing.LINK_BASE + 4L * i;
    }

    @Nullable HomePlan home() {
        return s.home();
    }

    /** Whether the node is a masquerading NAT router: {@code natAt}'s, or the home lab's two. */
    public boolean isNat(int node) {
        HomePlan home = home();
        return home != null ? home.isNat(node)
                : node != 0 && node < hops && node == s.natHop() && s.natKind() == NatKind.MASQUERADE;
    }

    /** Addresses (with prefix length) on a node's loopback beyond the destination's own. */
    public List<String> loopback(int node, boolean v6) {
        HomePlan home = home();
        return home == null ? List.of() : home.loopback(node, v6);
    }

    /** The prefix length of link {@code i}'s IPv4 addresses. */
    public int linkLength(int i) {
        HomePlan home = home();
        return home == null ? 30 : home.link(i).length();
    }

    /** A node's address on its (first) link toward the host: where it answers from. */
    public long up(int node) {
        if (home() != null) {
            return home().up(node);
        }
        List<Edge> in = node < nodeCount() ? inEdges.get(node) : List.of();
        return in.isEmpty() ? linkBase(node - 1) + 2 : edge(in.get(0), 2);
    }

    /** A node's address on its (first) link toward the destination. */
    public long down(int node) {
        if (home() != null) {
            return home().down(node);
        }
        List<Edge> out = node < nodeCount() ? outEdges.get(node) : List.of();
        return out.isEmpty() ? linkBase(node) + 1 : edge(out.get(0), 1);
    }

    public String up6(int node) {
        if (home() != null) {
            return home().up6(node);
        }
        List<Edge> in = node < nodeCount() ? inEdges.get(node) : List.of();
        return in.isEmpty() ? Addressing.link6(node - 1, 2) : edge6(in.get(0), 2);
    }

    public String down6(int node) {
        if (home() != null) {
            return home().down6(node);
        }
        List<Edge> out = node < nodeCount() ? outEdges.get(node) : List.of();
        return out.isEmpty() ? Addressing.link6(node, 1) : edge6(out.get(0), 1);
    }

    /** Side 1 (near, toward the host) or 2 (far) of a fabric link. */
    static long edge(Edge edge, int side) {
        return Addressing.BRANCH_IN + 256L * edge.transition() + 4L * edge.index() + side;
    }

    static String edge6(Edge edge, int side) {
        return "2001:db8:" + Integer.toHexString(2 + edge.transition()) + ":" + Integer.toHexString(edge.index() + 1)
                + "::" + side;
    }

    /** Every fabric prefix, as few as possible (IPv4). */
    List<String> fabricNets(boolean v6) {
        if (fabric == null) {
            throw new IllegalStateException("this chain has no ECMP fabric");
        }
        int transitions = fabric.layers() + 1;
        return v6 ? Addressing.transitionNets(0, transitions, true)
                : Addressing.cidrs(Addressing.BRANCH_IN, Addressing.BRANCH_IN + 256L * transitions);
    }

    public long hostAddress() {
        return home() != null ? home().down(0) : linkBase(0) + 1;
    }

    public String hostAddress6() {
        return home() != null ? home().down6(0) : Addressing.link6(0, 1);
    }

    /** Where the host's route into the lab leads: router 1's address on link 0. */
    public long firstHop() {
        return home() != null ? home().up(1) : linkBase(0) + 2;
    }

    /** The prefix the host routes into the lab beyond 198.18.0.0/15: a CGNAT inside network, if any. */
    public List<String> hostExtraPrefixes() {
        if (home() != null) {
            return List.of(HomePlan.CGNAT_NET);
        }
        return s.natHop() > 1 ? cidrsOfLinks(1, s.natHop()) : List.of();
    }

    /** A node's interfaces, in set-up order: toward the host first. */
    public List<Iface> interfaces(int node) {
        checkNodeId(node);
        boolean v6 = s.ipv6();
        List<Iface> out = new ArrayList<>();
        List<Edge> in = inEdges.get(node);
        if (!in.isEmpty()) {
            for (int k = 1; k <= in.size(); k++) {
                Edge edge = in.get(k - 1);
                out.add(new Iface(inName(node, k), inIndex(node, k), edge(edge, 2), 30, v6 ? edge6(edge, 2) : null));
            }
        } else if (node > 0) {
            out.add(new Iface(UPLINK, LabProvisioner.UPLINK_INDEX, up(node), linkLength(node - 1),
                    v6 ? up6(node) : null));
        }
        List<Edge> outs = outEdges.get(node);
        if (!outs.isEmpty()) {
            for (int k = 1; k <= outs.size(); k++) {
                Edge edge = outs.get(k - 1);
                out.add(new Iface(outName(node, k), outIndex(node, k), edge(edge, 1), 30, v6 ? edge6(edge, 1) : null));
            }
        } else if (node != hops) {
            out.add(new Iface(DOWNLINK, LabProvisioner.DOWNLINK_INDEX, down(node), linkLength(node),
                    v6 ? down6(node) : null));
        }
        return out;
    }

    private String inName(int node, int k) {
        return inEdges.get(node).size() == 1 ? UPLINK : "up" + k;
    }

    private int inIndex(int node, int k) {
        return inEdges.get(node).size() == 1 ? LabProvisioner.UPLINK_INDEX : BRANCH_INDEX + k;
    }

    private String outName(int node, int k) {
        return outEdges.get(node).size() == 1 ? DOWNLINK : "down" + k;
    }

    private int outIndex(int node, int k) {
        return outEdges.get(node).size() == 1 ? LabProvisioner.DOWNLINK_INDEX : BRANCH_OUT_INDEX + k;
    }

    /** The names of a node's veth ends. */
    public List<String> interfaceNames(int node) {
        return interfaces(node).stream().map(Iface::name).toList();
    }

    /**
     * The veth pairs, each as {near node, near interface + index, far node, far interface + index}:
     * the chain's links (but those the fabric replaces), then the fabric's links.
     */
    public List<String[]> links() {
        List<String[]> out = new ArrayList<>();
        for (int link = 0; link < hops; link++) {
            if (fabric != null && link >= e - 1 && link < mergerTtl()) {
                continue;
            }
            out.add(new String[] {Integer.toString(link), DOWNLINK + " index " + LabProvisioner.DOWNLINK_INDEX,
                    Integer.toString(link + 1), UPLINK + " index " + LabProvisioner.UPLINK_INDEX});
        }
        for (int node = 0; node < nodeCount(); node++) {
            List<Edge> outs = outEdges.get(node);
            for (int k = 1; k <= outs.size(); k++) {
                Edge edge = outs.get(k - 1);
                int q = inEdges.get(edge.to()).indexOf(edge) + 1;
                out.add(new String[] {Integer.toString(node), outName(node, k) + " index " + outIndex(node, k),
                        Integer.toString(edge.to()), inName(edge.to(), q) + " index " + inIndex(edge.to(), q)});
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // routes

    /** IPv4 prefixes of links {@code [from, to)}, each part in its own address space (inside or outside a NAT). */
    List<String> cidrsOfLinks(int from, int to) {
        List<String> out = new ArrayList<>();
        int nat = s.natHop();
        if (from < Math.min(to, nat)) {
            out.addAll(Addressing.cidrs(linkBase(from), linkBase(Math.min(to, nat) - 1) + 4));
        }
        int outsideFrom = Math.max(from, nat);
        if (outsideFrom < to) {
            out.addAll(Addressing.cidrs(Addressing.LINK_BASE + 4L * outsideFrom, Addressing.LINK_BASE + 4L * to));
        }
        return out;
    }

    /** The IPv4 routes of a lab node (not the host): back toward the host, then on toward the destination. */
    public List<Route> routes(int node) {
        return new ChainRoutes(this).routes(node, false);
    }

    /** The IPv6 routes of a lab node (not the host). */
    public List<Route> routes6(int node) {
        return new ChainRoutes(this).routes(node, true);
    }

    /**
     * Every link between two answering nodes at successive TTLs (1..hops-1 to 2..hops) that some
     * packet toward the destination can take: what a complete multipath discovery reports, as
     * {from TTL, from address, to address}. Silent nodes have no link.
     */
    public List<Lab.ExpectedLink> expectedLinks(boolean v6) {
        List<Lab.ExpectedLink> out = new ArrayList<>();
        for (int ttl = 1; ttl < hops; ttl++) {
            for (int node : nodesAt(ttl)) {
                List<Integer> next = outEdges.get(node).isEmpty() ? List.of(node + 1)
                        : outEdges.get(node).stream().map(Edge::to).toList();
                for (int to : next) {
                    if (isSilent(node) || isSilent(to)) {
                        continue;
                    }
                    out.add(new Lab.ExpectedLink(ttl, responder(node, v6), responder(to, v6)));
                }
            }
        }
        return List.copyOf(out);
    }

    private InetAddress responder(int node, boolean v6) {
        if (node == hops) {
            return v6 ? Addressing.inet6(Addressing.DESTINATION6) : Addressing.inet(Addressing.DESTINATION);
        }
        return v6 ? Addressing.inet6(up6(node)) : Addressing.inet(up(node));
    }

    // ---------------------------------------------------------------------------------------------
    // what a trace shows

    /**
     * Who answers a probe that expires at this TTL: each router's address toward the host (every
     * middle router's at the diamond's TTL; none for silent routers), the destination at {@code hops},
     * nobody beyond.
     *
     * @throws IllegalArgumentException if {@code ttl < 1}
     */
    public Set<InetAddress> expectedResponders(int ttl, boolean v6) {
        if (ttl < 1) {
            throw new IllegalArgumentException("TTL must be at least 1, was " + ttl);
        }
        if (ttl > hops) {
            return Set.of();
        }
        if (ttl == hops) {
            return Set.of(v6 ? Addressing.inet6(Addressing.DESTINATION6) : Addressing.inet(Addressing.DESTINATION));
        }
        if (s.silent().contains(ttl)) {
            return Set.of();
        }
        Set<InetAddress> out = new LinkedHashSet<>();
        for (int node : nodesAt(ttl)) {
            out.add(v6 ? Addressing.inet6(up6(node)) : Addressing.inet(up(node)));
        }
        return out;
    }

    /**
     * The one responder at this TTL, empty for a silent router or beyond the destination.
     *
     * @throws IllegalStateException at the TTL of an ECMP diamond
     */
    public Optional<InetAddress> expectedResponder(int ttl, boolean v6) {
        Set<InetAddress> all = expectedResponders(ttl, v6);
        if (all.size() > 1) {
            throw new IllegalStateException("TTL " + ttl + " has " + all.size()
                    + " responders (an ECMP diamond): use expectedResponders(ttl)");
        }
        return all.stream().findFirst();
    }

    public Optional<InetAddress> expectedResponder(int ttl) {
        return expectedResponder(ttl, false);
    }

    public List<Optional<InetAddress>> expectedPath(boolean v6) {
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (int ttl = 1; ttl <= hops; ttl++) {
            path.add(expectedResponder(ttl, v6));
        }
        return List.copyOf(path);
    }

    public List<Optional<InetAddress>> expectedPath() {
        return expectedPath(false);
    }

    /** @throws IllegalArgumentException unless {@code 0 <= ttl <= hops} */
    public void checkNode(int ttl) {
        if (ttl < 0 || ttl > hops) {
            throw new IllegalArgumentException("TTL must be 0 (host)..." + hops + " (destination), was " + ttl);
        }
    }

    void checkNodeId(int node) {
        if (node < 0 || node >= nodeCount()) {
            if (fabric == null) {
                checkNode(node);
            }
            throw new IllegalArgumentException("no node " + node + " in a lab of " + nodeCount() + " nodes");
        }
    }
}
