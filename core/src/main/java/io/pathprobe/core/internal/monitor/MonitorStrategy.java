package io.pathprobe.core.internal.monitor;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.trace.Flows;
import io.pathprobe.core.internal.trace.TraceStrategy;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A monitor as a {@link ProbingStrategy}: rounds of traces on one session, each a fresh
 * {@link TraceStrategy} (a Paris session keeps its flow, so every round follows the same path through a
 * load balancer), folded into a {@link MonitorState}. Pure: no threads, no clock.
 *
 * <p><b>Sequence bands.</b> The session's sequence numbers are split into bands of one round's probes
 * ({@code ttls × probes per TTL}); round k uses band {@code k mod bands} and its trace sees numbers from
 * 0. An answer whose number is in no running round's band belongs to a round already ended (an RTT
 * longer than its probe timeout): it is counted late and never matches a running round's probe. With
 * 65536 numbers and 30 TTLs a band comes back after 2184 rounds.
 *
 * <p><b>Rounds.</b> Round k+1 starts {@code interval} after round k started, start to start, as mtr's do:
 * once the first round has ended (and so the destination's TTL is known), a round still waiting for a lost
 * probe's timeout does not hold the next one back. Up to {@value #MAX_RUNNING} rounds run at once, each in
 * its own band, and they are folded in the order they started. A round starts later while a router of the
 * path (the responders remembered at its TTLs) was learned to rate-limit its ICMP errors and has no budget
 * left ({@link RateLimitModel#delay}): a monitor alone never sends a router more than it answers. It waits once
 * per round: monitors sharing a paced router share its budget, and one that took the token first does not hold
 * another's round back for more than one wait. Once the
 * destination is known, a round probes no TTL beyond it ({@link MonitorState#horizon()}). A round cut short
 * (cancel, deadline) is not folded in. When the first round's trace ends {@link TraceStatus#NO_ROUTE} or
 * {@link TraceStatus#SEND_FAILED} with no probe sent, the monitor ends with that status
 * ({@link MonitorStatus#NO_ROUTE}, {@link MonitorStatus#SEND_FAILED}), as a trace or a ping does.
 */
public final class MonitorStrategy implements ProbingStrategy<MonitorResult> {
    /** The most rounds running at once (fewer when the session's numbers make fewer bands). */
    static final int MAX_RUNNING = 16;

    /** What the handle hears, on the loop. */
    public interface Events {
        /** A round completed and was folded in; its events are in it. */
        void roundCompleted(MonitorRound round);
    }

    private final MonitorRequest request;
    private final InetAddress destination;
    private final ProbeProtocol protocol;
    private final String transportName;
    private final Optional<String> protocolNote;
    private final int sessionMaxInFlight;
    private final Flows flows;
    private final RateLimitModel pacing;
    private final RateLimitModel destinationPacing;
    private final Instant startedAt;
    private final long startTick;
    private final @Nullable Events events;
    private final MonitorState state;
    /** The last round's request below {@code maxHops} ({@link #roundRequest}). */
    private @Nullable TraceRequest horizonRequest;
    private final long intervalNanos;
    private final int bandSize;
    private final int bands;
    private ProbeObserver observer = ProbeObserver.NONE;

    /** A round that has started and not been folded in: its trace, its band's first number, its number. */
    private record Running(TraceStrategy trace, int offset, long number) {
        boolean owns(int sequence, int bandSize) {
            return sequence >= offset && sequence < offset + bandSize;
        }
    }

    /** The running rounds, oldest first. */
    private final ArrayDeque<Running> running = new ArrayDeque<>();
    private final int maxRunning;
    private long nextRoundAt;
    /** Whether the due round already waited once for its path's limiters (see {@link #maybeStartRound}). */
    private boolean waitedForBudget;
    private long started;
    private @Nullable MonitorRound lastRound;
    private @Nullable Long firstRoundTick;
    private long lastNow;
    private long lateAnswers;
    private @Nullable MonitorResult outcome;
    /** Whether any probe of the monitor left this host. */
    private boolean anySent;
    /** NO_ROUTE or SEND_FAILED once the first round found that no probe can leave this host; else null. */
    private @Nullable MonitorStatus cannotSend;

    /**
     * @param maxSequence the session's largest sequence number
     * @param sessionMaxInFlight the session's own in-flight limit
     * @param flows the flows of the session (Paris: one, kept across rounds)
     * @param pacing the tracer's learned responder budgets ({@link RateLimitModel#NONE} for none)
     * @param banded whether sequence numbers are split into per-round bands (always, but for the test that
     *     shows what the bands prevent)
     */
    public MonitorStrategy(MonitorRequest request, InetAddress destination,
            ProbeProtocol protocol, String transportName,
            Optional<String> protocolNote, int maxSequence, int sessionMaxInFlight, Flows flows,
            RateLimitModel pacing, Instant startedAt, long startTick, @Nullable Events events, boolean banded) {
        this.request = request;
        this.destination = destination;
        this.protocol = protocol;
        this.transportName = transportName;
        this.protocolNote = protocolNote;
        this.sessionMaxInFlight = sessionMaxInFlight;
        this.flows = flows;
        this.pacing = pacing;
        this.destinationPacing = pacing.forDestination(destination, protocol);
        this.startedAt = startedAt;
        this.startTick = startTick;
        this.events = events;
        this.state = new MonitorState(request);
        this.intervalNanos = nanos(request.interval());
        TraceRequest t = request.trace();
        int perRound = (t.maxTtl() - t.firstTtl() + 1) * t.probesPerTtl();
        long numbers = (long) maxSequence + 1;
        if (banded && numbers / perRound >= 2) {
            this.bandSize = perRound;
            this.bands = (int) (numbers / perRound);
        } else {
            this.bandSize = (int) Math.min(Integer.MAX_VALUE, numbers);
            this.bands = 1;
        }
        this.maxRunning = Math.max(1, Math.min(bands - 1, MAX_RUNNING));
        this.nextRoundAt = startTick;
    }

    // ---- rounds ------------------------------------------------------------------------------------

    /**
     * Starts the next round if it is due and the path's limiters have budget; else moves its time on, once: a round
     * that waited for budget starts when its wait is over, whether or not the budget is there then. The budgets are
     * the tracer's, shared by every measurement: a measurement that took the token meanwhile (a hundred monitors
     * through one paced router) would otherwise find it empty at every check, and a monitor whose checks come just
     * after the others' could wait for ever. A probe it then sends over the budget and that is refused is
     * rate-limited, counted nowhere.
     */
    private void maybeStartRound(long now) {
        if (outcome != null || cannotSend != null || roundsDone() || now - nextRoundAt < 0 || !room()) {
            return;
        }
        long wait = waitedForBudget ? 0 : limiterDelay(now);
        if (wait > 0) {
            nextRoundAt = now + wait;
            waitedForBudget = true;
            return;
        }
        waitedForBudget = false;
        TraceRequest req = roundRequest(state.horizon());
        int offset = (int) ((started % bands) * bandSize);
        started++;
        nextRoundAt = now + intervalNanos;
        if (firstRoundTick == null) {
            firstRoundTick = now;
        }
        TraceStrategy s = new TraceStrategy(req, destination, protocol, transportName, protocolNote, bandSize - 1,
                sessionMaxInFlight, flows, startedAt.plusNanos(now - startTick), now, null).pacing(pacing);
        s.observe(observer);
        running.addLast(new Running(s, offset, started));
    }

    /** Whether another round may start: none runs, or the first has ended and fewer than the most run. */
    private boolean room() {
        return running.isEmpty() || (state.rounds() > 0 && running.size() < maxRunning);
    }

    /** The running round whose band holds {@code sequence}, or null. */
    private @Nullable Running owner(int sequence) {
        for (Running r : running) {
            if (r.owns(sequence, bandSize)) {
                return r;
            }
        }
        return null;
    }

    /** The trace request of a round up to {@code horizon}: built once per horizon, not once per round. */
    private TraceRequest roundRequest(int horizon) {
        TraceRequest t = request.trace();
        if (horizon == t.maxTtl()) {
            return t;
        }
        TraceRequest cached = horizonRequest;
        if (cached == null || cached.maxTtl() != horizon) {
            cached = t.toBuilder().maxTtl(horizon).build();
            horizonRequest = cached;
        }
        return cached;
    }

    /** The longest any responder remembered on the path must wait for budget (0: none). */
    private long limiterDelay(long now) {
        long wait = 0;
        int first = request.trace().firstTtl();
        for (int ttl = first; ttl <= state.horizon(); ttl++) {
            InetAddress r = destinationPacing.remembered(destination, ttl, now);
            if (r != null) {
                wait = Math.max(wait, destinationPacing.delay(r, now));
            }
        }
        return wait;
    }

    /** Folds in the oldest running rounds that are done, in the order they started. */
    private void settleRounds(long now) {
        while (!running.isEmpty() && running.peekFirst().trace().done()) {
            Running done = running.removeFirst();
            TraceResult trace = done.trace().outcome(Stop.COMPLETED, now);
            MonitorRound r = state.fold(trace, done.number());
            // an earlier round's undecided miss at a TTL whose responder has since been shown to limit: a refusal
            state.revise(ttl -> {
                InetAddress at = destinationPacing.remembered(destination, ttl, now);
                return at != null && destinationPacing.learned(at);
            }, ttl -> {
                InetAddress at = destinationPacing.remembered(destination, ttl, now);
                return at != null && destinationPacing.limited(at);
            });
            lastRound = r;
            if (!anySent && (trace.status() == TraceStatus.NO_ROUTE || trace.status() == TraceStatus.SEND_FAILED)) {
                // no probe of the monitor ever left this host, and none can: it ends now, with that status (a send
                // failing so later, once probes went out, is a failed send in its round, counted nowhere)
                cannotSend = trace.status() == TraceStatus.NO_ROUTE ? MonitorStatus.NO_ROUTE
                        : MonitorStatus.SEND_FAILED;
                running.forEach(x -> x.trace().outcome(Stop.CANCELLED, now));
                running.clear();
            }
            if (events != null) {
                events.roundCompleted(r);
            }
        }
    }

    private boolean roundsDone() {
        return request.rounds().isPresent() && started >= request.rounds().getAsLong();
    }

    // ---- the strategy ------------------------------------------------------------------------------

    @Override
    public @Nullable ProbeSpec next(long now) {
        lastNow = now;
        maybeStartRound(now);
        for (Running r : running) {
            ProbeSpec p = r.trace().next(now);
            if (p != null) {
                return new ProbeSpec(p.sequence() + r.offset(), p.ttl(), p.flow());
            }
        }
        return null;
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        lastNow = now;
        anySent = true;
        Running r = owner(probe.sequence());
        if (r != null) {
            r.trace().onSent(new ProbeSpec(probe.sequence() - r.offset(), probe.ttl(), probe.flow()), sentNanos, now);
            settleRounds(now);
        }
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        lastNow = now;
        Running r = owner(probe.sequence());
        if (r != null) {
            r.trace().onSendFailed(new ProbeSpec(probe.sequence() - r.offset(), probe.ttl(), probe.flow()), reason,
                    noRoute, permanent, now);
            settleRounds(now);
        }
    }

    @Override
    public void onAnswer(ProbeResponse response, long now) {
        lastNow = now;
        int seq = response.sequence();
        Running r = outcome != null ? null : owner(seq);
        if (r == null) {
            lateAnswers++; // a round's already folded in (or after the end)
            observer.late();
            return;
        }
        r.trace().onAnswer(response.withSequence(seq - r.offset()), now);
        settleRounds(now);
    }

    @Override
    public void onWakeup(long now) {
        lastNow = now;
        for (Running r : running) {
            r.trace().onWakeup(now);
        }
        settleRounds(now);
        maybeStartRound(now);
    }

    @Override
    public long nextWakeup(long now) {
        lastNow = now;
        if (outcome != null || done()) {
            return NO_WAKEUP;
        }
        long next = NO_WAKEUP;
        for (Running r : running) {
            next = Math.min(next, r.trace().nextWakeup(now));
        }
        if (!roundsDone() && room()) {
            next = Math.min(next, Math.max(0, nextRoundAt - now));
        }
        return next;
    }

    @Override
    public boolean expiryDue(long now) {
        if (running.isEmpty()) {
            return true;
        }
        for (Running r : running) {
            if (r.trace().expiryDue(now)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean done() {
        return outcome != null || cannotSend != null || (running.isEmpty() && roundsDone());
    }

    @Override
    public MonitorResult outcome(Stop reason, long now) {
        if (outcome != null) {
            return outcome;
        }
        for (Running r : running) {
            r.trace().outcome(reason, now); // cut short: its probes are abandoned, the round is not folded in
        }
        running.clear();
        MonitorStatus failed = cannotSend;
        MonitorStatus status = failed != null ? failed : switch (reason) {
            case COMPLETED -> MonitorStatus.COMPLETED;
            case CANCELLED -> MonitorStatus.CANCELLED;
            case DEADLINE -> MonitorStatus.DEADLINE_EXCEEDED;
        };
        MonitorResult r = result(status, now, a -> Lookup.off(), a -> Lookup.off());
        outcome = r;
        return r;
    }

    @Override
    public MonitorResult snapshot(long now) {
        return outcome != null ? outcome : result(MonitorStatus.RUNNING, now, a -> Lookup.off(), a -> Lookup.off());
    }

    /** The result with lookups as {@code names} and {@code asns} know them (the handle's enrichment). */
    public MonitorResult result(MonitorStatus status, long now, Function<InetAddress, Lookup<String>> names,
            Function<InetAddress, Lookup<AsnInfo>> asns) {
        Long first = firstRoundTick;
        Instant at = first == null ? startedAt : startedAt.plusNanos(first - startTick);
        Duration took = first == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - first));
        MonitorPath path = state.path();
        return new MonitorResult(request.target(), Optional.of(destination), protocol, transportName, status,
                state.rounds(), at, took, state.hops(names, asns), state.endToEnd(), state.minHopCount(),
                state.avgHopCount(), state.maxHopCount(), path, state.pathChanges(), Optional.ofNullable(lastRound),
                request, io.pathprobe.probe.MaskStatement.NONE);
    }

    /** Re-labels a result's responders with {@code label} (the handle's enrichment stage): the same figures. */
    public MonitorResult relabel(MonitorResult r,
            java.util.function.UnaryOperator<io.pathprobe.monitor.MonitorResponder> label) {
        return r.withEnrichment(r.hops().stream().map(h -> new io.pathprobe.monitor.MonitorHop(h.ttl(),
                h.responders().stream().map(label).toList(), h.total(), h.window())).toList());
    }

    // ---- observability and tests ---------------------------------------------------------------------

    @Override
    public void observe(ProbeObserver o) {
        observer = o;
    }

    @Override
    public Subject<MonitorResult> subject() {
        return new Subject<>(io.pathprobe.MeasurementType.MONITOR,
                destination.getHostAddress(), transportName, MonitorResult::status);
    }

    /** Answers that matched no running round's band (late answers to earlier rounds), for tests. */
    public long lateAnswers() {
        return lateAnswers;
    }

    /** The band size and count, for tests. */
    public int bands() {
        return bands;
    }

    /** Entries the statistics hold, for the bound test. */
    public int entries() {
        return state.entries();
    }

    /** The next round's largest TTL, for tests. */
    public int horizon() {
        return state.horizon();
    }

    /** The newest running round's trace, for tests; null between rounds. */
    public @Nullable TraceStrategy round() {
        Running r = running.peekLast();
        return r == null ? null : r.trace();
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
