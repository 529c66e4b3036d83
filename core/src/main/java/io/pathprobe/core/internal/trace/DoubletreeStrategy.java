package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.StopSet;
import io.pathprobe.core.internal.ratelimit.RateLimitCharges;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One target of {@code traceAll} as Doubletree traces it (Donnet et al., SIGMETRICS 2005), from one
 * vantage point, as a pure {@link ProbingStrategy}: no threads, no clock.
 *
 * <p><b>Forward.</b> Probing starts at the TTL {@code h} the tracer's {@link StopSet} learned from the
 * destinations its traces reached lately (the median distance; the first TTL when none was) and goes
 * on hop by hop: TTL t+1 is probed once attempt 0 at t was answered by a router or given up, until the
 * destination answers (or an unreachable ends the path), the last TTL, or {@value #GAP_LIMIT} silent
 * TTLs in a row (scamper's gap limit).
 *
 * <p><b>Backward.</b> From {@code h - 1} down to the first TTL, one TTL at a time. At each TTL the stop set may
 * give the hop: the router before what this trace met one TTL above (a router, or its destination's answer: {@link
 * StopSet.Above}), when the set proves it single ({@link StopSet#proven} with {@link #PROOF} traces: its javadoc says
 * why a load balancer's branch never is, issue 68). Such a hop has no probes ({@link Hop#fromStopSet()}). Otherwise
 * attempt 0 is the check: a router the stop set holds at that TTL on this flow makes that one probe the hop; any other
 * answer (another router, the destination: it is nearer than {@code h}) or a give-up probes the TTL fully. Either way
 * the walk goes one TTL down. Each pair of TTLs this trace probed is observed for the proof. Every probe waits for its
 * router's budget as {@link DoubletreePacing} says.
 *
 * <p>When the trace ends on its own, the routers it saw (and took from the set) enter the stop set,
 * and a reached destination's distance teaches the next traces' {@code h}.
 */
public final class DoubletreeStrategy extends LedgerTrace {
    /** Silent TTLs in a row after which forward probing stops. */
    public static final int GAP_LIMIT = 5;
    /** How recently the observations that prove a hop single must have been made (and the expected router seen). */
    public static final long FRESH_NANOS = 10_000_000_000L;
    /**
     * The distinct traces that must have met one router before a router, lately, before that hop is taken from the
     * stop set unprobed: MDA's n(2) at 99 % (8), the flows through a node that rule out a second one.
     */
    public static final int PROOF = io.pathprobe.core.internal.multipath.MdaBounds.of(99.0).stoppingPoint(2);
    private static final long NOT_HELD = Long.MIN_VALUE;

    private final boolean paris;
    private final int flowKey;
    private final StopSet stopSet;
    private final DoubletreePacing budgets;
    private final int maxTtl;
    /** Where forward probing started. */
    private final int start;
    private final boolean[] opened;
    private final int[] nextAttempt;

    private int forwardTop;
    private boolean forwardEnded;
    private int silentInARow;
    private boolean backwardEnded;
    /** Per TTL: the check met a router the stop set holds there, so that one probe is the hop. */
    private final boolean[] single;
    /** Per TTL: the hop was taken from the stop set, unprobed ({@link #taken}: its router). */
    private final boolean[] isTaken;
    private final @Nullable InetAddress[] taken;
    /** Per TTL: whether this trace's router there, behind the hop above, was observed for the proof. */
    private final boolean[] observed;
    /** This trace's number in the stop set's observations. */
    private final long traceId;
    /**
     * When the probes the last look for one to send ({@link #eligible}) held for a budget may be looked at again (the
     * tick), or {@link #NOT_HELD}. The wake-up asks for what that look decided, not for a second look: a budget that
     * came back between the two (the router's bucket refilled) would otherwise make the held probe neither sent nor
     * waited for, and the trace would never end.
     */
    private long heldUntil = NOT_HELD;

    /**
     * @param maxSequence the session's largest sequence number
     * @param sessionMaxInFlight the session's own in-flight limit
     * @param paris whether the session holds one flow (Paris); false for classic (per-probe flows)
     * @param stopSet the tracer's stop set
     * @param pacing the tracer's learned responder budgets ({@link RateLimitModel#NONE}: none)
     */
    public DoubletreeStrategy(TraceRequest request, InetAddress destination, ProbeProtocol protocol,
            String transportName, Optional<String> protocolNote, int maxSequence, int sessionMaxInFlight,
            boolean paris, StopSet stopSet, RateLimitModel pacing, Instant startedAt, long startTick) {
        super(request, destination, protocol, transportName, protocolNote, startedAt, startTick,
                Math.max(1, request.probesPerTtl()), maxSequence, 0, sessionMaxInFlight);
        this.paris = paris;
        this.flowKey = paris ? 0 : StopSet.UNKNOWN_FLOW;
        this.stopSet = stopSet;
        RateLimitModel budget = pacing.forDestination(destination, protocol);
        this.budgets = new DoubletreePacing(stopSet, budget, flowKey, destination, FRESH_NANOS);
        this.charges = pacing == RateLimitModel.NONE ? null : new RateLimitCharges(budget, destination);
        this.maxTtl = request.maxTtl();
        int ttls = maxTtl - firstTtl + 1;
        this.opened = new boolean[ttls];
        this.nextAttempt = new int[ttls];
        this.single = new boolean[ttls];
        this.isTaken = new boolean[ttls];
        this.taken = new InetAddress[ttls];
        this.observed = new boolean[ttls];
        this.traceId = stopSet.newTrace();
        this.start = stopSet.startTtl(firstTtl, maxTtl);
        this.forwardTop = start;
        opened[start - firstTtl] = true;
        if (start > firstTtl) {
            opened[start - 1 - firstTtl] = true;
        } else {
            backwardEnded = true;
        }
    }

    // ---- sending -------------------------------------------------------------------------------

    @Override
    public @Nullable ProbeSpec next(long now) {
        if (outcome != null || sendImpossible || ledger.inFlight() >= maxInFlight) {
            return null;
        }
        ProbeState p = eligible(now);
        if (p == null) {
            return null;
        }
        int seq = ledger.send(p, now, paris ? 0 : -1);
        if (seq < 0) {
            return null;
        }
        budgets.sending(p.ttl(), p.attempt(), p.ttl() < start, now);
        if (charges != null) {
            charges.sent(p, now);
        }
        nextAttempt[p.ttl() - firstTtl] = p.attempt() + 1;
        maxSentTtl = Math.max(maxSentTtl, p.ttl());
        return ProbeSpec.of(seq, p.ttl());
    }

    private @Nullable ProbeState eligible(long now) {
        int top = Math.min(ledger.horizon(), maxTtl);
        long held = NO_WAKEUP;
        for (int ttl = firstTtl; ttl <= top; ttl++) {
            int i = ttl - firstTtl;
            int a = nextAttempt[i];
            if (!opened[i] || a >= perHop || single[i] || isTaken[i]) {
                continue;
            }
            if (a > 0 && !table.probe(ttl, a - 1).completed()) {
                continue;
            }
            boolean backward = ttl < start;
            if (a > 0 && backward && !table.probe(ttl, 0).completed()) {
                continue;
            }
            if (a == 0 && backward && takenIfProven(ttl, now)) {
                if (ttl - 1 >= firstTtl) {
                    ttl -= 2; // the walk goes on at ttl - 1, opened now: no event would ask for it again
                }
                continue;
            }
            long wait = budgets.wait(ttl, backward, now);
            if (wait > 0) {
                held = Math.min(held, wait);
                continue; // no budget: later (a check: or once the set proves the hop, it needs no probe)
            }
            heldUntil = held == NO_WAKEUP ? NOT_HELD : now + held;
            return table.probe(ttl, a);
        }
        heldUntil = held == NO_WAKEUP ? NOT_HELD : now + held;
        return null;
    }

    /**
     * The hop this trace met at {@code ttl}: the router it took from the stop set, or the first answer of its own
     * probes there. {@code known} false when there is none yet (silent so far); {@code router} null for the
     * destination, {@code replyTtl} the TTL its answer arrived with (-1: not known).
     */
    private record Met(boolean known, boolean probed, @Nullable InetAddress router, int replyTtl) {
        static final Met NONE = new Met(false, false, null, -1);
    }

    private Met met(int ttl) {
        if (ttl < firstTtl || ttl > maxTtl) {
            return Met.NONE;
        }
        int i = ttl - firstTtl;
        if (isTaken[i]) {
            return new Met(true, false, taken[i], -1);
        }
        for (int a = 0; a < Math.min(perHop, nextAttempt[i]); a++) {
            ProbeState p = table.probe(ttl, a);
            if (p.completed() && p.answered() && p.status() == ProbeStatus.REPLY && p.responder() != null) {
                return new Met(true, true, p.destination() ? null : p.responder(), p.replyTtl());
            }
        }
        return Met.NONE;
    }

    /**
     * Takes the hop at backward TTL {@code ttl} from the stop set when the set proves the router before the one this
     * trace met one TTL above is single. Behind the destination's answer, the proof is the destinations' of its prefix
     * that answered at the same TTL (another network's last router says nothing of this one's).
     */
    private boolean takenIfProven(int ttl, long now) {
        Met above = met(ttl + 1);
        if (!above.known()) {
            return false;
        }
        StopSet.Above key = above(above);
        InetAddress one = key == null ? null : stopSet.proven(ttl, flowKey, key, now, FRESH_NANOS, PROOF);
        if (one == null) {
            return false;
        }
        int i = ttl - firstTtl;
        isTaken[i] = true;
        taken[i] = one;
        openBelow(ttl);
        return true;
    }

    /** The backward walk goes on at {@code ttl - 1}, or ends at the first TTL. */
    private void openBelow(int ttl) {
        if (ttl - 1 >= firstTtl) {
            opened[ttl - 1 - firstTtl] = true;
        } else {
            backwardEnded = true;
        }
    }

    /**
     * Observes, for the stop set's proof, this trace's router at {@code ttl} behind what it met at {@code ttl + 1},
     * both from its own probes; once per TTL.
     */
    private void observe(int ttl, long now) {
        if (ttl < firstTtl || ttl >= maxTtl || observed[ttl - firstTtl]) {
            return;
        }
        Met here = met(ttl);
        Met above = met(ttl + 1);
        StopSet.Above key = above.known() && above.probed() ? above(above) : null;
        if (here.known() && here.probed() && here.router() != null && key != null) {
            observed[ttl - firstTtl] = true;
            stopSet.observe(ttl, flowKey, key, traceId, here.router(), now);
        }
    }

    /**
     * What this trace met above a hop, as the stop set keeps it: the router, or the destination's prefix and its
     * answer's TTL; null for a destination whose answer's TTL is not known (nothing is proven behind it).
     */
    private StopSet.@Nullable Above above(Met above) {
        InetAddress router = above.router();
        if (router != null) {
            return StopSet.Above.router(router);
        }
        return above.replyTtl() < 0 ? null : StopSet.Above.destination(destination, above.replyTtl());
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        ledger.sent(ledger.sentProbe(probe), sentNanos, now);
        sentOk++;
    }

    // ---- answers and timeouts ------------------------------------------------------------------

    @Override
    void answered(ProbeLedger.Answer answer, long now) {
        if (answer instanceof ProbeLedger.Matched m) {
            completed(m.probe(), now);
        }
    }

    /** A probe's fate is known: what it means for the walk forward or backward, and for the stop set's proof. */
    @Override
    void completed(ProbeState p, long now) {
        int ttl = p.ttl();
        observe(ttl, now);
        observe(ttl - 1, now);
        if (p.attempt() != 0 || ttl > ledger.horizon()) {
            return;
        }
        boolean router = p.answered() && p.status() == ProbeStatus.REPLY && !p.destination();
        if (ttl >= start) {
            if (forwardEnded || ttl != forwardTop) {
                return;
            }
            if (p.answered() && !router) {
                forwardEnded = true; // the destination or an unreachable: the horizon came down
                return;
            }
            silentInARow = router ? 0 : silentInARow + 1;
            if (silentInARow >= GAP_LIMIT || ttl >= maxTtl) {
                forwardEnded = true;
                return;
            }
            forwardTop = ttl + 1;
            opened[forwardTop - firstTtl] = true;
            return;
        }
        if (backwardEnded) {
            return;
        }
        InetAddress responder = p.responder();
        if (router && responder != null && stopSet.find(ttl, responder, flowKey, now) != null) {
            single[ttl - firstTtl] = true; // a router the set holds here: this one probe is the hop
        }
        openBelow(ttl);
    }

    @Override
    public long nextWakeup(long now) {
        if (outcome != null) {
            return NO_WAKEUP;
        }
        long wake = ledger.nextExpiry(now);
        if (heldUntil == NOT_HELD) {
            return wake;
        }
        long held = heldUntil - now;
        if (held <= 0) {
            heldUntil = NOT_HELD; // due: one wake-up looks again (a send scheduler holding the trace asks later)
            held = 0;
        }
        return Math.min(wake, held);
    }

    // ---- end -----------------------------------------------------------------------------------

    @Override
    public boolean done() {
        if (outcome != null || sendImpossible) {
            return true;
        }
        if (ledger.inFlight() > 0) {
            return false;
        }
        int top = Math.min(ledger.horizon(), maxTtl);
        for (int ttl = firstTtl; ttl <= top; ttl++) {
            int i = ttl - firstTtl;
            if (opened[i] && nextAttempt[i] < perHop && !single[i] && !isTaken[i]) {
                return false; // more to send here (now, or once a limiter has budget)
            }
        }
        return true;
    }

    /** A trace's rules: lost on the way, silent routers, refusals only on evidence. */
    @Override
    void judgeLosses(RateLimitCharges c, long now) {
        LostOnTheWay.classify(c, ledger, table, perHop, Math.min(ledger.horizon(), maxSentTtl), null, now);
    }

    @Override
    TraceResult ended(TraceStatus status, Stop reason, long now) {
        TraceResult r = build(status, now);
        if (reason == Stop.COMPLETED) {
            teach(r, now);
        }
        return r;
    }

    @Override
    TraceStatus naturalEnd() {
        int last = Math.min(ledger.horizon(), maxSentTtl);
        boolean unreachable = false;
        for (int i = 0; i < table.endOf(last) && last >= firstTtl; i++) {
            ProbeState p = table.at(i);
            if (p.answered() && p.destination()) {
                return TraceStatus.DESTINATION_REACHED;
            }
            unreachable |= p.status() == ProbeStatus.UNREACHABLE;
        }
        return unreached(unreachable);
    }

    /** The routers of a completed trace enter the stop set; a reached destination's distance is learned. */
    private void teach(TraceResult r, long now) {
        int last = 0;
        for (Hop h : r.hops()) {
            last = Math.max(last, h.ttl());
        }
        InetAddress[] path = new InetAddress[last];
        boolean[] confirmed = new boolean[last];
        for (Hop h : r.hops()) {
            if (h.isDestination() || h.silent()) {
                continue;
            }
            boolean probed = !h.fromStopSet();
            if (probed && h.probes().stream().noneMatch(q -> q.answered() && q.status() == ProbeStatus.REPLY)) {
                continue; // an unreachable: the path ended there
            }
            path[h.ttl() - 1] = h.responders().get(0).address();
            confirmed[h.ttl() - 1] = probed;
        }
        int reachedAt = r.status() == TraceStatus.DESTINATION_REACHED
                ? r.destinationHop().map(Hop::ttl).orElse(0) : 0;
        stopSet.enter(path, confirmed, flowKey, now, reachedAt);
        if (reachedAt > 0) {
            stopSet.reached(reachedAt);
        }
    }

    @Override
    TraceResult build(TraceStatus status, long now) {
        List<Hop> hops = new ArrayList<>();
        int last = Math.min(ledger.horizon(), maxSentTtl);
        for (int ttl = firstTtl; ttl <= last; ttl++) {
            if (isTaken[ttl - firstTtl]) {
                InetAddress r = taken[ttl - firstTtl];
                hops.add(new Hop(ttl, List.of(), r == null ? List.of() : List.of(new Responder(r, 0)),
                        new HopStatistics(0, 0, 0, 0, 0, 0, Optional.empty(), 0)));
            } else if (table.probe(ttl, 0).sent()) {
                hops.add(HopFolder.hop(ttl, table.hop(ttl), ipv6, natAt(ttl),
                        new LostOnTheWay.AnsweredLater(table, perHop, ttl, last)));
            }
        }
        return new TraceResult(request.target(), Optional.of(destination), protocol, transportName, status, hops,
                startedAt, elapsed(status, now), ledger.unmatched(), protocolNote,
                paris ? FlowMode.PARIS : FlowMode.CLASSIC, 1, PathContext.OFF, request);
    }
}
