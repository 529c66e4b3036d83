package io.pathprobe.lab;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shape of one lab, as plain data: its nodes and their roles, namespaces, interfaces and
 * addresses, and what a correct trace through it shows. Nothing here runs a process or reads a file.
 *
 * <p>Node 0 is the probing host, nodes 1..hops-1 are routers, node {@code hops} is the destination
 * (see {@link Addressing} for the address plan). Each node's namespace is
 * {@code <lab name>-h|r<ttl>|d}; the host's is "" when the host is the calling namespace. In a lab
 * namespace, the interface toward the host is {@value #UPLINK} and the one toward the destination
 * {@value #DOWNLINK}; the calling namespace's host end of link 0 is {@value Lab#HOST_INTERFACE}.
 */
final class ChainTopology {
    static final String UPLINK = "uplink";
    static final String DOWNLINK = "downlink";

    private final String name;
    private final int hops;
    private final List<Integer> silent;
    private final boolean currentNamespace;
    /** Namespace of each node, index = TTL; index 0 is "" when the host is the calling namespace. */
    private final List<String> namespaces;
    private final List<Optional<InetAddress>> expectedPath;

    /**
     * @param silent the silent routers' TTLs (validated by the builder)
     * @param currentNamespace whether the host is the calling process's namespace
     * @throws IllegalArgumentException if {@code hops} is out of range
     */
    ChainTopology(String name, int hops, List<Integer> silent, boolean currentNamespace) {
        if (hops < 1 || hops > Addressing.MAX_HOPS) {
            throw new IllegalArgumentException("hops must be 1.." + Addressing.MAX_HOPS + ", was " + hops);
        }
        this.name = name;
        this.hops = hops;
        this.silent = List.copyOf(silent);
        this.currentNamespace = currentNamespace;
        List<String> ns = new ArrayList<>();
        for (int node = 0; node <= hops; node++) {
            ns.add(node == 0 && currentNamespace ? "" : name + "-" + role(node, hops));
        }
        this.namespaces = List.copyOf(ns);
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (int ttl = 1; ttl <= hops; ttl++) {
            path.add(responder(ttl));
        }
        this.expectedPath = List.copyOf(path);
    }

    /** The lab's name: the prefix of all its namespaces. */
    String name() {
        return name;
    }

    /** The TTL of the destination. */
    int hops() {
        return hops;
    }

    /** The TTLs of the silent routers, ascending. */
    List<Integer> silent() {
        return silent;
    }

    /** Whether the host is the calling process's own namespace. */
    boolean hostIsCallingNamespace() {
        return currentNamespace;
    }

    /** A node's role in namespace names: {@code h} (host), {@code r<ttl>} (router) or {@code d} (destination). */
    static String role(int node, int hops) {
        return node == 0 ? "h" : node == hops ? "d" : "r" + node;
    }

    /** What set-up messages call the node: "the host", "router 3", "the destination". */
    String describe(int node) {
        checkNode(node);
        return node == 0 ? "the host" : node == hops ? "the destination" : "router " + node;
    }

    /** Every node's namespace, index = TTL (0 is the host: "" when it is the calling namespace). */
    List<String> namespaces() {
        return namespaces;
    }

    /** The namespace of the node at this TTL. */
    String namespace(int node) {
        checkNode(node);
        return namespaces.get(node);
    }

    /** The nodes that live in a namespace of the lab's own (all but a calling-namespace host), ascending. */
    List<Integer> labNodes() {
        List<Integer> nodes = new ArrayList<>();
        for (int node = 0; node <= hops; node++) {
            if (!namespaces.get(node).isEmpty()) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    /** The host's interface on link 0: {@value Lab#HOST_INTERFACE} in the calling namespace, else downlink. */
    String hostInterface() {
        return currentNamespace ? Lab.HOST_INTERFACE : DOWNLINK;
    }

    /** The veth ends of a node in its own namespace: {@value #UPLINK} (not the host's), {@value #DOWNLINK} (not the destination's). */
    List<String> interfaces(int node) {
        checkNode(node);
        List<String> ifaces = new ArrayList<>();
        if (node > 0) {
            ifaces.add(UPLINK);
        }
        if (node < hops) {
            ifaces.add(DOWNLINK);
        }
        return ifaces;
    }

    /** Whether the node forwards (ip_forward=1): every router, and with a single hop the destination. */
    boolean forwards(int node) {
        // with a single hop the destination stands in for router 1 toward unroutedAddress()
        return node >= 1 && (node < hops || hops == 1);
    }

    /** Whether the node at this TTL drops the Time Exceeded it would send. */
    boolean isSilent(int node) {
        return silent.contains(node);
    }

    /**
     * The one interface of a lab namespace's listing that is UP once it has carrier: router 1's
     * uplink when its peer is {@value Lab#HOST_INTERFACE} (see {@link Lab}); "" for any other namespace.
     */
    String carrierSuffices(String namespace) {
        return currentNamespace && namespace.equals(namespaces.get(1)) ? UPLINK : "";
    }

    /**
     * What a correct trace shows at this TTL (1..): the router's address on its link toward the
     * host, empty for a silent router, the destination at {@code hops}, empty beyond.
     *
     * @throws IllegalArgumentException if {@code ttl < 1}
     */
    Optional<InetAddress> expectedResponder(int ttl) {
        if (ttl < 1) {
            throw new IllegalArgumentException("TTL must be at least 1, was " + ttl);
        }
        return ttl > hops ? Optional.empty() : expectedPath.get(ttl - 1);
    }

    /** {@link #expectedResponder(int)} for TTL 1..hops. */
    List<Optional<InetAddress>> expectedPath() {
        return expectedPath;
    }

    /**
     * @throws IllegalArgumentException unless {@code 0 <= ttl <= hops}
     */
    void checkNode(int ttl) {
        if (ttl < 0 || ttl > hops) {
            throw new IllegalArgumentException("TTL must be 0 (host)..." + hops + " (destination), was " + ttl);
        }
    }

    private Optional<InetAddress> responder(int ttl) {
        if (ttl == hops) {
            return Optional.of(Addressing.inet(Addressing.DESTINATION));
        }
        return silent.contains(ttl) ? Optional.empty() : Optional.of(Addressing.inet(Addressing.up(ttl)));
    }
}
