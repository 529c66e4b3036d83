package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MdaPlanner.Want;
import io.pathprobe.core.internal.multipath.MultipathGraph.Cell;
import io.pathprobe.core.internal.multipath.MultipathGraph.Ttl;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.probe.ProbeStatus;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A discovery's side of the tracer's learned ICMP budgets ({@link RateLimitModel}): which responder
 * each wanted probe is expected to reach, which probe may leave now without exceeding its
 * responder's budget, and whether a probe left unanswered went so because its responder was over its
 * limit. Part of {@link MultipathStrategy}; pure, confined to the engine loop.
 */
final class MultipathRateLimits {
    /** How far into the queue a probe whose responder must wait may be passed by others. */
    static final int LOOKAHEAD = 256;

    private final RateLimitModel pacing;
    private final MultipathGraph graph;
    private final PathProbing paths;
    private final ProbeLedger ledger;
    private final InetAddress destination;
    /** When the first probe held back by a responder's budget may leave; Long.MAX_VALUE when none waits. */
    private long pacedUntil = Long.MAX_VALUE;
    /**
     * Whether the destination's answers to path probes are ICMP errors a limit applies to (UDP's Port Unreachables,
     * the tracer modelling limits at all): only then may its silence be its refusal ({@link #mayBeItsRefusal}).
     */
    private final boolean limitedErrors;
    /**
     * The rounds (path, round: {@link #key}) whose probe to the destination is sent again a refill after a miss that
     * may have been its refusal ({@link #mayBeRefused}), and when it may leave. At most the path probes' rounds.
     */
    private final Map<Long, Long> afterRefill = new HashMap<>();
    /** Whether the destination answered more than a limiter gives, so far ({@link #answersBeyondALimit}). */
    private boolean unlimited;
    /** The destination's answers so far, the send time of its first, and the least (i - t_i / interval) among them. */
    private int destinationAnswers;
    private long firstAnswerSent;
    private double leastSpan = Double.MAX_VALUE;
    /** Whether a path probe to the destination was held back or rate-limited: the loss basis is spaced. */
    private boolean destinationLimited;
    /**
     * Routers judged limiters (tentatively or firmly) while path probes tested them at a hop short of
     * a path's end: a miss there is never loss (see {@link #testMiss}). At most the graph's nodes.
     */
    private final Set<InetAddress> judged = new HashSet<>();

    MultipathRateLimits(RateLimitModel pacing, MultipathGraph graph, PathProbing paths, ProbeLedger ledger,
            InetAddress destination, boolean limitedErrors) {
        this.limitedErrors = limitedErrors;
        this.pacing = pacing;
        this.graph = graph;
        this.paths = paths;
        this.ledger = ledger;
        this.destination = destination;
    }

    long pacedUntil() {
        return pacedUntil;
    }

