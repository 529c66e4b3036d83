package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MdaPlanner.Want;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.ProbeStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The path phase (see {@link MultipathStrategy}, "Paths"): every sequence of nodes joined by links (at most
 * {@value #MAX_PATHS}), each with the lowest flow that followed it; then {@code pathProbes} rounds, one every
 * {@code pathInterval}, each sending every path's flow at every TTL of the path. Each path's hop rows are
 * {@link HopRows}' (a hop claims loss only as far as the path beyond it lost too); an answer from off the path is a
 * drift, noted and not counted. {@link #elsewhere} (a UDP discovery's paths measured over TCP, with TCP confirmation:
 * {@link TcpPathProbing}) is told the paths where their last hops want more probes than a limiting destination gives at
 * once: as soon as discovery waits for late answers ({@link #early}), else when the phase starts; or once the
 * destination is found (or known) to limit its answers. The phase waits while it holds them (pinning its flows);
 * once the destination is found limiting, the paths it claims get no more of these probes. Pure; confined to the
 * engine loop.
 */
final class PathProbing {
    static final int MAX_PATHS = 256;
    /**
     * Rounds in a row on the path, then off it, for a hop's off-path answers to be a route change
     * ({@link #judgeDrifts}).
     */
    static final int ROUTE_CHANGE_RUN = 8;
    /** Rounds in a row a router answered before a silence for it to be no rate limit of its ({@link #cutBefore}). */
    static final int FULL_RATE_RUN = 10;
    /** ICMP errors Linux sends one peer at once before its one-a-second limit ({@link #tooManyForABurst}). */
    static final int DESTINATION_BURST = 6;

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
    /** What the path probes met off their paths ({@link PathEvents}). */
    private final PathEvents events = new PathEvents();
    private final Map<Integer, Integer> retries = new HashMap<>();
    private final RateLimitModel pacing;
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
    /** The paths measured by other probes ({@link TcpPathProbing}), and while it pins flows the path probes wait. */
    PathsElsewhere elsewhere = PathsElsewhere.NONE;
    private boolean elsewhereStarted;
    private boolean elsewhereNeeded;
    /** The paths {@link #elsewhere} was started on as discovery waited for late answers ({@link #early}), or null. */
    private @Nullable List<List<Node>> early;

    PathProbing(MultipathRequest request, MultipathGraph graph, boolean ipv6, Set<String> notes) {
        this(request, graph, ipv6, notes, RateLimitModel.NONE);
    }

    PathProbing(MultipathRequest request, MultipathGraph graph, boolean ipv6, Set<String> notes,
            RateLimitModel pacing) {
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
        elsewhereStarted = early != null && early.equals(paths); // else started anew on these paths (due)
        early = null;
        elsewhereNeeded = false;
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
        int measured = (int) java.util.stream.IntStream.range(0, paths.size())
                .filter(i -> pathFlows.get(i) >= 0 && !elsewhere.claims(i)).count();
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
                    + " per path would not end before the deadline; from " + total + " a 30 % loss reads within ±"
                    + Math.round(100 * 1.96 * Math.sqrt(0.3 * 0.7 / total)) + " points 95 % of the time: for more, ICMP"
                    + " or a longer deadline)";
            notes.add(capNote);
            rounds = total;
        }
    }

    /**
     * Queues the next round's probes when it is due. A hop before the path's last whose router is an
     * ICMP limiter with a learned pace ({@link RateLimitModel#learned}) gets no path probe (its answers
     * would be spent on a budget the path's loss does not need); one judged on misses alone keeps its
     * probes, whose answers withdraw a verdict a lossy link in front of it gave (a miss there is
     * rate-limited, never loss: {@code MultipathRateLimits}); the last hop always gets one: its loss is the
     * path's (end to end, or spaced under the destination's learned budget when the destination limits
     * its answers).
     */
    void due(long now, Collection<Want> queue) {
        boolean limits = destination != null && (pacing.limited(destination) || pacing.interval(destination) > 0);
        if (!elsewhereStarted && (limits || tooManyForABurst())) {
            elsewhereStarted = true; // the flows are pinned before the path probes spend the routers' budgets
            elsewhere.start(paths, graph, now);
        }
        if (limits && !elsewhereNeeded) {
            elsewhereNeeded = true; // the destination limits its answers (learned now, or known before)
            elsewhere.needed(now);
        }
        if (elsewhere.holding()) {
            return; // flows of another protocol are being pinned on the routers' ICMP budgets
        }
        queue.removeIf(w -> w.kind() == Sent.Kind.PATH && elsewhere.claims(w.path()));
        cap(now, queue);
        if (pathRound < rounds && now - nextDueAt >= 0) {
            pathRound++;
            // start to start, as mtr's rounds; a round that left an interval late or more (the engine
            // was behind) sets the schedule anew: the rounds missed are not sent in a burst, which
            // would hammer the routers' ICMP limits and read as their refusals
            nextDueAt = now - nextDueAt >= pathInterval ? WaitPolicy.plus(now, pathInterval)
                    : WaitPolicy.plus(nextDueAt, pathInterval);
            for (int i = 0; i < paths.size(); i++) {
                if (pathFlows.get(i) < 0 || elsewhere.claims(i)) {
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
     * Discovery waits for answers that may still come late ({@link LateAnswers}: a whole probe timeout, when
     * a flow was counted as refused): the paths known now up to TTL {@code last} go to {@link #elsewhere} at
     * once, where its probes would be needed ({@link #tooManyForABurst}), so that its flows are pinned and
     * measured during the wait; {@link #start} keeps it when the path phase's paths are these, and starts it
     * anew otherwise. Nothing is claimed before the destination is found limiting ({@link PathsElsewhere#needed}).
     */
    void early(long now, int last) {
        if (early != null || elsewhere == PathsElsewhere.NONE || request.pathProbes() == 0) {
            return;
        }
        enumerate(last);
        if (!paths.isEmpty() && tooManyForABurst()) {
            early = List.copyOf(paths);
            elsewhere.start(paths, graph, now);
        }
    }

    /** Discovery goes on after {@link #early}: {@link #elsewhere} stops until the path phase starts it anew. */
    void notEarly() {
        if (early != null) {
            early = null;
            elsewhere.pause();
        }
    }

    /**
     * Whether the path probes' last hops are more than a destination that limits its answers gives at
     * once ({@value #DESTINATION_BURST}, Linux's burst of ICMP errors to one peer; one a second after
     * it): a UDP probe's answer from the destination is a Port Unreachable, which most hosts limit, and
     * waiting to learn that its answers are limited spends the routers' budgets the pinning of other
     * flows needs (a fresh run took 1.2 s to pin where one that knew took 0.13 s).
     */
    private boolean tooManyForABurst() {
        long measured = pathFlows.stream().filter(f -> f >= 0).count();
        return (long) request.pathProbes() * measured > DESTINATION_BURST;
    }

    /**
     * Whether a rate-limited path probe may be sent again: at most
     * {@link MultipathStrategy#RATE_LIMITED_RETRIES} times per round of each hop of each path.
     */
    boolean retry(Sent s) {
        if (elsewhere.claims(s.path)) {
            return false;
        }
        int key = (s.path * 256 + s.state.ttl()) * 4096 + Math.min(4095, s.state.attempt());
        return retries.merge(key, 1, Integer::sum) <= MultipathStrategy.RATE_LIMITED_RETRIES;
    }

    /**
     * Whether path probe {@code s}, unanswered, shows the path cut before its hop rather than its
     * router refusing it: at the nearest earlier hop of its path that tells, in its round, a router
     * answered an unreachable or in the path's place, or its router, silent, had last answered this
     * path with an unreachable (its answers limited, as Linux's ip_error does), or its router, silent,
     * had answered every one of the {@value #FULL_RATE_RUN} rounds before (no limiter at the path's
     * rate). A hop answered on the path says no; other hops (silent ones, misses without such evidence,
     * probes still out or not sent) say nothing: the walk goes on before them. Such a miss is forward
     * loss (a black hole, an outage), not evidence of a rate limit: the destination of a path cut
     * before it is not taken for a limiter by its silence.
     */
    boolean cutBefore(Sent s) {
        if (s.path < 0 || s.path >= pathProbes.size()) {
            return false;
        }
        List<List<Sent>> hops = pathProbes.get(s.path);
        int round = s.state.attempt();
        PathEvents.Outage o = events.outages.get(s.path);
        for (int k = Math.min(hops.size(), s.state.ttl() - firstTtl) - 1; k >= 0; k--) {
            InetAddress router = paths.get(s.path).get(k).address;
            if (router == null) {
                continue; // a silent node's silence says nothing about the path
            }
            boolean missed = false;
            for (Sent e : hops.get(k)) {
                if (e.state.attempt() != round || e.drift) {
                    continue;
                }
                if (e.unreached) {
                    return true;
                }
                if (e.state.answered()) {
                    return e.state.status() == ProbeStatus.UNREACHABLE && !e.state.destination();
                }
                // silent, but its router answered every round at the path's rate before this silence: no
                // limiter's burst is that long (a black hole from here on). A bare miss there says nothing:
                // a limiter the model took for one with budget (drained by others, the model drifting)
                // refuses while the destination refuses too, which read as forward loss on clean paths
                missed |= (e.state.status() == ProbeStatus.TIMEOUT || e.state.status() == ProbeStatus.RATE_LIMITED)
                        && o != null && e.expected != null && o.stoppedAfterRun(e.expected, round);
            }
            // a router whose latest answer was an unreachable forwarded nothing, whether it refused this
            // round's probe over its budget or was not probed (a learned limiter short of the path's end)
            missed |= o != null && o.refusing(router, round);
            if (missed) {
                return true;
            }
        }
        return false;
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

    /** Every round was sent and answered or given up (none is left when {@link #elsewhere} claims every path). */
    boolean complete() {
        return (pathRound >= rounds || allClaimed()) && inFlight == 0 && elsewhere.done();
    }

    /** Nanoseconds from {@code now} to the next round, or Long.MAX_VALUE. */
    long nextRound(long now) {
        return pathRound < rounds && !elsewhere.holding() && !allClaimed()
                ? Math.max(0, nextDueAt - now) : Long.MAX_VALUE;
    }

    /** Whether {@link #elsewhere} measures every path these probes would (their rounds would send nothing). */
    private boolean allClaimed() {
        boolean any = false;
        for (int i = 0; i < paths.size(); i++) {
            if (pathFlows.get(i) >= 0 && !elsewhere.claims(i)) {
                return false;
            }
            any |= elsewhere.claims(i);
        }
        return any;
    }

    /** A path probe left. */
    void sent(Sent s, int ttl) {
        inFlight++;
        pathProbes.get(s.path).get(ttl - firstTtl).add(s);
    }

    /** A path probe was answered by {@code responder}: off the path, it is a drift. */
    void answered(Sent s, int ttl, InetAddress responder) {
        boolean last = last(s.path, ttl);
        if (last) {
            lastHopAnswered++; // decided, one way or the other
        }
        Node expected = paths.get(s.path).get(ttl - firstTtl);
        boolean onPath = expected.address != null && expected.address.equals(responder);
        // an unreachable from a router (not the destination's own, which answers the probe)
        boolean unreachable = s.state.status() == ProbeStatus.UNREACHABLE && !s.state.destination();
        if (unreachable) {
            events.outage(s.path).answeredInstead(answerText(s.state, responder), ttl);
        }
        if (onPath || unreachable) {
            events.outage(s.path).word(responder, s.state.attempt(), unreachable);
        }
        if (onPath) {
            events.offPath(s.path, ttl).onPath();
            return;
        }
        if (unreachable || (last && expected.destination && !s.state.destination())) {
            // the probe did not reach its hop: a router before it refused to forward it, or a router
            // (a loop, a changed route) answered in the destination's place: lost on the way
            s.unreached = true;
            PathEvents.Outage o = events.outage(s.path);
            o.rounds.add(s.state.attempt());
            if (!unreachable) {
                o.answeredInstead(answerText(s.state, responder), ttl);
            }
            return;
        }
        s.drift = true;
        driftAt(s.path, ttl, responder, s.state.attempt());
    }

    private String answerText(ProbeState p, InetAddress responder) {
        String what = p.toResult(ipv6).icmp().map(io.pathprobe.probe.IcmpMessage::description).orElse("an answer");
        return responder.getHostAddress() + " (" + what + ")";
    }

    /**
     * The notes on what the path probes met ({@link PathEvents#notes}), and, where the destination limited its answers
     * to the path probes (spaced under its budget: a UDP discovery's Port Unreachables) and TCP confirmation was not
     * asked for, the precision that cost: each path's loss is known within its 95 % range.
     */
    List<String> pathNotes() {
        List<String> out = events.notes(paths, java.util.stream.IntStream.range(0, paths.size())
                .mapToObj(i -> elsewhere.claims(i) ? 0 : pathFlows.get(i)).toList(),
                request.pathProbes() > 0, pinned, rounds);
        double widest = -1;
        String range = "";
        for (int i = 0; i < paths.size(); i++) {
            MultipathPath p = pathFlows.get(i) < 0 || elsewhere.claims(i) ? null : toPath(i);
            if (p != null && p.lossBasis() == LossBasis.SPACED_PER_RESPONDER && p.lossHigh() - p.lossLow() > widest) {
                widest = p.lossHigh() - p.lossLow();
                range = String.format(java.util.Locale.ROOT, "%.0f-%.0f %%", 100 * p.lossLow(), 100 * p.lossHigh());
            }
        }
        if (widest >= 0 && !request.tcpConfirmation()) {
            out.add("the destination limits its answers to these probes (ICMP errors: Linux sends 6, then one a "
                    + "second): the path probes to it were spaced under that budget, so each path's loss is known only "
                    + "within its 95 % range (as wide as " + range + "), and a probe it refused says nothing of loss; "
                    + "TCP confirmation (--tcp-confirm) measures the paths end to end over TCP");
        }
        return out;
    }

    /** The paths that were measured (a flow follows them). */
    List<MultipathPath> measured() {
        List<MultipathPath> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (pathFlows.get(i) >= 0 || elsewhere.claims(i)) {
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
     * A path probe of round {@code round} answered by another router at the same TTL. Twice at one TTL
     * of one path, the path's node before it balances per packet (flagged as discovery would) when the
     * answers interleave (off the path, back on it, off again) or come from several other routers;
     * one other router answering every probe from some round on is judged at the end
     * ({@link #judgeDrifts}). Where the path's node is the silent one, it was only lost in discovery: noted.
     */
    void driftAt(int path, int ttl, InetAddress responder, int round) {
        PathEvents.OffPath o = events.offPath(path, ttl);
        o.off(round, responder);
        List<Node> p = paths.get(path);
        int h = ttl - firstTtl;
        Node here = p.get(h);
        if (o.loop || loopTtl(p, ttl, responder) >= 0 || (here.address != null && loopTtl(p, ttl, here.address) >= 0)) {
            // the path's own node nearer answered (the probe went through it again), or the path was found in a
            // loop (its node here is one nearer on it) and another router answers now: a loop, or its end
            o.loop = true;
            return;
        }
        if (o.count < 2 || h == 0) {
            return;
        }
        if (p.get(h).address == null) {
            // a node discovery took for silent answered: its discovery probes were lost (or refused
            // over a limit), which says nothing about how the router before it balances
            notes.add("the silent node at TTL " + ttl + " of path " + (path + 1) + " answered path probes from "
                    + responder.getHostAddress() + ": its discovery probes were lost");
            return;
        }
        if (!o.interleaved && o.responders.size() == 1) {
            return; // so far one new router answering every probe since it first did: judged at the end (judgeDrifts)
        }
        perPacket(path, ttl, responder);
    }

    /** The TTL below {@code ttl} where {@code responder} is the path's node, or -1. */
    private int loopTtl(List<Node> path, int ttl, InetAddress responder) {
        for (Node n : path) {
            if (n.ttl < ttl && responder.equals(n.address)) {
                return n.ttl;
            }
        }
        return -1;
    }

    private void perPacket(int path, int ttl, InetAddress responder) {
        List<Node> p = paths.get(path);
        int h = ttl - firstTtl;
        Node pred = p.get(h - 1);
        if (!pred.perPacket) {
            pred.perPacket = true;
            notes.add("per-packet load balancing at " + MultipathGraph.text(pred) + " (TTL " + pred.ttl
                    + "): path probes of one flow"
                    + " were answered by " + MultipathGraph.text(p.get(h)) + " and "
                    + responder.getHostAddress() + " at TTL " + ttl);
        }
    }

    /**
     * At the end: a hop of a path whose off-path answers came from one other router, every round from
     * some round on (after it was back, if it came back), is a route change when both runs are long
     * ({@value #ROUTE_CHANGE_RUN} rounds or more each: per-packet balancing over two branches makes such a pattern
     * once in 2^16 runs), named so in {@link #pathNotes}; with fewer rounds the two cannot be told
     * apart and the node before it is flagged as a per-packet balancer, as two such answers always were.
     */
    void judgeDrifts() {
        events.offPath.forEach((key, o) -> {
            int path = key / 256;
            int ttl = key % 256;
            int h = ttl - firstTtl;
            InetAddress first = o.firstResponder; // set once it has a count
            if (o.count < 2 || first == null || h <= 0 || path >= paths.size()
                    || paths.get(path).get(h).address == null) {
                return;
            }
            o.routeChange = !o.interleaved && o.responders.size() == 1 && o.onBefore >= ROUTE_CHANGE_RUN
                    && o.count >= ROUTE_CHANGE_RUN;
            if (!o.routeChange && !o.loop) {
                perPacket(path, ttl, first);
            }
        });
    }

    /** The paths enumerated that no known flow follows. */
    List<List<Node>> unmeasured() {
        List<List<Node>> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (pathFlows.get(i) < 0) {
                out.add(paths.get(i));
            }
        }
        return out;
    }

    /** Flows were sent to pin a path no known flow followed ({@link MdaPlanner#pin}). */
    boolean pinned;

    /** Every path through the nodes up to TTL {@code last}, with the flows that follow it. */
    void enumerate(int last) {
        paths.clear();
        pathFlows.clear();
        pathAllFlows.clear();
        pathProbes.clear();
        events.clear();
        if (last < firstTtl) {
            return;
        }
        paths.addAll(PathWalk.paths(graph, firstTtl, last, MAX_PATHS, notes));
        for (List<Node> p : paths) {
            List<Integer> flows = PathWalk.flowsFollowing(ttls, p);
            pathAllFlows.add(flows);
            pathFlows.add(flows.isEmpty() ? -1 : flows.get(0));
            List<List<Sent>> hops = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                hops.add(new ArrayList<>());
            }
            pathProbes.add(hops);
        }
    }

    MultipathPath toPath(int i) {
        List<Node> p = paths.get(i);
        List<List<Sent>> hops = pathProbes.isEmpty() ? List.of() : pathProbes.get(i);
        List<Integer> flows = pathAllFlows.isEmpty() ? List.of() : pathAllFlows.get(i);
        LossBasis basis = destinationLimited ? LossBasis.SPACED_PER_RESPONDER : LossBasis.END_TO_END;
        List<PathHop> own = HopRows.of(p, hops, ipv6, null);
        MultipathPath view = new MultipathPath(own, flows, own.get(own.size() - 1).statistics(), basis);
        if (!elsewhere.claims(i)) {
            return view;
        }
        MultipathPath claimed = elsewhere.path(i, view); // its end measured otherwise: the hops before it follow that
        List<PathHop> rows = HopRows.of(p, hops, ipv6, claimed.statistics());
        return new MultipathPath(rows, claimed.flows(), claimed.statistics(), claimed.lossBasis());
    }
}
