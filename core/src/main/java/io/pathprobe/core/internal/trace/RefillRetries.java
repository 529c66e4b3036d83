package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ProbeTable;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.probe.ProbeStatus;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A trace's probes again after a limiter's refill. A new tracer cannot know what other
 * probers spent of a router's ICMP budget: a router whose bucket was drained when the trace began
 * refuses the first wave (and the rate-limit model calls those misses rate-limited, not lost). So a TTL
 * below the end of the path that missed some of its attempts while later TTLs answered is probed again,
 * one probe a refill interval ({@value #SPACING_MILLIS} ms: Linux's one token a second and a margin)
 * after the TTL's last probe: its first retry one refill after the trace's own probes there, its second one
 * after the first ({@link #due}); a TTL nothing ever
 * answered gets one when the trace shows drained routers ({@link #plan}). So the trace shows every router's RTTs, as
 * traceroute does in the same situation, at a cost of at most {@value #MAX_PER_TTL} refills (about 2.1 s) when a router
 * did not answer, none when every router did. Within the trace's deadline; off with
 * {@code TraceRequest.Builder#refillRetry(false)}.
 *
 * <p>The retries are probes of their own (attempts {@code perHop ..}), indexed after the trace's
 * {@link ProbeTable}: a hop's statistics count them as sent, so {@code sent = received + lost +
 * rate-limited} holds with them. Pure; confined to the engine loop.
 */
final class RefillRetries {
    static final long SPACING_MILLIS = 1050;
    /** At most this many retries per TTL (one for a TTL that never answered). */
    static final int MAX_PER_TTL = 2;
    /** Probes per TTL: the retries and a probe over TCP confirming the destination ({@link TcpConfirm}). */
    static final int SLOTS_PER_TTL = MAX_PER_TTL + 1;
    static final long SPACING_NANOS = RateLimitTable.DEFAULT_INTERVAL_NANOS * SPACING_MILLIS / 1000;

    private final ProbeTable table;
    private final int base;
    /** Made when first asked for ({@link #probe}): most traces send no retry, and most TTLs none. */
    private final @Nullable ProbeState[] probes;
    private final int[] wanted;
    private final long startTick;
    /** The last tick a retry may leave: the deadline less one probe timeout. */
    private final long lastTick;
    private boolean planned;

    /**
     * @param table the trace's probes
     * @param startTick when the trace began
     * @param deadlineNanos the trace's deadline
     * @param timeoutNanos the probe timeout
     */
    RefillRetries(ProbeTable table, long startTick, long deadlineNanos, long timeoutNanos) {
        this.table = table;
        this.base = table.size();
        int ttls = table.lastTtl() - table.firstTtl() + 1;
        this.probes = new ProbeState[ttls * SLOTS_PER_TTL];
        this.wanted = new int[ttls];
        this.startTick = startTick;
        this.lastTick = startTick + Math.max(0, deadlineNanos - timeoutNanos);
    }

    /** Probes in all: the trace's and the retries'. */
    int size() {
        return base + probes.length;
    }

    /** The probe at a ledger index (the trace's own below {@link ProbeTable#size()}). */
    ProbeState at(int index) {
        return index < base ? table.at(index) : slot(index - base);
    }

    /** Whether {@code p} is a retry (or a {@link #confirm}). */
    boolean isRetry(ProbeState p) {
        return p.attempt() >= table.perHop();
    }

    /** The probe over TCP confirming the destination at {@code ttl} ({@link TcpConfirm}). */
    ProbeState confirm(int ttl) {
        return probe(ttl, MAX_PER_TTL);
    }

    /** {@link #confirm}, or null while it was never asked for (then it was not sent, nor answered). */
    @Nullable ProbeState confirmIfMade(int ttl) {
        return peek(ttl, MAX_PER_TTL);
    }

    /** Whether {@code p} is a {@link #confirm}. */
    boolean isConfirm(ProbeState p) {
        return p.attempt() == table.perHop() + MAX_PER_TTL;
    }

    /** The retries sent at {@code ttl}, and its confirm if the destination answered it ({@link #counts}). */
    List<ProbeState> sent(int ttl) {
        List<ProbeState> out = new ArrayList<>(0);
        for (int k = 0; k < SLOTS_PER_TTL; k++) {
            ProbeState p = peek(ttl, k);
            if (p != null && counts(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Whether {@code p} counts in its hop: a retry sent, or a confirm the destination answered (its answer is where
     * the path ends, shown as the destination's). A confirm a router answered, or none, is a probe of another
     * protocol (TCP beside a UDP trace) and no attempt of the hop it went to (a router's answer to one at TTL 1 was
     * shown as a fourth RTT of {@code -q 3}): the trace's note and {@code TraceResult.tcpConfirmations} say it was
     * sent.
     */
    private boolean counts(ProbeState p) {
        return p.sent() && (!isConfirm(p) || (p.answered() && p.destination()));
    }

    private ProbeState probe(int ttl, int k) {
        return slot((ttl - table.firstTtl()) * SLOTS_PER_TTL + k);
    }

    /** Slot {@code i}'s probe, made now if it was not yet. */
    private ProbeState slot(int i) {
        ProbeState p = probes[i];
        if (p == null) {
            p = new ProbeState(table.firstTtl() + i / SLOTS_PER_TTL, table.perHop() + i % SLOTS_PER_TTL, base + i);
            probes[i] = p;
        }
        return p;
    }

    /** Retry {@code k} at {@code ttl}, or null when it was never asked for (then it is not sent). */
    private @Nullable ProbeState peek(int ttl, int k) {
        return probes[(ttl - table.firstTtl()) * SLOTS_PER_TTL + k];
    }

    private boolean sent(int ttl, int k) {
        ProbeState p = peek(ttl, k);
        return p != null && p.sent();
    }

    /**
     * Decides, once the trace's own probes up to {@code last} (the end of the path) are settled, which
     * TTLs are retried: below {@code last}, with misses (timed out or rate-limited) while a later TTL
     * answered some round.
     */
    void plan(int last) {
        if (planned) {
            return;
        }
        planned = true;
        int partial = 0;
        int silent = 0;
        for (int ttl = table.firstTtl(); ttl < last && ttl <= table.lastTtl(); ttl++) {
            int misses = 0;
            boolean answered = false;
            boolean missed = false;
            for (ProbeState p : table.hop(ttl)) {
                answered |= p.answered();
                boolean miss = p.status() == ProbeStatus.TIMEOUT || p.status() == ProbeStatus.RATE_LIMITED;
                missed |= miss;
                if (miss && LostOnTheWay.wentOn(table, p.attempt(), ttl, last)) {
                    // its round was answered further on: the router did not answer; a round lost on the way is no
                    // question for a retry
                    misses++;
                }
            }
            // a router that answered some attempts and not others shows a drained path, whether or not the rounds it
            // missed went on: routers left one token each answer the first round only, and the rounds after it go
            // unanswered end to end (CliBackToBackLabTest's eighth UDP trace, ci8: no retry, three routers unknown)
            partial += answered && missed ? 1 : 0;
            if (misses > 0) {
                wanted[ttl - table.firstTtl()] = answered ? Math.min(misses, MAX_PER_TTL) : -1;
                silent += answered ? 0 : 1;
            }
        }
        // A TTL that never answered is retried once, only when the trace shows drained routers: another TTL
        // answered some attempts and not others (it waits for a refill anyway), or half the path was silent
        // at once. A router that never answers on a path whose others answered all costs nothing.
        boolean drainedPath = partial > 0 || 2 * silent >= last - table.firstTtl();
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i] < 0) {
                wanted[i] = drainedPath ? 1 : 0;
            }
        }
    }

    /**
     * When retry {@code k} at {@code ttl} may leave: one refill after the TTL's last probe before it left (its
     * own probes for the first retry, the retry before for the next), and no sooner than {@code k + 1} refills
     * after the start. A probe the router answered took a token then: counted from the trace's start instead,
     * a retry found a bucket short of a token wherever the trace's own probes left late (a cold JVM reading its
     * first answers tens of milliseconds late sends a TTL's second attempt as late), and its miss, sent when the
     * tracer's floor (with its slack for timers) held a token, was claimed as a backward loss.
     */
    private long due(int ttl, int k) {
        long last = startTick;
        for (ProbeState p : table.hop(ttl)) {
            last = p.sent() && p.sentTick() - last > 0 ? p.sentTick() : last;
        }
        for (int j = 0; j < k; j++) {
            ProbeState p = peek(ttl, j);
            last = p != null && p.sent() && p.sentTick() - last > 0 ? p.sentTick() : last;
        }
        long byStart = startTick + (k + 1) * SPACING_NANOS;
        long byLast = last + SPACING_NANOS;
        return byLast - byStart > 0 ? byLast : byStart;
    }

    /** The retry due now at a TTL up to {@code last}, or null. */
    @Nullable ProbeState next(long now, int last) {
        if (!planned) {
            return null;
        }
        for (int ttl = table.firstTtl(); ttl < last && ttl <= table.lastTtl(); ttl++) {
            int w = wanted[ttl - table.firstTtl()];
            for (int k = 0; k < w; k++) {
                if (sent(ttl, k)) {
                    continue;
                }
                if (due(ttl, k) - now <= 0 && due(ttl, k) - lastTick <= 0 && (k == 0 || sent(ttl, k - 1))) {
                    return probe(ttl, k);
                }
                break;
            }
        }
        return null;
    }

    /** Nanoseconds until the next retry is due (0: now), or -1 if none is to come. */
    long untilNext(long now, int last) {
        long best = -1;
        if (!planned) {
            return best;
        }
        for (int ttl = table.firstTtl(); ttl < last && ttl <= table.lastTtl(); ttl++) {
            int w = wanted[ttl - table.firstTtl()];
            for (int k = 0; k < w; k++) {
                if (!sent(ttl, k) && due(ttl, k) - lastTick <= 0) {
                    long d = Math.max(0, due(ttl, k) - now);
                    best = best < 0 ? d : Math.min(best, d);
                    break;
                }
            }
        }
        return best;
    }

    /** Whether a retry is outstanding, or still to be sent, at a TTL below {@code last} (plans them first). */
    boolean open(long now, int last) {
        plan(last);
        for (int ttl = table.firstTtl(); ttl <= last && ttl <= table.lastTtl(); ttl++) {
            for (int k = 0; k < SLOTS_PER_TTL; k++) {
                ProbeState p = peek(ttl, k);
                if (p != null && p.pending() && (ttl < last || k == MAX_PER_TTL)) {
                    return true; // a retry below the end, or a confirm anywhere
                }
            }
        }
        return untilNext(now, last) >= 0;
    }

    /** Whether a retry at a TTL up to {@code last} was answered by the destination. */
    boolean reachedDestination(int last) {
        for (@Nullable ProbeState p : probes) {
            if (p != null && p.ttl() <= last && p.answered() && p.destination()) {
                return true;
            }
        }
        return false;
    }

    /**
     * When the trace may end waiting for a late answer to a retry, or {@link Long#MIN_VALUE}: a retry the
     * adaptive wait gave up before its probe timeout is waited for while an answer may still come
     * ({@link ProbeLedger#answerPossibleUntil}: up to that timeout). A missed retry is the
     * evidence of a backward loss, and a busy host reads answers late (CI, 20 back-to-back CLI traces beside
     * other builds: a retry given up after 10 ms claimed a backward loss at five routers whose answers came).
     */
    long lateAnswerWaitEnd(ProbeLedger ledger) {
        List<ProbeState> made = new ArrayList<>();
        for (@Nullable ProbeState p : probes) {
            if (p != null) {
                made.add(p);
            }
        }
        return LateAnswerWait.latest(ledger, made, -1);
    }

    /** Every retry sent (and confirm the destination answered), for the end's classification. */
    List<ProbeState> all() {
        List<ProbeState> out = new ArrayList<>();
        for (@Nullable ProbeState p : probes) {
            if (p != null && counts(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
