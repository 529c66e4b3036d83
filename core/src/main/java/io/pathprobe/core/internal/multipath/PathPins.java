package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Before the path phase: flows sent to pin each path no known flow follows (two diamonds in a row: the flows sent
 * at the second may have missed a combination), as discovery probes of the {@link MdaPlanner}'s queue. Pure;
 * confined to the engine loop.
 */
final class PathPins {
    /** Flows tried a round to pin a path no known flow follows ({@link #pin}). */
    static final int PIN_FLOWS = 8;

    private final MdaPlanner planner;
    private final Ttl[] ttls;
    private final int maxFlow;

    PathPins(MdaPlanner planner, MultipathGraph graph, int maxFlow) {
        this.planner = planner;
        this.ttls = graph.ttls;
        this.maxFlow = Math.max(0, maxFlow);
    }

    /** Rounds of probes sent to pin paths no known flow follows ({@link #pinRound}). */
    private int pinRounds;
    static final int PIN_ROUNDS = 3;

    /** Before the path phase, up to {@value #PIN_ROUNDS} rounds of {@link #pin}; true if one was queued. */
    boolean pinRound(PathProbing paths, int last) {
        if (pinRounds >= PIN_ROUNDS || !pin(paths, last)) {
            return false;
        }
        pinRounds++;
        return true;
    }

    /**
     * Queues probes that may find a flow following each of {@code unmeasured} (paths no known flow
     * follows, as {@link PathWalk#flowsFollowing} tells): known flows of the path's nodes at its
     * TTLs of two nodes or more, not seen at another node of the path, sent at those of the TTLs where
     * they were not probed yet (up to {@value #PIN_FLOWS} a path); where none is left, as many fresh
     * flows at every such TTL (each follows the path with the odds of its branches). Discovery probes:
     * what they find is known as any answer is. Enumerates the paths up to TTL {@code last} first; true
     * if something was queued.
     */
    boolean pin(PathProbing paths, int last) {
        paths.enumerate(last);
        List<List<Node>> unmeasured = paths.unmeasured();
        if (unmeasured.isEmpty()) {
            return false;
        }
        pin(unmeasured);
        paths.pinned |= !planner.queue.isEmpty();
        return !planner.queue.isEmpty();
    }

    /** Queues the probes of {@link #pin(PathProbing, int)} for these paths. */
    void pin(List<List<Node>> unmeasured) {
        for (List<Node> path : unmeasured) {
            List<Node> wide = new ArrayList<>();
            for (Node n : path) {
                if (ttls[n.ttl].width() >= 2) {
                    wide.add(n);
                }
            }
            if (wide.size() < 2) {
                continue; // one branching TTL: every flow of its node follows the path
            }
            Set<Integer> candidates = new java.util.TreeSet<>();
            wide.forEach(n -> candidates.addAll(n.flows));
            int sent = 0;
            for (int f : candidates) {
                if (sent >= PIN_FLOWS) {
                    break;
                }
                if (!mayFollow(path, f)) {
                    continue;
                }
                boolean queued = false;
                for (Node n : wide) {
                    if (!ttls[n.ttl].cells.containsKey(f)) {
                        planner.want(n.ttl, f, Sent.Kind.DISCOVERY);
                        queued = true;
                    }
                }
                sent += queued ? 1 : 0;
            }
            if (sent > 0) {
                continue;
            }
            int f = 0;
            for (Node n : wide) {
                f = Math.max(f, ttls[n.ttl].nextFresh);
            }
            while (sent < PIN_FLOWS && f <= maxFlow) {
                int flow = f++;
                if (wide.stream().anyMatch(n -> ttls[n.ttl].cells.containsKey(flow))) {
                    continue;
                }
                wide.forEach(n -> planner.want(n.ttl, flow, Sent.Kind.DISCOVERY));
                sent++;
            }
            for (Node n : wide) {
                ttls[n.ttl].nextFresh = Math.max(ttls[n.ttl].nextFresh, f);
            }
        }
    }

    /**
     * Whether flow {@code f} reached no node of another than {@code path}'s at any TTL of it, and is not in flight
     * there.
     */
    private boolean mayFollow(List<Node> path, int f) {
        for (Node n : path) {
            Cell c = ttls[n.ttl].cells.get(f);
            if (c == null) {
                continue;
            }
            if (!c.resolved()) {
                return false;
            }
            Node reached = MultipathGraph.nodeAt(ttls[n.ttl], c);
            if (reached != null && reached != n) {
                return false;
            }
        }
        return true;
    }
}
