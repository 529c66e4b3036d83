package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.trace.TraceResult;
import org.jspecify.annotations.Nullable;

/**
 * A UDP trace whose destination may be confirmed over TCP ({@link TcpConfirm}), on a
 * {@link io.pathprobe.core.internal.runtime.DualSession}: the trace's probes go over its UDP session as
 * ever; those it names as confirms ({@link TraceStrategy#isConfirm}) go over the TCP session beside it,
 * their sequence numbers shifted up by {@code offset} (and their answers' shifted back). A confirm that
 * cannot be sent is a confirm unanswered, never the end of the trace. Pure; confined to the engine loop.
 */
public final class TcpConfirmedTrace implements ProbingStrategy.ObservedAs<TraceResult>, ProbingStrategy.SendsLater {
    private final TraceStrategy trace;
    private final int offset;

    /**
     * @param trace the UDP trace, its confirms on ({@link TraceStrategy#confirmOverTcp})
     * @param offset the first TCP sequence number of the dual session
     */
    public TcpConfirmedTrace(TraceStrategy trace, int offset) {
        this.trace = trace;
        this.offset = offset;
    }

    private ProbeSpec own(ProbeSpec probe) {
        return new ProbeSpec(probe.sequence() - offset, probe.ttl(), probe.flow());
    }

    @Override
    public @Nullable ProbeSpec next(long now) {
        ProbeSpec p = trace.next(now);
        return p != null && trace.isConfirm(p) ? new ProbeSpec(p.sequence() + offset, p.ttl(), p.flow()) : p;
    }

    @Override
    public void onSent(ProbeSpec probe, long sentNanos, long now) {
        trace.onSent(probe.sequence() >= offset ? own(probe) : probe, sentNanos, now);
    }

    @Override
    public void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now) {
        if (probe.sequence() >= offset) {
            trace.onSendFailed(own(probe), "TCP confirm: " + reason, false, false, now); // the UDP probes go on
        } else {
            trace.onSendFailed(probe, reason, noRoute, permanent, now);
        }
    }

    @Override
    public void onAnswer(ProbeResponse r, long now) {
        trace.onAnswer(r.sequence() >= offset ? r.withSequence(r.sequence() - offset) : r, now);
    }

    @Override
    public void onWakeup(long now) {
        trace.onWakeup(now);
    }

    @Override
    public long nextWakeup(long now) {
        return trace.nextWakeup(now);
    }

    @Override
    public boolean done() {
        return trace.done();
    }

    @Override
    public TraceResult outcome(Stop reason, long now) {
        return trace.outcome(reason, now);
    }

    @Override
    public TraceResult snapshot(long now) {
        return trace.snapshot(now);
    }

    @Override
    public ProbingStrategy<TraceResult> observed() {
        return trace;
    }

    /** The trace (handles and tests). */
    public TraceStrategy trace() {
        return trace;
    }
}
