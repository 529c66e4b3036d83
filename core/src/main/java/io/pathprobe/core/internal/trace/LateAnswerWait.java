package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ProbeTable;
import io.pathprobe.probe.ProbeStatus;

/**
 * How long a trace stays open for a late answer at the destination's hop. Which probes may still be
 * answered, and until when, is the ledger's rule ({@link ProbeLedger#answerPossibleUntil}); this class
 * says which of them a trace waits for.
 */
final class LateAnswerWait {
    static final long RATE_LIMITED_WAIT_MILLIS = 50;
    private static final long RATE_LIMITED_WAIT_NANOS = RATE_LIMITED_WAIT_MILLIS * 1_000_000L;

    private LateAnswerWait() {}

    /**
     * No false loss: the end of the wait for a late answer at the destination's hop, or Long.MIN_VALUE.
     * A probe there that the adaptive wait gave up before the probe timeout (the destination answered its
     * other attempts: the HERE rule) may still be answered, late, when this host was slow (a cold JVM
     * loading classes, busy CPUs deferring the lab's forwarding); the ledger revises such a give-up up to
     * the probe timeout, but only while the trace runs. So a trace whose last open question is such a
     * give-up stays open until that probe's timeout, and claims the loss only then. Only at the
     * destination's hop (a router's give-up is more often its ICMP rate limit, and the trace does not wait
     * for it). A give-up the rate-limit model called RATE_LIMITED claims no loss: it is waited for
     * {@value #RATE_LIMITED_WAIT_MILLIS} ms at most (a UDP destination whose Port Unreachables another
     * prober spent would otherwise hold every short trace open a whole probe timeout; a late answer on
     * busy CPUs comes within tens of milliseconds).
     */
    static long end(ProbeLedger ledger, ProbeTable table, int ttl, int firstTtl, int maxSentTtl) {
        if (ttl < firstTtl || ttl > maxSentTtl) {
            return Long.MIN_VALUE;
        }
        for (ProbeState p : table.hop(ttl)) {
            if (p.answered() && p.destination()) {
                return latest(ledger, table.hop(ttl), RATE_LIMITED_WAIT_NANOS);
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * The latest end of a late-answer wait among {@code probes}, or {@link Long#MIN_VALUE}: a TIMEOUT is
     * waited for as long as an answer may still come ({@link ProbeLedger#answerPossibleUntil}), a
     * RATE_LIMITED one up to {@code rateLimitedWait} after it left at most (not at all when that is 0 or
     * less).
     */
    static long latest(ProbeLedger ledger, Iterable<ProbeState> probes, long rateLimitedWait) {
        long end = Long.MIN_VALUE;
        for (ProbeState p : probes) {
            long hold = p.status() == ProbeStatus.RATE_LIMITED ? rateLimitedWait : Long.MAX_VALUE;
            end = later(end, ledger.answerPossibleUntil(p, hold));
        }
        return end;
    }

    /** The later of two ends, {@link Long#MIN_VALUE} meaning none. */
    static long later(long a, long b) {
        return a == Long.MIN_VALUE || (b != Long.MIN_VALUE && b - a > 0) ? b : a;
    }
}
