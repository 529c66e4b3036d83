package io.pathprobe.macos.internal;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/** A session: an identifier on its family's socket, a cookie, a prepared echo request, its marking. */
final class MacIcmpSession implements ProbeSession {
    /** Sent checksums remembered (EXPLICIT), by sequence modulo this. */
    static final int SENT_SLOTS = 1024;
    final MacIcmpTransport transport;
    final MacIcmpTransport.Family family;
    final InetAddress destination;
    final int identifier;
    private final ResponseListener listener;
    private final FlowPolicy policy;
    private final int fixedFlow;
    /** The ToS byte / traffic class its probes carry (set on the family's socket before each send). */
    private final int trafficClass;
    private final long cookie = IcmpEchoFormat.newCookie();
    private final byte[] packet;
    private final byte[] to;
    /** The fixed words' sum, with the ICMPv6 pseudo-header when the source is known. */
    private final int baseSum;
    private final boolean checksumKnown;
    private final @Nullable AtomicLongArray sent;
    private volatile boolean closed;

    MacIcmpSession(MacIcmpTransport transport, MacIcmpTransport.Family family, SessionSpec spec,
            ResponseListener listener, int length) {
        this.transport = transport;
        this.family = family;
        this.destination = spec.destination();
        this.listener = listener;
        this.policy = spec.flowPolicy();
        this.fixedFlow = policy == FlowPolicy.FIXED ? spec.flow() : 0;
        this.to = DarwinStructs.sockaddr(destination, 0);
        this.sent = policy == FlowPolicy.EXPLICIT ? new AtomicLongArray(SENT_SLOTS) : null;
        int pseudo = 0;
        boolean known = true;
        if (family.ipv6) {
            InetAddress source = transport.sockets.routeSource(destination);
            if (source instanceof Inet6Address) {
                pseudo = IcmpCodec.pseudoHeaderSum(source, destination, length);
            } else {
                known = false;
            }
        }
        this.checksumKnown = known;
        this.trafficClass = spec.trafficClass();
        if (trafficClass != 0) {
            try {
                family.mark(trafficClass); // now, so that a refusal fails the opening
            } catch (MacSockets.NativeError e) {
                throw new TransportException(MacIcmpTransport.markingFailed(family.ipv6, trafficClass, e), e);
            }
        }
        this.identifier = transport.allocate(this);
        this.packet = IcmpCodec.request(length, family.ipv6, identifier, cookie);
        this.baseSum = InternetChecksum.onesAdd(IcmpCodec.baseSum(packet), pseudo);
    }

    @Override
    public int maxSequence() {
        return 0xffff;
    }

    @Override
    public int maxFlow() {
        return policy == FlowPolicy.EXPLICIT ? IcmpEchoFormat.MAX_FLOW : 0;
    }

    @Override
    public long send(ProbeSpec probe) throws SendFailedException {
        Objects.requireNonNull(probe, "probe");
        int sequence = probe.sequence();
        if (sequence > 0xffff) {
            throw new IllegalArgumentException("sequence must be 0..65535, was " + sequence);
        }
        if (probe.flow() > maxFlow()) {
            throw new IllegalArgumentException("flow must be 0.." + maxFlow() + " in a " + policy
                    + " session, was " + probe.flow());
        }
        if (closed || transport.isClosed()) {
            throw new IllegalStateException(transport.isClosed() ? "transport is closed" : "session is closed");
        }
        boolean writeChecksum = !family.ipv6; // ICMPv6: the kernel computes it
        if (policy == FlowPolicy.PER_PROBE) {
            IcmpCodec.setClassicProbe(packet, baseSum, sequence, writeChecksum);
        } else {
            int flow = policy == FlowPolicy.EXPLICIT ? probe.flow() : fixedFlow;
            IcmpCodec.setProbe(packet, baseSum, sequence, flow, writeChecksum);
            AtomicLongArray s = sent;
            if (s != null) {
                s.lazySet(sequence & (SENT_SLOTS - 1),
                        (((long) sequence << 16) | IcmpEchoFormat.flowChecksum(flow)) + 1);
            }
        }
        return family.send(packet, packet.length, to, probe.ttl(), trafficClass);
    }

    /** The checksum the probe with {@code sequence} was sent with, or UNKNOWN. */
    int sentChecksum(int sequence) {
        if (!checksumKnown) {
            return ProbeResponse.UNKNOWN;
        }
        if (policy == FlowPolicy.PER_PROBE) {
            return ~InternetChecksum.onesAdd(baseSum, sequence) & 0xffff;
        }
        AtomicLongArray s = sent;
        if (s == null) {
            return IcmpEchoFormat.flowChecksum(fixedFlow);
        }
        long v = s.get(sequence & (SENT_SLOTS - 1)) - 1;
        return v >= 0 && (v >>> 16) == sequence ? (int) (v & 0xffff) : ProbeResponse.UNKNOWN;
    }

    /** On the I/O thread: a message with this session's identifier; delivers it (null) or says why not. */
    @Nullable DropReason accept(IcmpCodec.Message m, long receivedNanos) {
        if (closed) {
            return DropReason.SESSION_CLOSED;
        }
        if (m.kind() == ResponseKind.ECHO_REPLY) {
            if (!sameAddress(m.responder(), destination) || m.cookie() != cookie) {
                return DropReason.UNRELATED;
            }
        } else {
            InetAddress quoted = m.quotedDestination();
            if (quoted == null || !sameAddress(quoted, destination) || (m.cookie() != 0 && m.cookie() != cookie)) {
                return DropReason.UNRELATED;
            }
        }
        ProbeResponse r = new ProbeResponse(m.sequence(), m.kind(), m.type(), m.code(),
                m.responder(), receivedNanos,
                m.replyTtl(), m.quotedTtl(), m.quotedIpId(), m.quotedChecksum(), sentChecksum(m.sequence()),
                m.extensions(), m.icmpLength());
        try {
            listener.onResponse(r);
            return null;
        } catch (Throwable t) {
            transport.listenerFailed(t);
            return DropReason.LISTENER_FAILED;
        }
    }

    static boolean sameAddress(InetAddress a, InetAddress b) {
        return java.util.Arrays.equals(a.getAddress(), b.getAddress());
    }

    @Override
    public void afterPendingAnswers(Runnable action) {
        transport.afterDrain(family, closed, action);
    }

    void markClosed() {
        closed = true;
        transport.release(this);
    }

    /** After it returns (off the I/O thread) the listener is not called again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        markClosed();
        transport.barrier();
    }

    @Override
    public String toString() {
        return MacIcmpTransport.NAME + " session[" + destination.getHostAddress() + ", id " + identifier
                + (closed ? ", closed]" : "]");
    }
}
