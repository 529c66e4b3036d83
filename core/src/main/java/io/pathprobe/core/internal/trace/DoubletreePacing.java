package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.StopSet;
import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * The budget rules of one {@link DoubletreeStrategy} trace: which of its probes may leave now, and whose budget each
 * one spends. Pure, confined to the engine loop as the strategy is.
 *
 * <p>The tracer's learned per-responder budgets ({@link RateLimitModel}) hold a probe whose expected router
 * ({@link StopSet#expected}: the stop set's only router at that TTL and flow, or its only one confirmed lately) is a
 * learned limiter without budget, until it has one. Below the TTL forward probing started from, where the stop set
 * knows the routers, a probe whose expected router's modelled budget (Linux's 6 then 1/s until its own is learned) is
 * spent waits too: the check, until it has budget or the set proves the hop (then it needs no probe); the attempts
 * that probe a TTL fully, until it has budget. Where traces part (the set holds several routers at a TTL and none is
 * expected) the probe may reach any of them: it waits while any one is over, and spends each one's budget. So the
 * routers of many targets' paths are probed at the pace their limiters let through, and none of their refusals is
 * taken for loss or for a changed path.
 */
final class DoubletreePacing {
    /** How often a probe held for a router's modelled budget (or a check, for a proof) looks again. */
    static final long HOLD_POLL_NANOS = 50_000_000L;

    private final StopSet stopSet;
    private final RateLimitModel pacing;
    private final int flowKey;
    private final InetAddress destination;
    private final long freshNanos;

    /**
     * @param pacing the tracer's budgets for this destination's probes ({@link RateLimitModel#forDestination})
     * @param freshNanos how recently a router must have been confirmed to be the one expected among several
     */
    DoubletreePacing(StopSet stopSet, RateLimitModel pacing, int flowKey, InetAddress destination, long freshNanos) {
        this.stopSet = stopSet;
        this.pacing = pacing;
        this.flowKey = flowKey;
        this.destination = destination;
        this.freshNanos = freshNanos;
    }

    /**
     * {@return 0 if a probe at {@code ttl} may leave now; else the nanoseconds after which to look again}
     *
     * @param backward whether {@code ttl} is below where forward probing started (the stop set knows its routers)
     */
    long wait(int ttl, boolean backward, long now) {
        StopSet.Entry expected = stopSet.expected(ttl, flowKey, now, freshNanos);
        if (expected != null) {
            long d = pacing.delay(expected.responder(), now);
            if (d > 0) {
                return d; // a learned limiter without budget
            }
            return backward && pacing.over(expected.responder(), now) ? HOLD_POLL_NANOS : 0;
        }
        return backward && anyOver(ttl, now) ? HOLD_POLL_NANOS : 0;
    }

    /**
     * A probe at {@code ttl} leaves now: a check is charged to its expected router when it leaves (the tracker charges
     * the router remembered here); where traces part, every router the set holds there pays.
     */
    void sending(int ttl, int attempt, boolean backward, long now) {
        if (!backward) {
            return;
        }
        StopSet.@Nullable Entry expected = stopSet.expected(ttl, flowKey, now, freshNanos);
        if (expected == null) {
            for (InetAddress r : stopSet.candidates(ttl, flowKey, now)) {
                pacing.take(r, now);
            }
        } else if (attempt == 0) {
            pacing.remember(destination, ttl, expected.responder(), now);
        }
    }

    private boolean anyOver(int ttl, long now) {
        for (InetAddress r : stopSet.candidates(ttl, flowKey, now)) {
            if (pacing.over(r, now)) {
                return true;
            }
        }
        return false;
    }
}
