package io.pathprobe.lab.topology;

import io.pathprobe.lab.Addressing;
import io.pathprobe.lab.EcmpHash;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes of one lab node of a {@link ChainTopology}: back toward the host through its first
 * predecessor, on toward the destination over every next hop of an ECMP fabric (a table per branch where
 * the hash is not the kernel's), each part of a NAT'd chain in its own address space.
 */
final class ChainRoutes {
    private final ChainTopology topology;

    ChainRoutes(ChainTopology topology) {
        this.topology = topology;
    }

    List<ChainTopology.Route> routes(int node, boolean v6) {
        topology.checkNodeId(node);
        if (node == 0) {
            throw new IllegalArgumentException("the host's routes are written by the provisioner");
        }
        if (topology.home() != null) {
            return topology.home().routes(node, v6);
        }
        int t = topology.ttl(node);
        List<ChainTopology.Edge> in = topology.inEdges.get(node);
        List<ChainTopology.Edge> outs = topology.outEdges.get(node);
        List<ChainTopology.Route> out = new ArrayList<>();

        // toward the host: links 0..t-2 (beyond a NAT only the links outside it), and the fabric links behind
        int from = !v6 && topology.s.natHop() > 0 && t > topology.s.natHop() ? topology.s.natHop() : 0;
        List<String> back = new ArrayList<>(v6 ? (t - 1 > 0 ? Addressing.links6(0, t - 1) : List.of())
                : topology.cidrsOfLinks(from, t - 1));
        List<String> gwBack;
        if (!in.isEmpty()) {
            // back through the first predecessor only: the node then answers from one address, on that link
            gwBack = List.of(v6 ? ChainTopology.edge6(in.get(0), 1)
                    : Addressing.text(ChainTopology.edge(in.get(0), 1)));
            back.addAll(Addressing.transitionNets(0, in.get(0).transition() + 1, v6));
        } else {
            gwBack = List.of(v6 ? topology.down6(node - 1) : Addressing.text(topology.down(node - 1)));
            if (topology.fabric != null && t > topology.mergerTtl()) {
                back.addAll(topology.fabricNets(v6));
            }
        }
        if (!back.isEmpty()) {
            out.add(new ChainTopology.Route(back, gwBack, 0));
        }
        if (node == topology.hops()) {
            return out;
        }

        // toward the destination: links t+1..hops-1, the destination network, the fabric links ahead
        List<String> ahead = new ArrayList<>(v6
                ? (t + 1 < topology.hops() ? Addressing.links6(t + 1, topology.hops()) : List.of())
                : topology.cidrsOfLinks(t + 1, topology.hops()));
        ahead.add(v6 ? Addressing.DESTINATION6_NET : Addressing.DESTINATION_NET);
        EcmpFabric fabric = topology.fabric; // a node with fabric edges out is in one
        if (!outs.isEmpty() && fabric != null) {
            ahead.addAll(Addressing.transitionNets(outs.get(0).transition(), fabric.layers() + 1, v6));
            List<String> all = new ArrayList<>();
            for (ChainTopology.Edge edge : outs) {
                all.add(v6 ? ChainTopology.edge6(edge, 2) : Addressing.text(ChainTopology.edge(edge, 2)));
            }
            if (all.size() == 1 || topology.s.ecmpHash() == EcmpHash.LINUX_L4) {
                out.add(new ChainTopology.Route(ahead, all, 0));
            } else {
                // unmarked packets (this router's own) take the first next hop; a marked one its table's
                out.add(new ChainTopology.Route(ahead, List.of(all.get(0)), 0));
                for (int k = 1; k <= all.size(); k++) {
                    out.add(new ChainTopology.Route(ahead, List.of(all.get(k - 1)), ChainTopology.BRANCH_TABLE + k));
                }
            }
        } else {
            if (topology.fabric != null && t < topology.e - 1) {
                ahead.addAll(topology.fabricNets(v6));
            }
            out.add(new ChainTopology.Route(ahead,
                    List.of(v6 ? topology.up6(node + 1) : Addressing.text(topology.up(node + 1))), 0));
        }
        return out;
    }
}
