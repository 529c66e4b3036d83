package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The paths of a discovery's graph: every sequence of nodes joined by links, and the flows known to follow
 * each. Pure; part of {@link PathProbing}.
 */
final class PathWalk {
    private PathWalk() {}

    /**
     * Every path through the nodes from {@code firstTtl} up to TTL {@code last}, depth first in the
     * nodes' order, at most {@code max} (a note says so when there were more).
     */
    static List<List<Node>> paths(MultipathGraph graph, int firstTtl, int last, int max, Set<String> notes) {
        List<List<Node>> paths = new ArrayList<>();
        Map<Node, List<Node>> succ = graph.successors(last);
        List<Node> starts = graph.reportedNodes(firstTtl);
        ArrayDeque<List<Node>> stack = new ArrayDeque<>();
        for (int i = starts.size() - 1; i >= 0; i--) {
            stack.push(List.of(starts.get(i)));
        }
        while (!stack.isEmpty()) {
            List<Node> p = stack.pop();
            Node end = p.get(p.size() - 1);
            List<Node> next = end.ttl < last ? succ.getOrDefault(end, List.of()) : List.of();
            if (next.isEmpty()) {
                if (paths.size() >= max) {
                    notes.add("more than " + max + " paths: only the first " + max + " are reported");
                    break;
                }
                paths.add(p);
                continue;
            }
            for (int i = next.size() - 1; i >= 0; i--) {
                List<Node> q = new ArrayList<>(p);
                q.add(next.get(i));
                stack.push(q);
            }
        }
        return paths;
    }

    /** Flows seen at every TTL of the path where the TTL has two nodes or more, and never at another node. */
    static List<Integer> flowsFollowing(Ttl[] ttls, List<Node> path) {
        Set<Integer> candidates = null;
        for (Node n : path) {
            Ttl t = ttls[n.ttl];
            if (t.width() < 2) {
                continue;
            }
            Set<Integer> here = new TreeSet<>(n.flows);
            if (candidates == null) {
                candidates = here;
            } else {
                candidates.retainAll(here);
            }
        }
        if (candidates == null) {
            candidates = new TreeSet<>(path.get(0).flows);
            for (Node n : path) {
                candidates.addAll(n.flows);
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int f : candidates) {
            boolean ok = true;
            for (Node n : path) {
                Cell c = ttls[n.ttl].cells.get(f);
                Node reached = c == null || !c.resolved() ? null : MultipathGraph.nodeAt(ttls[n.ttl], c);
                // a flow refused there over a budget, or lost on the way to the destination, reached no
                // node: that contradicts nothing (such a flow still follows the path)
                if (reached != null && reached != n) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                out.add(f);
            }
        }
        return out;
    }
}
