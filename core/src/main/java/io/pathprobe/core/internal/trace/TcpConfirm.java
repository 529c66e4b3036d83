package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ProbeTable;
import io.pathprobe.core.internal.ratelimit.RateLimitCharges;
import org.jspecify.annotations.Nullable;

/**
 * A UDP trace's destination confirmed over TCP. A UDP probe's answer from the destination is a Port
 * Unreachable, an ICMP error Linux sends 6 of, then one a second, to each prober; another process's trace
 * (the same user's last command, a monitor, another prober behind the same address) may have spent them,
 * and a fresh trace then hears nothing from the destination until its next token, up to a second later,
 * though nothing is lost. So where the trace's first probe at the TTL after the last router that answered
 * is still unanswered after ten times the slowest RTT of the hops before it (at least
 * {@value #MIN_DELAY_MILLIS} ms, and as long since the last answer came in), every probe sent before that
 * TTL was answered (the routers' budgets held: the silence is the destination's alone; where routers missed
 * too, their budgets are spent as well, and a TCP probe would spend one of theirs), nothing has answered
 * beyond, and the tracer knows nothing of who answers there ({@link RateLimitCharges#nothingKnownAt}: a fresh
 * tracer, as a command line's every run is; one that heard the destination before relies on its model of
 * the destination's budget and waits for its refill), one TCP probe (a SYN to the same port number, whose
 * answer, a RST or a SYN-ACK, is no ICMP error: no limit applies to it) goes to that TTL over a TCP session beside
 * the trace's ({@link TcpConfirmedTrace}). The destination's answer ends the path there, as its Port
 * Unreachable would have, and the UDP probes it refused are rate-limited, not lost; a router's Time
 * Exceeded (its budget spent too) moves the question one TTL on; no answer ends the confirming (the trace
 * waits for the destination's refill as before). At most {@value #MAX} probes, one at a time; only one the
 * destination answered is a probe of its hop (where the path ends), never one a router answered nor one unanswered
 * ({@link RefillRetries#counts}): the trace's note and {@code TraceResult.tcpConfirmations} say what
 * was sent and why. Only when the request asks for it ({@code TraceRequest.tcpConfirmation}): by default a UDP trace
 * sends UDP probes only. Pure; part of {@link TraceStrategy}.
 */
final class TcpConfirm {
    static final int MAX = 3;
    static final long MIN_DELAY_MILLIS = 20;
    private static final long MIN_DELAY_NANOS = MIN_DELAY_MILLIS * 1_000_000L;
    private static final long NONE = Long.MIN_VALUE;

    private final ProbeTable table;
    private final RefillRetries slots;
    private final RateLimitCharges responders;
    private final int maxTtl;
    private int sent;

    /**
     * @param table the trace's own probes
     * @param slots where the confirm probes live ({@link RefillRetries#confirm})
     * @param responders the trace's side of the tracer's budgets
     * @param maxTtl the trace's largest TTL: the horizon while no answer has ended the path
     */
    TcpConfirm(ProbeTable table, RefillRetries slots, RateLimitCharges responders, int maxTtl) {
        this.table = table;
        this.slots = slots;
        this.responders = responders;
        this.maxTtl = maxTtl;
    }

    /** The TCP probes sent so far. */
    int sent() {
        return sent;
    }

    /** The confirm probe to send now, or null. */
    @Nullable ProbeState next(long now, int highestRouterTtl, int maxSentTtl, int horizon) {
        long due = dueAt(now, highestRouterTtl, maxSentTtl, horizon);
        if (due == NONE || now - due < 0) {
            return null;
        }
        sent++;
        return slots.confirm(question(highestRouterTtl));
    }

    /** Nanoseconds until a confirm probe is due (0: now), or -1 if none is to come as things stand. */
    long untilNext(long now, int highestRouterTtl, int maxSentTtl, int horizon) {
        long due = dueAt(now, highestRouterTtl, maxSentTtl, horizon);
        return due == NONE ? -1 : Math.max(0, due - now);
    }

    /** The TTL in question: the one after the last router that answered. */
    private int question(int highestRouterTtl) {
        return Math.max(table.firstTtl(), highestRouterTtl + 1);
    }

