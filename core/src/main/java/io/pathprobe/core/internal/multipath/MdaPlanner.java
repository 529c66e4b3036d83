package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Which flows discovery sends next (see {@link MultipathStrategy}, "Discovery"): exploration of further TTLs, MDA-Lite
 * per TTL with the stopping rule of {@link MdaBounds}, the meshing test, node control, and the per-packet checks.
 * Re-run whenever what is known changed; what it asks for only grows with what was seen. With a set of unmet nodes it
 * only collects the nodes whose stopping rule is not met (for {@code unexplored}). Pure; confined to the engine loop.
 */
final class MdaPlanner {
    static final int PER_PACKET_CHECKS = 2;
    static final int MESHING_FLOWS = 2;
    static final int EXTRA_TRIES_AMID_ANSWERS = 2;
    static final long EXPLORE_FLOOR_NANOS = 10_000_000;
    static final long EXPLORE_DEFAULT_NANOS = 50_000_000;

    /** A probe to send: a flow at a TTL, for discovery, a per-packet check, or a path (its round). */
    record Want(int ttl, int flow, Sent.Kind kind, int path, int round) {}

    private final MultipathRequest request;
    private final MultipathGraph graph;
    private final Ttl[] ttls;
    private final int firstTtl;
    private final int maxTtl;
    private final MdaBounds bounds;
    private final int maxFlow;
    private final boolean mda;
    private final long probeTimeout;
    private final IntSupplier horizon;
    private final Set<String> notes;
    /** What to send, in order. */
    final ArrayDeque<Want> queue = new ArrayDeque<>();
    /** Flows unanswered after their quick tries: sent again in waves until answered or shown silent. */
    final QuietTries waves;
    /** Flows sent to pin paths no known flow follows, before the path phase. */
    final PathPins pins;
    private boolean flowCapped;
    /** The highest TTL open to discovery. */
    int lastOpen;
    /** The slowest answer so far, or -1 (the exploration delay). */
    long maxRtt = -1;
    /**
     * How late the engine read its latest answer: its read tick less its send tick less its RTT. The
     * exploration delay waits that much more, since an answer that came back in time is read that late:
     * an engine that fell 15 ms behind a width-8 diamond's answers (a busy CPU, the replanning after each
     * answer) took its own backlog for a silent TTL and sent probes past the destination.
     */
    long readLag;

    MdaPlanner(MultipathRequest request, MultipathGraph graph, int maxFlow, IntSupplier horizon, Set<String> notes) {
        this.request = request;
        this.graph = graph;
        this.ttls = graph.ttls;
        this.firstTtl = graph.firstTtl;
        this.maxTtl = graph.maxTtl;
        this.bounds = MdaBounds.of(request.confidence());
        this.maxFlow = Math.max(0, maxFlow);
        this.mda = request.algorithm() == MultipathAlgorithm.MDA;
        this.probeTimeout = WaitPolicy.nanos(request.probeTimeout());
        this.horizon = horizon;
        this.notes = notes;
        this.lastOpen = firstTtl;
        this.waves = new QuietTries(graph, request.probesPerTtl());
        this.pins = new PathPins(this, graph, maxFlow);
    }

    /**
     * Works out what is still needed everywhere. With {@code unmet} null, queues it; otherwise only
     * collects the nodes whose stopping rule is not met by answered probes (for {@code unexplored}).
     */
    void plan(long now, @Nullable Set<Node> unmet) {
        if (unmet == null) {
            openMore(now);
        }
        int last = Math.min(lastOpen, horizon.getAsInt());
        for (int t = firstTtl; t <= last; t++) {
            planTtl(t, unmet);
        }
        if (unmet != null && lastOpen < Math.min(maxTtl, horizon.getAsInt()) && !graph.destinationReached) {
            Ttl f = ttls[lastOpen];
            if (f.routerAnswered) {
                unmet.addAll(f.nodes.values());
            }
        }
    }

    void openMore(long now) {
        while (lastOpen < Math.min(maxTtl, horizon.getAsInt())) {
            Ttl t = ttls[lastOpen];
            if (!t.routerAnswered) {
                boolean silent = !t.cells.isEmpty() && t.cells.values().stream().allMatch(c -> c.silent);
                boolean waited = t.firstSentTick >= 0 && now - t.firstSentTick >= exploreDelay();
                if (!(silent || waited) || graph.trailingSilent(lastOpen) >= request.gapLimit()) {
                    return;
                }
            }
            lastOpen++;
        }
    }

