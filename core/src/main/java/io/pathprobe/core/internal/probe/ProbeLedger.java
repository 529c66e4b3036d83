package io.pathprobe.core.internal.probe;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of the probe state of a TTL-limited measurement (trace, multipath): sequence numbers
 * ({@link SequenceSpace}), the probes outstanding, matching an answer to its probe, duplicates, the
 * revision of a late-read answer, the horizon and the adaptive wait ({@link WaitPolicy}). A strategy
 * decides what to send and what an outcome means for it; every rule about one probe's fate is here,
 * so measurements that share the ledger classify the same answers alike by construction.
 *
 * <p>The rules:
 * <ul>
 * <li>An answer is tied to the probe that holds (or last held) its sequence number; one received
 *     before that probe was sent belongs to an earlier holder: {@link Unmatched}.</li>
 * <li>A probe beyond the horizon was abandoned when the path ended nearer; its own answer is expected
 *     once ({@link BeyondPath}, not reported), any other is {@link Unmatched}.</li>
 * <li>The first answer to a pending probe decides it ({@link Matched}). An answer to a probe given up
 *     (TIMEOUT) that arrived within the probe timeout revises it ({@link Late}): it was read after its
 *     wait expired, or the adaptive wait gave up a slow answer early. Any other answer to a decided
 *     probe is a {@link Duplicate} (a second answer, or one after the probe timeout).</li>
 * <li>Time Exceeded is a router's REPLY, never the destination's, whatever its source (a router may
 *     answer from the target's address); an echo reply, a TCP SYN-ACK or RST, and a port unreachable
 *     to a UDP probe are the destination's REPLY whatever their source (a host or NAT answering from
 *     an address of its own; the probe's responder says which; the built-in transports deliver echo
 *     replies and TCP answers, which quote nothing, only from the destination); any other unreachable is
 *     UNREACHABLE and ends the path there (from a router: a firewall's REJECT; from the destination
 *     itself, e.g. administratively prohibited, then also marked as the destination).</li>
 * <li>An answer that ends the path brings the horizon down to its TTL: outstanding probes beyond it
 *     are abandoned.</li>
 * <li>A pending probe is given up after {@link WaitPolicy#waitNanos}, HERE measured by the slowest
 *     answer at its TTL, NEAR by the first answer at the nearest later TTL that answered; one given
 *     up well after that ({@link WaitPolicy#lateGiveUp}: the engine was behind) is marked so (multipath's
 *     path probes then teach the rate-limit model nothing by its miss).</li>
 * <li>A probe given up before its probe timeout may still be answered until that timeout ends
 *     ({@link #answerPossibleUntil}): what a strategy that waits for late answers waits for.</li>
 * </ul>
 * Pure: no threads, no clock reads; confined to the engine loop.
 */
public final class ProbeLedger {

    /** What became of an answer. */
    public sealed interface Answer permits Taken, Duplicate, BeyondPath, Unmatched {}

    /** An answer a probe took: it decided the probe ({@link Matched}) or revised a timeout ({@link Late}). */
    public sealed interface Taken extends Answer permits Matched, Late {
        ProbeState probe();

        ResponseKind kind();

        /** A router's Time Exceeded: the path goes on. */
        default boolean router() {
            return kind() == ResponseKind.TIME_EXCEEDED;
        }

        /** The answer ends the path at its TTL (the destination, or an unreachable). */
        default boolean endsPath() {
            return !router();
        }
    }

    /** The first answer to a pending probe. */
    public record Matched(ProbeState probe, ResponseKind kind) implements Taken {}

    /** An answer to a probe that had been given up, within the probe timeout: the timeout is revised. */
    public record Late(ProbeState probe, ResponseKind kind) implements Taken {}

    /** A further answer to a decided probe, or one after the probe timeout: not counted. */
    public record Duplicate(ProbeState probe) implements Answer {}

    /** The expected answer to a probe sent beyond the end of the path before the end was known. */
    public record BeyondPath(ProbeState probe) implements Answer {}

    /** An answer no probe can take (a number never handed out, or an earlier holder's). */
    public record Unmatched() implements Answer {
        static final Unmatched INSTANCE = new Unmatched();
    }

    private final IntFunction<@Nullable ProbeState> probes;
    private final SequenceSpace sequences;
    private final WaitPolicy waits;
    private final InetAddress destination;
    private final ProbeProtocol protocol;
    private final int firstTtl;
    private final int maxTtl;
    /** An {@code onFinish} that does nothing (a class: a lambda is generated at its first use, docs/startup.md). */
    public static final Consumer<ProbeState> NO_FINISH = new Consumer<>() {
        @Override
        public void accept(ProbeState p) {
        }
    };
    private final Consumer<ProbeState> onFinish;
    /** Pending probes by index (a table's order, or send order): what wake-ups scan. */
    private final Outstanding outstanding = new Outstanding();
    private final long[] firstRtt;
    private final long[] slowestRtt;
    /** Scratch for {@link #laterRtts}: no allocation per wake-up. */
    private final long[] later;
    private int horizon;
    private int maxInFlightSeen;
    private int matched;
    private int unmatched;
    private int afterEnd;
    private ProbeObserver observer = ProbeObserver.NONE;
    /** Set by {@link #endsPerFlow}: the strategy ends each flow's path itself. */
    private java.util.function.@Nullable Predicate<ProbeState> beyondFlowEnd;
    /** Set by {@link #distanceByQuote}: a destination's quote may place it nearer than the probe's TTL. */
    private boolean distanceByQuote;
    /** The highest TTL a router answered Time Exceeded at ({@link #highestRouterTtl()}). */
    private int highestRouterTtl;
    /** Where the destination is by the TTL its answer quoted, below that answer's own TTL; -1: nowhere. */
    private int quotedDestinationTtl = -1;
    /** The TTL of the probe whose answer's quote placed the destination at {@link #quotedDestinationTtl}. */
    private int quotedFromTtl = -1;

    /**
     * @param probes the probe of an index (what {@link SequenceSpace} remembers), or null
     * @param sequences the session's sequence numbers
     * @param waits the wait policy
     * @param destination the destination (its answers mark the probe as the destination's)
     * @param protocol the probe protocol (a port unreachable answers a UDP probe)
     * @param firstTtl the lowest TTL probed
     * @param maxTtl the highest TTL probed: the horizon until the path ends nearer
     * @param onFinish called after each probe's one transition out of PENDING
     */
    public ProbeLedger(IntFunction<@Nullable ProbeState> probes, SequenceSpace sequences, WaitPolicy waits,
            InetAddress destination, ProbeProtocol protocol, int firstTtl, int maxTtl, Consumer<ProbeState> onFinish) {
        this.probes = probes;
        this.sequences = sequences;
        this.waits = waits;
        this.destination = destination;
        this.protocol = protocol;
        this.firstTtl = firstTtl;
        this.maxTtl = maxTtl;
        this.onFinish = onFinish;
        this.horizon = maxTtl;
        this.firstRtt = new long[maxTtl - firstTtl + 1];
        this.slowestRtt = new long[maxTtl - firstTtl + 1];
        this.later = new long[maxTtl - firstTtl + 1];
        Arrays.fill(firstRtt, -1);
        Arrays.fill(slowestRtt, -1);
    }

    /**
     * A destination's answer that quotes the probe's IP header (a UDP probe's Port Unreachable) says how far the
     * destination is: the probe arrived with the quoted TTL, so it passed {@code ttl - quoted} routers and the
     * destination is at TTL {@code ttl - quoted + 1}. Where that is nearer than the probe's own TTL (the probes
     * at the destination's own TTL went unanswered), the path ends there, not one TTL beyond, with nothing
     * invented in between. Trusted only beyond every TTL a router answered at; a quote of a TTL above the
     * probe's own (a middlebox rewrote it) is ignored. Off by default; a single-flow trace asks for it.
     */
    public void distanceByQuote() {
        this.distanceByQuote = true;
    }

    /** {@return the highest TTL of a probe a router's Time Exceeded answered (first or late), 0 if none} */
    public int highestRouterTtl() {
        return highestRouterTtl;
    }

    /** The destination's TTL by its quote (see {@link #distanceByQuote}), or -1. */
    public int quotedDestinationTtl() {
        return quotedDestinationTtl;
    }

    /** The TTL of the probe whose answer placed the destination at {@link #quotedDestinationTtl}, or -1. */
    public int quotedFromTtl() {
        return quotedFromTtl;
    }

    public void observe(ProbeObserver o) {
        this.observer = o;
    }

    /**
     * Each flow's path ends on its own (a multi-flow trace: flows may reach the destination, or
     * another site of it, at different TTLs): an answer that ends the path no longer brings the
     * horizon down; the strategy abandons the flow's probes beyond its end itself ({@link #finish}),
     * and {@code beyond} tells which probes lie beyond their flow's end, whose answers are then
     * handled as beyond the path.
     */
    public void endsPerFlow(java.util.function.Predicate<ProbeState> beyond) {
        this.beyondFlowEnd = beyond;
    }

    // ---- sending -----------------------------------------------------------------------------

    /**
     * Sends {@code p} (unsent) now with {@code flow} (-1: the transport's choice).
     *
     * @return its sequence number, or -1 (nothing changed) if every number is outstanding
     */
    public int send(ProbeState p, long now, int flow) {
        int seq = sequences.acquire(p.index());
        if (seq < 0) {
            return -1;
        }
        p.markSent(seq, now, flow);
        outstanding.put(p);
        maxInFlightSeen = Math.max(maxInFlightSeen, outstanding.size());
        return seq;
    }

    /** The probe this spec was sent as, or null. */
    public @Nullable ProbeState probe(ProbeSpec spec) {
        int index = sequences.holder(spec.sequence());
        return index < 0 ? null : probes.apply(index);
    }

    /** {@return the probe {@code spec}, which this ledger numbered, names} (IllegalStateException if none) */
    public ProbeState sentProbe(ProbeSpec spec) {
        ProbeState p = probe(spec);
        if (p == null) {
            throw new IllegalStateException("no probe has sequence " + spec.sequence());
        }
        return p;
    }

    /** The transport sent it at {@code sentNanos} (the clock of answers' receive times). */
    public void sent(ProbeState p, long sentNanos) {
        p.sentAt(sentNanos);
    }

    /**
     * The transport sent it at {@code sentNanos}, handed over at engine tick {@code tick}: its wait counts from then.
     * Later than the tick it was numbered at only when a probing budget held it back (deferred): a probe held longer
     * than its wait would otherwise be given up the moment it left, before its answer could come.
     */
    public void sent(ProbeState p, long sentNanos, long tick) {
        p.sentAt(sentNanos);
        p.left(tick);
    }

    /** The operating system refused it. */
    public void sendFailed(ProbeState p, String reason) {
        p.failure(reason);
        finish(p, ProbeStatus.SEND_FAILED);
    }

    /**
     * PENDING to terminal: the only place a probe stops being outstanding.
     *
     * @return false (no change) if it was not pending
     */
    public boolean finish(ProbeState p, ProbeStatus terminal) {
        if (!p.complete(terminal)) {
            return false;
        }
        outstanding.remove(p);
        sequences.release(p.sequence());
        if (terminal == ProbeStatus.TIMEOUT) {
            observer.timedOut(p.ttl(), p.waitApplied());
        } else if (terminal == ProbeStatus.ABANDONED) {
            observer.abandoned();
        }
        onFinish.accept(p);
        return true;
    }

    /**
     * A probe given up (TIMEOUT) is revised to {@link ProbeStatus#RATE_LIMITED}: the caller found
     * that its (expected) responder was over its learned ICMP limit when it left (see
     * {@code ratelimit.RateLimitModel}). An answer read later still revises it as it would a timeout.
     *
     * @return false (no change) if it was not TIMEOUT
     */
    public boolean rateLimited(ProbeState p) {
        if (p.status() != ProbeStatus.TIMEOUT) {
            return false;
        }
        p.status(ProbeStatus.RATE_LIMITED);
        return true;
    }

    /** Gives up every outstanding probe (the measurement ends). */
    public void abandonAll() {
        for (ProbeState p : outstanding.inOrder()) {
            finish(p, ProbeStatus.ABANDONED);
        }
    }

    // ---- answers -----------------------------------------------------------------------------

    /** Classifies an answer and, when a probe takes it, records it (and may bring the horizon down). */
    public Answer answer(ProbeResponse r, long now) {
        int index = sequences.holder(r.sequence());
        ProbeState p = index < 0 ? null : probes.apply(index);
        long rtt = p == null ? -1 : r.receivedNanos() - p.sentTransportNanos();
        if (p == null || rtt < 0) {
            return noProbe(); // a number never handed out, or received before this probe was sent
        }
        if (p.ttl() > horizon || (beyondFlowEnd != null && beyondFlowEnd.test(p))) {
            if (p.status() == ProbeStatus.ABANDONED && !p.isAnsweredBeyondPath()) {
                p.answeredBeyondPath();
                matched++;
                observer.beyondPath();
                return new BeyondPath(p);
            }
            return noProbe();
        }
        boolean first = p.pending();
        if (!first && !((p.status() == ProbeStatus.TIMEOUT || p.status() == ProbeStatus.RATE_LIMITED)
                && rtt <= waits.timeoutNanos())) {
            unmatched++; // a second answer, or one after the probe timeout
            observer.unmatched();
            return new Duplicate(p);
        }
        matched++;
        ResponseKind kind = r.kind();
        boolean fromDestination = r.responder().equals(destination);
        ProbeStatus status;
        boolean isDestination;
        if (kind == ResponseKind.TIME_EXCEEDED) {
            status = ProbeStatus.REPLY;
            isDestination = false;
        } else if (kind == ResponseKind.ECHO_REPLY || kind == ResponseKind.TCP_SYN_ACK
                || kind == ResponseKind.TCP_RESET || kind == ResponseKind.TCP_ACK) {
            status = ProbeStatus.REPLY;
            isDestination = true;
        } else if (r.portUnreachable() && protocol == ProbeProtocol.UDP) {
            status = ProbeStatus.REPLY; // a port unreachable answers a UDP probe: the destination, from any address
            isDestination = true;
        } else {
            status = ProbeStatus.UNREACHABLE; // ends the path: from a router, or the destination itself
            isDestination = fromDestination;
        }
        boolean tcp = kind == ResponseKind.TCP_SYN_ACK || kind == ResponseKind.TCP_RESET
                || kind == ResponseKind.TCP_ACK;
        io.pathprobe.probe.PacketHeader quoted = r.quotedHeader();
        QuoteEvidence quote = quoted == null ? null : QuoteEvidence.of(r, p.ttl()); // only errors quote
        p.answer(r.responder(), rtt, now, tcp ? -1 : r.icmpType(), tcp ? -1 : r.icmpCode(), isDestination,
                r.replyTtl(), quote == null ? r.checksumDelta() : quote.natId(), r.mplsLabels());
        if (!r.extensions().isEmpty()) {
            p.identify(r.interfaces(), r.nodeId().orElse(null));
        }
        if (quoted != null && quote != null) {
            p.quote(ResultValues.markingOf(quoted.trafficClass()), quote.changes()); // one shared instance per value
        }
        int i = p.ttl() - firstTtl;
        if (firstRtt[i] < 0) {
            firstRtt[i] = rtt;
        }
        slowestRtt[i] = Math.max(slowestRtt[i], rtt);
        Taken taken;
        if (first) {
            finish(p, status);
            observer.answered(p.ttl(), rtt, r.responder(), kind);
            taken = new Matched(p, kind);
        } else {
            p.status(status); // the revision of a timeout
            observer.late();
            taken = new Late(p, kind);
        }
        if (kind == ResponseKind.TIME_EXCEEDED) {
            highestRouterTtl = Math.max(highestRouterTtl, p.ttl());
        }
        if (taken.endsPath() && beyondFlowEnd == null) {
            shrinkHorizon(isDestination && status == ProbeStatus.REPLY ? endByQuote(p.ttl(), quotedTtl(r)) : p.ttl());
        }
        return taken;
    }

    /** The TTL the path ends at for a destination's answer to a probe sent with {@code ttl}. */
    private int endByQuote(int ttl, int q) {
        int at = ttl - q + 1;
        if (!distanceByQuote || q < 1 || q > ttl || at >= ttl || at < firstTtl || at <= highestRouterTtl) {
            return ttl;
        }
        if (quotedDestinationTtl < 0 || at < quotedDestinationTtl) {
            quotedDestinationTtl = at;
            quotedFromTtl = ttl;
        }
        return at;
    }

    /** The TTL {@code r} quoted, from its own field or its quoted header, or UNKNOWN. */
    private static int quotedTtl(ProbeResponse r) {
        PacketHeader quoted = r.quotedHeader();
        return r.quotedTtl() != ProbeResponse.UNKNOWN || quoted == null ? r.quotedTtl() : quoted.ttl();
    }

    private Unmatched noProbe() {
        unmatched++;
        observer.unmatched();
        return Unmatched.INSTANCE;
    }

    /** An answer handled after the measurement ended (read before its session closed): not in the result. */
    public void afterEnd() {
        afterEnd++;
        observer.late();
    }

    /** The path ends at {@code ttl}: outstanding probes beyond it are abandoned, each once. */
    public void shrinkHorizon(int ttl) {
        if (ttl >= horizon) {
            return;
        }
        horizon = ttl;
        for (ProbeState p : outstanding.inOrder()) {
            if (p.ttl() > ttl) {
                finish(p, ProbeStatus.ABANDONED);
            }
        }
    }

    // ---- waits -------------------------------------------------------------------------------

    /**
     * Gives up the pending probes whose wait ran out by {@code now}, in index order, handing each to
     * {@code timedOut} right after its own transition (before the next one is given up).
     */
    public void expire(long now, Consumer<ProbeState> timedOut) {
        if (outstanding.isEmpty()) {
            return;
        }
        long[] later = laterRtts();
        for (ProbeState p : outstanding.inOrder()) {
            long wait = waitFor(p, later);
            if (p.pending() && now - p.sentTick() >= wait) {
                p.waitApplied(wait);
                if (WaitPolicy.lateGiveUp(p.sentTick(), wait, now)) {
                    p.givenUpLate();
                }
                finish(p, ProbeStatus.TIMEOUT);
                timedOut.accept(p);
            }
        }
    }

    /** Nanoseconds from {@code now} until the first outstanding probe's wait runs out, or Long.MAX_VALUE. */
    public long nextExpiry(long now) {
        if (outstanding.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long[] later = laterRtts();
        long earliest = Long.MAX_VALUE;
        for (int i = outstanding.first(); i < outstanding.end(); i++) {
            ProbeState p = outstanding.at(i);
            if (p != null) {
                earliest = Math.min(earliest, Math.max(0, waitFor(p, later) - (now - p.sentTick())));
            }
        }
        return earliest;
    }

    private long waitFor(ProbeState p, long[] later) {
        int i = p.ttl() - firstTtl;
        return waits.waitNanos(slowestRtt[i], later[i]);
    }

    /** For each TTL, the first RTT answered at the nearest later TTL (up to the horizon) that answered, or -1. */
    private long[] laterRtts() {
        long nearest = -1;
        for (int i = later.length - 1; i >= 0; i--) {
            later[i] = nearest;
            if (i + firstTtl <= horizon && firstRtt[i] >= 0) {
                nearest = firstRtt[i];
            }
        }
        return later;
    }

    // ---- late answers ------------------------------------------------------------------------

    /**
     * Until when an answer to {@code p} may still come and revise it: a probe given up (TIMEOUT, or
     * RATE_LIMITED since) before its probe timeout ran out takes an answer that comes within that timeout
     * ({@link Late}: the adaptive wait gave up a slow answer, or this host read it late), so one may come
     * until it left plus the probe timeout. A strategy that stays open for late answers asks this, so that
     * it never waits for an answer the ledger would call a {@link Duplicate}.
     *
     * @param hold how long after {@code p} left the caller waits for its answer at most (the probe timeout
     *     when that is shorter)
     * @return the tick until which an answer may come, or {@link Long#MIN_VALUE}: {@code p} was not given
     *     up, it was waited for that long already, or {@code hold} is not positive
     */
    public long answerPossibleUntil(ProbeState p, long hold) {
        if (p.status() != ProbeStatus.TIMEOUT && p.status() != ProbeStatus.RATE_LIMITED) {
            return Long.MIN_VALUE;
        }
        long wait = Math.min(hold, waits.timeoutNanos());
        return wait > 0 && p.waitApplied() < wait ? WaitPolicy.plus(p.sentTick(), wait) : Long.MIN_VALUE;
    }

    /** As {@link #answerPossibleUntil(ProbeState, long)}, held for the whole probe timeout. */
    public long answerPossibleUntil(ProbeState p) {
        return answerPossibleUntil(p, waits.timeoutNanos());
    }

    // ---- state -------------------------------------------------------------------------------

    public int horizon() {
        return horizon;
    }

    public int maxTtl() {
        return maxTtl;
    }

    /** Probes outstanding now; never negative. */
    public int inFlight() {
        return outstanding.size();
    }

    /** The most probes that were ever outstanding at once. */
    public int maxInFlightSeen() {
        return maxInFlightSeen;
    }

    /** Answers taken by a probe (late revisions and beyond-path answers included). */
    public int matched() {
        return matched;
    }

    /** Answers no probe took: unmatched ones and duplicates. */
    public int unmatched() {
        return unmatched;
    }

    /** Answers handled after the end. */
    public int afterEndCount() {
        return afterEnd;
    }

    public WaitPolicy waits() {
        return waits;
    }
}
