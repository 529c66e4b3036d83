package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.ratelimit.RateLimitCharges;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
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
 * Traceroute as a {@link ProbingStrategy}: pure, no threads, no clock.
 *
 * <p>When fewer probes may be in flight than there are TTLs, the trace goes round by round, the first from the farthest
 * TTL down (a silent hop is probed after the hops beyond it answered). Otherwise the first probe of every TTL goes out
 * at once (bounded by maxInFlight and the rate budget). A further attempt at a TTL is sent once a router at that TTL or
 * beyond has answered (the path certainly goes on), or otherwise once the previous attempt at that TTL has completed,
 * so TTLs beyond an unknown destination are not flooded. The lowest TTL at which the destination answered, or a router
 * answered unreachable, is the horizon: nothing beyond it is sent nor reported, and outstanding probes beyond it are
 * abandoned. Probes are given up after the {@link WaitPolicy}. The {@link ProbeLedger} owns every rule about one
 * probe's fate (matching, duplicates, late revision, horizon, waits), the same as in multipath; this class decides what
 * to send and reports.
 *
 * <p>Flows: with {@link Flows#explicit()} attempt {@code a} at every TTL carries flow {@code a mod count} (Dublin), and
 * each TTL gets {@code probesPerHop} rounded up to a multiple of {@code count} attempts
 * ({@link TraceRequest#probesPerTtl()}): every flow probes every TTL of its own path; a fixed flow is {@code first}; a
 * classic trace leaves the flow to the transport. With several explicit flows and all TTLs at once, each flow's path
 * ends on its own ({@link FlowEnds}: the ledger no longer brings the horizon down, this class ends each flow and
 * abandons its probes beyond): beyond the nearest end, a flow goes on one TTL past the farthest router that answered
 * it, so a longer path or a farther anycast site is followed hop by hop and nothing is flooded.
 *
 * <p>Losses: a miss whose router's budget may have been spent is no loss ({@link RateLimitCharges},
 * {@link LostOnTheWay}); TTLs that missed while later ones answered are probed again after a refill
 * ({@link RefillRetries}). A timed-out probe whose round (attempt number, hence flow) was answered at a later TTL is a
 * backward loss, else a forward loss. NAT: a hop whose NAT ID (quoted minus sent checksum) differs from the previous
 * answering hop's (or from 0) is where the probes had been translated.
 */
public final class TraceStrategy extends LedgerTrace {

    /** Listener events, built only when someone listens. */
    public interface Events {
        void probeSent(int ttl, int attempt);

        void probeCompleted(ProbeResult probe);

        void hopCompleted(Hop hop);
    }

    private final Flows flows;
    private final @Nullable Events events;
    /** Fewer probes in flight than TTLs: round by round, the first round from the farthest TTL down. */
    private final boolean roundByRound;
    private final int[] nextAttempt;
    /** The hops the listener heard of, and those held until the end; null without a listener. */
    private final @Nullable HopReports reports;
    private final FlowEnds flowEnds;

    /** The latest time a callback was given: what {@link #done()} compares the late-answer wait with. */
    private long lastNow;
    /** Probes again after a limiter's refill; null: none (a monitor's rounds, traceAll). */
    private @Nullable RefillRetries retries;
    /** Confirms a UDP trace's destination over TCP ({@link TcpConfirm}); null: none. */
    private @Nullable TcpConfirm confirm;

    public TraceStrategy(TraceRequest request, InetAddress destination, ProbeProtocol protocol, String transportName,
            Optional<String> protocolNote, int maxSequence, Instant startedAt, long startTick,
            @Nullable Events events) {
        this(request, destination, protocol, transportName, protocolNote, maxSequence, Integer.MAX_VALUE, Flows.PARIS,
                startedAt, startTick, events);
    }

    /**
     * @param sessionMaxInFlight the session's own limit ({@link io.pathprobe.spi.ProbeSession#maxInFlight()})
     * @param flows how probes choose their flow
     */
    public TraceStrategy(TraceRequest request, InetAddress destination, ProbeProtocol protocol, String transportName,
            Optional<String> protocolNote, int maxSequence, int sessionMaxInFlight, Flows flows, Instant startedAt,
            long startTick, @Nullable Events events) {
        // every flow the same number of probes at every TTL, at least one (TraceRequest#probesPerTtl)
        super(request, destination, protocol, transportName, protocolNote, startedAt, startTick,
                flows.count() * ((request.probesPerTtl() + flows.count() - 1) / flows.count()), maxSequence,
                (request.maxTtl() - request.firstTtl() + 1) * RefillRetries.SLOTS_PER_TTL, sessionMaxInFlight);
        this.flows = flows;
        this.events = events;
        this.roundByRound = maxInFlight < request.maxTtl() - request.firstTtl() + 1;
        int ttls = request.maxTtl() - firstTtl + 1;
        this.nextAttempt = new int[ttls];
        this.reports = events == null ? null
                : new HopReports(firstTtl, ttls, events, ttl -> hop(ttl, Math.min(horizon(), maxSentTtl)));
        // several explicit flows, all TTLs at once: each flow's path ends on its own
        boolean perFlow = flows.explicit() && flows.count() > 1 && !request.sequential() && !roundByRound;
        this.flowEnds = new FlowEnds(perFlow, flows.count(), firstTtl, request.maxTtl(), perHop, table, ledger);
        if (!perFlow) {
            ledger.distanceByQuote();
        }
    }

    /**
     * The tracer's learned per-responder ICMP budgets: when the trace ends, a probe its responder
     * left unanswered over a learned limit is RATE_LIMITED, not lost ({@link RateLimitCharges}).
     */
    public TraceStrategy pacing(RateLimitModel pacing) {
        this.charges = pacing == RateLimitModel.NONE ? null
                : new RateLimitCharges(pacing.forDestination(destination, protocol), destination);
        return this;
    }

    /**
     * Probes again, after a limiter's refill, the TTLs below the end of the path that missed attempts
     * while later TTLs answered ({@link RefillRetries}); only with the tracer's budgets ({@link #pacing}).
     */
    public TraceStrategy refillRetries(boolean on) {
        this.retries = on && charges != null && !flowEnds.active() && !request.sequential() && !roundByRound
                ? new RefillRetries(table, startTick,
                WaitPolicy.nanos(request.deadline()), WaitPolicy.nanos(request.probeTimeout())) : null;
        return this;
    }

    /**
     * Confirms a UDP trace's destination over TCP where another prober may have spent its Port Unreachables
     * ({@link TcpConfirm}): only with {@link #refillRetries} on, and a TCP session beside the trace's to send
     * the probes {@link #isConfirm} names ({@link TcpConfirmedTrace}).
     */
    public TraceStrategy confirmOverTcp(boolean on) {
        RefillRetries r = retries;
        RateLimitCharges t = charges;
        this.confirm = on && r != null && t != null && protocol == ProbeProtocol.UDP
                ? new TcpConfirm(table, r, t, request.maxTtl()) : null;
        return this;
    }

    /** Whether the trace confirms its destination over TCP ({@link #confirmOverTcp}). */
    public boolean confirms() {
        return confirm != null;
    }

    /** Whether {@code probe}, returned by {@link #next}, confirms the destination over TCP. */
    public boolean isConfirm(ProbeSpec probe) {
        ProbeState p = ledger.probe(probe);
        return p != null && retries != null && retries.isConfirm(p);
    }

    @Override
    @Nullable ProbeState probeAt(int index) {
        RefillRetries r = retries;
        return r != null ? r.at(index) : index < table.size() ? table.at(index) : null;
    }

    // ---- sending -----------------------------------------------------------------------------

    @Override
    public @Nullable ProbeSpec next(long now) {
        lastNow = now;
        if (outcome != null || sendImpossible || ledger.inFlight() >= maxInFlight) {
            return null;
        }
        ProbeState p = eligible();
        RefillRetries r = retries;
        if (p == null && r != null && ownSettled()) {
            r.plan(Math.min(horizon(), maxSentTtl));
            p = r.next(now, Math.min(horizon(), maxSentTtl));
        }
        if (p == null && confirm != null) {
            p = confirm.next(now, ledger.highestRouterTtl(), maxSentTtl, ledger.horizon());
        }
        if (p == null) {
            return null;
        }
        int seq = ledger.send(p, now, flows.of(p.attempt()));
        if (seq < 0) {
            return null; // every number is outstanding: wait for one to complete
        }
        if (charges != null) {
            charges.sent(p, now);
        }
        int i = p.ttl() - firstTtl;
        if (r != null && r.isRetry(p)) {
            maxSentTtl = Math.max(maxSentTtl, p.ttl());
            return flows.explicit() ? new ProbeSpec(seq, p.ttl(), p.flow()) : ProbeSpec.of(seq, p.ttl());
        }
        if (flowEnds.active()) {
            flowEnds.sent(p);
            while (nextAttempt[i] < perHop && table.probe(p.ttl(), nextAttempt[i]).sent()) {
                nextAttempt[i]++; // the first attempt not sent yet: those before it may be skipped ones
            }
        } else {
            nextAttempt[i] = p.attempt() + 1;
        }
        maxSentTtl = Math.max(maxSentTtl, p.ttl());
        return flows.explicit() ? new ProbeSpec(seq, p.ttl(), p.flow()) : ProbeSpec.of(seq, p.ttl());
    }

    private @Nullable ProbeState eligible() {
        if (request.sequential()) {
            for (int ttl = firstTtl; ttl <= horizon(); ttl++) {
                boolean incomplete = false;
                for (int a = 0; a < perHop; a++) {
                    ProbeState p = table.probe(ttl, a);
                    if (!p.sent()) {
                        return p;
                    }
                    incomplete |= p.pending();
                }
                if (incomplete) {
                    return null;
                }
            }
            return null;
        }
        if (roundByRound) {
            // Few probes in flight (a session that takes one at a time): round by round, the first
            // round from the farthest TTL down, so that when a silent hop is probed the hops beyond
            // it have answered and the adaptive wait's NEAR rule lets it go in milliseconds instead
            // of the full probe timeout. (The destination answers every TTL beyond it; the horizon
            // comes down with each such answer, as when all TTLs go out at once.)
            for (int ttl = horizon(); ttl >= firstTtl; ttl--) {
                if (nextAttempt[ttl - firstTtl] == 0) {
                    return table.probe(ttl, 0);
                }
            }
            for (int ttl = firstTtl; ttl <= horizon(); ttl++) {
                if (table.probe(ttl, 0).pending()) {
                    return null; // the first round may still bring the horizon down
                }
            }
            for (int round = 1; round < perHop; round++) {
                for (int ttl = firstTtl; ttl <= horizon(); ttl++) {
                    if (nextAttempt[ttl - firstTtl] == round && eligible(ttl, round)) {
                        return table.probe(ttl, round);
                    }
                }
            }
            return null;
        }
        for (int ttl = firstTtl; ttl <= horizon(); ttl++) {
            int a = nextAttempt[ttl - firstTtl];
            if (flowEnds.active()) {
                ProbeState p = flowEnds.nextWanted(ttl, a, ledger.highestRouterTtl());
                if (p != null) {
                    return p;
                }
                continue;
            }
            if (a < perHop && eligible(ttl, a)) {
                return table.probe(ttl, a);
            }
        }
        return null;
    }

    /**
     * Whether attempt {@code a} at {@code ttl} may leave: the first, the path goes on past it, or the previous is done.
     */
    private boolean eligible(int ttl, int a) {
        // the ledger's maxTtl is the request's: request.maxTtl() makes an OptionalInt of its options on every call, and
        // this is asked for every TTL of every send decision
        return a == 0 || ttl <= ledger.highestRouterTtl() || (ttl < horizon() && horizon() < ledger.maxTtl())
                || table.probe(ttl, a - 1).completed();
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        lastNow = now;
        ProbeState p = ledger.sentProbe(probe);
        ledger.sent(p, sentNanos, now);
        sentOk++;
        if (events != null) {
            events.probeSent(p.ttl(), p.attempt());
        }
    }

    // ---- answers and timeouts ----------------------------------------------------------------

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        lastNow = now;
        super.onAnswer(r, now);
    }

    @Override
    void answered(ProbeLedger.Answer answer, long now) {
        if (answer instanceof ProbeLedger.Taken t) {
            flowEnds.answered(t.probe(), t.router());
            completed(t.probe(), now);
        }
    }

    @Override
    public void onWakeup(long now) {
        lastNow = now;
        super.onWakeup(now);
    }

    @Override
    public long nextWakeup(long now) {
        lastNow = now;
        if (outcome != null) {
            return NO_WAKEUP;
        }
        long retry = retries == null || ledger.inFlight() >= maxInFlight || !ownSettled() ? -1
                : retries.untilNext(now, Math.min(horizon(), maxSentTtl));
        // a confirm due later wakes the trace then; one due now leaves when the send scheduler takes the trace
        long c = confirm == null ? -1 : confirm.untilNext(now, ledger.highestRouterTtl(), maxSentTtl, ledger.horizon());
        retry = c <= 0 ? retry : retry < 0 ? c : Math.min(retry, c);
        long until = ledger.inFlight() > 0 ? Long.MIN_VALUE : lateAnswerWaitEnd();
        long wake = ledger.inFlight() > 0 ? ledger.nextExpiry(now)
                : until == Long.MIN_VALUE || until - now <= 0 ? NO_WAKEUP : until - now;
        return retry < 0 ? wake : wake == NO_WAKEUP ? retry : Math.min(wake, retry);
    }

    /**
     * The end of the wait for late answers (the destination's hop, the retries), or Long.MIN_VALUE
     * ({@link LateAnswerWait}).
     */
    private long lateAnswerWaitEnd() {
        return sendImpossible ? Long.MIN_VALUE : LateAnswerWait.later(LateAnswerWait.end(ledger, table, horizon(),
                firstTtl, maxSentTtl), retries == null ? Long.MIN_VALUE : retries.lateAnswerWaitEnd(ledger));
    }

    // ---- end -----------------------------------------------------------------------------------

    @Override
    public boolean done() {
        if (outcome != null) {
            return true;
        }
        if (sendImpossible) {
            return true;
        }
        if (!ownSettled() || (retries != null && retries.open(lastNow, Math.min(horizon(), maxSentTtl)))) {
            return false;
        }
        long until = lateAnswerWaitEnd();
        return until == Long.MIN_VALUE || until - lastNow <= 0;
    }

    /** Whether every probe of the trace's own (not a retry) up to the horizon needs no more waiting. */
    private boolean ownSettled() {
        return flowEnds.settledBelow(table.endOf(horizon()));
    }

    @Override
    void judgeLosses(RateLimitCharges c, long now) {
        LostOnTheWay.classify(c, ledger, table, perHop, Math.min(horizon(), maxSentTtl), retries, now);
        if (confirm != null) {
            confirm.classify(ledger);
        }
    }

    @Override
    TraceResult ended(TraceStatus status, Stop reason, long now) {
        if (reports != null) {
            reports.atEnd(Math.min(horizon(), maxSentTtl), table::hop);
        }
        return build(status, now);
    }

    @Override
    TraceStatus naturalEnd() {
        int last = Math.min(horizon(), maxSentTtl);
        if (ledger.quotedDestinationTtl() == last) {
            return TraceStatus.DESTINATION_REACHED; // its answer beyond says so, though its probes at last were lost
        }
        boolean unreachable = false;
        for (int i = 0; i < table.endOf(last) && last >= firstTtl; i++) {
            ProbeState p = table.at(i);
            if (!flowEnds.included(p)) {
                continue;
            }
            if (p.answered() && p.destination() || retries != null && retries.reachedDestination(last)) {
                return TraceStatus.DESTINATION_REACHED;
            }
            unreachable |= p.status() == ProbeStatus.UNREACHABLE;
        }
        return unreached(unreachable);
    }

    @Override
    TraceResult build(TraceStatus status, long now) {
        List<Hop> hops = new ArrayList<>();
        int last = Math.min(horizon(), maxSentTtl);
        for (int ttl = firstTtl; ttl <= last; ttl++) {
            List<ProbeState> hopProbes = table.hop(ttl);
            if (flowEnds.active() ? hopProbes.stream().anyMatch(p -> p.sent() && flowEnds.included(p))
                    : hopProbes.get(0).sent()) {
                hops.add(hop(ttl, last));
            }
        }
        return new TraceResult(request.target(), Optional.of(destination), protocol, transportName, status, hops,
                startedAt, elapsed(status, now), ledger.unmatched(),
                TcpConfirm.note(confirm, protocol, hops, QuotedEnd.note(ledger, last, protocolNote)),
                flows.known() ? FlowMode.PARIS : FlowMode.CLASSIC, flows.count(),
                io.pathprobe.enrich.PathContext.OFF, request,
                protocol == ProbeProtocol.TCP ? Optional.of(io.pathprobe.trace.TcpMode.SYN) : Optional.empty(),
                confirm == null ? 0 : confirm.sent());
    }

    /** The hop at {@code ttl}, losses split by the answers at later TTLs up to {@code last}. */
    private Hop hop(int ttl, int last) {
        List<ProbeState> probes = flowEnds.active() ? table.hop(ttl).stream().filter(flowEnds::included).toList()
                : retries == null ? table.hop(ttl) : LostOnTheWay.with(table.hop(ttl), retries.sent(ttl));
        return HopFolder.hop(ttl, probes, ipv6, natAt(ttl), new LostOnTheWay.AnsweredLater(table, perHop, ttl, last));
    }

    @Override
    void completed(ProbeState p, long now) {
        Events e = events;
        if (e == null || reports == null) {
            return;
        }
        e.probeCompleted(p.toResult(ipv6));
        reports.completed(p.ttl(), horizon(), p.ttl() == horizon() && lateAnswerWaitEnd() != Long.MIN_VALUE,
                table.hop(p.ttl()), flowEnds::settled, charges != null);
    }

    // ---- for tests -------------------------------------------------------------------------------

    /** Probes outstanding now; never negative. */
    public int inFlight() { return ledger.inFlight(); }

    /** The most probes that were ever outstanding at once. */
    public int maxInFlightSeen() { return ledger.maxInFlightSeen(); }

    /** Answers taken by a probe (late-read revisions included); with the unmatched ones, every answer delivered. */
    public int matched() { return ledger.matched(); }

    /** Answers handled after the trace ended (read before its session closed). */
    public int afterEnd() { return ledger.afterEndCount(); }

    /**
     * The highest TTL the trace may yet report: the ledger's horizon, or (flows ending on their own) the farthest end.
     */
    public int horizon() {
        if (!flowEnds.active()) {
            return ledger.horizon();
        }
        return flowEnds.farthestEnd();
    }
}