    /**
     * When the confirm probe of the TTL in question is due, or NONE: none once an answer ended the path (the
     * destination, or an unreachable, was heard), nor while the destination's budget is known to hold a token.
     */
    private long dueAt(long now, int highestRouterTtl, int maxSentTtl, int horizon) {
        int t = question(highestRouterTtl);
        if (sent >= MAX || horizon < maxTtl || t > maxSentTtl || t > table.lastTtl()) {
            return NONE;
        }
        for (int ttl = table.firstTtl(); ttl <= table.lastTtl(); ttl++) {
            ProbeState c = slots.confirmIfMade(ttl); // not made for the asking: most TTLs never have one
            if (c != null && (c.pending() || (c.completed() && !c.answered()))) {
                return NONE; // one at a time; and one unanswered ends the confirming
            }
        }
        ProbeState first = table.probe(t, 0);
        ProbeState asked = slots.confirmIfMade(t);
        if ((asked != null && asked.sent()) || !first.pending() || !responders.nothingKnownAt(first)) {
            return NONE;
        }
        long slowest = 0;
        long lastAnswer = first.sentTick();
        for (int ttl = table.firstTtl(); ttl <= table.lastTtl(); ttl++) {
            for (ProbeState p : table.hop(ttl)) {
                if (ttl < t && p.sent() && !p.answered()) {
                    return NONE; // a router before it missed too: the routers' budgets are spent as well, not
                    // only the destination's, and a TCP probe would spend one of theirs to learn nothing new
                }
                if (p.answered()) {
                    slowest = ttl < t ? Math.max(slowest, p.rttNanos()) : slowest;
                    lastAnswer = p.answeredTick() - lastAnswer > 0 ? p.answeredTick() : lastAnswer;
                }
            }
        }
        // answers read late (a cold JVM loading classes, busy CPUs) still come in: the question waits till they
        // have stopped coming for a while, so that it is not asked of a router whose answer was only slow
        long wait = Math.max(MIN_DELAY_NANOS, 10 * slowest);
        long byProbe = first.sentTick() + wait;
        long byAnswers = lastAnswer + wait;
        return byAnswers - byProbe > 0 ? byAnswers : byProbe;
    }

    /**
     * When the trace ends: the UDP probes that missed at the TTL where the destination answered a confirm
     * probe are rate-limited. The destination was there and answering, and its Port Unreachables were what
     * it refused (the confirm went because its bucket may have been empty), whatever the tracer's model of
     * its budget says by then (a destination that refills faster than Linux is judged by its learned pace).
     */
    void classify(ProbeLedger ledger) {
        int ttl = confirmedTtl();
        for (ProbeState p : ttl < 0 ? java.util.List.<ProbeState>of() : table.hop(ttl)) {
            ledger.rateLimited(p); // TIMEOUT only: anything else is left as it is
        }
    }

    /** The TTL at which the destination answered a confirm probe, or -1. */
    int confirmedTtl() {
        for (int ttl = table.firstTtl(); ttl <= table.lastTtl(); ttl++) {
            ProbeState c = slots.confirmIfMade(ttl);
            if (c != null && c.answered() && c.destination()) {
                return ttl;
            }
        }
        return -1;
    }

    /**
     * A trace's protocol note with what its TCP probes were sent for and showed ({@code confirm}, null when the
     * trace could send none), or, a UDP trace having sent none, the precision its destination's undecided misses
     * cost (its Port Unreachables may have been refused under its ICMP limit, or lost: the loss bound).
     */
    static java.util.Optional<String> note(@Nullable TcpConfirm confirm, io.pathprobe.probe.ProbeProtocol protocol,
            java.util.List<io.pathprobe.trace.Hop> hops, java.util.Optional<String> protocolNote) {
        String c = null;
        int sent = confirm == null ? 0 : confirm.sent();
        if (confirm != null && sent > 0) {
            int ttl = confirm.confirmedTtl();
            c = sent + " TCP probe" + (sent == 1 ? "" : "s") + " (tcpConfirmation) asked the destination, whose Port"
                    + " Unreachables went unheard, whether it was there: " + (ttl >= 0 ? "it answered at TTL " + ttl
                    + ", so its UDP misses there were its ICMP rate limit" : "it did not answer over TCP either");
        } else if (protocol == io.pathprobe.probe.ProbeProtocol.UDP && !hops.isEmpty()) {
            io.pathprobe.trace.Hop end = hops.get(hops.size() - 1);
            if (end.statistics().undecided() > 0) {
                c = "TTL " + end.ttl() + ": the destination's silence could be its ICMP rate limit or loss: loss "
                        + end.statistics().lossRange().replace("%", " %")
                        + " (tcpConfirmation, --tcp-confirm, would ask it over TCP)";
            }
        }
        if (c == null) {
            return protocolNote;
        }
        String n = c;
        return java.util.Optional.of(protocolNote.map(x -> x + "; " + n).orElse(n));
    }
}
