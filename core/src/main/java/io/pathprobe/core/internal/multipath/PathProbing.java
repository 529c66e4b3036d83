package io.pathprobe.core.internal.multipath;

import io.pathprobe.HopStatistics;
import io.pathprobe.LossBasis;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathRequest;
import io.pathprobe.PathHop;
import io.pathprobe.core.internal.multipath.MdaPlanner.Want;
import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ResponderPacing;
import io.pathprobe.core.internal.probe.WaitPolicy;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The path phase (see {@link MultipathStrategy}, "Paths"): every sequence of nodes joined by links
 * (at most {@value #MAX_PATHS}), each with the lowest flow that followed it; then {@code pathProbes}
 * rounds, one every {@code pathInterval}, each sending every path's flow at every TTL of the path.
 * Each hop is folded by {@link HopFolder} (losses split forward/backward as in a trace); an answer
 * from off the path is a drift, noted and not counted. Pure; confined to the engine loop.
 */
final class PathProbing {
    static final int MAX_PATHS = 256;

    private final MultipathRequest request;
    private final MultipathGraph graph;
    private final Ttl[] ttls;
    private final int firstTtl;
    private final boolean ipv6;
    private final long pathInterval;
    private final Set<String> notes;
    final List<List<Node>> paths = new ArrayList<>();
    private final List<Integer> pathFlows = new ArrayList<>();
    private final List<List<Integer>> pathAllFlows = new ArrayList<>();
    private final List<List<List<Sent>>> pathProbes = new ArrayList<>();
    private final Map<Integer, Integer> drifts = new HashMap<>();
    private final Map<Integer, Integer> retries = new HashMap<>();
    private final ResponderPacing pacing;
    private boolean destinationLimited;
    private int pathRound;
    /** Rounds of path probes: the request's, or fewer where the destination's limit would not let them fit. */
    private int rounds;
    private boolean capped;
    /** Path probes the cut took out of the queue, and the rounds issued before it: sent after all if it is undone. */
    private final List<Want> shelved = new ArrayList<>();
    private int roundsBeforeCut;
    private @org.jspecify.annotations.Nullable String capNote;
    /** Path probes a path's last hop answered. */
    private int lastHopAnswered;
    private java.net.@org.jspecify.annotations.Nullable InetAddress destination;
    private long deadlineAt = Long.MAX_VALUE;
    /** When the next round is due: an interval after the last one was due, or after it left if it left late. */
    private long nextDueAt;
    /** Path probes outstanding. */
    int inFlight;

    PathProbing(MultipathRequest request, MultipathGraph graph, boolean ipv6, Set<String> notes) {
        this(request, graph, ipv6, notes, ResponderPacing.NONE);
    }

    PathProbing(MultipathRequest request, MultipathGraph graph, boolean ipv6, Set<String> notes, ResponderPacing pacing) {
        this.pacing = pacing;
        this.request = request;
        this.graph = graph;
        this.ttls = graph.ttls;
        this.firstTtl = graph.firstTtl;
        this.ipv6 = ipv6;
        this.pathInterval = WaitPolicy.nanos(request.pathInterval());
        this.notes = notes;
    }

    /**
     * The path phase starts now over the paths up to TTL {@code last}, with {@code remaining}
     * nanoseconds before the deadline; false if there is nothing to probe.
     */
    boolean start(long now, int last, long remaining, java.net.InetAddress destination) {
        enumerate(last);
        nextDueAt = now;
        pathRound = 0;
        rounds = request.pathProbes();
        this.destination = destination;
        deadlineAt = remaining == Long.MAX_VALUE ? Long.MAX_VALUE : WaitPolicy.plus(now, remaining);
        capped = false;
        shelved.clear();
        capNote = null;
        lastHopAnswered = 0;
        return rounds > 0 && !paths.isEmpty();
    }

    /**
     * Once the destination is a learned limiter (a UDP probe's Port Unreachable is an ICMP error:
     * Linux sends one a second after a burst of 6), every path's last-hop probe waits for its budget
     * and a round takes about {@code paths × interval}: the rounds still to come are cut to those
     * that fit in four fifths of what is left before the deadline (at least one in all), and the
     * result's notes say so, rather than the discovery ending at its deadline. The cut is undone if
     * the verdict is withdrawn (its misses were answers read late, on busy CPUs): the rounds cut are
     * sent after all and the note goes.
     */
    private void cap(long now, Collection<Want> queue) {
        long interval = destination == null ? -1 : pacing.interval(destination);
        if (capped) {
            if (interval <= 0) {
                capped = false;
                rounds = request.pathProbes();
                pathRound = Math.max(pathRound, roundsBeforeCut);
                queue.addAll(shelved);
                shelved.clear();
                if (capNote != null) {
                    notes.remove(capNote);
                    capNote = null;
                }
            }
            return;
        }
        if (rounds == 0 || interval <= 0 || deadlineAt == Long.MAX_VALUE) {
            return;
        }
        capped = true;
        int measured = (int) pathFlows.stream().filter(f -> f >= 0).count();
        if (measured == 0) {
            return;
        }
        long left = Math.max(0, deadlineAt - now);
        long fit = left / 5 * 4 / (interval * measured);
        int done = lastHopAnswered / measured; // rounds decided at the last hop (the rest wait, or were refused)
        int total = (int) Math.max(1, Math.min(rounds, done + fit));
        if (total < rounds) {
            for (java.util.Iterator<Want> it = queue.iterator(); it.hasNext();) {
                Want w = it.next();
                if (w.kind() == Sent.Kind.PATH && w.round() >= total) {
                    shelved.add(w);
                    it.remove();
                }
            }
            roundsBeforeCut = pathRound;
            pathRound = Math.min(pathRound, total);
            capNote = "path probes: " + total + " per path instead of " + rounds + " (the destination answers about one"
                    + " probe every " + Math.max(1, interval / 1_000_000) + " ms, its ICMP rate limit: " + rounds
                    + " per path would not end before the deadline)";
            notes.add(capNote);
            rounds = total;
        }
    }

    /**
     * Queues the next round's probes when it is due. A hop before the path's last whose router is an
     * ICMP limiter with a learned pace ({@link ResponderPacing#learned}) gets no path probe (its answers
     * would be spent on a budget the path's loss does not need); one judged on misses alone keeps its
     * probes, whose answers withdraw a verdict a lossy link in front of it gave (a miss there is
     * rate-limited, never loss: {@code MultipathPacing}); the last hop always gets one: its loss is the
     * path's (end to end, or spaced under the destination's learned budget when the destination limits
     * its answers).
     */
    void due(long now, Collection<Want> queue) {
        cap(now, queue);
        if (pathRound < rounds && now - nextDueAt >= 0) {
            pathRound++;
            // start to start, as mtr's rounds; a round that left an interval late or more (the engine
            // was behind) sets the schedule anew: the rounds missed are not sent in a burst, which
            // would hammer the routers' ICMP limits and read as their refusals
            nextDueAt = now - nextDueAt >= pathInterval ? WaitPolicy.plus(now, pathInterval)
                    : WaitPolicy.plus(nextDueAt, pathInterval);
            for (int i = 0; i < paths.size(); i++) {
                if (pathFlows.get(i) < 0) {
                    continue;
                }
                List<Node> p = paths.get(i);
                for (int h = 0; h < p.size(); h++) {
                    Node n = p.get(h);
                    if (h < p.size() - 1 && n.address != null && pacing.learned(n.address)) {
                        continue;
                    }
                    queue.add(new Want(n.ttl, pathFlows.get(i), Sent.Kind.PATH, i, pathRound - 1));
                }
            }
        }
    }

    /**
     * Whether a rate-limited path probe may be sent again: at most
     * {@link MultipathStrategy#RATE_LIMITED_RETRIES} times per round of each hop of each path.
     */
    boolean retry(Sent s) {
        int key = (s.path * 256 + s.state.ttl()) * 4096 + Math.min(4095, s.state.attempt());
        return retries.merge(key, 1, Integer::sum) <= MultipathStrategy.RATE_LIMITED_RETRIES;
    }

    /** Whether {@code ttl} is the last hop of path {@code path} (its loss is the path's). */
    boolean last(int path, int ttl) {
        return path >= 0 && path < paths.size() && ttl - firstTtl == paths.get(path).size() - 1;
    }

    /** The address path {@code path}'s node at {@code ttl} answers from, or null (silent). */
    java.net.@org.jspecify.annotations.Nullable InetAddress expected(int path, int ttl) {
        if (path < 0 || path >= paths.size()) {
            return null;
        }
        List<Node> p = paths.get(path);
        int h = ttl - firstTtl;
        return h >= 0 && h < p.size() ? p.get(h).address : null;
    }

    /** Whether the destination limited the path probes' answers (then the loss basis is spaced). */
    void destinationLimited(boolean limited) {
        destinationLimited = limited;
    }

    /** Every round was sent and answered or given up. */
    boolean complete() {
        return pathRound >= rounds && inFlight == 0;
    }

    /** Nanoseconds from {@code now} to the next round, or Long.MAX_VALUE. */
    long nextRound(long now) {
        return pathRound < rounds ? Math.max(0, nextDueAt - now) : Long.MAX_VALUE;
    }

    /** A path probe left. */
    void sent(Sent s, int ttl) {
        inFlight++;
        pathProbes.get(s.path).get(ttl - firstTtl).add(s);
    }

    /** A path probe was answered by {@code responder}: off the path, it is a drift. */
    void answered(Sent s, int ttl, InetAddress responder) {
        if (last(s.path, ttl)) {
            lastHopAnswered++;
        }
        Node expected = paths.get(s.path).get(ttl - firstTtl);
        if (expected.address == null || !expected.address.equals(responder)) {
            s.drift = true;
            driftAt(s.path, ttl, responder);
        }
    }

    /** The paths that were measured (a flow follows them). */
    List<MultipathPath> measured() {
        List<MultipathPath> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (pathFlows.get(i) >= 0) {
                out.add(toPath(i));
            }
        }
        return out;
    }

    /** Every path, measured or not. */
    List<MultipathPath> all() {
        List<MultipathPath> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            out.add(toPath(i));
        }
        return out;
    }

    /**
     * A path probe answered by another node of the same TTL. Once is a route change; twice at one
     * TTL of one path, the path's node before it balances per packet (flagged as discovery would),
     * unless the path's node there is the silent one (then it was only lost in discovery: noted).
     */
    void driftAt(int path, int ttl, InetAddress responder) {
        int count = drifts.merge(path * 256 + ttl, 1, Integer::sum);
        List<Node> p = paths.get(path);
        int h = ttl - firstTtl;
        if (count < 2 || h == 0) {
            return;
        }
        if (p.get(h).address == null) {
            // a node discovery took for silent answered: its discovery probes were lost (or refused
            // over a limit), which says nothing about how the router before it balances
            notes.add("the silent node at TTL " + ttl + " of path " + (path + 1) + " answered path probes from "
                    + responder.getHostAddress() + ": its discovery probes were lost");
            return;
        }
        Node pred = p.get(h - 1);
        if (!pred.perPacket) {
            pred.perPacket = true;
            notes.add("per-packet load balancing at " + MultipathGraph.text(pred) + " (TTL " + pred.ttl + "): path probes of one flow"
                    + " were answered by " + MultipathGraph.text(p.get(h)) + " and " + responder.getHostAddress() + " at TTL " + ttl);
        }
    }

    /** Every path through the nodes up to TTL {@code last}, with the flows that follow it. */
    void enumerate(int last) {
        paths.clear();
        pathFlows.clear();
        pathAllFlows.clear();
        pathProbes.clear();
        if (last < firstTtl) {
            return;
        }
        Map<Node, List<Node>> succ = graph.successors(last);
        List<Node> starts = graph.reportedNodes(firstTtl);
        ArrayDeque<List<Node>> stack = new ArrayDeque<>();
        for (int i = starts.size() - 1; i >= 0; i--) {
            stack.push(List.of(starts.get(i)));
        }
        boolean capped = false;
        while (!stack.isEmpty()) {
            List<Node> p = stack.pop();
            Node end = p.get(p.size() - 1);
            List<Node> next = end.ttl < last ? succ.getOrDefault(end, List.of()) : List.of();
            if (next.isEmpty()) {
                if (paths.size() >= MAX_PATHS) {
                    capped = true;
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
        if (capped) {
            notes.add("more than " + MAX_PATHS + " paths: only the first " + MAX_PATHS + " are reported");
        }
        for (List<Node> p : paths) {
            List<Integer> flows = flowsFollowing(p);
            pathAllFlows.add(flows);
            pathFlows.add(flows.isEmpty() ? -1 : flows.get(0));
            List<List<Sent>> hops = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                hops.add(new ArrayList<>());
            }
            pathProbes.add(hops);
            if (flows.isEmpty() && request.pathProbes() > 0) {
                notes.add("no flow is known to follow the path " + p.stream().map(MultipathGraph::text).toList()
                        + ": not measured");
            }
        }
    }

    /** Flows seen at every TTL of the path where the TTL has two nodes or more, and never off it. */
    List<Integer> flowsFollowing(List<Node> path) {
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
                if (c != null && c.resolved() && MultipathGraph.nodeAt(ttls[n.ttl], c) != n) {
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

    MultipathPath toPath(int i) {
        List<Node> p = paths.get(i);
        List<List<Sent>> hops = pathProbes.isEmpty() ? List.of() : pathProbes.get(i);
        List<PathHop> out = new ArrayList<>();
        int drifts = 0;
        for (int h = 0; h < p.size(); h++) {
            Node n = p.get(h);
            List<ProbeState> states = new ArrayList<>();
            if (h < hops.size()) {
                // one probe decides each round: a round's probe given up as rate-limited is sent again,
                // and the round counts its first answered try, else its last (a verdict withdrawn
                // later leaves no round counted twice)
                Map<Integer, ProbeState> byRound = new java.util.LinkedHashMap<>();
                for (Sent s : hops.get(h)) {
                    if (s.drift) {
                        drifts++;
                        continue;
                    }
                    ProbeState kept = byRound.get(s.state.attempt());
                    if (kept == null || !kept.answered()) {
                        byRound.put(s.state.attempt(), s.state);
                    }
                }
                states.addAll(byRound.values());
            }
            int hop = h;
            HopStatistics stats = HopFolder.hop(n.ttl, states, ipv6, false,
                    round -> answeredLater(hops, hop, round)).statistics();
            out.add(new PathHop(n.ttl, Optional.ofNullable(n.address), stats));
        }
        if (drifts > 0) {
            notes.add("path " + (i + 1) + " " + p.stream().map(MultipathGraph::text).toList() + ": " + drifts
                    + " path probes answered off the path (a route change or per-packet balancing), not counted");
        }
        return new MultipathPath(out, pathAllFlows.isEmpty() ? List.of() : pathAllFlows.get(i),
                out.get(out.size() - 1).statistics(),
                destinationLimited ? LossBasis.SPACED_PER_RESPONDER : LossBasis.END_TO_END);
    }

    static boolean answeredLater(List<List<Sent>> hops, int h, int round) {
        for (int k = h + 1; k < hops.size(); k++) {
            for (Sent s : hops.get(k)) {
                if (s.state.attempt() == round && s.state.answered() && !s.drift) {
                    return true;
                }
            }
        }
        return false;
    }

    static long satMul(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
