package io.pathprobe.core.internal.multipath;

import io.pathprobe.Diamond;
import io.pathprobe.HopStatistics;
import io.pathprobe.LoadBalancing;
import io.pathprobe.MultipathAlgorithm;
import io.pathprobe.MultipathLink;
import io.pathprobe.MultipathNode;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathRequest;
import io.pathprobe.MultipathResult;
import io.pathprobe.MultipathStatus;
import io.pathprobe.PathHop;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.ProbeStatus;
import io.pathprobe.RttStatistics;
import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.SequenceSpace;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
 * Multipath discovery as a pure strategy (see {@link ProbingStrategy}): rounds over all TTLs at once,
 * the MDA stopping rule ({@link MdaBounds}), MDA-Lite where the diamond is unmeshed and even, node
 * control where not, then the path-probe phase. Runs on a session with {@code FlowPolicy.EXPLICIT}:
 * every probe carries the flow the strategy chose ({@link ProbeSpec#flow()}, 0..{@code maxFlow}); a
 * flow number means the same header at every TTL, so a flow seen at TTL t and t+1 is a link.
 *
 * <p><b>Discovery.</b> The planner is re-run whenever what is known changed, over every open TTL at
 * once; what it asks for at a TTL only grows with what was seen, so no probe is sent that the final
 * state would not ask for. A round ends whenever no discovery probe is outstanding.
 * <ul>
 * <li>Exploration: the first TTL is open at the start; TTL t+1 opens once a router answered at t,
 *     or once t's probe waited past the exploration delay or all its flows stayed silent (then the
 *     silent TTL does not hold up the rest), unless {@code gapLimit} TTLs in a row answered nothing.
 *     Nothing is sent beyond the lowest TTL where the destination (or an unreachable) answered.</li>
 * <li>MDA-Lite per TTL: with k nodes seen at TTL t, t gets n(k+1) flows, flows already answered at
 *     t-1 first (spread over t-1's nodes), then flows of t+1, then the lowest unused numbers. Two
 *     exceptions, as scamper: the first TTL gets one flow unless it shows two nodes (the source's own
 *     next hops are not tested), and the destination's TTL one answered flow (one host).</li>
 * <li>Meshing test, where TTL t-1 and t both have two nodes or more: every node has two flows
 *     probed one TTL back (its predecessors) and one TTL on (its successors). When the links form a
 *     component with two nodes or more on both sides (cross links), or out-degrees or in-degrees
 *     differ (uneven), or the algorithm is {@link MultipathAlgorithm#MDA}, the pair (t-1, t) is
 *     probed with node control for the rest of the run: each node v at t-1 needs n(s+1) of its own
 *     flows answered at t (s = successors seen); if it has too few, new flows are sent at t-1 and t
 *     together, as many as its share of t-1's flows suggests.</li>
 * <li>Per-packet load balancing: when a TTL first shows two answering nodes, two flows already
 *     answered there are sent again; an answer from another address means the predecessor balances
 *     per packet: it is flagged, noted, nothing at that TTL is widened further, and node control and
 *     the meshing test stop behind it. Path probes that drift are noted too.</li>
 * <li>Unanswered probes are given up by the {@link ProbeLedger} a trace uses, with its rules for late,
 *     duplicate and beyond-path answers and for the end of the path, and its {@link WaitPolicy} (a later TTL's answer lets
 *     a silent hop go in milliseconds) and the flow is sent again up to {@code attempts} times (two
 *     more where other flows of that TTL answered: there a miss is more likely a loss); a flow that
 *     never answers at a TTL belongs to that TTL's silent node.</li>
 * </ul>
 *
 * <p><b>Paths.</b> Every sequence of nodes joined by links (at most {@value #MAX_PATHS}); each path
 * gets the lowest flow that followed it at every TTL with two nodes or more. Then
 * {@code pathProbes} rounds, one every {@code pathInterval}, each sending every path's flow at every
 * TTL of the path. Losses are split forward/backward as in a trace; an answer from off the path is a
 * drift, noted and not counted for the path.
 *
 * <p><b>Ending.</b> The budget counts every probe sent; when it runs out the run ends once nothing is
 * outstanding, with status PROBE_BUDGET and the nodes whose stopping rule was not met in
 * {@code unexplored}. A deadline or cancellation from the runtime arrives as {@link #outcome}.
 */
public final class MultipathStrategy implements ProbingStrategy<MultipathResult> {
    /** What the handle forwards to the listener; called on the engine loop, in order. */
    public interface Events {
        default void nodeFound(MultipathNode node) {}

        default void linkFound(MultipathLink link) {}

        default void roundCompleted(int round, int probes) {}

        default void pathMeasured(MultipathPath path) {}
    }

    static final int MAX_IN_FLIGHT = 64;
    static final int PER_PACKET_CHECKS = 2;
    static final int EXTRA_TRIES_AMID_ANSWERS = 2;
    static final int MESHING_FLOWS = 2;
    static final int MAX_PATHS = 256;
    static final long EXPLORE_FLOOR_NANOS = 10_000_000;
    static final long EXPLORE_DEFAULT_NANOS = 50_000_000;

    private enum Kind { DISCOVERY, CHECK, PATH }

    private enum Phase { DISCOVERY, PATHS, DONE }

    /** One probe sent (or about to be). */
    private static final class Sent {
        final ProbeState state;
        final Kind kind;
        final @Nullable Cell cell;
        final int path;
        boolean drift;

        Sent(ProbeState state, Kind kind, @Nullable Cell cell, int path) {
            this.state = state;
            this.kind = kind;
            this.cell = cell;
            this.path = path;
        }
    }

    /** A flow at a TTL: planned, probed, answered by one address, or silent after every attempt. */
    private static final class Cell {
        final int ttl;
        final int flow;
        int attempts;
        int pending;
        @Nullable InetAddress address;
        boolean silent;
        boolean destination;

        Cell(int ttl, int flow) {
            this.ttl = ttl;
            this.flow = flow;
        }

        boolean resolved() {
            return address != null || silent;
        }
    }

    /** One interface at one TTL (address null: the silent node). */
    private static final class Node {
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
    private static final class Ttl {
        final int ttl;
        final TreeMap<Integer, Cell> cells = new TreeMap<>();
        final LinkedHashMap<InetAddress, Node> nodes = new LinkedHashMap<>();
        @Nullable Node silent;
        boolean routerAnswered;
        boolean perPacketChecked;
        boolean behindPerPacket;
        boolean nodeControl;
        long firstSentTick = -1;
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

    private record Want(int ttl, int flow, Kind kind, int path, int round) {}

    private final MultipathRequest request;
    private final InetAddress destination;
    private final boolean ipv6;
    private final ProbeProtocol protocol;
    private final String transportName;
    private final List<String> notes;
    private final Instant startedAt;
    private final long startTick;
    private final @Nullable Events events;
    private final MdaBounds bounds;
    private final int maxFlow;
    private final int firstTtl;
    private final int maxTtl;
    private final int attempts;
    private final boolean mda;
    private final ProbeLedger ledger;
    private final long probeTimeout;
    private final long pathInterval;
    private final Ttl[] ttls;
    /** Every probe sent, by index (its {@link ProbeState#index}). */
    private final List<Sent> sent = new ArrayList<>();
    private final ArrayDeque<Want> queue = new ArrayDeque<>();
    private final Set<String> linkKeys = new HashSet<>();
    private final Set<String> noteSet = new LinkedHashSet<>();

    private Phase phase = Phase.DISCOVERY;
    private boolean dirty = true;
    private int lastOpen;
    private int discoveryInFlight;
    private int probesSent;
    private int discoveryProbes;
    private boolean budgetHit;
    private boolean flowCapped;
    private int round = 1;
    private long maxRtt = -1;
    private long endTick;
    private @Nullable MultipathResult outcome;
    private boolean destinationReached;

    // path phase
    private final List<List<Node>> paths = new ArrayList<>();
    private final List<Integer> pathFlows = new ArrayList<>();
    private final List<List<Integer>> pathAllFlows = new ArrayList<>();
    private final List<List<List<Sent>>> pathProbes = new ArrayList<>();
    private int pathRound;
    private long pathStart;
    private int pathInFlight;

    /**
     * @param request the request
     * @param destination the resolved destination
     * @param protocol the probe protocol of the session
     * @param transportName the session's transport
     * @param notes notes known before the start (e.g. from transport choice)
     * @param maxSequence the session's largest sequence number
     * @param maxFlow the session's largest flow number (the strategy never uses more flows; a
     *     stopping point above it is capped and noted)
     * @param startedAt the wall-clock start
     * @param startTick the engine tick of the start
     * @param events the handle's events, or null
     */
    public MultipathStrategy(MultipathRequest request, InetAddress destination, ProbeProtocol protocol,
            String transportName, List<String> notes, int maxSequence, int maxFlow, Instant startedAt,
            long startTick, @Nullable Events events) {
        this.request = request;
        this.destination = destination;
        this.ipv6 = destination instanceof Inet6Address;
        this.protocol = protocol;
        this.transportName = transportName;
        this.notes = List.copyOf(notes);
        this.startedAt = startedAt;
        this.startTick = startTick;
        this.events = events;
        this.bounds = MdaBounds.of(request.confidence());
        this.maxFlow = Math.max(0, maxFlow);
        this.firstTtl = request.firstTtl();
        this.maxTtl = request.maxTtl();
        this.attempts = request.attempts();
        this.mda = request.algorithm() == MultipathAlgorithm.MDA;
        this.probeTimeout = WaitPolicy.nanos(request.probeTimeout());
        this.ledger = new ProbeLedger(i -> i < sent.size() ? sent.get(i).state : null,
                new SequenceSpace(maxSequence, request.maxProbes()), new WaitPolicy(probeTimeout, true), destination,
                protocol, firstTtl, maxTtl, this::finished);
        this.pathInterval = WaitPolicy.nanos(request.pathInterval());
        this.ttls = new Ttl[maxTtl + 2];
        for (int t = firstTtl; t <= maxTtl + 1; t++) {
            ttls[t] = new Ttl(t);
        }
        this.lastOpen = firstTtl;
    }

    // ---- sending -----------------------------------------------------------------------------

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (outcome != null || phase == Phase.DONE) {
            return null;
        }
        advance(now);
        if (queue.isEmpty() || ledger.inFlight() >= MAX_IN_FLIGHT) {
            return null;
        }
        if (probesSent >= request.maxProbes()) {
            budgetHit = true;
            queue.clear();
            settle(now);
            return null;
        }
        Want w = queue.peek();
        Cell known = ttls[w.ttl].cells.get(w.flow);
        int attempt = w.kind == Kind.PATH ? w.round : known == null ? 0 : known.attempts;
        ProbeState p = new ProbeState(w.ttl, attempt, sent.size());
        int seq = ledger.send(p, now, w.flow);
        if (seq < 0) {
            return null;
        }
        queue.poll();
        Cell cell = w.kind == Kind.PATH ? null : cell(w.ttl, w.flow);
        Sent s = new Sent(p, w.kind, cell, w.path);
        sent.add(s);
        probesSent++;
        if (w.kind == Kind.PATH) {
            pathInFlight++;
            pathProbes.get(w.path).get(w.ttl - firstTtl).add(s);
        } else {
            discoveryInFlight++;
            discoveryProbes++;
            if (w.kind == Kind.DISCOVERY) {
                cell.attempts++;
            }
            cell.pending++;
            Ttl t = ttls[w.ttl];
            if (t.firstSentTick < 0) {
                t.firstSentTick = now;
            }
        }
        return new ProbeSpec(seq, w.ttl, w.flow);
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        ProbeState p = ledger.probe(probe);
        if (p != null) {
            ledger.sent(p, sentNanos);
        }
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, long now) {
        ProbeState p = ledger.probe(probe);
        if (p == null) {
            return;
        }
        Sent s = sent.get(p.index());
        ledger.sendFailed(p, reason);
        note("send failed: " + reason);
        if (noRoute) {
            note("no route to the destination");
            queue.clear();
            phase = Phase.DONE;
        }
        timedOut(s, now);
        settle(now);
    }

    /** The ledger's one transition out of PENDING for this probe: the only place in-flight goes down. */
    private void finished(ProbeState p) {
        Sent s = sent.get(p.index());
        if (s.kind == Kind.PATH) {
            pathInFlight--;
        } else {
            discoveryInFlight--;
            if (s.cell != null) {
                s.cell.pending--;
            }
        }
    }

    // ---- answers and timeouts ----------------------------------------------------------------

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        if (outcome != null) {
            ledger.afterEnd(); // read before the session closed, handled after the end
            return;
        }
        int horizon = ledger.horizon();
        if (!(ledger.answer(r, now) instanceof ProbeLedger.Taken t)) {
            return;
        }
        if (ledger.horizon() < horizon) {
            queue.removeIf(w -> w.ttl > ledger.horizon());
        }
        ProbeState p = t.probe();
        Sent s = sent.get(p.index());
        maxRtt = Math.max(maxRtt, p.rttNanos());
        if (s.kind == Kind.PATH) {
            Node expected = paths.get(s.path).get(p.ttl() - firstTtl);
            if (expected.address == null || !expected.address.equals(r.responder())) {
                s.drift = true;
                driftAt(s.path, p.ttl(), r.responder());
            }
        } else {
            answered(s, r.responder(), t.router(), p.destination());
        }
        dirty = true;
        settle(now);
    }

    private void answered(Sent s, InetAddress responder, boolean router, boolean isDestination) {
        ProbeState p = s.state;
        Cell c = s.cell;
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
        n.answers.add(p);
        if (c.address == null) {
            c.address = responder;
            c.destination = isDestination;
            if (c.silent) {
                c.silent = false; // a late answer revises the silence
                if (t.silent != null) {
                    t.silent.flows.remove(c.flow);
                    if (t.silent.flows.isEmpty()) {
                        t.silent = null;
                    }
                }
            }
            n.flows.add(c.flow);
        } else if (!c.address.equals(responder)) {
            n.flows.add(c.flow);
            perPacket(c, responder);
        }
        if (newNode && events != null) {
            events.nodeFound(toNode(n));
        }
    }

    private final Map<Integer, Integer> drifts = new HashMap<>();

    /**
     * A path probe answered by another node of the same TTL. Once is a route change; twice at one
     * TTL of one path, the path's node before it balances per packet (flagged as discovery would).
     */
    private void driftAt(int path, int ttl, InetAddress responder) {
        int count = drifts.merge(path * 256 + ttl, 1, Integer::sum);
        List<Node> p = paths.get(path);
        int h = ttl - firstTtl;
        if (count < 2 || h == 0) {
            return;
        }
        Node pred = p.get(h - 1);
        if (!pred.perPacket) {
            pred.perPacket = true;
            note("per-packet load balancing at " + text(pred) + " (TTL " + pred.ttl + "): path probes of one flow"
                    + " were answered by " + text(p.get(h)) + " and " + responder.getHostAddress() + " at TTL " + ttl);
        }
    }

    /** Flow c.flow was answered by two addresses at one TTL: its predecessor balances per packet. */
    private void perPacket(Cell c, InetAddress other) {
        Ttl t = ttls[c.ttl];
        if (t.behindPerPacket) {
            return;
        }
        t.behindPerPacket = true;
        Node pred = c.ttl > firstTtl ? nodeOf(c.ttl - 1, c.flow) : null;
        String first = c.address == null ? "*" : c.address.getHostAddress();
        if (pred != null) {
            pred.perPacket = true;
            note("per-packet load balancing at " + text(pred) + " (TTL " + pred.ttl + "): flow " + c.flow
                    + " was answered by " + first + " and " + other.getHostAddress() + " at TTL " + c.ttl
                    + "; the branches behind it are what was seen, not widened further");
        } else {
            note("per-packet load balancing before TTL " + c.ttl + ": flow " + c.flow + " was answered by " + first
                    + " and " + other.getHostAddress() + "; not widened further");
        }
    }

    @Override
    public void onWakeup(long now) {
        if (outcome != null) {
            return;
        }
        ledger.expire(now, p -> timedOut(sent.get(p.index()), now));
        dirty = true;
        settle(now);
    }

    /** A discovery probe got nothing: send the flow again, or the cell is silent. */
    private void timedOut(Sent s, long now) {
        Cell c = s.cell;
        if (s.kind != Kind.DISCOVERY || c == null || c.resolved() || c.pending > 0 || c.ttl > ledger.horizon()) {
            return;
        }
        Ttl t = ttls[c.ttl];
        // Where other flows are answered at this TTL, one unanswered flow is more often a loss than a
        // silent router (a silent router keeps every flow through it unanswered, whatever the
        // tries): give it EXTRA_TRIES_AMID_ANSWERS more before it makes a silent node, so a lossy
        // branch does not show up as a "*" node and a path of its own.
        int tries = attempts + (t.nodes.isEmpty() ? 0 : EXTRA_TRIES_AMID_ANSWERS);
        if (c.attempts < tries && phase == Phase.DISCOVERY) {
            queue.addFirst(new Want(c.ttl, c.flow, Kind.DISCOVERY, -1, 0));
            return;
        }
        c.silent = true;
        if (t.silent == null) {
            t.silent = new Node(c.ttl, null);
        }
        t.silent.flows.add(c.flow);
    }

    @Override
    public long nextWakeup(long now) {
        if (outcome != null || phase == Phase.DONE) {
            return NO_WAKEUP;
        }
        long earliest = ledger.nextExpiry(now); // Long.MAX_VALUE, NO_WAKEUP, when nothing is outstanding
        if (phase == Phase.DISCOVERY) {
            long at = exploreAt();
            if (at != Long.MAX_VALUE) {
                earliest = Math.min(earliest, Math.max(0, at - now));
            }
        } else if (phase == Phase.PATHS && pathRound < request.pathProbes()) {
            long due = WaitPolicy.plus(pathStart, satMul(pathRound, pathInterval));
            earliest = Math.min(earliest, Math.max(0, due - now));
        }
        return earliest;
    }

    private static long satMul(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** When the frontier TTL may be passed by without an answer, or MAX_VALUE. */
    private long exploreAt() {
        if (lastOpen >= Math.min(maxTtl, ledger.horizon())) {
            return Long.MAX_VALUE;
        }
        Ttl t = ttls[lastOpen];
        if (t.routerAnswered || t.firstSentTick < 0 || trailingSilent(lastOpen) >= request.gapLimit()) {
            return Long.MAX_VALUE;
        }
        return WaitPolicy.plus(t.firstSentTick, exploreDelay());
    }

    private long exploreDelay() {
        long d = maxRtt < 0 ? EXPLORE_DEFAULT_NANOS : Math.max(EXPLORE_FLOOR_NANOS, 3 * maxRtt);
        return Math.min(d, probeTimeout);
    }

    private int trailingSilent(int ttl) {
        int n = 0;
        for (int t = ttl; t >= firstTtl && !ttls[t].answered(); t--) {
            n++;
        }
        return n;
    }

    // ---- the planner -------------------------------------------------------------------------

    /** Plans if something changed, moves phases, and fires round ends. */
    private void settle(long now) {
        advance(now);
    }

    private void advance(long now) {
        if (outcome != null || phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.DISCOVERY) {
            if (budgetHit) {
                if (discoveryInFlight == 0) {
                    endRound();
                    phase = Phase.DONE;
                }
                return;
            }
            if (queue.isEmpty() && (dirty || exploreAt() <= now)) {
                dirty = false;
                plan(now, null);
            }
            if (queue.isEmpty() && discoveryInFlight == 0) {
                endRound();
                if (exploreAt() == Long.MAX_VALUE || exploreAt() <= now) {
                    plan(now, null);
                    if (queue.isEmpty()) {
                        startPaths(now);
                    }
                }
            }
        }
        if (phase == Phase.PATHS) {
            if (budgetHit) {
                if (pathInFlight == 0) {
                    finishPaths();
                }
                return;
            }
            int rounds = request.pathProbes();
            if (pathRound < rounds && now - WaitPolicy.plus(pathStart, satMul(pathRound, pathInterval)) >= 0) {
                pathRound++;
                for (int i = 0; i < paths.size(); i++) {
                    if (pathFlows.get(i) < 0) {
                        continue;
                    }
                    for (Node n : paths.get(i)) {
                        queue.add(new Want(n.ttl, pathFlows.get(i), Kind.PATH, i, pathRound - 1));
                    }
                }
            }
            if (pathRound >= rounds && pathInFlight == 0 && queue.isEmpty()) {
                finishPaths();
            }
        }
    }

    private int lastRoundProbes = -1;

    private void endRound() {
        if (probesSent == lastRoundProbes) {
            return;
        }
        lastRoundProbes = probesSent;
        publishLinks();
        if (events != null) {
            events.roundCompleted(round, probesSent);
        }
        round++;
    }

    /**
     * Works out what is still needed everywhere. With {@code unmet} null, queues it; otherwise only
     * collects the nodes whose stopping rule is not met by answered probes (for {@code unexplored}).
     */
    private void plan(long now, @Nullable Set<Node> unmet) {
        if (unmet == null) {
            openMore(now);
        }
        int last = Math.min(lastOpen, ledger.horizon());
        for (int t = firstTtl; t <= last; t++) {
            planTtl(t, unmet);
        }
        if (unmet != null && lastOpen < Math.min(maxTtl, ledger.horizon()) && !destinationReached) {
            Ttl f = ttls[lastOpen];
            if (f.routerAnswered) {
                unmet.addAll(f.nodes.values());
            }
        }
    }

    private void openMore(long now) {
        while (lastOpen < Math.min(maxTtl, ledger.horizon())) {
            Ttl t = ttls[lastOpen];
            if (!t.routerAnswered) {
                boolean silent = !t.cells.isEmpty() && t.cells.values().stream().allMatch(c -> c.silent);
                boolean waited = t.firstSentTick >= 0 && now - t.firstSentTick >= exploreDelay();
                if (!(silent || waited) || trailingSilent(lastOpen) >= request.gapLimit()) {
                    return;
                }
            }
            lastOpen++;
        }
    }

    private void planTtl(int ttl, @Nullable Set<Node> unmet) {
        Ttl t = ttls[ttl];
        boolean dry = unmet != null;
        if (t.cells.isEmpty()) {
            if (!dry) {
                for (int f : pickFlows(ttl, 1)) {
                    want(ttl, f, Kind.DISCOVERY);
                }
            }
            return;
        }
        if (dry && ttl > firstTtl && t.cells.values().stream().anyMatch(c -> !c.resolved())) {
            unmet.addAll(ttls[ttl - 1].all()); // probes of this TTL were still out
        }
        if (!t.answered()) {
            return; // silent so far: its flows are retried, nothing more
        }
        if (ttl == ledger.horizon() && t.nodes.values().stream().allMatch(n -> n.destination)) {
            return; // the destination is one host
        }
        boolean afterPerPacket = afterPerPacket(ttl);
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
                    want(ttl, n.flows.first(), Kind.CHECK);
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
        boolean wide = prev.width() >= 2 && !afterPerPacket(ttl - 1);
        if (wide && !t.nodeControl && (mda || meshed(ttl) || uneven(ttl))) {
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

    private boolean afterPerPacket(int ttl) {
        for (int t = firstTtl; t <= ttl; t++) {
            if (ttls[t].behindPerPacket) {
                return true;
            }
        }
        return false;
    }

    /** n(k), capped at the session's flows. */
    private int stop(int k) {
        int n = bounds.stoppingPoint(k);
        if (n > maxFlow + 1) {
            if (!flowCapped) {
                flowCapped = true;
                note("the stopping point " + n + " was capped at the transport's " + (maxFlow + 1) + " flows");
            }
            return maxFlow + 1;
        }
        return n;
    }

    private void topUp(int ttl, int target, @Nullable Set<Node> unmet) {
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
                want(ttl, f, Kind.DISCOVERY);
            }
        }
    }

    /** Up to n flows not yet at ttl: the previous TTL's (spread over its nodes), the next TTL's, then the lowest free. */
    private List<Integer> pickFlows(int ttl, int n) {
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

    private static @Nullable Integer firstFree(Set<Integer> flows, Ttl t, Set<Integer> taken) {
        for (int f : flows) {
            if (!t.cells.containsKey(f) && !taken.contains(f)) {
                return f;
            }
        }
        return null;
    }

    private void want(int ttl, int flow, Kind kind) {
        if (kind == Kind.DISCOVERY) {
            cell(ttl, flow);
        }
        queue.add(new Want(ttl, flow, kind, -1, 0));
    }

    private Cell cell(int ttl, int flow) {
        return ttls[ttl].cells.computeIfAbsent(flow, f -> new Cell(ttl, f));
    }

    /** Each answering node at ttl-1 gets n(s+1) of its own flows answered at ttl; new flows where it has too few. */
    private void nodeControl(int ttl, @Nullable Set<Node> unmet) {
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
                        Node s = nodeAt(t, c);
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
                    want(ttl, f, Kind.DISCOVERY);
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
                want(ttl - 1, f, Kind.DISCOVERY);
                want(ttl, f, Kind.DISCOVERY);
                added++;
            }
            f++;
        }
    }

    /** Two flows of every node probed one TTL back and one TTL on. */
    private void meshingTest(int ttl) {
        Ttl t = ttls[ttl];
        Ttl prev = ttls[ttl - 1];
        for (Node u : t.nodes.values()) {
            int known = 0;
            for (int f : u.flows) {
                if (prev.cells.containsKey(f)) {
                    known++;
                }
            }
            for (int f : u.flows) {
                if (known >= Math.min(MESHING_FLOWS, u.flows.size())) {
                    break;
                }
                if (!prev.cells.containsKey(f)) {
                    want(ttl - 1, f, Kind.DISCOVERY);
                    known++;
                }
            }
        }
        for (Node v : prev.nodes.values()) {
            int known = 0;
            for (int f : v.flows) {
                if (t.cells.containsKey(f)) {
                    known++;
                }
            }
            for (int f : v.flows) {
                if (known >= Math.min(MESHING_FLOWS, v.flows.size())) {
                    break;
                }
                if (!t.cells.containsKey(f)) {
                    want(ttl, f, Kind.DISCOVERY);
                    known++;
                }
            }
        }
    }

    private static @Nullable Node nodeAt(Ttl t, Cell c) {
        if (c.address != null) {
            return t.nodes.get(c.address);
        }
        return c.silent ? t.silent : null;
    }

    /** The node flow f reached at ttl: seen, or the only node there. */
    private @Nullable Node nodeOf(int ttl, int flow) {
        if (ttl < firstTtl || ttl >= ttls.length) {
            return null;
        }
        Ttl t = ttls[ttl];
        Cell c = t.cells.get(flow);
        if (c != null && c.resolved()) {
            return nodeAt(t, c);
        }
        if (t.width() == 1) {
            return t.silent != null ? t.silent : t.nodes.values().iterator().next();
        }
        return null;
    }

    /** Observed answering links between ttl-1 and ttl: from-node to its successors. */
    private Map<Node, Set<Node>> observedLinks(int ttl) {
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
    private boolean meshed(int ttl) {
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

    private static Node find(Map<Node, Node> parent, Node n) {
        Node p = parent.getOrDefault(n, n);
        if (p == n) {
            parent.putIfAbsent(n, n);
            return n;
        }
        Node root = find(parent, p);
        parent.put(n, root);
        return root;
    }

    private static void union(Map<Node, Node> parent, Node a, Node b) {
        Node ra = find(parent, a);
        Node rb = find(parent, b);
        if (ra != rb) {
            parent.put(ra, rb);
        }
    }

    /** Out-degrees of ttl-1's nodes, or in-degrees of ttl's, differ. */
    private boolean uneven(int ttl) {
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

    // ---- path phase --------------------------------------------------------------------------

    private void startPaths(long now) {
        phase = Phase.PATHS;
        publishLinks();
        enumeratePaths();
        pathStart = now;
        pathRound = 0;
        if (request.pathProbes() == 0 || paths.isEmpty()) {
            finishPaths();
        }
    }

    private int lastReportedTtl() {
        int last = firstTtl - 1;
        for (int t = firstTtl; t <= Math.min(ledger.horizon(), maxTtl); t++) {
            if (ttls[t].answered()) {
                last = t;
            }
        }
        return last;
    }

    private void enumeratePaths() {
        paths.clear();
        pathFlows.clear();
        pathAllFlows.clear();
        pathProbes.clear();
        int last = lastReportedTtl();
        if (last < firstTtl) {
            return;
        }
        Map<Node, List<Node>> succ = successors(last);
        List<Node> starts = reportedNodes(firstTtl);
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
            note("more than " + MAX_PATHS + " paths: only the first " + MAX_PATHS + " are reported");
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
                note("no flow is known to follow the path " + p.stream().map(MultipathStrategy::text).toList()
                        + ": not measured");
            }
        }
    }

    /** Flows seen at every TTL of the path where the TTL has two nodes or more, and never off it. */
    private List<Integer> flowsFollowing(List<Node> path) {
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
                if (c != null && c.resolved() && nodeAt(ttls[n.ttl], c) != n) {
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

    private void finishPaths() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        if (request.pathProbes() > 0 && events != null) {
            for (int i = 0; i < paths.size(); i++) {
                if (pathFlows.get(i) >= 0) {
                    events.pathMeasured(toPath(i));
                }
            }
        }
    }

    // ---- end ---------------------------------------------------------------------------------

    @Override
    public boolean done() {
        return outcome != null || (phase == Phase.DONE && ledger.inFlight() == 0);
    }

    @Override
    public MultipathResult outcome(Stop reason, long now) {
        if (outcome != null) {
            return outcome;
        }
        ledger.abandonAll();
        endTick = now;
        MultipathStatus status = switch (reason) {
            case CANCELLED -> MultipathStatus.CANCELLED;
            case DEADLINE -> MultipathStatus.DEADLINE;
            case COMPLETED -> budgetHit ? MultipathStatus.PROBE_BUDGET : MultipathStatus.COMPLETE;
        };
        if (paths.isEmpty()) {
            enumeratePaths();
        }
        publishLinks();
        outcome = build(status, now);
        return outcome;
    }

    @Override
    public MultipathResult snapshot(long now) {
        return outcome != null ? outcome : build(MultipathStatus.RUNNING, now);
    }

    private MultipathResult build(MultipathStatus status, long now) {
        int last = lastReportedTtl();
        List<MultipathNode> nodes = new ArrayList<>();
        Map<Node, MultipathNode> view = new HashMap<>();
        for (int t = firstTtl; t <= last; t++) {
            for (Node n : reportedNodes(t)) {
                MultipathNode m = toNode(n);
                view.put(n, m);
                nodes.add(m);
            }
        }
        List<MultipathLink> links = links(last);
        List<Diamond> diamonds = diamonds(last, view);
        List<MultipathPath> ps = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            ps.add(toPath(i));
        }
        List<MultipathNode> unexplored = new ArrayList<>();
        if (status != MultipathStatus.COMPLETE) {
            Set<Node> unmet = new LinkedHashSet<>();
            plan(now, unmet);
            unmet.stream().filter(view::containsKey)
                    .sorted(Comparator.comparingInt((Node n) -> n.ttl))
                    .forEach(n -> unexplored.add(view.get(n)));
        }
        int branchPoints = 0;
        Map<Node, List<Node>> succ = successors(last);
        for (var e : succ.entrySet()) {
            if (e.getValue().size() >= 2 && !e.getKey().perPacket) {
                branchPoints++;
            }
        }
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(noteSet);
        if (!destinationReached && last >= firstTtl && ledger.horizon() >= maxTtl) {
            allNotes.add("the destination did not answer; nothing answered beyond TTL " + last);
        }
        long end = outcome != null || endTick != 0 ? endTick : now;
        return new MultipathResult(request, destination, transportName, protocol, status, startedAt,
                Duration.ofNanos(Math.max(0, end - startTick)), nodes, links, diamonds, ps, probesSent,
                discoveryProbes, request.confidence(), MdaBounds.globalConfidence(request.confidence(), branchPoints),
                destinationReached, unexplored, allNotes);
    }

    /** The nodes reported at a TTL: answering ones by address, the silent one last. */
    private List<Node> reportedNodes(int ttl) {
        Ttl t = ttls[ttl];
        List<Node> out = new ArrayList<>(t.nodes.values());
        out.sort((a, b) -> compare(a.address, b.address));
        if (t.silent != null) {
            out.add(t.silent);
        }
        return out;
    }

    private static int compare(@Nullable InetAddress a, @Nullable InetAddress b) {
        byte[] x = a == null ? new byte[0] : a.getAddress();
        byte[] y = b == null ? new byte[0] : b.getAddress();
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return Arrays.compareUnsigned(x, y);
    }

    /** Links between reported TTLs with the flows taking them (seen at both ends, or at one end of a one-node TTL). */
    private Map<Node, Map<Node, Integer>> linkFlows(int last) {
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

    private Map<Node, List<Node>> successors(int last) {
        Map<Node, List<Node>> out = new LinkedHashMap<>();
        linkFlows(last).forEach((from, tos) -> {
            List<Node> l = new ArrayList<>(tos.keySet());
            l.sort((a, b) -> a.address == null ? 1 : b.address == null ? -1 : compare(a.address, b.address));
            out.put(from, l);
        });
        return out;
    }

    private List<MultipathLink> links(int last) {
        List<MultipathLink> out = new ArrayList<>();
        linkFlows(last).forEach((from, tos) -> tos.forEach((to, n) -> out.add(new MultipathLink(from.ttl,
                Optional.ofNullable(from.address), Optional.ofNullable(to.address), n))));
        out.sort(Comparator.comparingInt(MultipathLink::ttl)
                .thenComparing((a, b) -> compare(a.from().orElse(null), b.from().orElse(null)))
                .thenComparing((a, b) -> compare(a.to().orElse(null), b.to().orElse(null))));
        return out;
    }

    private void publishLinks() {
        if (events == null) {
            return;
        }
        for (MultipathLink l : links(lastReportedTtl())) {
            String key = l.ttl() + "|" + l.from() + "|" + l.to();
            if (linkKeys.add(key)) {
                events.linkFound(l);
            }
        }
    }

    private List<Diamond> diamonds(int last, Map<Node, MultipathNode> view) {
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
                out.add(new Diamond(view.get(v), conv, widths, meshed,
                        v.perPacket ? LoadBalancing.PER_PACKET : LoadBalancing.PER_FLOW));
                coveredTo = Math.max(coveredTo, convergence == null ? last : convergence.ttl);
            }
        }
        return out;
    }

    private MultipathNode toNode(Node n) {
        Optional<RttStatistics> rtt = n.answers.isEmpty() ? Optional.empty()
                : HopFolder.hop(n.ttl, n.answers, ipv6).statistics().rtt();
        return new MultipathNode(n.ttl, Optional.ofNullable(n.address), n.answers.size(), List.copyOf(n.flows),
                n.destination, n.perPacket ? LoadBalancing.PER_PACKET : LoadBalancing.PER_FLOW, rtt);
    }

    private MultipathPath toPath(int i) {
        List<Node> p = paths.get(i);
        List<List<Sent>> hops = pathProbes.isEmpty() ? List.of() : pathProbes.get(i);
        List<PathHop> out = new ArrayList<>();
        int drifts = 0;
        for (int h = 0; h < p.size(); h++) {
            Node n = p.get(h);
            List<ProbeState> states = new ArrayList<>();
            if (h < hops.size()) {
                for (Sent s : hops.get(h)) {
                    if (s.drift) {
                        drifts++;
                        continue;
                    }
                    states.add(s.state);
                }
            }
            int hop = h;
            HopStatistics stats = HopFolder.hop(n.ttl, states, ipv6, false,
                    round -> answeredLater(hops, hop, round)).statistics();
            out.add(new PathHop(n.ttl, Optional.ofNullable(n.address), stats));
        }
        if (drifts > 0) {
            note("path " + (i + 1) + " " + p.stream().map(MultipathStrategy::text).toList() + ": " + drifts
                    + " path probes answered off the path (a route change or per-packet balancing), not counted");
        }
        return new MultipathPath(out, pathAllFlows.isEmpty() ? List.of() : pathAllFlows.get(i),
                out.get(out.size() - 1).statistics());
    }

    private static boolean answeredLater(List<List<Sent>> hops, int h, int round) {
        for (int k = h + 1; k < hops.size(); k++) {
            for (Sent s : hops.get(k)) {
                if (s.state.attempt() == round && s.state.answered() && !s.drift) {
                    return true;
                }
            }
        }
        return false;
    }

    private void note(String text) {
        noteSet.add(text);
    }

    private static String text(Node n) {
        return n.address == null ? "*" : n.address.getHostAddress();
    }

    // ---- for tests -------------------------------------------------------------------------------

    /** Probes outstanding now. */
    public int inFlight() {
        return ledger.inFlight();
    }

    @Override
    public void observe(ProbeObserver o) {
        ledger.observe(o);
    }

    @Override
    public String kind() {
        return "multipath";
    }

    @Override
    public String target() {
        return destination.getHostAddress();
    }

    @Override
    public String transport() {
        return transportName;
    }

    @Override
    public String status(MultipathResult result, Stop reason) {
        return result.status().name();
    }

    /** Answers that matched no outstanding probe. */
    public int unmatched() {
        return ledger.unmatched();
    }
}
