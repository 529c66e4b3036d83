package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.SequenceSpace;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.multipath.LossBasis;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.HopStatistics;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The path phase of a UDP discovery measured end to end over TCP ({@link PathsElsewhere}): a UDP
 * probe's answer from the destination is a Port Unreachable, an ICMP error Linux sends once a second
 * after a burst of 6, so UDP path probes to it can only be spaced (a handful a path); a TCP SYN's
 * answer (RST from a closed port, SYN-ACK from an open one) is not rate-limited. The paths are those
 * the UDP discovery found; TCP flows (source ports) are hashed apart from UDP ones, so each path's TCP flow is
 * found anew.
 *
 * <p><b>Pinning.</b> New TCP flows are sent, TTL-limited, at every TTL where the paths' nodes differ
 * (answered by the routers there with Time Exceeded). A flow whose routers are a path's nodes at each
 * of those TTLs follows that path (the first is the path's flow). Those routers' answers ARE rate-limited (and the
 * discovery spent their budget just before): at a TTL with k nodes, probes leave at 4k a second after a first burst of
 * 2k ({@value PinPace#PROBES_PER_NODE_SECOND} a router a second on average, against a Linux router's refill of one:
 * a refused probe costs it nothing); a probe left unanswered in the first second is sent again later, up
 * to {@value #RETRIES} more times, one refused later is dropped for a fresh flow ({@link #missed}); a flow
 * whose routers already answered show it on no path still unpinned is dropped. The UDP path probes wait meanwhile
 * ({@link #holding}: they would drain the same budgets). Pinning ends when every path is pinned, no flow is left, or
 * after its time (two seconds a path, at least {@value #MIN_PIN_SECONDS} s, at most a third of what is left of the
 * deadline). If the destination answered none of the TCP probes, nothing is claimed.
 *
 * <p><b>Measuring</b>, from the start of pinning: every {@code pathInterval} a round of as many TCP probes
 * to the destination as there are paths (the rate the UDP path probes would give it), shared by the paths
 * still short of {@code pathProbes} along their flows, and, while pinning, one along each flow not placed
 * yet ({@link #round}); a probe counts for the path its flow turns out to follow (a flow placed on no path
 * wastes its probes). A path's loss comes from the first {@code pathProbes} probes sent along its flows, whatever
 * became of them. An answer from the destination is received; no answer is a loss; another responder in the
 * destination's place is a forward loss. The paths no TCP flow was found for are left to the UDP path phase (spaced).
 * Each claimed path's loss basis is {@link LossBasis#TCP_END_TO_END}; its hops before the destination keep the UDP
 * path probes sent to them (a miss there soon after pinning spent their routers' budgets is no loss:
 * {@link SpentBudgets}); the notes give each path's TCP flow, probe count and Wilson 95 % interval.
 *
 * <p>Pure: no clock reads, no I/O; confined to the engine loop.
 */
final class TcpPathProbing implements PathsElsewhere {
    /** Tries of a flow at a TTL beyond its first when it went unanswered (a refusal over a budget is likely). */
    static final int RETRIES = 3;
    static final int MIN_PIN_SECONDS = 4;
    static final long SECOND = PinPace.SECOND;
    static final int MAX_IN_FLIGHT = 64;
    private enum Phase { IDLE, PIN, MEASURE, DONE }
    /** A probe to send: TTL-limited at a TTL where the paths part, or end to end ({@code e2e}). */
    private record Want(int ttl, int flow, boolean e2e) {}

    /** A flow being pinned: who answered it at each TTL where the paths part. */
    private static final class Trial {
        final int flow;
        final Map<Integer, InetAddress> seen = new HashMap<>();
        final Map<Integer, Integer> tries = new HashMap<>();
        /** Its path is known, or it follows none still wanted. */
        boolean over;

        Trial(int flow) {
            this.flow = flow;
        }
    }

    private final MultipathRequest request;
    private final int maxFlow;
    private final String transport;
    private final boolean ipv6;
    private final ProbeLedger ledger;
    private final List<ProbeState> probes = new ArrayList<>();
    /** What each probe (by index) was. */
    private final List<Want> wants = new ArrayList<>();
    private final SpentBudgets spent = new SpentBudgets();
    private final ArrayDeque<Want> queue = new ArrayDeque<>();
    private final List<String> notes = new ArrayList<>();
    private Phase phase = Phase.IDLE;
    private List<List<Node>> paths = List.of();
    /** TTLs where the paths' nodes differ, and how many nodes each has. */
    private final Map<Integer, Integer> divergent = new java.util.TreeMap<>();
    private final PinPace pace = new PinPace();
    private final Map<Integer, Trial> trials = new java.util.TreeMap<>();
    /** The path each flow was found to follow. */
    private final Map<Integer, Integer> flowPath = new HashMap<>();
    /** Each path's first flow found, or -1. */
    private int[] pathFlow = new int[0];
    private boolean[] eligible = new boolean[0];
    private int eligibleCount;
    private int destinationTtl;
    private int nextFlow;
    private long pinStart;
    private long pinEnd;
    private final long deadlineAt;
    /** Pinning ended; the flows found are used once the destination showed it answers TCP. */
    private boolean pinOver;
    private String took = "";
    private boolean destinationAnswered;
    /** The destination was found (or known) to limit its UDP answers: the paths pinned are claimed. */
    private boolean needed;
    private int pinProbes;
    private long nextDueAt;
    private int sent;
    private final long pathInterval;

    /**
     * @param request the discovery's request (path probes, interval, timeout)
     * @param destination the destination
     * @param ipv6 whether it is IPv6
     * @param maxSequence the TCP session's largest sequence number
     * @param maxFlow the TCP session's largest flow number
     * @param transport the TCP transport's name, for the notes
     * @param deadlineAt the tick the discovery's deadline falls on (Long.MAX_VALUE: none)
     */
    TcpPathProbing(MultipathRequest request, InetAddress destination, boolean ipv6, int maxSequence, int maxFlow,
            String transport, long deadlineAt) {
        this.request = request;
        this.ipv6 = ipv6;
        this.maxFlow = maxFlow;
        this.transport = transport;
        this.deadlineAt = deadlineAt;
        this.pathInterval = WaitPolicy.nanos(request.pathInterval());
        this.ledger = new ProbeLedger(i -> i < probes.size() ? probes.get(i) : null,
                new SequenceSpace(maxSequence, Math.max(1024, MAX_IN_FLIGHT * 4)),
                new WaitPolicy(WaitPolicy.nanos(request.probeTimeout()), true), destination, ProbeProtocol.TCP,
                request.firstTtl(), request.maxTtl(), p -> {});
        this.ledger.endsPerFlow(p -> false); // the paths are known: an answer ends nothing but its probe
    }

    // ---- PathsElsewhere ----------------------------------------------------------------------

    @Override
    public void start(List<List<Node>> paths, MultipathGraph graph, long now) {
        this.paths = List.copyOf(paths);
        pathFlow = new int[paths.size()];
        Arrays.fill(pathFlow, -1);
        eligible = new boolean[paths.size()];
        eligibleCount = 0;
        // started again on other paths (after an early start): the flows are found anew (new ones: an old
        // flow's answers were judged against the old paths), and the probes sent before count for none
        flowPath.clear();
        trials.values().forEach(t -> t.over = true);
        queue.clear();
        pinOver = false;
        took = "";
        notes.clear();
        divergent.clear();
        Map<Integer, java.util.Set<Node>> nodes = new HashMap<>();
        for (List<Node> p : paths) {
            for (Node n : p) {
                nodes.computeIfAbsent(n.ttl, t -> new java.util.HashSet<>()).add(n);
            }
        }
        nodes.forEach((ttl, set) -> {
            if (set.size() >= 2) {
                divergent.put(ttl, set.size());
            }
        });
        for (int i = 0; i < paths.size(); i++) {
            List<Node> p = paths.get(i);
            Node end = p.get(p.size() - 1);
            boolean ok = end.destination;
            for (Node n : p) {
                ok &= !divergent.containsKey(n.ttl) || n.address != null;
            }
            eligible[i] = ok;
            if (ok) {
                eligibleCount++;
                destinationTtl = Math.max(destinationTtl, end.ttl);
            }
        }
        if (eligibleCount == 0 || request.pathProbes() == 0) {
            phase = Phase.DONE;
            return;
        }
        phase = Phase.PIN;
        pinStart = now;
        nextDueAt = now;
        long left = deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineAt - now);
        pinEnd = WaitPolicy.plus(now, Math.min(Math.max(MIN_PIN_SECONDS, 2L * eligibleCount) * SECOND, left / 3));
        pace.reset(divergent, now);
    }

    @Override
    public void pause() {
        ledger.abandonAll();
        queue.clear();
        phase = Phase.IDLE;
    }

    @Override
    public void needed(long now) {
        needed = true;
    }

    /** Whether the destination was found to limit its UDP answers ({@link #needed}). */
    boolean isNeeded() {
        return needed;
    }

    @Override
    public boolean holding() {
        return phase == Phase.PIN;
    }

    @Override
    public boolean claims(int path) {
        return needed && (phase == Phase.MEASURE || phase == Phase.DONE) && path >= 0 && path < pathFlow.length
                && pathFlow[path] >= 0;
    }

    @Override
    public boolean done() {
        return phase == Phase.IDLE || !needed || ((phase == Phase.DONE || measured()) && ledger.inFlight() == 0);
    }

    /** Every pinned path has its end-to-end probes sent. */
    private boolean measured() {
        if (phase != Phase.MEASURE || !queue.isEmpty()) {
            return false;
        }
        for (int i = 0; i < paths.size(); i++) {
            if (pathFlow[i] >= 0 && counted(i) < request.pathProbes()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public MultipathPath path(int path, MultipathPath view) {
        HopStatistics stats = statistics(path);
        List<PathHop> hops = new ArrayList<>(view.hops());
        PathHop last = hops.get(hops.size() - 1);
        hops.set(hops.size() - 1, new PathHop(last.ttl(), last.address(), stats));
        return new MultipathPath(hops, view.flows(), stats, LossBasis.TCP_END_TO_END);
    }

    // ---- the runtime's calls (through the composite) -----------------------------------------

    /** The probe to send now, or null. */
    @Nullable ProbeSpec next(long now) {
        if (phase == Phase.PIN && !pinOver) {
            if (now - pinEnd >= 0 || (nextFlow > maxFlow && trials.values().stream().allMatch(t -> t.over))) {
                endPinning(now);
            } else {
                openTrials();
            }
        }
        if (((phase == Phase.PIN && !pinOver) || phase == Phase.MEASURE) && now - nextDueAt >= 0) {
            round(now);
        }
        if (queue.isEmpty() || ledger.inFlight() >= MAX_IN_FLIGHT) {
            return null;
        }
        Want w = null;
        for (Want c : queue) {
            if (c.e2e || pace.take(c.ttl, now)) {
                w = c;
                break;
            }
        }
        if (w == null) {
            return null;
        }
        ProbeState p = new ProbeState(w.ttl, 0, probes.size());
        int seq = ledger.send(p, now, w.flow);
        if (seq < 0) {
            return null;
        }
        queue.remove(w);
        probes.add(p);
        wants.add(w);
        sent++;
        if (!w.e2e) {
            pinProbes++;
        }
        return new ProbeSpec(seq, w.ttl, w.flow);
    }

    /**
     * One round of end-to-end probes: as many as there are paths (the rate the UDP path probes would give the
     * destination), shared by the paths still short of {@code pathProbes} along their flows (a path whose
     * flow was found last gets the slots of those done), and, while pinning, one along each flow not placed
     * yet. Those count for the path their flow turns out to follow: the measurement runs while the flows are found.
     */
    private void round(long now) {
        nextDueAt = now - nextDueAt >= pathInterval ? WaitPolicy.plus(now, pathInterval)
                : WaitPolicy.plus(nextDueAt, pathInterval);
        int[] owed = new int[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            owed[i] = pathFlow[i] >= 0 ? Math.max(0, request.pathProbes() - counted(i)) : 0;
        }
        for (int slots = eligibleCount, given = 1; slots > 0 && given > 0; ) {
            given = 0;
            for (int i = 0; i < paths.size() && slots > 0; i++) {
                if (owed[i] > 0) {
                    List<Node> p = paths.get(i);
                    queue.add(new Want(p.get(p.size() - 1).ttl, pathFlow[i], true));
                    owed[i]--;
                    slots--;
                    given++;
                }
            }
        }
        if (phase != Phase.PIN) {
            return;
        }
        // every flow still being pinned gets one too: the probes along the flows that turn out to follow a path
        // are that path's, so its measurement is done when its flow is found (pinning waits on the routers'
        // refills: a second or more once discovery spent their budgets)
        trials.values().stream().filter(t -> !t.over).forEach(t -> queue.add(new Want(destinationTtl, t.flow, true)));
    }

    /** End-to-end probes sent or queued along the flows found to follow path {@code path}. */
    private int counted(int path) {
        int n = 0;
        for (Want w : wants) {
            n += w.e2e && flowPath.getOrDefault(w.flow, -1) == path ? 1 : 0;
        }
        for (Want w : queue) {
            n += w.e2e && flowPath.getOrDefault(w.flow, -1) == path ? 1 : 0;
        }
        return n;
    }

    /** Opens new flows while paths are unpinned, a few more than the paths left. */
    private void openTrials() {
        long open = trials.values().stream().filter(t -> !t.over).count();
        int left = (int) java.util.stream.IntStream.range(0, paths.size()).filter(i -> eligible[i] && pathFlow[i] < 0)
                .count();
        while (left > 0 && open < 2L * left + 2 && nextFlow <= maxFlow) {
            Trial t = new Trial(nextFlow++);
            trials.put(t.flow, t);
            for (int ttl : divergent.keySet()) {
                queue.add(new Want(ttl, t.flow, false));
                t.tries.put(ttl, 1);
            }
            if (divergent.isEmpty()) {
                queue.add(new Want(destinationTtl, t.flow, true));
            }
            open++;
        }
    }

    void onSent(ProbeSpec probe, long sentNanos) {
        ProbeState p = ledger.probe(probe);
        if (p != null) {
            ledger.sent(p, sentNanos);
            if (!wants.get(p.index()).e2e) {
                spent.sent(probe.ttl(), sentNanos);
            }
        }
    }

    @Override
    public boolean spentBudgets(int ttl, long tick) {
        return spent.spent(ttl, tick);
    }

    void onSendFailed(ProbeSpec probe, String reason, long now) {
        ProbeState p = ledger.probe(probe);
        if (p != null) {
            ledger.sendFailed(p, reason);
            missed(p, now);
            confirm(now);
        }
    }

    void onAnswer(ProbeResponse r, long now) {
        if (!(ledger.answer(r, now) instanceof ProbeLedger.Taken t)) {
            return;
        }
        ProbeState p = t.probe();
        Want w = wants.get(p.index());
        Trial trial = trials.get(w.flow);
        if (p.destination()) {
            destinationAnswered = true;
            if (trial != null && !trial.over && divergent.isEmpty() && phase == Phase.PIN && !pinOver) {
                judge(trial, now); // one path (no TTL where paths part): the destination's answer is enough
            }
        } else if (!w.e2e && t.router() && trial != null && !trial.over && phase == Phase.PIN && !pinOver) {
            trial.seen.put(w.ttl, r.responder());
            judge(trial, now);
        }
        confirm(now);
    }

    void onWakeup(long now) {
        ledger.expire(now, p -> missed(p, now));
        if (phase == Phase.PIN && !pinOver && now - pinEnd >= 0) {
            endPinning(now);
        }
        confirm(now);
    }

    /**
     * A pin probe went unanswered: its flow is tried again at that TTL, up to {@value #RETRIES} more times,
     * while its refusal says nothing of its router (the first second of pinning: discovery may have drained
     * every router there). After that, a refused flow most likely takes a router that answered lately (a
     * path pinned already, whose router spent its token on it) and is dropped for a fresh one: kept, the same
     * few flows went round while a branch none of them took waited (pinning took up to 2.6 s, not 1.1).
     */
    private void missed(ProbeState p, long now) {
        Want w = wants.get(p.index());
        Trial trial = trials.get(w.flow);
        if (w.e2e || trial == null || trial.over || phase != Phase.PIN || pinOver) {
            return;
        }
        if (trial.tries.merge(w.ttl, 1, Integer::sum) > RETRIES + 1 || p.sentTick() - pinStart >= SECOND) {
            trial.over = true;
            return;
        }
        queue.add(new Want(w.ttl, w.flow, false));
    }

    /**
     * The path the trial's answers show, once they show it at every TTL where the paths part: its flow follows it
     * (and is its flow if it has none yet); a trial whose answers fit no path still without a flow is over.
     */
    private void judge(Trial trial, long now) {
        List<Integer> fits = new ArrayList<>();
        boolean wanted = false;
        for (int i = 0; i < paths.size(); i++) {
            boolean fit = eligible[i];
            for (Node n : paths.get(i)) {
                InetAddress seen = trial.seen.get(n.ttl);
                fit &= !divergent.containsKey(n.ttl) || seen == null || seen.equals(n.address);
            }
            if (fit) {
                fits.add(i);
                wanted |= pathFlow[i] < 0;
            }
        }
        if (trial.seen.keySet().containsAll(divergent.keySet()) && !fits.isEmpty()) {
            int i = fits.get(0);
            flowPath.put(trial.flow, i);
            if (pathFlow[i] < 0) {
                pathFlow[i] = trial.flow;
            }
            trial.over = true;
        } else if (!wanted) {
            trial.over = true;
        } else {
            return;
        }
        queue.removeIf(w -> !w.e2e && w.flow == trial.flow);
        boolean all = true;
        for (int i = 0; i < paths.size(); i++) {
            all &= !eligible[i] || pathFlow[i] >= 0;
        }
        if (all) {
            endPinning(now);
        }
    }

    /** No more flows are tried: those found are used once the destination answered one TCP probe. */
    private void endPinning(long now) {
        pinOver = true;
        queue.removeIf(w -> !w.e2e);
        took = " (" + pinProbes + " TCP probes to routers, " + Math.max(0, (now - pinStart) / 1_000_000) + " ms)";
        confirm(now);
    }

    /** After pinning: measure the paths pinned, or leave them all to UDP (no flow found, no TCP answer). */
    private void confirm(long now) {
        if (phase != Phase.PIN || !pinOver) {
            return;
        }
        int pinned = (int) Arrays.stream(pathFlow).filter(f -> f >= 0).count();
        boolean pending = queue.stream().anyMatch(w -> w.e2e) || ledger.inFlight() > 0;
        if (pinned > 0 && !destinationAnswered && pending) {
            return; // its answers may still come
        }
        if (pinned == 0 || !destinationAnswered) {
            Arrays.fill(pathFlow, -1);
            queue.clear();
            notes.add((pinned == 0 ? "no TCP flow was found to follow a path" : "the destination answered none of the"
                    + " TCP probes sent to it") + took + ": the path probes stay UDP, spaced under its ICMP budget");
            phase = Phase.DONE;
            return;
        }
        for (int i = 0; i < paths.size(); i++) {
            if (pathFlow[i] < 0) {
                notes.add("path " + (i + 1) + " " + text(paths.get(i)) + ": no TCP flow was found to follow it" + took
                        + ": its path probes are UDP, spaced under the destination's ICMP budget");
            }
        }
        notes.add("path probes over TCP (" + transport + ") end to end where a TCP flow follows the path, found by"
                + " TTL-limited TCP probes at the TTLs where the paths part" + took + ": the destination answers UDP"
                + " probes with Port Unreachables, which it rate-limits; TCP answers (SYN-ACK, RST) are not");
        phase = Phase.MEASURE;
    }

    long nextWakeup(long now) {
        long earliest = ledger.nextExpiry(now);
        boolean rounds = (phase == Phase.PIN && !pinOver) || (phase == Phase.MEASURE && !measured());
        if (rounds) {
            earliest = Math.min(earliest, Math.max(0, nextDueAt - now));
        }
        if (phase == Phase.PIN && !pinOver) {
            earliest = Math.min(earliest, Math.max(0, pinEnd - now));
            if (queue.stream().anyMatch(w -> !w.e2e)) {
                earliest = Math.min(earliest, pace.interval());
            }
        }
        return earliest;
    }

    /** The run ends: outstanding probes are abandoned; a measurement cut short keeps what it got. */
    void stop() {
        ledger.abandonAll();
        if (phase == Phase.PIN) {
            Arrays.fill(pathFlow, -1);
        }
        phase = Phase.DONE;
    }

    void observe(ProbeObserver o) {
        ledger.observe(o);
    }

    /** TCP probes sent. */
    int probes() {
        return sent;
    }

    /** What the reader should know: how the flows were found, each claimed path's precision. */
    List<String> notes() {
        if (!needed) {
            return List.of();
        }
        List<String> out = new ArrayList<>(notes);
        for (int i = 0; i < paths.size(); i++) {
            if (claims(i)) {
                HopStatistics s = statistics(i);
                int decided = s.received() + s.lost();
                double[] ci = Wilson.interval(s.lost(), decided);
                int path = i;
                String flows = flowPath.entrySet().stream().filter(e -> e.getValue() == path).map(Map.Entry::getKey)
                        .sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(" "));
                out.add(String.format(Locale.ROOT, "path %d %s: TCP flow%s %s, %d probes end to end, loss %.1f %%"
                        + " (95 %% Wilson interval %.1f-%.1f %%)", i + 1, text(paths.get(i)),
                        flows.contains(" ") ? "s" : "",
                        flows, decided, 100 * s.loss(), 100 * ci[0], 100 * ci[1]));
            }
        }
        return out;
    }

    /** The statistics of path {@code path}'s TCP probes to the destination. */
    HopStatistics statistics(int path) {
        List<ProbeState> states = new ArrayList<>();
        int unreached = 0;
        int taken = 0;
        for (int i = 0; i < probes.size() && taken < request.pathProbes(); i++) {
            Want w = wants.get(i);
            if (!w.e2e || flowPath.getOrDefault(w.flow, -1) != path) {
                continue;
            }
            taken++; // the first pathProbes sent along its flows, whatever became of them
            ProbeState p = probes.get(i);
            if (p.answered() && !p.destination()) {
                unreached++; // another responder in the destination's place: the probe did not get there
            } else {
                states.add(p);
            }
        }
        List<Node> p = paths.get(path);
        HopStatistics f = HopFolder.hop(p.get(p.size() - 1).ttl, states, ipv6, false, r -> false).statistics();
        return unreached == 0 ? f : new HopStatistics(f.sent() + unreached, f.received(), f.lost() + unreached,
                f.forwardLost() + unreached, f.backwardLost(), f.abandoned(), f.rtt(), f.rateLimited());
    }

    private static String text(List<Node> p) {
        return p.stream().map(MultipathGraph::text).toList().toString();
    }

    /** The TCP flow found for path {@code path}, or -1 (tests). */
    int flow(int path) {
        return path >= 0 && path < pathFlow.length ? pathFlow[path] : -1;
    }
}
