package io.pathprobe.lab;

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
 * destination (see {@link Addressing} for the address plan). With an ECMP diamond at TTL {@code e}
 * of width N, node {@code e} is the first middle router (branch 1) and nodes {@code hops+1 ..
 * hops+N-1} are branches 2..N; router {@code e-1} branches, router {@code e+1} merges (and routes
 * back toward the host through branch 1 only, so it answers from its address on that link,
 * 198.18.5.2 / 2001:db8:3:1::2). Each node's
 * namespace is {@code <lab name>-h|d|r<ttl>|r<ttl>b<branch>}; the host's is "" when the host is the
 * calling namespace. In a lab namespace, the interface toward the host is {@value #UPLINK} and the one
 * toward the destination {@value #DOWNLINK}, except on the branching router ({@code down1..downN}) and
 * the merging router ({@code up1..upN}); the calling namespace's host end of link 0 is
 * {@value Lab#HOST_INTERFACE}.
 */
final class ChainTopology {
    static final String UPLINK = "uplink";
    static final String DOWNLINK = "downlink";
    /** Interface index of a branching/merging router's k-th branch end: {@code BRANCH_INDEX + k}. */
    static final int BRANCH_INDEX = 10;
    /** Routing table of the k-th branch on a {@link EcmpHash#FIRST_4_BYTES} router: {@code BRANCH_TABLE + k}. */
    static final int BRANCH_TABLE = 100;

    /** One interface of a node: its name, fixed index, IPv4 address/prefix length and IPv6 address (/64). */
    record Iface(String name, int index, long v4, int v4Length, @Nullable String v6) {}

    /** Routes to {@code prefixes} through one gateway, or several (an ECMP route), in routing table {@code table} (0: main). */
    record Route(List<String> prefixes, List<String> gateways, int table) {}

    private final String name;
    private final Lab.Settings s;
    private final int hops;
    /** Namespace of each node, index = node id; index 0 is "" when the host is the calling namespace. */
    private final List<String> namespaces;

    /** A plain chain (tests of the text the provisioner writes). */
    ChainTopology(String name, int hops, List<Integer> silent, boolean currentNamespace) {
        this(name, Lab.Settings.chain(hops, silent, currentNamespace));
    }

    ChainTopology(String name, Lab.Settings settings) {
        int hops = settings.hops();
        if (hops < 1 || hops > Addressing.MAX_HOPS) {
            throw new IllegalArgumentException("hops must be 1.." + Addressing.MAX_HOPS + ", was " + hops);
        }
        this.name = name;
        this.s = settings;
        this.hops = hops;
        List<String> ns = new ArrayList<>();
        for (int node = 0; node < nodeCount(); node++) {
            ns.add(node == 0 && settings.currentNamespace() ? "" : name + "-" + role(node));
        }
        this.namespaces = List.copyOf(ns);
    }

    String name() {
        return name;
    }

    int hops() {
        return hops;
    }

    List<Integer> silent() {
        return s.silent();
    }

    boolean hostIsCallingNamespace() {
        return s.currentNamespace();
    }

    boolean ipv6() {
        return s.ipv6();
    }

    /** Every node: the chain's hops+1, and the ECMP branches beyond the first. */
    int nodeCount() {
        return hops + 1 + Math.max(0, s.ecmpWidth() - 1);
    }

    /** The TTL at which a node answers. */
    int ttl(int node) {
        return node <= hops ? node : s.ecmpTtl();
    }

    /** The ECMP branch (1..N) of a middle router, 0 for every other node. */
    int branch(int node) {
        if (s.ecmpTtl() == 0) {
            return 0;
        }
        return node == s.ecmpTtl() ? 1 : node > hops ? node - hops + 1 : 0;
    }

    /** The node id of branch k (1..N). */
    int branchNode(int k) {
        return k == 1 ? s.ecmpTtl() : hops + k - 1;
    }

    /** The nodes at this TTL: one, or every middle router of the diamond. */
    List<Integer> nodesAt(int ttl) {
        if (ttl < 0 || ttl > hops) {
            throw new IllegalArgumentException("TTL must be 0 (host).." + hops + " (destination), was " + ttl);
        }
        if (ttl != 0 && ttl == s.ecmpTtl()) {
            List<Integer> nodes = new ArrayList<>();
            for (int k = 1; k <= s.ecmpWidth(); k++) {
                nodes.add(branchNode(k));
            }
            return nodes;
        }
        return List.of(ttl);
    }

    private boolean isBrancher(int node) {
        return s.ecmpTtl() > 0 && node == s.ecmpTtl() - 1;
    }

    private boolean isMerger(int node) {
        return s.ecmpTtl() > 0 && node == s.ecmpTtl() + 1;
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
    String describe(int node) {
        checkNodeId(node);
        int b = branch(node);
        return node == 0 ? "the host" : node == hops ? "the destination"
                : "router " + ttl(node) + (b > 0 ? " (branch " + b + ")" : "");
    }

    /** Every node's namespace, index = node id (0 is the host: "" when it is the calling namespace). */
    List<String> namespaces() {
        return namespaces;
    }

    /** The namespace of a node id. */
    String namespace(int node) {
        checkNodeId(node);
        return namespaces.get(node);
    }

    /** The nodes that live in a namespace of the lab's own (all but a calling-namespace host), ascending. */
    List<Integer> labNodes() {
        List<Integer> nodes = new ArrayList<>();
        for (int node = 0; node < nodeCount(); node++) {
            if (!namespaces.get(node).isEmpty()) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    String hostInterface() {
        return s.currentNamespace() ? Lab.HOST_INTERFACE : DOWNLINK;
    }

    /** Whether the node forwards: every router, and with a single hop the destination. */
    boolean forwards(int node) {
        // with a single hop the destination stands in for router 1 toward unroutedAddress()
        return node > hops || (node >= 1 && (node < hops || hops == 1));
    }

    boolean isSilent(int node) {
        return node != 0 && node != hops && s.silent().contains(ttl(node));
    }

    String carrierSuffices(String namespace) {
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

    private @Nullable HomePlan home() {
        return s.home();
    }

    /** Whether the node is a masquerading NAT router: {@code natAt}'s, or the home lab's two. */
    boolean isNat(int node) {
        HomePlan home = home();
        return home != null ? home.isNat(node)
                : node != 0 && node < hops && node == s.natHop() && s.natKind() == NatKind.MASQUERADE;
    }

    /** Addresses (with prefix length) on a node's loopback beyond the destination's own. */
    List<String> loopback(int node, boolean v6) {
        HomePlan home = home();
        return home == null ? List.of() : home.loopback(node, v6);
    }

    /** The prefix length of link {@code i}'s IPv4 addresses. */
    int linkLength(int i) {
        HomePlan home = home();
        return home == null ? 30 : home.link(i).length();
    }

    /** Chain node {@code node}'s address on link node-1 (toward the host). */
    long up(int node) {
        if (home() != null) {
            return home().up(node);
        }
        int b = branch(node);
        if (isMerger(node)) {
            return branchOut(1, 2); // it routes back through branch 1, so it answers from there
        }
        return b > 0 ? Addressing.BRANCH_IN + 4L * (b - 1) + 2 : linkBase(node - 1) + 2;
    }

    /** Chain node {@code node}'s address on link node (toward the destination). */
    long down(int node) {
        if (home() != null) {
            return home().down(node);
        }
        int b = branch(node);
        return b > 0 ? Addressing.BRANCH_OUT + 4L * (b - 1) + 1 : linkBase(node) + 1;
    }

    String up6(int node) {
        if (home() != null) {
            return home().up6(node);
        }
        int b = branch(node);
        if (isMerger(node)) {
            return branchOut6(1, 2);
        }
        return b > 0 ? Addressing.BRANCH_IN6 + Integer.toHexString(b) + "::2" : Addressing.link6(node - 1, 2);
    }

    String down6(int node) {
        if (home() != null) {
            return home().down6(node);
        }
        int b = branch(node);
        return b > 0 ? Addressing.BRANCH_OUT6 + Integer.toHexString(b) + "::1" : Addressing.link6(node, 1);
    }

    private static long branchIn(int k, int side) {
        return Addressing.BRANCH_IN + 4L * (k - 1) + side;
    }

    private static long branchOut(int k, int side) {
        return Addressing.BRANCH_OUT + 4L * (k - 1) + side;
    }

    private static String branchIn6(int k, int side) {
        return Addressing.BRANCH_IN6 + Integer.toHexString(k) + "::" + side;
    }

    private static String branchOut6(int k, int side) {
        return Addressing.BRANCH_OUT6 + Integer.toHexString(k) + "::" + side;
    }

    long hostAddress() {
        return home() != null ? home().down(0) : linkBase(0) + 1;
    }

    String hostAddress6() {
        return home() != null ? home().down6(0) : Addressing.link6(0, 1);
    }

    /** Where the host's route into the lab leads: router 1's address on link 0. */
    long firstHop() {
        return home() != null ? home().up(1) : linkBase(0) + 2;
    }

    /** The prefix the host routes into the lab beyond 198.18.0.0/15: a CGNAT inside network, if any. */
    List<String> hostExtraPrefixes() {
        if (home() != null) {
            return List.of(HomePlan.CGNAT_NET);
        }
        return s.natHop() > 1 ? cidrsOfLinks(1, s.natHop()) : List.of();
    }

    /** A node's interfaces, in set-up order: toward the host first. */
    List<Iface> interfaces(int node) {
        checkNodeId(node);
        boolean v6 = s.ipv6();
        List<Iface> out = new ArrayList<>();
        if (isMerger(node)) {
            for (int k = 1; k <= s.ecmpWidth(); k++) {
                out.add(new Iface("up" + k, BRANCH_INDEX + k, branchOut(k, 2), 30, v6 ? branchOut6(k, 2) : null));
            }
        } else if (node > 0) {
            out.add(new Iface(UPLINK, LabProvisioner.UPLINK_INDEX, up(node), linkLength(node - 1), v6 ? up6(node) : null));
        }
        if (isBrancher(node)) {
            for (int k = 1; k <= s.ecmpWidth(); k++) {
                out.add(new Iface("down" + k, BRANCH_INDEX + k, branchIn(k, 1), 30, v6 ? branchIn6(k, 1) : null));
            }
        } else if (node != hops) {
            out.add(new Iface(DOWNLINK, LabProvisioner.DOWNLINK_INDEX, down(node), linkLength(node), v6 ? down6(node) : null));
        }
        return out;
    }

    /** The names of a node's veth ends. */
    List<String> interfaceNames(int node) {
        return interfaces(node).stream().map(Iface::name).toList();
    }

    /**
     * The veth pairs, each as {near node, near interface + index, far node, far interface + index}:
     * the chain's links (but the two the diamond replaces), then each branch's in- and out-link.
     */
    List<String[]> links() {
        List<String[]> out = new ArrayList<>();
        int e = s.ecmpTtl();
        for (int link = 0; link < hops; link++) {
            if (e > 0 && (link == e - 1 || link == e)) {
                continue;
            }
            out.add(new String[] {Integer.toString(link), DOWNLINK + " index " + LabProvisioner.DOWNLINK_INDEX,
                    Integer.toString(link + 1), UPLINK + " index " + LabProvisioner.UPLINK_INDEX});
        }
        for (int k = 1; k <= s.ecmpWidth() && e > 0; k++) {
            int b = branchNode(k);
            out.add(new String[] {Integer.toString(e - 1), "down" + k + " index " + (BRANCH_INDEX + k),
                    Integer.toString(b), UPLINK + " index " + LabProvisioner.UPLINK_INDEX});
            out.add(new String[] {Integer.toString(b), DOWNLINK + " index " + LabProvisioner.DOWNLINK_INDEX,
                    Integer.toString(e + 1), "up" + k + " index " + (BRANCH_INDEX + k)});
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // routes

    /** IPv4 prefixes of links {@code [from, to)}, each part in its own address space (inside or outside a NAT). */
    private List<String> cidrsOfLinks(int from, int to) {
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
    List<Route> routes(int node) {
        return routes(node, false);
    }

    /** The IPv6 routes of a lab node (not the host). */
    List<Route> routes6(int node) {
        return routes(node, true);
    }

    private List<Route> routes(int node, boolean v6) {
        checkNodeId(node);
        if (node == 0) {
            throw new IllegalArgumentException("the host's routes are written by the provisioner");
        }
        if (home() != null) {
            return home().routes(node, v6);
        }
        int t = ttl(node);
        int e = s.ecmpTtl();
        int b = branch(node);
        int width = s.ecmpWidth();
        List<Route> out = new ArrayList<>();

        // toward the host: links 0..t-2 (beyond a NAT only the links outside it), and the branch links behind
        int from = !v6 && s.natHop() > 0 && t > s.natHop() ? s.natHop() : 0;
        List<String> back = new ArrayList<>(v6 ? (t - 1 > 0 ? Addressing.links6(0, t - 1) : List.of())
                : cidrsOfLinks(from, t - 1));
        List<String> gwBack;
        if (b > 0) {
            gwBack = List.of(v6 ? branchIn6(b, 1) : Addressing.text(branchIn(b, 1)));
            back.add(v6 ? Addressing.BRANCH_IN6_NET : Addressing.BRANCH_IN_NET);
        } else if (isMerger(node)) {
            // back through branch 1 only: its answers then come from one address, on its link to branch 1
            gwBack = List.of(v6 ? branchOut6(1, 1) : Addressing.text(branchOut(1, 1)));
            back.add(v6 ? Addressing.BRANCH_IN6_NET : Addressing.BRANCH_IN_NET);
        } else {
            gwBack = List.of(v6 ? down6(node - 1) : Addressing.text(down(node - 1)));
            if (e > 0 && t > e + 1) {
                back.addAll(v6 ? List.of(Addressing.BRANCH_IN6_NET, Addressing.BRANCH_OUT6_NET)
                        : List.of(Addressing.BRANCH_NET));
            }
        }
        if (!back.isEmpty()) {
            out.add(new Route(back, gwBack, 0));
        }
        if (node == hops) {
            return out;
        }

        // toward the destination: links t+1..hops-1, the destination network, the branch links ahead
        List<String> ahead = new ArrayList<>(v6 ? (t + 1 < hops ? Addressing.links6(t + 1, hops) : List.of())
                : cidrsOfLinks(t + 1, hops));
        ahead.add(v6 ? Addressing.DESTINATION6_NET : Addressing.DESTINATION_NET);
        if (b > 0) {
            ahead.add(v6 ? Addressing.BRANCH_OUT6_NET : Addressing.BRANCH_OUT_NET);
            out.add(new Route(ahead, List.of(v6 ? branchOut6(b, 2) : Addressing.text(branchOut(b, 2))), 0));
        } else if (isBrancher(node)) {
            ahead.add(v6 ? Addressing.BRANCH_OUT6_NET : Addressing.BRANCH_OUT_NET);
            List<String> all = new ArrayList<>();
            for (int k = 1; k <= width; k++) {
                all.add(v6 ? branchIn6(k, 2) : Addressing.text(branchIn(k, 2)));
            }
            if (s.ecmpHash() == EcmpHash.LINUX_L4) {
                out.add(new Route(ahead, all, 0));
            } else {
                // unmarked packets (this router's own) take branch 1; a marked one its branch's table
                out.add(new Route(ahead, List.of(all.get(0)), 0));
                for (int k = 1; k <= width; k++) {
                    out.add(new Route(ahead, List.of(all.get(k - 1)), BRANCH_TABLE + k));
                }
            }
        } else {
            if (e > 0 && t < e - 1) {
                ahead.addAll(v6 ? List.of(Addressing.BRANCH_IN6_NET, Addressing.BRANCH_OUT6_NET)
                        : List.of(Addressing.BRANCH_NET));
            }
            out.add(new Route(ahead, List.of(v6 ? up6(node + 1) : Addressing.text(up(node + 1))), 0));
        }
        return out;
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
    Set<InetAddress> expectedResponders(int ttl, boolean v6) {
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
    Optional<InetAddress> expectedResponder(int ttl, boolean v6) {
        Set<InetAddress> all = expectedResponders(ttl, v6);
        if (all.size() > 1) {
            throw new IllegalStateException("TTL " + ttl + " has " + all.size()
                    + " responders (an ECMP diamond): use expectedResponders(ttl)");
        }
        return all.stream().findFirst();
    }

    Optional<InetAddress> expectedResponder(int ttl) {
        return expectedResponder(ttl, false);
    }

    List<Optional<InetAddress>> expectedPath(boolean v6) {
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (int ttl = 1; ttl <= hops; ttl++) {
            path.add(expectedResponder(ttl, v6));
        }
        return List.copyOf(path);
    }

    List<Optional<InetAddress>> expectedPath() {
        return expectedPath(false);
    }

    /** @throws IllegalArgumentException unless {@code 0 <= ttl <= hops} */
    void checkNode(int ttl) {
        if (ttl < 0 || ttl > hops) {
            throw new IllegalArgumentException("TTL must be 0 (host)..." + hops + " (destination), was " + ttl);
        }
    }

    private void checkNodeId(int node) {
        if (node < 0 || node >= nodeCount()) {
            if (s.ecmpTtl() == 0) {
                checkNode(node);
            }
            throw new IllegalArgumentException("no node " + node + " in a lab of " + nodeCount() + " nodes");
        }
    }
}
