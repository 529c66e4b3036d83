package io.pathprobe.core.internal.multipath;

import io.pathprobe.HopStatistics;
import io.pathprobe.LossBasis;
import io.pathprobe.MultipathPath;
import io.pathprobe.MultipathRequest;
import io.pathprobe.PathHop;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.SequenceSpace;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
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
 * the UDP discovery found; TCP flows (source ports) are hashed apart from UDP ones, so each path's TCP
 * flow is found anew.
 *
 * <p><b>Pinning.</b> New TCP flows are sent, TTL-limited, at every TTL where the paths' nodes differ
 * (answered by the routers there with Time Exceeded), and once to the destination (its answer shows
 * that it answers TCP at all). A flow whose routers are a path's nodes at each of those TTLs follows
 * that path: the path's flow. Those routers' answers ARE rate-limited (and the discovery spent their
 * budget just before): at a TTL with k nodes, probes leave at k a second (one a router on average, a
 * Linux router's refill) after a first burst of 2k; a probe left unanswered is sent again later, up to
 * {@value #RETRIES} more times; a flow whose routers already answered show it on no path still
 * unpinned is dropped. The UDP path probes wait meanwhile ({@link #holding}: they would drain the same
 * budgets). Pinning ends when every path is pinned, no flow is left, or after its time (two seconds a
 * path, at least {@value #MIN_PIN_SECONDS} s, at most a third of what is left of the deadline). If
 * the destination answered none of the TCP probes, nothing is claimed.
 *
 * <p><b>Measuring.</b> {@code pathProbes} rounds, one every {@code pathInterval}, each a TCP probe to
 * the destination along every pinned path's flow (at the path's last TTL). An answer from the
 * destination is received; no answer is a loss; another responder in the destination's place is a
 * forward loss. The paths no TCP flow was found for are left to the UDP path phase (spaced). Each
 * claimed path's loss basis is {@link LossBasis#TCP_END_TO_END}; its hops before the destination carry
 * no probes; the notes give each path's TCP flow, probe count and Wilson 95 % interval.
 *
 * <p>Pure: no clock reads, no I/O; confined to the engine loop.
 */
final class TcpPathProbing implements PathsElsewhere {
    /** Tries of a flow at a TTL beyond its first when it went unanswered (a refusal over a budget is likely). */
    static final int RETRIES = 3;
    static final int MIN_PIN_SECONDS = 4;
    static final long SECOND = 1_000_000_000L;
    static final int MAX_IN_FLIGHT = 64;

    private enum Phase { IDLE, PIN, MEASURE, DONE }

    private record Want(int ttl, int flow, int path, int round) {}

    /** A flow being pinned: who answered it at each TTL where the paths differ. */
    private static final class Trial {
        final int flow;
        final Map<Integer, InetAddress> seen = new HashMap<>();
        final Map<Integer, Integer> tries = new HashMap<>();
        boolean dropped;

        Trial(int flow) {
            this.flow = flow;
        }
    }

    private final MultipathRequest request;
    private final InetAddress destination;
    private final boolean ipv6;
    private final int maxFlow;
    private final String transport;
    private final ProbeLedger ledger;
    private final List<ProbeState> probes = new ArrayList<>();
    /** What each probe (by index) was: its want. */
    private final List<Want> wants = new ArrayList<>();
    private final ArrayDeque<Want> queue = new ArrayDeque<>();
    private final List<String> notes = new ArrayList<>();
    private Phase phase = Phase.IDLE;
    private List<List<Node>> paths = List.of();
    /** TTLs where the paths' nodes differ, and how many nodes each has. */
    private final Map<Integer, Integer> divergent = new java.util.TreeMap<>();
    private final Map<Integer, double[]> tokens = new HashMap<>();
    private final Map<Integer, Long> refilledAt = new HashMap<>();
    private final Map<Integer, Trial> trials = new HashMap<>();
    private int[] pathFlow = new int[0];
    private boolean[] eligible = new boolean[0];
    private int destinationTtl;
    private int nextFlow;
    private long pinStart;
    private long pinEnd;
    private long deadlineAt;
    private boolean destinationAnswered;
    private int pinProbes;
    private int round;
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
        this.destination = destination;
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
        int count = 0;
        for (int i = 0; i < paths.size(); i++) {
            List<Node> p = paths.get(i);
            Node end = p.get(p.size() - 1);
            boolean ok = end.destination;
            for (Node n : p) {
                ok &= !divergent.containsKey(n.ttl) || n.address != null;
            }
            eligible[i] = ok;
            if (ok) {
                count++;
                destinationTtl = Math.max(destinationTtl, end.ttl);
            }
        }
        if (count == 0 || request.pathProbes() == 0) {
            phase = Phase.DONE;
            return;
        }
        phase = Phase.PIN;
        pinStart = now;
        long left = deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineAt - now);
        pinEnd = WaitPolicy.plus(now, Math.min(Math.max(MIN_PIN_SECONDS, 2L * count) * SECOND, left / 3));
        divergent.forEach((ttl, k) -> {
            tokens.put(ttl, new double[] {2.0 * k});
            refilledAt.put(ttl, now);
        });
    }

    @Override
    public boolean holding() {
        return phase == Phase.PIN;
    }

    @Override
    public boolean claims(int path) {
        return phase != Phase.IDLE && phase != Phase.PIN && path >= 0 && path < pathFlow.length && pathFlow[path] >= 0;
    }

    @Override
    public boolean done() {
        return phase == Phase.IDLE || ((phase == Phase.DONE || measured()) && ledger.inFlight() == 0);
    }

    /** Every round of TCP path probes has left. */
    private boolean measured() {
        return phase == Phase.MEASURE && round >= request.pathProbes() && queue.isEmpty();
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
        if (phase == Phase.PIN) {
            if (now - pinEnd >= 0) {
                endPinning(now);
            } else {
                openTrials();
                if (queue.isEmpty() && ledger.inFlight() == 0) {
                    endPinning(now); // no flow is left to try
                }
            }
        }
        if (phase == Phase.MEASURE && round < request.pathProbes() && now - nextDueAt >= 0) {
            nextDueAt = now - nextDueAt >= pathInterval ? WaitPolicy.plus(now, pathInterval)
                    : WaitPolicy.plus(nextDueAt, pathInterval);
            for (int i = 0; i < paths.size(); i++) {
                if (pathFlow[i] >= 0) {
                    List<Node> p = paths.get(i);
                    queue.add(new Want(p.get(p.size() - 1).ttl, pathFlow[i], i, round));
                }
            }
            round++;
        }
        if (queue.isEmpty() || ledger.inFlight() >= MAX_IN_FLIGHT) {
            return null;
        }
        Want w = null;
        for (Want c : queue) {
            if (c.path >= 0 || take(c.ttl, now)) {
                w = c;
                break;
            }
        }
        if (w == null) {
            return null;
        }
        ProbeState p = new ProbeState(w.ttl, Math.max(0, w.round), probes.size());
        int seq = ledger.send(p, now, w.flow);
        if (seq < 0) {
            return null;
        }
        queue.remove(w);
        probes.add(p);
        wants.add(w);
        sent++;
        if (w.path < 0) {
            pinProbes++;
        }
        return new ProbeSpec(seq, w.ttl, w.flow);
    }

    /** A token of the TTL's budget (k a second after a first 2k), if one is left. */
    private boolean take(int ttl, long now) {
        double[] t = tokens.get(ttl);
        if (t == null) {
            return true; // the destination's TTL: TCP answers are not limited
        }
        int k = divergent.get(ttl);
        long since = now - refilledAt.get(ttl);
        t[0] = Math.min(2.0 * k, t[0] + k * (since / (double) SECOND));
        refilledAt.put(ttl, now);
        if (t[0] < 1) {
            return false;
        }
        t[0] -= 1;
        return true;
    }

    /** Opens new flows while paths are unpinned, a few more than the paths left. */
    private void openTrials() {
        long open = trials.values().stream().filter(t -> !t.dropped).count();
        int left = (int) java.util.stream.IntStream.range(0, paths.size()).filter(i -> eligible[i] && pathFlow[i] < 0)
                .count();
        if (left == 0) {
            return;
        }
        while (open < 2L * left + 2 && nextFlow <= maxFlow) {
            Trial t = new Trial(nextFlow++);
            trials.put(t.flow, t);
            for (int ttl : divergent.keySet()) {
                queue.add(new Want(ttl, t.flow, -1, 0));
                t.tries.put(ttl, 1);
            }
            if (!destinationAnswered) {
                queue.add(new Want(destinationTtl, t.flow, -1, 0));
            }
            open++;
        }
    }

    void onSent(ProbeSpec probe, long sentNanos) {
        ProbeState p = ledger.probe(probe);
        if (p != null) {
            ledger.sent(p, sentNanos);
        }
    }

    void onSendFailed(ProbeSpec probe, String reason, long now) {
        ProbeState p = ledger.probe(probe);
        if (p != null) {
            ledger.sendFailed(p, reason);
            missed(p, now);
        }
    }

    void onAnswer(ProbeResponse r, long now) {
        if (!(ledger.answer(r, now) instanceof ProbeLedger.Taken t)) {
            return;
        }
        ProbeState p = t.probe();
        Want w = wants.get(p.index());
        if (p.destination()) {
            destinationAnswered = true;
        }
        if (w.path >= 0 || phase != Phase.PIN) {
            return;
        }
        Trial trial = trials.get(w.flow);
        if (trial == null || trial.dropped) {
            return;
        }
        if (divergent.containsKey(w.ttl) && t.router()) {
            trial.seen.put(w.ttl, r.responder());
            judge(trial, now);
        } else if (p.destination() && divergent.isEmpty()) {
            judge(trial, now); // one path (no TTL where paths part): the destination's answer is enough
        }
    }

    void onWakeup(long now) {
        ledger.expire(now, p -> missed(p, now));
        if (phase == Phase.PIN && now - pinEnd >= 0) {
            endPinning(now);
        }
    }

    /** A pin probe went unanswered: its flow is tried again at that TTL, up to {@value #RETRIES} more times. */
    private void missed(ProbeState p, long now) {
        Want w = wants.get(p.index());
        Trial trial = w.path < 0 ? trials.get(w.flow) : null;
        if (trial == null || trial.dropped || phase != Phase.PIN || !divergent.containsKey(w.ttl)) {
            return;
        }
        int tries = trial.tries.merge(w.ttl, 1, Integer::sum);
        if (tries > RETRIES + 1) {
            trial.dropped = true;
            return;
        }
        queue.add(new Want(w.ttl, w.flow, -1, 0));
    }

    /** Pins the trial's flow to the one unpinned path its answers show, or drops it if they show none. */
    private void judge(Trial trial, long now) {
        List<Integer> fits = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (!eligible[i] || pathFlow[i] >= 0) {
                continue;
            }
            boolean fit = true;
            for (Node n : paths.get(i)) {
                InetAddress seen = trial.seen.get(n.ttl);
                fit &= !divergent.containsKey(n.ttl) || seen == null || seen.equals(n.address);
            }
            if (fit) {
                fits.add(i);
            }
        }
        if (fits.isEmpty()) {
            trial.dropped = true;
        } else if (trial.seen.keySet().containsAll(divergent.keySet())) {
            pathFlow[fits.get(0)] = trial.flow;
            trial.dropped = true;
        } else {
            return;
        }
        queue.removeIf(w -> w.path < 0 && w.flow == trial.flow && divergent.containsKey(w.ttl));
        boolean all = true;
        for (int i = 0; i < paths.size(); i++) {
            all &= !eligible[i] || pathFlow[i] >= 0;
        }
        if (all) {
            endPinning(now);
        }
    }

    private void endPinning(long now) {
        queue.clear();
        int pinned = (int) Arrays.stream(pathFlow).filter(f -> f >= 0).count();
        String took = " (" + pinProbes + " TCP probes, " + Math.max(0, (now - pinStart) / 1_000_000) + " ms)";
        if (pinned > 0 && !destinationAnswered) {
            Arrays.fill(pathFlow, -1);
            notes.add("the destination answered none of the TCP probes sent to it" + took + ": the path probes stay UDP,"
                    + " spaced under its ICMP budget");
            phase = Phase.DONE;
            return;
        }
        if (pinned == 0) {
            notes.add("no TCP flow was found to follow a path" + took + ": the path probes stay UDP, spaced under the"
                    + " destination's ICMP budget");
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
        nextDueAt = now;
        round = 0;
    }

    long nextWakeup(long now) {
        long earliest = ledger.nextExpiry(now);
        if (phase == Phase.PIN) {
            earliest = Math.min(earliest, Math.max(0, pinEnd - now));
            if (!queue.isEmpty()) {
                earliest = Math.min(earliest, SECOND / (2L * Math.max(1, divergent.values().stream()
                        .mapToInt(Integer::intValue).max().orElse(1))));
            }
        } else if (phase == Phase.MEASURE) {
            if (round < request.pathProbes()) {
                earliest = Math.min(earliest, Math.max(0, nextDueAt - now));
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
        List<String> out = new ArrayList<>(notes);
        for (int i = 0; i < paths.size(); i++) {
            if (claims(i)) {
                HopStatistics s = statistics(i);
                int decided = s.received() + s.lost();
                double[] ci = wilson(s.lost(), decided);
                out.add(String.format(Locale.ROOT, "path %d %s: TCP flow %d, %d probes end to end, loss %.1f %%"
                        + " (95 %% Wilson interval %.1f-%.1f %%)", i + 1, text(paths.get(i)), pathFlow[i], decided,
                        100 * s.loss(), 100 * ci[0], 100 * ci[1]));
            }
        }
        return out;
    }

    /** The statistics of path {@code path}'s TCP probes to the destination. */
    HopStatistics statistics(int path) {
        List<ProbeState> states = new ArrayList<>();
        int unreached = 0;
        for (int i = 0; i < probes.size(); i++) {
            Want w = wants.get(i);
            if (w.path != path) {
                continue;
            }
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

    /** The Wilson score interval (95 %) of {@code k} successes in {@code n} trials: {low, high}; {0, 1} for none. */
    static double[] wilson(int k, int n) {
        if (n <= 0) {
            return new double[] {0, 1};
        }
        double z = 1.96;
        double p = k / (double) n;
        double d = 1 + z * z / n;
        double c = (p + z * z / (2.0 * n)) / d;
        double h = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return new double[] {Math.max(0, c - h), Math.min(1, c + h)};
    }

    private static String text(List<Node> p) {
        return p.stream().map(MultipathGraph::text).toList().toString();
    }

    /** The TCP flow found for path {@code path}, or -1 (tests). */
    int flow(int path) {
        return path >= 0 && path < pathFlow.length ? pathFlow[path] : -1;
    }

    /** TCP flows tried to pin the paths (tests). */
    int flowsTried() {
        return nextFlow;
    }
}