    void planTtl(int ttl, @Nullable Set<Node> unmet) {
        Ttl t = ttls[ttl];
        boolean dry = unmet != null;
        if (t.cells.isEmpty()) {
            if (!dry) {
                for (int f : pickFlows(ttl, 1)) {
                    want(ttl, f, Sent.Kind.DISCOVERY);
                }
            }
            return;
        }
        if (unmet != null && ttl > firstTtl && t.cells.values().stream().anyMatch(c -> !c.resolved())) {
            unmet.addAll(ttls[ttl - 1].all()); // probes of this TTL were still out
        }
        if (!t.answered()) {
            // silent so far: its flows are retried. Behind branches, a flow's silence may be its branch's
            // loss, not a silent router: once every flow tried here is silent (or waits for a quiet wave),
            // flows through the other branches are tried before the whole TTL is taken for silent
            if (!dry && t.cells.values().stream().allMatch(c -> c.silent || waves.waits(c))) {
                spreadOverBranches(ttl);
            }
            return;
        }
        reviveSilentAmidAnswers(t, dry);
        if (ttl == horizon.getAsInt() && t.nodes.values().stream().allMatch(n -> n.destination)) {
            return; // the destination is one host
        }
        boolean afterPerPacket = graph.afterPerPacket(ttl);
        // Without a path phase, re-send a few known flows where a TTL first shows two nodes: the
        // only way discovery itself can see a per-packet balancer (2 probes; 69 % of width-2
        // per-packet balancers caught). The path phase re-sends every path's flow pathProbes times,
        // which catches them reliably, so with path probes these checks are not spent (and the
        // discovery sends exactly scamper's count on an unmeshed diamond).
        if (!dry && request.pathProbes() == 0 && !t.perPacketChecked && t.nodes.size() >= 2 && !afterPerPacket) {
            t.perPacketChecked = true;
            int checks = 0;
            for (Node n : t.nodes.values()) {
                if (checks == PER_PACKET_CHECKS) {
                    break;
                }
                if (!n.flows.isEmpty()) {
                    want(ttl, n.flows.first(), Sent.Kind.CHECK);
                    checks++;
                }
            }
        }
        if (t.behindPerPacket) {
            return;
        }
        if (ttl == firstTtl) {
            if (t.width() >= 2) {
                topUp(ttl, stop(t.width() + 1), unmet);
            }
            return;
        }
        Ttl prev = ttls[ttl - 1];
        boolean wide = prev.width() >= 2 && !graph.afterPerPacket(ttl - 1);
        if (wide && !t.nodeControl && (mda || graph.meshed(ttl) || graph.uneven(ttl))) {
            t.nodeControl = true;
        }
        if (wide && t.nodeControl) {
            nodeControl(ttl, unmet);
        } else {
            topUp(ttl, stop(t.width() + 1), unmet);
        }
        if (!dry && wide && t.width() >= 2) {
            meshingTest(ttl);
        }
    }

    /**
     * Where a TTL has only silent flows: a flow through each node of the nearest earlier TTL of several
     * nodes that has none here yet (not behind a per-packet balancer, where a flow picks no branch). A
     * lossy branch then hides nothing behind it; a silent router costs one more try per branch.
     */
    private void spreadOverBranches(int ttl) {
        for (int b = ttl - 1; b >= firstTtl; b--) {
            Ttl branches = ttls[b];
            if (branches.nodes.size() < 2) {
                continue;
            }
            if (graph.afterPerPacket(b)) {
                return;
            }
            Ttl t = ttls[ttl];
            for (Node n : branches.nodes.values()) {
                if (n.flows.stream().noneMatch(t.cells::containsKey)) {
                    Integer f = firstFree(n.flows, t, Set.of());
                    if (f != null) {
                        want(ttl, f, Sent.Kind.DISCOVERY);
                    }
                }
            }
            return;
        }
    }

    /**
     * Where a TTL answers, a flow silenced there before any of its answers came had fewer tries than
     * {@link #retry} gives amid answers: it gets the rest now, so whether a lossy branch leaves a silent
     * node does not depend on the order in which the answers came.
     */
    private void reviveSilentAmidAnswers(Ttl t, boolean dry) {
        if (dry || t.silent == null) {
            return;
        }
        int tries = request.probesPerTtl() + EXTRA_TRIES_AMID_ANSWERS;
        for (Cell c : t.cells.values()) {
            if (c.silent && c.pending == 0 && c.attempts < tries) {
                graph.unsilence(c);
                queue.addFirst(new Want(c.ttl, c.flow, Sent.Kind.DISCOVERY, -1, 0));
            }
        }
    }