    /**
     * Nanoseconds from {@code now} until the probes the last {@link #pick} held may be looked at again; 0 once when
     * that time has passed and a probe {@code mayLeave} (the budget came back before the engine asked for its
     * wake-up: without this wake-up nothing would send them), then {@link Long#MAX_VALUE} until a pick holds one.
     * A time passed while the probes in flight are at their cap is stale: their answers or give-ups let the queue go
     * on, and a wake-up now would spin.
     */
    long pacedWake(long now, boolean mayLeave) {
        if (pacedUntil == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long d = pacedUntil - now;
        if (d > 0 || !mayLeave) {
            return d > 0 ? d : Long.MAX_VALUE;
        }
        pacedUntil = Long.MAX_VALUE;
        return 0;
    }

    /**
     * Whether {@code s}, a path probe's miss at the destination, may have been the destination's refusal for all this
     * tracer knew when it left: the destination's answers are limited ICMP errors ({@link #limitedErrors}) and its pace
     * was not known yet (probes under a known pace leave with a token, and a miss then is loss). The table's bucket is
     * not asked: it counts only the probes expected to reach the destination, and a discovery's new flows at the
     * destination's TTL spend its budget unseen (on a width-2 diamond whose destination another prober drained once,
     * the table took its bucket for full in 22 of 40 runs while it refused all four path probes).
     */
    private boolean mayBeItsRefusal(Sent s) {
        return limitedErrors && s.kind == Sent.Kind.PATH && destination.equals(s.expected)
                && paths.last(s.path, s.state.ttl()) && s.state.status() == ProbeStatus.TIMEOUT && !s.paced
                && !paths.cutBefore(s);
    }

    /**
     * {@code s} got nothing and {@link #mayBeItsRefusal may have been the destination's refusal}: whether its round is
     * sent again, for the evidence (see {@link #classify}). If so, the round's probe waits until a refill
     * ({@link RateLimitTable#DEFAULT_INTERVAL_NANOS} unless one was learned, with the table's pacing margin) after
     * {@code s} left: a drained limiter answers then, and a probe sooner would be refused again. The other rounds go on
     * at their pace: a destination that answers two of them within {@link #window} after {@code s} did not refuse it.
     * Nothing is called rate-limited for it. None is sent again once the destination answered more than a limiter gives
     * ({@link #answersBeyondALimit}, as its answers come): its misses are lost.
     */
    boolean mayBeRefused(Sent s) {
        if (unlimited || !mayBeItsRefusal(s)) {
            return false;
        }
        afterRefill.put(key(s.path, s.state.attempt()), WaitPolicy.plus(s.state.sentTick(), refill() * 11 / 9));
        return true;
    }

    private static long key(int path, int round) {
        return (long) path << 32 | (round & 0xffffffffL);
    }

    /** Nine tenths of the destination's refill: its learned interval, else Linux's one second. */
    private long refill() {
        long learned = pacing.interval(destination);
        return (learned > 0 ? learned : RateLimitTable.DEFAULT_INTERVAL_NANOS) * 9 / 10;
    }

    /** Whether the destination's answers to path probes are rate-limited (the loss basis is then spaced). */
    boolean destinationLimited() {
        return destinationLimited || pacing.limited(destination);
    }

    /**
     * The first wanted probe (within {@value #LOOKAHEAD}) whose expected responder's budget lets it
     * leave now; null, with {@link #pacedUntil()} set, when every one must wait. A path probe to a hop
     * before its path's last at a limiter is dropped from the queue: not worth its budget; so is a
     * per-packet check whose node has no budget left.
     */
    @Nullable Want pick(ArrayDeque<Want> queue, long now) {
        pacedUntil = Long.MAX_VALUE;
        int seen = 0;
        for (Iterator<Want> it = queue.iterator(); it.hasNext() && seen < LOOKAHEAD; seen++) {
            Want w = it.next();
            InetAddress r = expected(w);
            long wait = r == null ? retryWait(w, now) : pacing.delay(r, now);
            boolean refill = false;
            if (wait == 0 && w.kind() == Sent.Kind.PATH && destination.equals(r)) {
                Long at = afterRefill.get(key(w.path(), w.round()));
                if (at != null && at - now > 0) { // a refill after a miss that may have been its refusal
                    refill = true;
                    wait = at - now;
                }
            }
            if (wait == 0 || (w.kind() == Sent.Kind.PATH && !paths.last(w.path(), w.ttl())
                    && (r == null || !pacing.learned(r)))) { // a silent node is no learned limiter
                // (a path probe to a hop before the last at a limiter known only from misses leaves at
                // once: its answers are what withdraws a verdict a lossy link in front of it gave;
                // a miss there is rate-limited, never loss: testMiss)
                return w;
            }
            if (w.kind() == Sent.Kind.PATH && !paths.last(w.path(), w.ttl())) {
                it.remove();
                continue;
            }
            if (w.kind() == Sent.Kind.CHECK) {
                // a per-packet check is not worth a limiter's wait: queued, it held discovery's planning
                // back a whole refill (a width-4 diamond on Linux's limits: 2.1 s instead of 1.0)
                it.remove();
                continue;
            }
            if (w.kind() == Sent.Kind.PATH && destination.equals(r) && !refill) {
                destinationLimited = true;
            }
            pacedUntil = Math.min(pacedUntil, WaitPolicy.plus(now, wait));
        }
        return null;
    }

    /**
     * How long a new flow at a TTL of several nodes waits: 0, unless an earlier try of it was
     * rate-limited; then until every limiter there has a token (which branch it takes is unknown).
     */
    private long retryWait(Want w, long now) {
        if (w.kind() == Sent.Kind.PATH) {
            return 0;
        }
        Ttl t = graph.ttls[w.ttl()];
        Cell c = t.cells.get(w.flow());
        if (c == null || c.rateLimited == 0) {
            return 0;
        }
        long wait = 0;
        for (InetAddress a : t.nodes.keySet()) {
            wait = Math.max(wait, pacing.delay(a, now));
        }
        return wait;
    }

    /**
     * The responder a wanted probe is expected to reach: its flow's known node, the path's node, or the TTL's
     * only node.
     */
    @Nullable InetAddress expected(Want w) {
        Ttl t = graph.ttls[w.ttl()];
        if (w.kind() == Sent.Kind.PATH) {
            return paths.expected(w.path(), w.ttl());
        }
        Cell c = t.cells.get(w.flow());
        if (c != null && c.address != null) {
            return c.address;
        }
        if (t.nodes.size() == 1 && t.silent == null) {
            return t.nodes.keySet().iterator().next();
        }
        return null;
    }

    /** {@code s} leaves now: takes one from its expected responder's budget. */
    void sent(Sent s, long now) {
        if (s.expected != null) {
            s.paced = pacing.limited(s.expected);
            s.over = pacing.take(s.expected, now);
            noteJudged(s);
        }
    }

    /**
     * Notes {@code s}'s router as judged when {@code s} tests it (see {@link #testMiss}) and it is judged a
     * limiter now.
     */
    private void noteJudged(Sent s) {
        InetAddress expected = s.expected;
        if (tests(s) && expected != null && pacing.rateLimited(expected, true)) { // tests(s): expected is set
            judged.add(expected);
        }
    }

    /** Whether {@code s} is a path probe to a hop short of its path's end, at a known router: a test of that router. */
    private boolean tests(Sent s) {
        return s.kind == Sent.Kind.PATH && s.expected != null && !paths.last(s.path, s.state.ttl());
    }

    /**
     * Whether {@code s}'s miss is rate-limited: its responder's model says so, or {@code s} tested a
     * router judged a limiter in this run (judged now, if the miss just made it one).
     */
    private boolean missRateLimited(Sent s) {
        if (s.expected != null && pacing.rateLimited(s.expected, s.over, s.state.sentTick())) {
            return true;
        }
        if (s.kind == Sent.Kind.PATH && !paths.last(s.path, s.state.ttl())
                && paths.elsewhere.spentBudgets(s.state.ttl(), s.state.sentTick())) {
            return true; // the TCP flows' probes spent this router's budget just before: a refusal, not loss
        }
        noteJudged(s);
        return testMiss(s);
    }

    /**
     * Whether {@code s}, if unanswered, went so because its router limits its answers, whatever the
     * model's bucket said: a path probe to a hop short of its path's end whose router was judged a
     * limiter in this run. Such a hop is probed only to test the verdict (its loss is not the path's;
     * the last hop's is): a verdict that rests on misses alone, as a lossy link in front of an
     * unlimited router gives, is withdrawn by the answers; a real limiter refuses what its own bucket,
     * not the model's, leaves no room for (a vendor's fixed budget per router, shared with every
     * source, drifts from the model), and a refusal there must not read as loss. A router behind a lossy
     * link taken for a limiter for a while so shows that link's misses as rate-limited, never a limiter's
     * refusals as loss: loss is claimed only with evidence that survives rate limiting.
     */
    private boolean testMiss(Sent s) {
        return tests(s) && judged.contains(s.expected);
    }

    /**
     * {@code s} was answered by {@code responder}: evidence for the table. A late answer (a revision
     * of its give-up) takes back the miss that give-up charged: {@link #timedOut} charged one to
     * {@code s.expected} whenever there was one, unless the probe was given up late (then the answer
     * counts as one).
     */
    void answered(Sent s, InetAddress responder, long now, boolean late) {
        if (limitedErrors && !unlimited && responder.equals(destination)) {
            // as answersBeyondALimit, in the order the answers come
            if (destinationAnswers == 0) {
                firstAnswerSent = s.state.sentTick();
            }
            long learned = pacing.interval(destination);
            double here = destinationAnswers++ - (s.state.sentTick() - firstAnswerSent)
                    / (double) (learned > 0 ? learned : RateLimitTable.DEFAULT_INTERVAL_NANOS);
            leastSpan = Math.min(leastSpan, here);
            unlimited = here - leastSpan + 1 > PathProbing.DESTINATION_BURST + 2;
        }
        if (responder.equals(s.expected)) {
            if (late && !s.state.wasGivenUpLate()) {
                pacing.revised(responder, s.over, now, s.state.sentTick());
            } else {
                pacing.answered(responder, s.over, now, s.state.sentTick());
            }
        } else {
            pacing.answered(responder, pacing.take(responder, now), now, s.state.sentTick());
        }
    }

    /**
     * {@code s} got nothing: evidence for the table (unless it was given up late, the engine behind:
     * {@link io.pathprobe.core.internal.probe.WaitPolicy#lateGiveUp}), and whether it went unanswered
     * because its responder was over its learned limit (then it is RATE_LIMITED in the ledger).
     */
    boolean timedOut(Sent s, long now) {
        if (s.state.status() != ProbeStatus.TIMEOUT) {
            return false;
        }
        boolean evidence = !s.state.wasGivenUpLate(); // given up late (the engine behind): teaches nothing
        if (s.expected != null) {
            if (s.kind == Sent.Kind.PATH && paths.cutBefore(s)) {
                // the path was cut before this hop in this round (a black hole, an outage): forward
                // loss, no evidence of this router's (or the destination's) rate limit
                return false;
            }
            if (evidence) {
                pacing.missed(s.expected, s.over, now, s.state.sentTick());
            }
            return missRateLimited(s) && ledger.rateLimited(s.state);
        }
        if (s.cell == null) {
            return false;
        }
        Ttl t = graph.ttls[s.cell.ttl];
        if (t.nodes.size() == 1 && t.silent == null) {
            // a new flow where one node is known by now: that node refused it, or the path lost it
            InetAddress only = t.nodes.keySet().iterator().next();
            boolean over = pacing.over(only, now);
            if (evidence) {
                pacing.missed(only, over, now);
            }
            return pacing.rateLimited(only, over) && ledger.rateLimited(s.state);
        }
        // which node refused it is unknown: the evidence goes to each node whose budget was spent
        // (a limiter among them is learned as one; an unlimited node answers most over-budget
        // probes and stays unlimited)
        for (InetAddress a : t.nodes.keySet()) {
            if (evidence && pacing.over(a, now)) {
                pacing.missed(a, true, now);
            }
        }
        return anyNodeOver(t, now) && ledger.rateLimited(s.state);
    }

    /**
     * Whether a new flow at this wide TTL may have gone unanswered because its responder was over
     * its limit: a node there is a learned limiter with its budget spent (which node the flow
     * reached is unknown; the flow is tried again under the pacing, so a real silence still shows).
     */
    private boolean anyNodeOver(Ttl t, long now) {
        return t.nodes.keySet().stream().anyMatch(a -> pacing.limited(a) && pacing.over(a, now));
    }

    /**
     * At the end: what was learned after a probe timed out still tells why it went unanswered; and a path probe's miss
     * that {@link #mayBeItsRefusal may have been the destination's refusal} is decided with what the whole run saw of
     * the destination's answers (all flows, discovery included), as a trace decides its misses
     * ({@code RateLimitCharges.classify} on branch honest-trace):
     * <ul>
     *   <li>lost when the destination answered two or more probes sent within {@link #window} after it (a bucket
     *       empty at that miss holds at most one token by then, so no limiter of that pace refused it), or answered
     *       more probes sent in some span than a limiter gives ({@link #answersBeyondALimit}: it limits nothing); its
     *       round's probes sent again after it ({@link #mayBeRefused}) are then {@link Sent#superseded}: the round is
     *       the miss's;</li>
     *   <li>else rate-limited when the destination's bucket may have been empty when it left, as far as the table can
     *       tell ({@link RateLimitModel#mayBeDrained}), and the destination answered a probe sent a refill after it or
     *       later (its round's probe sent again, or another): a drained limiter's refusal, then its refill (the path's
     *       loss range, {@link io.pathprobe.multipath.MultipathPath#lossLow()} to {@code lossHigh()}, holds it either
     *       way); its round is then decided by the probe sent again;</li>
     *   <li>else lost (its round's probes sent again superseded too).</li>
     * </ul>
     * A miss under the destination's known pace ({@link Sent#paced}) is the table's to judge: lost unless the table
     * calls it refused. Where the destination was drained by another prober after its pace was known, nothing tells
     * that refusal from a loss.
     */
    void classify(List<Sent> sent, long now) {
        boolean unlimited = limitedErrors && (this.unlimited || answersBeyondALimit(sent));
        for (Sent s : sent) {
            if (s.expected == null || s.state.status() != ProbeStatus.TIMEOUT
                    || (s.kind == Sent.Kind.PATH && paths.cutBefore(s))) {
                continue;
            }
            if (unlimited && s.kind == Sent.Kind.PATH && destination.equals(s.expected)
                    && paths.last(s.path, s.state.ttl())) {
                lost(s, sent); // the destination limits nothing (the evidence before the table's verdict)
            } else if (missRateLimited(s)) {
                ledger.rateLimited(s.state);
            } else if (mayBeItsRefusal(s)) {
                decide(s, sent, now);
            }
        }
    }

    /**
     * Whether the destination answered more of the probes sent in some span than a limiter of its pace gives in it: its
     * burst ({@value PathProbing#DESTINATION_BURST}, Linux's) and one a refill (its learned interval, else Linux's one
     * second), with one to spare. Then its silences are not its limit's.
     */
    private boolean answersBeyondALimit(List<Sent> sent) {
        long learned = pacing.interval(destination);
        double interval = learned > 0 ? learned : RateLimitTable.DEFAULT_INTERVAL_NANOS;
        double least = Double.MAX_VALUE; // the least (i - t_i / interval) over the answers before
        int i = 0;
        List<Long> at = new ArrayList<>();
        for (Sent q : sent) {
            if (q.state.answered() && destination.equals(q.state.responder())) {
                at.add(q.state.sentTick());
            }
        }
        Collections.sort(at);
        for (long t : at) {
            double here = i - (t - at.get(0)) / interval;
            least = Math.min(least, here);
            if (here - least + 1 > PathProbing.DESTINATION_BURST + 2) {
                return true; // answers i0..i in a span: more than its burst, a refill's worth of each, and one
            }
            i++;
        }
        return false;
    }

    /** Decides {@code s}, a miss that may have been the destination's refusal, on the evidence ({@link #classify}). */
    private void decide(Sent s, List<Sent> sent, long now) {
        long sentAt = s.state.sentTick();
        long window = window();
        long refill = refill();
        int soon = 0;
        boolean onItsRefill = false;
        for (Sent q : sent) {
            if (!q.state.answered() || !destination.equals(q.state.responder())) {
                continue;
            }
            long d = q.state.sentTick() - sentAt;
            if (d > 0 && d <= window && ++soon >= 2) {
                lost(s, sent); // no limiter of its pace answers so after a refusal
                return;
            }
            onItsRefill |= d >= refill;
        }
        if (onItsRefill && pacing.mayBeDrained(destination, sentAt, now)) {
            ledger.rateLimited(s.state);
        } else {
            lost(s, sent);
        }
    }

    /** {@code s} is lost: its round is its miss, not what its round's probes sent again after it got. */
    private static void lost(Sent s, List<Sent> sent) {
        for (Sent t : sent) {
            t.superseded |= t != s && t.kind == Sent.Kind.PATH && t.path == s.path
                    && t.state.attempt() == s.state.attempt() && t.state.ttl() == s.state.ttl()
                    && t.state.sentTick() - s.state.sentTick() > 0;
        }
    }

    /**
     * The span after a refusal in which the destination answers at most one probe: nine tenths of its learned interval,
     * or of {@link RateLimitTable#MIN_WINDOW_NANOS} (ten a second) where none or a faster one was learned.
     */
    private long window() {
        return Math.max(pacing.interval(destination), RateLimitTable.MIN_WINDOW_NANOS) * 9 / 10;
    }
}
