package io.pathprobe.core.internal.enrich;

import io.pathprobe.core.internal.runtime.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker tests move by hand. */
final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
        return nanos.get();
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /**
     * Moves {@code loop}'s fake time: the exchanges submitted so far start at the time before the
     * move, then the loop handles what came due by {@code d} later (timeouts, retransmissions) before
     * this returns. With a direct callbacks executor ({@code Runnable::run}) what a timeout leads to
     * (a DNS retry submitted, a future failed) has happened too.
     */
    void advance(UdpExchanges loop, Duration d) throws Exception {
        loop.checkTimers().get(10, TimeUnit.SECONDS);
        advance(d);
        loop.checkTimers().get(10, TimeUnit.SECONDS);
    }
}
