package io.pathprobe.core.internal.ping.app;

import java.time.Duration;

/** What {@link DnsProbe} and {@link HttpProbe} share: the loop, the timeout, the closed flag. */
abstract class AbstractProbe implements ApplicationProbe {
    final AppProbeLoop loop;
    final long timeoutNanos;
    private volatile boolean closed;

    AbstractProbe(AppProbeLoop loop, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public final boolean start(int sequence, Callback cb) {
        if (closed) {
            return false;
        }
        return loop.submit(newExchange(sequence, cb));
    }

    /** A new probe in flight; runs on the caller's thread, so it must only allocate. */
    abstract AppProbeLoop.Exchange newExchange(int sequence, Callback cb);

    final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true; // before the loop's cancel task: an exchange it begins later sees it
        loop.cancelAll(this);
    }
}
