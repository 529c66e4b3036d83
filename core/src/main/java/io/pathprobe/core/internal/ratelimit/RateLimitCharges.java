package io.pathprobe.core.internal.ratelimit;

import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
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
     * {@code p} was given up: a miss for its responder, RATE_LIMITED at once if it was over a known
     * limiter's budget. (A trace teaches its give-ups even when they came late, the engine behind:
     * unlike multipath's path rounds, a trace's probes to one responder are few and its refusals in a
     * burst of traces are what the model must learn from: RateLimitLabTest's traces in a row through
     * vendor-limited routers claimed losses in 3 of 21 runs without them, 0 of 15 with them.)
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
        if (pacing.rateLimited(r, o, p.sentTick()) || (p.mayBeDrained() && r.equals(destination))) {
            // a learned limiter over its budget; or the destination's own Port Unreachable (UDP: the wrapper
            // of forDestination never calls an ICMP or TCP destination drained) while its bucket may have
            // been empty: nothing lies beyond it to say the probe went on, and nothing says it was lost
            ledger.rateLimited(p);
        }
    }

    /**
     * Revises the timed-out probes whose responder was over its learned limit to RATE_LIMITED.
     *
     * @return how many were revised
     */
    public int classify(ProbeLedger ledger) {
        return classify(ledger, q -> false);
    }

    /**
     * Revises timed-out probes to RATE_LIMITED: those over a learned limiter's budget, and
     * those whose responder's bucket may have been empty when they left ({@link RateLimitModel#mayBeDrained})
     * unless {@code lostOnTheWay} says the probe's round was lost on the way (its later TTLs, down to a
     * destination that no limit explains, went unanswered too). A timed-out probe sent before its TTL's
     * responder was known (a trace's first wave) is judged only once {@link #chargeLate} charged it.
     *
     * @return how many were revised
     */
    public int classify(ProbeLedger ledger, java.util.function.Predicate<ProbeState> lostOnTheWay) {
        int n = 0;
        for (ProbeState p : charged) {
            InetAddress r = p.expectedResponder();
            if (r == null || p.status() != ProbeStatus.TIMEOUT) {
                continue;
            }
            boolean limited = pacing.rateLimited(r, p.overBudget(), p.sentTick());
            if ((limited || (p.mayBeDrained() && !lostOnTheWay.test(p))) && ledger.rateLimited(p)) {
                n++;
            }
        }
        return n;
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
     * Whether {@code p}'s miss may have been its responder's refusal: charged to one whose bucket may have been
     * empty.
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
