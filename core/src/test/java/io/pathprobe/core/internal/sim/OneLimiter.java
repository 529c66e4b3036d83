package io.pathprobe.core.internal.sim;

import io.pathprobe.core.internal.ratelimit.RateLimitModel;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A rate-limit model for strategy tests that knows one responder: remembered at one TTL, taken for a limiter and
 * over its budget whenever asked (its token taken); no probe waits and nothing is learned. Tests override what their
 * case needs (a wait for the budget, the verdict on a miss).
 */
public class OneLimiter implements RateLimitModel {
    protected final InetAddress limiter;
    private final int ttl;

    /** @param limiter the responder taken for a limiter, remembered at {@code ttl} */
    public OneLimiter(InetAddress limiter, int ttl) {
        this.limiter = limiter;
        this.ttl = ttl;
    }

    @Override
    public long delay(InetAddress responder, long now) {
        return 0;
    }

    @Override
    public boolean take(InetAddress responder, long now) {
        return responder.equals(limiter);
    }

    @Override
    public boolean over(InetAddress responder, long now) {
        return responder.equals(limiter);
    }

    @Override
    public void answered(InetAddress responder, boolean over, long now) {}

    @Override
    public void missed(InetAddress responder, boolean over, long now) {}

    @Override
    public boolean limited(InetAddress responder) {
        return responder.equals(limiter);
    }

    @Override
    public @Nullable InetAddress remembered(InetAddress destination, int ttl, long now) {
        return ttl == this.ttl ? limiter : null;
    }
}
