package io.pathprobe.core.internal.ratelimit;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.probe.ProbeStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One trace's side of the tracer's {@link RateLimitModel}: which responder each probe was expected
 * to reach, whether its budget was spent when it left, and what the trace teaches the table. The
 * expected responder of a probe is the one remembered for its destination and TTL (in a Paris trace
 * one per TTL; remembered by every trace of the tracer as answers arrive); a probe sent before any
 * was known is charged to the responder that answers it, or, when it times out, to the one known by
 * then, over budget if that one's budget is spent at that moment.
 *
 * <p>When the trace ends, {@link #classify} makes a timed-out probe {@link ProbeStatus#RATE_LIMITED}
 * if its expected responder is (by then) a learned limiter and its budget was spent: neither
 * received nor lost, so no forward or backward loss is claimed for it. A TTL whose responder was
 * never known (nothing ever answered there) keeps its timeouts: {@code *}, lost. Pure; confined to
 * the engine loop.
 */
public final class RateLimitCharges {
    private final RateLimitModel pacing;
    private final InetAddress destination;
    /**
     * The probes charged to a responder, in the order they were charged (the responder and the budget flag
     * live in the probe itself: two identity maps per trace, resized as its probes left, were a tenth of
     * what a thousand concurrent traces allocated).
     */
    private final List<ProbeState> charged = new ArrayList<>();

    public RateLimitCharges(RateLimitModel pacing, InetAddress destination) {
        this.pacing = pacing;
        this.destination = destination;
    }

    /**
     * Whether nothing was known of who answers at {@code p}'s TTL when it left: this tracer had no answer
     * from there yet (a fresh tracer, a destination it never heard), so any bucket there is anyone's guess.
     */
    public boolean nothingKnownAt(ProbeState p) {
        return p.expectedResponder() == null;
    }

    /** {@code p} left now. */
    public void sent(ProbeState p, long now) {
        InetAddress r = pacing.remembered(destination, p.ttl(), now);
        if (r != null) {
            boolean drained = pacing.mayBeDrained(r, now, now);
            charge(p, r, pacing.take(r, now), drained);
        }
    }

    /**
     * What the ledger made of an answer from {@code responder} charges: a first answer ({@link ProbeLedger.Matched}) or
     * one beyond the path (it spent the destination's budget too) is {@link #answered}, a late one ({@link
     * ProbeLedger.Late}: its give-up was no refusal) {@link #revised}; a duplicate or an unmatched one nothing.
     */
    public void charge(ProbeLedger.Answer answer, InetAddress responder, long now) {
        if (answer instanceof ProbeLedger.BeyondPath b) {
            answered(b.probe(), responder, now);
        } else if (answer instanceof ProbeLedger.Matched m) {
            answered(m.probe(), responder, now);
        } else if (answer instanceof ProbeLedger.Late l) {
            revised(l.probe(), responder, now);
        }
    }

    /** {@code p} was answered by {@code responder} (its first answer). */
    public void answered(ProbeState p, InetAddress responder, long now) {
        pacing.remember(destination, p.ttl(), responder, now);
        if (responder.equals(p.expectedResponder())) {
            pacing.answered(responder, p.overBudget(), now, p.sentTick());
        } else {
            pacing.answered(responder, pacing.take(responder, now), now, p.sentTick());
        }
    }

    /**
     * {@code p}, given up before, was answered by {@code responder} after all (a late revision): the
     * miss {@link #timedOut} charged to that responder is taken back ({@link RateLimitModel#revised}).
     * Every give-up went through {@link #timedOut}, which charged a miss exactly when it knew the
     * probe's expected responder.
     */
    public void revised(ProbeState p, InetAddress responder, long now) {
        pacing.remember(destination, p.ttl(), responder, now);
        if (responder.equals(p.expectedResponder())) {
            pacing.revised(responder, p.overBudget(), now, p.sentTick());
        }
    }

    /**
     * {@code p} was given up: a miss for its responder, taught to the table; its verdict waits for {@link #classify}
     * at the end, with the answers read after it (a miss is read at its timeout, after the answers to the probes
     * sent just after it: a verdict at the give-up called a lossy destination's misses refusals, the answers that
     * withdraw it not yet weighed). (A trace teaches its give-ups even
     * when they came late, the engine behind: unlike multipath's path rounds, a trace's probes to one responder
     * are few and its refusals in a burst of traces are what the model must learn from: RateLimitLabTest's traces
     * in a row through vendor-limited routers claimed losses in 3 of 21 runs without them, 0 of 15 with them.)
     */
    public void timedOut(ProbeState p, long now, ProbeLedger ledger) {
        InetAddress r = p.expectedResponder();
        boolean o;
        if (r == null) {
            r = pacing.remembered(destination, p.ttl(), now);
            if (r == null) {
                return;
            }
            o = pacing.over(r, now);
            charge(p, r, o, pacing.mayBeDrained(r, p.sentTick(), now));
        } else {
            o = p.overBudget();
        }
        pacing.missed(r, o, now, p.sentTick());
    }

    /**
     * Revises the timed-out probes whose responder was over its learned limit to RATE_LIMITED.
     *
     * @return how many were revised
     */
    public int classify(ProbeLedger ledger) {
        return classify(ledger, q -> false, charged, Long.MIN_VALUE);
    }

    /**
     * Decides each timed-out probe when the measurement ends, on evidence only ("rate-limited" needs the
     * responder shown to limit; a miss nothing explains is lost), with everything the measurement saw:
     * <ul>
     *   <li>lost when its responder answered two or more probes sent within {@link #window} after one of its misses
     *       in this measurement: a bucket empty at that miss holds at most one token by then, so no limiter of that
     *       pace refused it, nor (its pace being its own) the others;</li>
     *   <li>else, when the model calls its responder a limiter over its budget ({@link RateLimitModel#rateLimited(
     *       InetAddress, boolean, long)}): RATE_LIMITED when that limiter's pace was learned from its answers (they
     *       came back at a steady rate after refusals: {@link RateLimitModel#learned}) or it answered a probe sent a
     *       refill after this one or later; else lost and {@link ProbeState#undecided undecided} (a verdict on
     *       misses alone, tentative or firm, is the model's guess: a 30 %-lossy link in front of a destination that
     *       does not limit gives a burst-then-silence shape too);</li>
     *   <li>else, when its responder's bucket may have been empty when it left ({@link RateLimitModel#mayBeDrained},
     *       asked when it was charged) and {@code lostOnTheWay} does not say its round was lost on the way:
     *       RATE_LIMITED when the responder answered a probe sent a refill after it or later (a drained limiter's
     *       refusal, then its refill: what a trace's retry after a refill asks); else lost and
     *       {@link ProbeState#undecided undecided}:
     *       its hop states the loss as a bound;</li>
     *   <li>else lost.</li>
     * </ul>
     * A timed-out probe sent before its TTL's responder was known (a trace's first wave) is judged only once
     * {@link #chargeLate} charged it.
     *
     * @param all every probe of the measurement (the evidence: who answered what, when it left)
     * @param now when the measurement ends; {@link Long#MIN_VALUE}: judge on the learned limits alone
     * @return how many were revised to RATE_LIMITED
     */
    public int classify(ProbeLedger ledger, java.util.function.Predicate<ProbeState> lostOnTheWay,
            List<ProbeState> all, long now) {
        int n = 0;
        java.util.Map<InetAddress, Boolean> fast = new java.util.HashMap<>();
        for (ProbeState p : charged) {
            InetAddress r = p.expectedResponder();
            if (r == null || p.status() != ProbeStatus.TIMEOUT) {
                continue;
            }
            if (now != Long.MIN_VALUE && fast.computeIfAbsent(r, x -> answersTooFast(x, all))) {
                continue; // lost: no limiter of its pace leaves such answers after a refusal
            }
            if (pacing.rateLimited(r, p.overBudget(), p.sentTick())) {
                if (now == Long.MIN_VALUE || pacing.learned(r) || answeredOnItsRefill(r, p, all)
                        || burstThenSilence(r, p, all)) {
                    n += ledger.rateLimited(p) ? 1 : 0;
                } else {
                    // a tentative limiter (one burst then a refusal: a lossy path's first loss after a run of
                    // answers has that shape) that no answer on its refill showed: lost, undecided, its hop a bound
                    p.undecided(true);
                }
                continue;
            }
            if (now == Long.MIN_VALUE || !p.mayBeDrained() || lostOnTheWay.test(p)) {
                continue; // lost
            }
            if (answeredOnItsRefill(r, p, all) || burstThenSilence(r, p, all)) {
                n += ledger.rateLimited(p) ? 1 : 0; // a drained limiter's refusal, then its refill
            } else {
                p.undecided(true);
            }
        }
        return n;
    }

    /**
     * The span after a refusal in which a limiter answers at most one probe: nine tenths of the interval learned
     * from its answers, or of {@link RateLimitTable#MIN_WINDOW_NANOS} (ten a second, the fastest common vendor
     * default) where none was learned or a faster one was (a lossy path's answers to probes sent a few milliseconds
     * apart read as a pace of that many milliseconds).
     */
    private long window(InetAddress r) {
        long learned = pacing.learned(r) ? pacing.interval(r) : -1;
        return Math.max(learned, RateLimitTable.MIN_WINDOW_NANOS) * 9 / 10;
    }

    /** Whether {@code r} answered two or more probes sent within {@link #window} after one of its misses. */
    private boolean answersTooFast(InetAddress r, List<ProbeState> all) {
        long w = window(r);
        for (ProbeState m : all) {
            if (!missedAt(r, m)) {
                continue;
            }
            int soon = 0;
            for (ProbeState q : all) {
                long d = q.sentTick() - m.sentTick();
                if (answeredBy(r, q) && d > 0 && d <= w && ++soon >= 2) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code q} was answered by {@code r}: its answer, or, given up beyond the end of the path, the answer
     * that came anyway (from the destination: what lies beyond it is the destination).
     */
    private boolean answeredBy(InetAddress r, ProbeState q) {
        return q.sent() && (q.answered() ? r.equals(q.responder()) : q.isAnsweredBeyondPath() && r.equals(destination));
    }

    private static boolean missedAt(InetAddress r, ProbeState q) {
        return q.sent() && !q.answered() && r.equals(q.expectedResponder())
                && (q.status() == ProbeStatus.TIMEOUT || q.status() == ProbeStatus.RATE_LIMITED);
    }

    /**
     * Whether {@code r} answered a probe sent a refill after {@code p} or later (nine tenths of its learned interval,
     * else of Linux's one second): an answer on the refill schedule after the miss, as a drained limiter gives (a
     * trace's retry after a refill, {@code trace.RefillRetries}, asks for exactly that).
     */
    /**
     * Whether {@code p}, a miss at the destination's TTL, is one of the refusals of a token bucket its trace's own
     * probes emptied: every probe sent at its TTL or beyond reaches the destination (a trace's first wave sends all
     * TTLs at once), and in the order they left, the destination answered the first few (at most a Linux host's
     * burst) and then none, {@code p} among at least {@value #SILENCE} misses after them. A lossy path answers at
     * random: the chance that its answers come first and its losses all after is about 2<sup>-n</sup> for n probes
     * (a wave past a destination at TTL 10 of 30 is 21). So a clean path's destination, drained by the trace's own
     * wave (Linux answers 6 Port Unreachables at once, then one a second), reads as limiting, not lost.
     */
    private boolean burstThenSilence(InetAddress r, ProbeState p, List<ProbeState> all) {
        if (!r.equals(destination)) {
            return false;
        }
        List<ProbeState> reached = new ArrayList<>();
        for (ProbeState q : all) {
            if (q.sent() && q.ttl() >= p.ttl() && (answeredBy(r, q) || !q.answered()) && !q.pending()) {
                reached.add(q);
            }
        }
        reached.sort(java.util.Comparator.comparingLong(ProbeState::sentTick));
        int burst = 0;
        while (burst < reached.size() && answeredBy(r, reached.get(burst))) {
            burst++;
        }
        for (int i = burst; i < reached.size(); i++) {
            if (answeredBy(r, reached.get(i))) {
                return false; // an answer after a miss: no bucket emptied once
            }
        }
        return burst >= 1 && burst <= RateLimitTable.DEFAULT_BURST && reached.size() - burst >= SILENCE
                && reached.indexOf(p) >= burst;
    }

    /** The misses after a burst that make a shape of a bucket emptied ({@link #burstThenSilence}). */
    static final int SILENCE = 5;

    private boolean answeredOnItsRefill(InetAddress r, ProbeState p, List<ProbeState> all) {
        long refill = (pacing.learned(r) ? pacing.interval(r) : RateLimitTable.DEFAULT_INTERVAL_NANOS) * 9 / 10;
        for (ProbeState q : all) {
            if (answeredBy(r, q) && q.sentTick() - p.sentTick() >= refill) {
                return true;
            }
        }
        return false;
    }

    /**
     * Charges every timed-out probe sent before its TTL's responder was known (a trace's first wave) to the one
     * known now.
     */
    public void chargeLate(Iterable<ProbeState> probes, long now) {
        for (ProbeState p : probes) {
            if (p.expectedResponder() == null && p.status() == ProbeStatus.TIMEOUT) {
                InetAddress r = pacing.remembered(destination, p.ttl(), now);
                if (r != null) {
                    charge(p, r, false, pacing.mayBeDrained(r, p.sentTick(), now));
                }
            }
        }
    }

    /**
     * Whether {@code p}'s miss may have been its responder's refusal, as far as its charge says (charged to one
     * whose bucket may have been empty when it left): {@link #classify} decides with the evidence.
     */
    public boolean mayBeRefused(ProbeState p) {
        return p.expectedResponder() != null && p.mayBeDrained();
    }

    /** Whether a responder is known at {@code ttl} toward this destination (this tracer has seen one answer there). */
    public boolean known(int ttl, long now) {
        return pacing.remembered(destination, ttl, now) != null;
    }

    private void charge(ProbeState p, InetAddress responder, boolean over, boolean drained) {
        if (p.expectedResponder() == null) {
            charged.add(p);
        }
        p.expect(responder, over, drained);
    }
}