    /** n(k), capped at the session's flows. */
    int stop(int k) {
        int n = bounds.stoppingPoint(k);
        if (n > maxFlow + 1) {
            if (!flowCapped) {
                flowCapped = true;
                notes.add("the stopping point " + n + " was capped at the transport's " + (maxFlow + 1) + " flows");
            }
            return maxFlow + 1;
        }
        return n;
    }

    void topUp(int ttl, int target, @Nullable Set<Node> unmet) {
        Ttl t = ttls[ttl];
        if (unmet != null) {
            long resolved = t.cells.values().stream().filter(Cell::resolved).count();
            if (resolved < target && ttl > firstTtl) {
                unmet.addAll(ttls[ttl - 1].all());
            }
            return;
        }
        int missing = target - t.cells.size();
        if (missing > 0) {
            for (int f : pickFlows(ttl, missing)) {
                want(ttl, f, Sent.Kind.DISCOVERY);
            }
        }
    }

    /** Up to n flows new at ttl: the previous TTL's (spread over its nodes), the next TTL's, then the lowest free. */
    List<Integer> pickFlows(int ttl, int n) {
        Ttl t = ttls[ttl];
        List<Integer> out = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        if (ttl > firstTtl) {
            List<Node> prev = new ArrayList<>(ttls[ttl - 1].all());
            Map<Node, Integer> have = new HashMap<>();
            for (Node p : prev) {
                int c = 0;
                for (int f : p.flows) {
                    if (t.cells.containsKey(f)) {
                        c++;
                    }
                }
                have.put(p, c);
            }
            boolean progress = true;
            while (out.size() < n && progress) {
                progress = false;
                prev.sort(Comparator.comparingInt(have::get));
                for (Node p : prev) {
                    Integer f = firstFree(p.flows, t, taken);
                    if (f != null) {
                        out.add(f);
                        taken.add(f);
                        have.merge(p, 1, Integer::sum);
                        progress = true;
                        break;
                    }
                }
            }
        }
        if (out.size() < n && ttl + 1 < ttls.length && ttls[ttl + 1] != null) {
            for (Cell c : ttls[ttl + 1].cells.values()) {
                if (out.size() >= n) {
                    break;
                }
                if (c.resolved() && !t.cells.containsKey(c.flow) && taken.add(c.flow)) {
                    out.add(c.flow);
                }
            }
        }
        while (out.size() < n && t.nextFresh <= maxFlow) {
            int f = t.nextFresh++;
            if (!t.cells.containsKey(f) && taken.add(f)) {
                out.add(f);
            }
        }
        return out;
    }

    static @Nullable Integer firstFree(Set<Integer> flows, Ttl t, Set<Integer> taken) {
        for (int f : flows) {
            if (!t.cells.containsKey(f) && !taken.contains(f)) {
                return f;
            }
        }
        return null;
    }

    void want(int ttl, int flow, Sent.Kind kind) {
        if (kind == Sent.Kind.DISCOVERY) {
            graph.cell(ttl, flow);
        }
        queue.add(new Want(ttl, flow, kind, -1, 0));
    }

    /** Each answering node at ttl-1 gets n(s+1) of its own flows answered at ttl; new flows where it has too few. */
    void nodeControl(int ttl, @Nullable Set<Node> unmet) {
        Ttl t = ttls[ttl];
        Ttl prev = ttls[ttl - 1];
        int deficitFlows = 0;
        for (Node v : prev.nodes.values()) {
            if (v.destination) {
                continue;
            }
            Set<Node> succ = new HashSet<>();
            int resolvedHere = 0;
            int assignedHere = 0;
            for (int f : v.flows) {
                Cell c = t.cells.get(f);
                if (c != null) {
                    assignedHere++;
                    if (c.resolved()) {
                        resolvedHere++;
                        Node s = MultipathGraph.nodeAt(t, c);
                        if (s != null) {
                            succ.add(s);
                        }
                    }
                }
            }
            int need = stop(Math.max(1, succ.size()) + 1);
            if (unmet != null) {
                if (resolvedHere < need) {
                    unmet.add(v);
                }
                continue;
            }
            for (int f : v.flows) {
                if (assignedHere >= need) {
                    break;
                }
                if (!t.cells.containsKey(f)) {
                    want(ttl, f, Sent.Kind.DISCOVERY);
                    assignedHere++;
                }
            }
            if (assignedHere < need) {
                int share = Math.max(1, v.flows.size());
                long total = prev.cells.values().stream().filter(Cell::resolved).count();
                deficitFlows = (int) Math.max(deficitFlows,
                        Math.min((long) (need - assignedHere) * Math.max(1, total) / share + 1, 4L * need));
            }
        }
        if (unmet != null || deficitFlows == 0) {
            return;
        }
        boolean busy = prev.cells.values().stream().anyMatch(c -> !c.resolved());
        if (busy) {
            return; // wait for the flows in progress at ttl-1 before adding more
        }
        int f = Math.max(prev.nextFresh, t.nextFresh);
        int added = 0;
        while (added < deficitFlows && f <= maxFlow) {
            if (!prev.cells.containsKey(f) && !t.cells.containsKey(f)) {
                want(ttl - 1, f, Sent.Kind.DISCOVERY);
                want(ttl, f, Sent.Kind.DISCOVERY);
                added++;
            }
            f++;
        }
    }

