package io.pathprobe.core.internal.runtime;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;

/**
 * Two sessions as one, for a run whose strategy probes with two protocols (a UDP discovery's paths measured
 * over TCP, a UDP trace's destination confirmed over TCP):
 * sequence numbers up to {@code offset - 1} are the first session's own, those from {@code offset} on
 * the second's, shifted by {@code offset} (its answers are shifted back by the listener
 * {@link #shifted} makes). Flows are the first session's.
 *
 * @param first the session of the discovery's protocol
 * @param second the other protocol's session, opened with {@link #shifted}{@code (listener, offset)}
 * @param offset the first session's largest sequence number plus one
 */
public record DualSession(ProbeSession first, ProbeSession second, int offset) implements ProbeSession {

    /** The listener of the second session: its answers' sequence numbers shifted up by {@code offset}. */
    public static ResponseListener shifted(ResponseListener listener, int offset) {
        return r -> listener.onResponse(r.sequence() < 0 ? r : r.withSequence(r.sequence() + offset));
    }

    /** The second session's largest sequence number that fits above {@code offset}. */
    public static int secondMax(int offset, int secondMaxSequence) {
        return (int) Math.min(secondMaxSequence, (long) Integer.MAX_VALUE - offset);
    }

    @Override
    public int maxSequence() {
        return offset + secondMax(offset, second.maxSequence());
    }

    @Override
    public int maxFlow() {
        return first.maxFlow();
    }

    @Override
    public int maxInFlight() {
        return Math.min(first.maxInFlight(), second.maxInFlight());
    }

    @Override
    public long send(ProbeSpec probe) throws SendFailedException {
        if (probe.sequence() < offset) {
            return first.send(probe);
        }
        return second.send(new ProbeSpec(probe.sequence() - offset, probe.ttl(), probe.flow(), probe.size(),
                probe.dontFragment()));
    }

    @Override
    public void afterPendingAnswers(Runnable action) {
        first.afterPendingAnswers(() -> second.afterPendingAnswers(action));
    }

    @Override
    public void close() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
