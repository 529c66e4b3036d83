package io.pathprobe.core.internal.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one tracer's engine. Written (almost only) on the engine loop, read from any
 * thread: {@link LongAdder}s, so an increment is one uncontended add and a reader sees every
 * increment that happened before its read. Every counter only grows.
 */
public final class EngineStats {
    final LongAdder sent = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder matched = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder beyondPath = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder abandoned = new LongAdder();
    final LongAdder rateWaitNanos = new LongAdder();
    final LongAdder rateWaits = new LongAdder();

    /** The rate budget held probes back (a wait began). */
    public void rateWaitStarted() {
        rateWaits.increment();
    }

    /** A wait for the rate budget ended after {@code nanos}. */
    public void rateWaitEnded(long nanos) {
        if (nanos > 0) {
            rateWaitNanos.add(nanos);
        }
    }

    /** A consistent-enough reading: the decided counts first, then sent, so pending is never negative. */
    public Snapshot snapshot() {
        long m = matched.sum();
        long t = timeouts.sum();
        long a = abandoned.sum();
        long l = late.sum();
        long b = beyondPath.sum();
        long u = unmatched.sum();
        long f = sendFailures.sum();
        long s = sent.sum();
        return new Snapshot(s, f, m, l, u, t, a, Math.max(0, s - m - t - a), rateWaitNanos.sum(), rateWaits.sum(), b);
    }

    /** The counters at one moment; {@code pending} is derived. */
    public record Snapshot(long sent, long sendFailures, long matched, long late, long unmatched, long timeouts,
            long abandoned, long pending, long rateWaitNanos, long rateWaits, long beyondPath) {}
}
