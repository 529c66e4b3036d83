package io.pathprobe.macos.internal;

import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/** A session: an identifier on its family's socket, a cookie, a prepared echo request, its marking. */
final class MacIcmpSession extends MacSession {
    /** Sent checksums remembered (EXPLICIT), by sequence modulo this. */
    static final int SENT_SLOTS = 1024;
    final int identifier;
    /** The ToS byte / traffic class its probes carry (set on the family's socket before each send). */
    private final int trafficClass;
    private final byte[] packet;
    private final byte[] to;
    /** The fixed words' sum, with the ICMPv6 pseudo-header when the source is known. */
    private final int baseSum;
    private final boolean checksumKnown;
    private final @Nullable AtomicLongArray sent;

    MacIcmpSession(MacIcmpTransport transport, MacIcmpTransport.Family family, SessionSpec spec,
            ResponseListener listener, int length) {
        super(transport, family, spec, listener);
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
        int sequence = checkSend(probe);
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
        } else if (quotesAnother(m)) {
            return DropReason.UNRELATED;
        }
        return deliver(m, m.sequence(), sentChecksum(m.sequence()), receivedNanos);
    }

    @Override
    void markClosed() {
        closed = true;
        transport.release(this);
    }

    @Override
    public String toString() {
        return MacIcmpTransport.NAME + " session[" + destination.getHostAddress() + ", id " + identifier
                + (closed ? ", closed]" : "]");
    }
}
