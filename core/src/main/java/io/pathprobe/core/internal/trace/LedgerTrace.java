package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ProbeTable;
import io.pathprobe.core.internal.probe.SequenceSpace;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.ratelimit.RateLimitCharges;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * What a trace's strategies ({@link TraceStrategy}, {@link DoubletreeStrategy}) share: the trace's request and
 * destination, its probes' {@link ProbeTable} and {@link ProbeLedger}, the bookkeeping of sends, failed sends, answers
 * and give-ups (charged to the tracer's learned budgets, {@link #charges}), and how the trace ends. A subclass decides
 * what to send, what a probe's fate means ({@link #completed}) and what its result holds.
 */
abstract class LedgerTrace implements ProbingStrategy<TraceResult>, ProbingStrategy.SendsLater {
    protected final TraceRequest request;
    protected final InetAddress destination;
    protected final boolean ipv6;
    protected final ProbeProtocol protocol;
    protected final String transportName;
    protected final Optional<String> protocolNote;
    protected final Instant startedAt;
    protected final long startTick;
    protected final int firstTtl;
    protected final int perHop;
    protected final int maxInFlight;
    protected final ProbeTable table;
    protected final ProbeLedger ledger;
    /** The probes' side of the tracer's learned per-responder ICMP budgets; null: none. */
    protected @Nullable RateLimitCharges charges;

    protected int maxSentTtl;
    protected int sentOk;
    protected int sendFailures;
    protected boolean noRoute;
    /** A send failed for good (no route, no source address of the family): nothing more is sent, the trace ends. */
    protected boolean sendImpossible;
    protected long endTick;
    protected @Nullable TraceResult outcome;

    /**
     * @param perHop the attempts at each TTL
     * @param maxSequence the session's largest sequence number
     * @param moreSequences the sequence numbers wanted beyond one per probe of the table (retries)
     * @param sessionMaxInFlight the session's own in-flight limit
     */
    LedgerTrace(TraceRequest request, InetAddress destination, ProbeProtocol protocol, String transportName,
            Optional<String> protocolNote, Instant startedAt, long startTick, int perHop, int maxSequence,
            int moreSequences, int sessionMaxInFlight) {
        this.request = request;
        this.destination = destination;
        this.ipv6 = destination instanceof Inet6Address;
        this.protocol = protocol;
        this.transportName = transportName;
        this.protocolNote = protocolNote;
        this.startedAt = startedAt;
        this.startTick = startTick;
        this.firstTtl = request.firstTtl();
        this.perHop = perHop;
        this.maxInFlight = Math.min(request.maxInFlight(), Math.max(1, sessionMaxInFlight));
        this.table = new ProbeTable(firstTtl, request.maxTtl(), perHop);
        this.ledger = new ProbeLedger(new IntFunction<>() { // a class: a lambda is made at first use
            @Override
            public @Nullable ProbeState apply(int index) {
                return probeAt(index);
            }
        },
                new SequenceSpace(maxSequence, table.size() + moreSequences),
                WaitPolicy.forSession(WaitPolicy.nanos(request.probeTimeout()), request.adaptiveWait(),
                        sessionMaxInFlight), destination, protocol, firstTtl, request.maxTtl(), ProbeLedger.NO_FINISH);
    }

    /** The probe numbered {@code index} by the ledger: the table's, by default. */
    @Nullable ProbeState probeAt(int index) {
        return table.at(index);
    }

    /** A probe's fate is known (answered, given up, its send failed): what it means for the trace. */
    abstract void completed(ProbeState p, long now);

    /** What the ledger made of an answer the trace took, once its budget was charged. */
    abstract void answered(ProbeLedger.Answer answer, long now);

    /** How the trace ended on its own ({@link Stop#COMPLETED}). */
    abstract TraceStatus naturalEnd();

    /**
     * The trace has ended with {@code status} (its probes abandoned at {@link #endTick}, its losses judged by
     * {@link #judgeLosses}): {@return its result}.
     */
    abstract TraceResult ended(TraceStatus status, Stop reason, long now);

    /** The result with {@code status} as the probes are now. */
    abstract TraceResult build(TraceStatus status, long now);

    /** Judges, when the trace ends, the probes it lost against the learned budgets ({@link LostOnTheWay}). */
    abstract void judgeLosses(RateLimitCharges c, long now);

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRouteToHost, boolean permanent, long now) {
        ProbeState p = ledger.sentProbe(probe);
        sendFailures++;
        if (permanent || noRouteToHost) {
            // no probe can leave: the trace ends now (outstanding probes are abandoned), NO_ROUTE or SEND_FAILED
            sendImpossible = true;
            noRoute |= noRouteToHost;
        }
        ledger.sendFailed(p, reason);
        completed(p, now);
    }

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        if (outcome != null) {
            ledger.afterEnd(); // read before the session closed, handled after the end: not in the result
            return;
        }
        ProbeLedger.Answer answer = ledger.answer(r, now);
        if (charges != null) {
            charges.charge(answer, r.responder(), now);
        }
        answered(answer, now);
    }

    @Override
    public void onWakeup(long now) {
        if (outcome != null) {
            return;
        }
        ledger.expire(now, p -> {
            if (charges != null) {
                charges.timedOut(p, now, ledger); // a miss taught; judged when the trace ends
            }
            completed(p, now);
        });
    }

    @Override
    public TraceResult outcome(Stop reason, long now) {
        TraceResult r = outcome;
        if (r != null) {
            return r;
        }
        ledger.abandonAll();
        endTick = now;
        RateLimitCharges c = charges;
        if (c != null) {
            judgeLosses(c, now);
        }
        TraceStatus status = switch (reason) {
            case CANCELLED -> TraceStatus.CANCELLED;
            case DEADLINE -> TraceStatus.DEADLINE_EXCEEDED;
            case COMPLETED -> naturalEnd();
        };
        r = ended(status, reason, now);
        outcome = r;
        return r;
    }

    /**
     * {@return how a trace that did not reach its destination ended}: an unreachable answer first, then no route,
     * then no probe sent, else out of hops
     */
    final TraceStatus unreached(boolean unreachable) {
        if (unreachable) {
            return TraceStatus.UNREACHABLE;
        }
        if (noRoute) {
            return TraceStatus.NO_ROUTE;
        }
        return sendImpossible || (sentOk == 0 && sendFailures > 0) ? TraceStatus.SEND_FAILED
                : TraceStatus.MAX_HOPS_EXCEEDED;
    }

    @Override
    public TraceResult snapshot(long now) {
        TraceResult r = outcome;
        return r != null ? r : build(TraceStatus.RUNNING, now);
    }

    /** {@return how long the trace has run}, until its end once it has ended */
    final Duration elapsed(TraceStatus status, long now) {
        long end = outcome != null || status != TraceStatus.RUNNING ? endTick : now;
        return Duration.ofNanos(Math.max(0, end - startTick));
    }

    /**
     * Whether the hop at {@code ttl} shows a translation since the previous hop that carried a NAT ID (a hop with no
     * answer of its own, or taken from a stop set, carries none).
     */
    final boolean natAt(int ttl) {
        int before = -1;
        for (int t = ttl - 1; t >= firstTtl && before < 0; t--) {
            before = HopFolder.natId(table.hop(t));
        }
        return HopFolder.natChanged(HopFolder.natId(table.hop(ttl)), before);
    }

    @Override
    public void observe(ProbeObserver o) {
        ledger.observe(o);
    }

    @Override
    public Subject<TraceResult> subject() {
        return new Subject<>(io.pathprobe.MeasurementType.TRACE,
                destination.getHostAddress(), transportName, TraceResult::status);
    }
}
