package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MdaPlanner.Want;
import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.SequenceSpace;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *     or once t's probe waited past the exploration delay (three times the slowest RTT, at least
 *     10 ms, plus how late the engine read its latest answer) or all its flows stayed silent (then the
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
 *     duplicate and beyond-path answers and for the end of the path, and its {@link WaitPolicy} (a later TTL's answer
 *     lets a silent hop go in milliseconds); the flow is sent again up to {@code probesPerTtl} times (two more where
 *     other flows of that TTL answered), then in quiet waves ({@link QuietTries}): it belongs to its TTL's silent node
 *     only once it went unanswered while nothing that could be at that TTL answered for a limiter's refill. An
 *     unanswered flow is never a sample for the stopping rule (which node refused it is unknown). Discovery does not
 *     end while a flow waits for a wave, or a TTL that answered nothing (short of one that did) may still be answered
 *     late ({@link LateAnswers}), and a miss revised by its answer takes back what it taught the rate-limit table.</li>
 * </ul>
 *
 * <p><b>Paths.</b> Every sequence of nodes joined by links (at most {@value PathProbing#MAX_PATHS}); each path
 * gets the lowest flow that followed it at every TTL with two nodes or more. Then
 * {@code pathProbes} rounds, one every {@code pathInterval}, each sending every path's flow at every
 * TTL of the path. Losses are split forward/backward as in a trace; an answer from off the path is a
 * drift, noted and not counted for the path.
 *
 * <p><b>Ending.</b> The budget counts every probe sent; when it runs out the run ends once nothing is
 * outstanding, with status PROBE_BUDGET and the nodes whose stopping rule was not met in
 * {@code unexplored}. A deadline or cancellation from the runtime arrives as {@link #outcome}.
 */
public final class MultipathStrategy implements ProbingStrategy<MultipathResult>, ProbingStrategy.SendsLater {
    /** What the handle forwards to the listener; called on the engine loop, in order. */
    public interface Events {
        default void nodeFound(MultipathNode node) {}

        default void linkFound(MultipathLink link) {}

        default void roundCompleted(int round, int probes) {}

        default void pathMeasured(MultipathPath path) {}
    }

    static final int MAX_IN_FLIGHT = 64;
    /** Re-probes of one flow at one TTL that was rate-limited, beyond its attempts. */
    static final int RATE_LIMITED_RETRIES = 12;

    private enum Phase { DISCOVERY, PATHS, DONE }

    private final MultipathRequest request;
    private final InetAddress destination;
    private final ProbeProtocol protocol;
    private final String transportName;
    private final List<String> notes;
    private final Instant startedAt;
    private final long startTick;
    private final @Nullable Events events;
    private final int firstTtl;
    private final int maxTtl;
    private final ProbeLedger ledger;
    private final MultipathGraph graph;
    private final MdaPlanner planner;
    /**
     * The path phase; its {@link PathProbing#elsewhere} is set before the run starts ({@link TcpAssistedMultipath}).
     */
    final PathProbing paths;
    private final ArrayDeque<Want> queue;
    /** Every probe sent, by index (its {@link ProbeState#index}). */
    private final List<Sent> sent = new ArrayList<>();
    private final Set<String> linkKeys = new HashSet<>();
    private final Set<String> noteSet = new LinkedHashSet<>();

    private Phase phase = Phase.DISCOVERY;
    /**
     * Discovery is held until this tick for late answers at a silent TTL ({@link LateAnswers}); Long.MAX_VALUE if not.
     */
    private long silentHold = Long.MAX_VALUE;
    private boolean dirty = true;
    private int discoveryInFlight;
    private int probesSent;
    private int discoveryProbes;
    private boolean budgetHit;
    /** A send failed for good: the status it ends with (NO_ROUTE or SEND_FAILED), else null. */
    private @Nullable MultipathStatus sendImpossible;
    private int round = 1;
    private int lastRoundProbes = -1;
    private long endTick;
    private @Nullable MultipathResult outcome;
    private final MultipathRateLimits rateLimits;

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
        this(request, destination, protocol, transportName, notes, maxSequence, maxFlow, startedAt, startTick, events,
                RateLimitModel.NONE);
    }

    /**
     * As above, with the tracer's learned per-responder ICMP budgets: probes expected to be answered
     * by a learned limiter are paced under its budget, a probe it left unanswered over its budget is
     * {@link io.pathprobe.probe.ProbeStatus#RATE_LIMITED} and its flow is probed again (discovery does not
     * take it for a silent node), and path probes skip limiters before the destination.
     */
    public MultipathStrategy(MultipathRequest request, InetAddress destination, ProbeProtocol protocol,
            String transportName, List<String> notes, int maxSequence, int maxFlow, Instant startedAt,
            long startTick, @Nullable Events events, RateLimitModel pacing) {
        this.request = request;
        this.destination = destination;
        boolean ipv6 = destination instanceof Inet6Address;
        this.protocol = protocol;
        this.transportName = transportName;
        this.notes = List.copyOf(notes);
        this.startedAt = startedAt;
        this.startTick = startTick;
        this.events = events;
        this.firstTtl = request.firstTtl();
        this.maxTtl = request.maxTtl();
        this.ledger = new ProbeLedger(i -> i < sent.size() ? sent.get(i).state : null,
                new SequenceSpace(maxSequence, request.maxProbes()),
                new WaitPolicy(WaitPolicy.nanos(request.probeTimeout()), true), destination, protocol, firstTtl, maxTtl,
                this::finished);
        this.graph = new MultipathGraph(firstTtl, maxTtl, ipv6, noteSet);
        this.planner = new MdaPlanner(request, graph, maxFlow, ledger::horizon, noteSet);
        RateLimitModel table = pacing.forDestination(destination, protocol);
        this.paths = new PathProbing(request, graph, ipv6, noteSet, table);
        boolean udpLimited = pacing != RateLimitModel.NONE && protocol == ProbeProtocol.UDP;
        this.rateLimits = new MultipathRateLimits(table, graph, paths, ledger, destination, udpLimited);
        this.queue = planner.queue;
    }

    // ---- sending -----------------------------------------------------------------------------

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (outcome != null || phase == Phase.DONE) {
            return null;
        }
        settle(now);
        if (queue.isEmpty() || ledger.inFlight() >= MAX_IN_FLIGHT) {
            return null;
        }
        if (probesSent >= request.maxProbes()) {
            budgetHit = true;
            queue.clear();
            settle(now);
            return null;
        }
        Want w = rateLimits.pick(queue, now);
        if (w == null) {
            return null;
        }
        Cell known = graph.ttls[w.ttl()].cells.get(w.flow());
        int attempt = w.kind() == Sent.Kind.PATH ? w.round() : known == null ? 0 : known.attempts;
        ProbeState p = new ProbeState(w.ttl(), attempt, sent.size());
        int seq = ledger.send(p, now, w.flow());
        if (seq < 0) {
            return null;
        }
        queue.remove(w);
        Cell cell = w.kind() == Sent.Kind.PATH ? null : graph.cell(w.ttl(), w.flow());
        Sent s = new Sent(p, w.kind(), cell, w.path());
        s.expected = rateLimits.expected(w);
        rateLimits.sent(s, now);
        sent.add(s);
        probesSent++;
        if (w.kind() == Sent.Kind.PATH) {
            paths.sent(s, w.ttl());
        } else if (cell != null) { // not a path probe: it has its cell
            discoveryInFlight++;
            if (w.kind() == Sent.Kind.DISCOVERY) {
                discoveryProbes++; // MDA's own (scamper's probec); a per-packet check is counted in probes only
                cell.attempts++;
                cell.lastSentTick = now;
            }
            cell.pending++;
            Ttl t = graph.ttls[w.ttl()];
            if (t.firstSentTick < 0) {
                t.firstSentTick = now;
            }
        }
        return new ProbeSpec(seq, w.ttl(), w.flow());
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        ProbeState p = ledger.probe(probe);
        if (p != null) {
            ledger.sent(p, sentNanos, now);
        }
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        ProbeState p = ledger.probe(probe);
        if (p == null) {
            return;
        }
        Sent s = sent.get(p.index());
        ledger.sendFailed(p, reason);
        noteSet.add("send failed: " + reason);
        if (noRoute || permanent) {
            // no probe can leave: the discovery ends now, with the cause as its status (never COMPLETE)
            noteSet.add(noRoute ? "no route to the destination"
                    : "no probe can be sent to the destination from this host");
            sendImpossible = noRoute ? MultipathStatus.NO_ROUTE : MultipathStatus.SEND_FAILED;
            queue.clear();
            phase = Phase.DONE;
            return;
        }
        timedOut(s, now);
        settle(now);
    }

    /** The ledger's one transition out of PENDING for this probe: the only place in-flight goes down. */
    private void finished(ProbeState p) {
        Sent s = sent.get(p.index());
        if (s.kind == Sent.Kind.PATH) {
            paths.inFlight--;
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
            queue.removeIf(w -> w.ttl() > ledger.horizon());
        }
        ProbeState p = t.probe();
        Sent s = sent.get(p.index());
        // a flow not known here yet: charged now to the responder; a late one takes back its miss
        rateLimits.answered(s, r.responder(), now, t instanceof ProbeLedger.Late);
        planner.maxRtt = Math.max(planner.maxRtt, p.rttNanos());
        if (p.rttNanos() >= 0) {
            planner.readLag = Math.max(0, now - p.sentTick() - p.rttNanos());
        }
        if (s.kind == Sent.Kind.PATH) {
            paths.answered(s, p.ttl(), r.responder());
        } else if (s.cell != null && (t.router() || p.destination() || !graph.unreachable(p, s.cell, r.responder()))) {
            // (a router's unreachable is a node here unless that router is seen nearer: MultipathGraph#unreachable)
            planner.waves.heard(p.ttl(), p.destination(), now);
            Node n = graph.answered(p, s.cell, r.responder(), t.router(), p.destination());
            if (n != null && events != null) {
                events.nodeFound(graph.toNode(n));
            }
        }
        dirty = true;
        settle(now);
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

    /**
     * A probe got nothing. A path probe to a path's last hop that its responder refused over its budget, or that the
     * destination may have refused (its pace not known yet, its bucket maybe empty), is sent again under the pacing,
     * or a refill after it, so every path gets decided probes; a discovery probe goes to {@link MdaPlanner#missed}.
     */
    private void timedOut(Sent s, long now) {
        boolean limited = rateLimits.timedOut(s, now);
        if (phase == Phase.PATHS && (limited || rateLimits.mayBeRefused(s)) && s.kind == Sent.Kind.PATH
                && paths.last(s.path, s.state.ttl()) && paths.retry(s)) {
            queue.add(new Want(s.state.ttl(), s.state.flow(), Sent.Kind.PATH, s.path, s.state.attempt()));
        }
        if (s.kind == Sent.Kind.DISCOVERY && s.cell != null && s.cell.ttl <= ledger.horizon()) {
            planner.missed(s, limited, phase == Phase.DISCOVERY, now);
        }
    }

    @Override
    public long nextWakeup(long now) {
        if (outcome != null || phase == Phase.DONE) {
            return NO_WAKEUP;
        }
        long earliest = ledger.nextExpiry(now); // Long.MAX_VALUE, NO_WAKEUP, when nothing is outstanding
        if (!queue.isEmpty()) {
            earliest = Math.min(earliest, rateLimits.pacedWake(now, ledger.inFlight() < MAX_IN_FLIGHT));
        }
        if (phase == Phase.DISCOVERY) {
            long at = planner.exploreAt();
            if (at != Long.MAX_VALUE) {
                earliest = Math.min(earliest, Math.max(0, at - now));
            }
            if (silentHold != Long.MAX_VALUE && silentHold - now > 0) {
                earliest = Math.min(earliest, silentHold - now);
            }
            long wave = planner.waves.nextWave();
            if (wave != Long.MAX_VALUE) {
                earliest = Math.min(earliest, Math.max(0, wave - now));
            }
        } else if (phase == Phase.PATHS) {
            earliest = Math.min(earliest, paths.nextRound(now));
        }
        return earliest;
    }

    // ---- phases ------------------------------------------------------------------------------

    /** Plans if something changed, moves phases, and fires round ends. */
    private void settle(long now) {
        if (outcome != null || phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.DISCOVERY) {
            silentHold = Long.MAX_VALUE; // set again below while discovery would end now but for it
            if (budgetHit) {
                if (discoveryInFlight == 0) {
                    endRound();
                    phase = Phase.DONE;
                }
                return;
            }
            planner.waves.release(now, ledger.horizon(), queue); // flows unanswered so far, sent again once it is quiet
            // (the frontier is passed by on time even while flows wait in the queue for a limiter's token: planning
            // only grows what is wanted, each flow once, so planning again with a queue is safe)
            if ((queue.isEmpty() && dirty) || planner.exploreAt() <= now) {
                dirty = false;
                planner.plan(now, null);
            }
            if (queue.isEmpty() && discoveryInFlight == 0 && !planner.waves.waiting(ledger.horizon())) {
                endRound();
                if (planner.exploreAt() == Long.MAX_VALUE || planner.exploreAt() <= now) {
                    planner.plan(now, null);
                    if (queue.isEmpty()) {
                        silentHold = LateAnswers.holdUntil(sent, graph, Math.min(ledger.horizon(), maxTtl),
                                ledger, now);
                        if (silentHold != Long.MAX_VALUE) {
                            paths.early(now, lastReportedTtl()); // the TCP path phase may start during the wait
                        } else if (request.pathProbes() == 0 || !planner.pins.pinRound(paths, lastReportedTtl())) {
                            startPaths(now);
                        }
                    }
                }
            }
            if (!queue.isEmpty()) {
                paths.notEarly(); // discovery goes on: the paths may change
            }
        }
        if (phase == Phase.PATHS) {
            if (budgetHit) {
                if (paths.inFlight == 0) {
                    finishPaths();
                }
                return;
            }
            paths.due(now, queue);
            if (paths.complete() && queue.isEmpty()) {
                finishPaths();
            }
        }
    }

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

    private void startPaths(long now) {
        phase = Phase.PATHS;
        // the topology is known: an answer that ends a path probe's way short of its hop (an
        // unreachable from a router, after a route changed) is that probe's fate, counted on its path,
        // not a new end of every path (which cut the topology to the TTLs before it and abandoned the
        // path probes beyond it: "sent 42, received 39, lost 0")
        ledger.endsPerFlow(p -> false);
        publishLinks();
        long deadline = WaitPolicy.nanos(request.deadline());
        long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - (now - startTick));
        if (!paths.start(now, lastReportedTtl(), remaining, destination)) {
            finishPaths();
        }
    }

    private void finishPaths() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        if (request.pathProbes() > 0 && events != null) {
            paths.measured().forEach(events::pathMeasured);
        }
    }

    private int lastReportedTtl() {
        return graph.lastReportedTtl(ledger.horizon());
    }

    // ---- end ---------------------------------------------------------------------------------

    @Override
    public boolean done() {
        return outcome != null || sendImpossible != null || (phase == Phase.DONE && ledger.inFlight() == 0);
    }

    @Override
    public MultipathResult outcome(Stop reason, long now) {
        if (outcome != null) {
            return outcome;
        }
        ledger.abandonAll();
        endTick = now;
        rateLimits.classify(sent, now); // what was learned after a probe timed out still tells why it went unanswered
        MultipathStatus status = switch (reason) {
            case CANCELLED -> MultipathStatus.CANCELLED;
            case DEADLINE -> MultipathStatus.DEADLINE_EXCEEDED;
            case COMPLETED -> sendImpossible != null ? sendImpossible
                    : budgetHit ? MultipathStatus.PROBE_BUDGET : MultipathStatus.COMPLETED;
        };
        if (paths.paths.isEmpty()) {
            paths.enumerate(lastReportedTtl());
        }
        paths.destinationLimited(rateLimits.destinationLimited());
        paths.judgeDrifts();
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
        Map<Node, MultipathNode> view = graph.views(last);
        List<MultipathNode> nodes = new ArrayList<>(view.values());
        List<MultipathLink> links = graph.links(last);
        List<Diamond> diamonds = graph.diamonds(last, view);
        List<MultipathPath> ps = paths.all();
        List<MultipathNode> unexplored = new ArrayList<>();
        if (status != MultipathStatus.COMPLETED) {
            Set<Node> unmet = new LinkedHashSet<>();
            planner.plan(now, unmet);
            unmet.stream().filter(view::containsKey)
                    .sorted(Comparator.comparingInt((Node n) -> n.ttl))
                    .forEach(n -> unexplored.add(view.get(n)));
        }
        int branchPoints = graph.branchPoints(last);
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(noteSet);
        allNotes.addAll(paths.pathNotes());
        boolean reached = graph.destinationReached && nodes.stream().anyMatch(MultipathNode::destination);
        graph.endNotes(allNotes, reached, last, ledger.horizon() >= maxTtl);
        long end = outcome != null || endTick != 0 ? endTick : now;
        return new MultipathResult(request, destination, transportName, protocol, status, startedAt,
                Duration.ofNanos(Math.max(0, end - startTick)), nodes, links, diamonds, ps, probesSent,
                discoveryProbes, request.confidence(), MdaBounds.globalConfidence(request.confidence(), branchPoints),
                reached, unexplored, allNotes);
    }

    private void publishLinks() {
        if (events == null) {
            return;
        }
        for (MultipathLink l : graph.links(lastReportedTtl())) {
            String key = l.ttl() + "|" + l.from() + "|" + l.to();
            if (linkKeys.add(key)) {
                events.linkFound(l);
            }
        }
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
    public Subject<MultipathResult> subject() {
        return new Subject<>(io.pathprobe.MeasurementType.MULTIPATH,
                destination.getHostAddress(), transportName, MultipathResult::status);
    }

    /** Answers that matched no outstanding probe. */
    public int unmatched() {
        return ledger.unmatched();
    }
}