    /** Two flows of every node probed one TTL back and one TTL on. */
    void meshingTest(int ttl) {
        meshing(ttls[ttl], ttls[ttl - 1], ttl - 1);
        meshing(ttls[ttl - 1], ttls[ttl], ttl);
    }

    /** Each node of {@code of} has {@link #MESHING_FLOWS} of its flows (or all) probed at {@code other}'s TTL. */
    private void meshing(Ttl of, Ttl other, int otherTtl) {
        for (Node u : of.nodes.values()) {
            int known = 0;
            for (int f : u.flows) {
                if (other.cells.containsKey(f)) {
                    known++;
                }
            }
            for (int f : u.flows) {
                if (known >= Math.min(MESHING_FLOWS, u.flows.size())) {
                    break;
                }
                if (!other.cells.containsKey(f)) {
                    want(otherTtl, f, Sent.Kind.DISCOVERY);
                    known++;
                }
            }
        }
    }

    /** When the frontier TTL may be passed by without an answer, or MAX_VALUE. */
    long exploreAt() {
        if (lastOpen >= Math.min(maxTtl, horizon.getAsInt())) {
            return Long.MAX_VALUE;
        }
        Ttl t = ttls[lastOpen];
        if (t.routerAnswered || t.firstSentTick < 0 || graph.trailingSilent(lastOpen) >= request.gapLimit()) {
            return Long.MAX_VALUE;
        }
        return WaitPolicy.plus(t.firstSentTick, exploreDelay());
    }

    long exploreDelay() {
        long d = maxRtt < 0 ? EXPLORE_DEFAULT_NANOS : Math.max(EXPLORE_FLOOR_NANOS, 3 * maxRtt);
        return Math.min(d + readLag, probeTimeout);
    }

    /**
     * Discovery probe {@code s} got nothing ({@code limited}: its responder was over its learned
     * limit, RATE_LIMITED; {@code discovering}: the discovery phase is on): its flow is sent again at
     * once while it has quick tries, then waits for quiet waves ({@link QuietTries}), and is silent only
     * after them. An unanswered flow is never a sample for the stopping rule (a refusal does not say which
     * node the flow reached). A rate-limited try does not count: the flow is sent again (under the pacing)
     * up to {@value MultipathStrategy#RATE_LIMITED_RETRIES} times.
     */
    void missed(Sent s, boolean limited, boolean discovering, long now) {
        Cell c = s.cell;
        if (c == null || c.resolved()) {
            return;
        }
        if (limited && c.rateLimited < MultipathStrategy.RATE_LIMITED_RETRIES) {
            c.rateLimited++;
            c.attempts--; // the limiter, not the path, kept it from answering
        }
        if (waves.quiet(s)) {
            c.quiet++; // nothing that could be at its TTL answered for a refill before it and since
        }
        if (c.pending > 0) {
            return;
        }
        if (discovering && (retry(c) || waves.await(c, now))) {
            return;
        }
        graph.silence(c);
    }

    /**
     * A discovery probe of cell {@code c} got nothing: queues the flow again (first) if it has tries
     * left; false when it has none (the cell is silent).
     */
    boolean retry(Cell c) {
        // Where other flows are answered at this TTL, one unanswered flow is more often a loss than a
        // silent router (a silent router keeps every flow through it unanswered, whatever the
        // tries): give it EXTRA_TRIES_AMID_ANSWERS more before it makes a silent node, so a lossy
        // branch does not show up as a "*" node and a path of its own.
        int tries = request.probesPerTtl() + (ttls[c.ttl].nodes.isEmpty() ? 0 : EXTRA_TRIES_AMID_ANSWERS);
        if (c.attempts < tries) {
            queue.addFirst(new Want(c.ttl, c.flow, Sent.Kind.DISCOVERY, -1, 0));
            return true;
        }
        return false;
    }
}
