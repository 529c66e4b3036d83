package io.pathprobe.macos.internal;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an ICMP and a UDP session of {@link MacIcmpTransport} share ({@link MacIcmpSession}, {@link MacUdpSession}):
 * the destination, flow policy and cookie, the checks of a probe before it is sent, the check of a quote and the
 * delivery of an answer, and closing.
 */
abstract class MacSession implements ProbeSession {
    final MacIcmpTransport transport;
    final MacIcmpTransport.Family family;
    final InetAddress destination;
    final ResponseListener listener;
    final FlowPolicy policy;
    final int fixedFlow;
    final long cookie = IcmpEchoFormat.newCookie();
    volatile boolean closed;

    MacSession(MacIcmpTransport transport, MacIcmpTransport.Family family, SessionSpec spec,
            ResponseListener listener) {
        this.transport = transport;
        this.family = family;
        this.destination = spec.destination();
        this.listener = listener;
        this.policy = spec.flowPolicy();
        this.fixedFlow = policy == FlowPolicy.FIXED ? spec.flow() : 0;
    }

    /**
     * The probe's sequence, once checked against the session's ranges and state.
     *
     * @throws IllegalArgumentException if its sequence or flow is out of range
     * @throws IllegalStateException if the session or the transport is closed
     */
    final int checkSend(ProbeSpec probe) {
        Objects.requireNonNull(probe, "probe");
        int sequence = probe.sequence();
        if (sequence > maxSequence()) {
            throw new IllegalArgumentException("sequence must be 0.." + maxSequence() + ", was " + sequence);
        }
        if (probe.flow() > maxFlow()) {
            throw new IllegalArgumentException("flow must be 0.." + maxFlow() + " in a " + policy
                    + " session, was " + probe.flow());
        }
        if (closed || transport.isClosed()) {
            throw new IllegalStateException(transport.isClosed() ? "transport is closed" : "session is closed");
        }
        return sequence;
    }

    /** Whether an ICMP error's quote is of another destination's probe, or carries another session's cookie. */
    final boolean quotesAnother(IcmpCodec.Message m) {
        InetAddress quoted = m.quotedDestination();
        return quoted == null || !sameAddress(quoted, destination) || (m.cookie() != 0 && m.cookie() != cookie);
    }

    /**
     * On the I/O thread: hands the answer {@code m} to probe {@code sequence}, sent with {@code sentChecksum}, to the
     * listener; null, or why not.
     */
    final @Nullable DropReason deliver(IcmpCodec.Message m, int sequence, int sentChecksum, long receivedNanos) {
        ProbeResponse r = new ProbeResponse(sequence, m.kind(), m.type(), m.code(), m.responder(), receivedNanos,
                m.replyTtl(), m.quotedTtl(), m.quotedIpId(), m.quotedChecksum(), sentChecksum, m.extensions(),
                m.icmpLength());
        try {
            listener.onResponse(r);
            return null;
        } catch (Throwable t) {
            transport.listenerFailed(t);
            return DropReason.LISTENER_FAILED;
        }
    }

    static boolean sameAddress(InetAddress a, InetAddress b) {
        return Arrays.equals(a.getAddress(), b.getAddress());
    }

    @Override
    public void afterPendingAnswers(Runnable action) {
        transport.afterDrain(family, closed, action);
    }

    /** Marks the session closed and releases what it holds (no barrier: the transport's close waits once). */
    abstract void markClosed();

    /** After it returns (off the I/O thread) the listener is not called again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        markClosed();
        transport.barrier();
    }
}
