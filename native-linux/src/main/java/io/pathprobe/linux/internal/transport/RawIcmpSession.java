package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.codec.OptionalAddress;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.QuotedHeaders;
import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.Errno;
import io.pathprobe.linux.internal.socket.PortReservation;
import io.pathprobe.linux.internal.socket.Posix;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import org.jspecify.annotations.Nullable;

final class RawIcmpSession extends LinuxSession implements RawIcmpTransport.EchoTarget {
    private final RawIcmpTransport raw;
    private final long cookie = IcmpEchoFormat.newCookie();
    private int identifier = -1;
    private int baseSum;
    /** The echo request's length: header and data. */
    private final int length;
    /** IPv6: the echo request after the IPv6 header; set once the source address is known (sending thread). */
    private @Nullable Pointer echo6;
    private final int fixedFlow;
    /**
     * EXPLICIT: the flow each sequence was last sent with (written before a release fence, read after an acquire
     * fence).
     */
    private final char @Nullable [] flows;
    /**
     * IPv4 requests written whole through {@link RawIcmpTransport#send4}, with identifications {@link PortKey#ipId(int,
     * int)} of {@link #ipIdKey}.
     */
    private final boolean whole4;
    private final int ipIdKey = PortKey.newIpIdKey();
    /**
     * IPv4 whole: the echo request after the IPv4 header; set once the source address is known (sending thread).
     */
    private @Nullable Pointer echo4;
    /** The source address of requests written whole, published once known; null until then or when the kernel's. */
    private volatile java.net.@Nullable InetAddress source;
    /** {@link #source} as the answers' sent headers carry it. */
    private final OptionalAddress sentSource = new OptionalAddress();
    /** {@link #baseSum} for the receive path, published once known; -1 until then. */
    private volatile int publishedBaseSum = -1;
    /**
     * IPv4 whole: set (sending thread) once a request no longer fits the path MTU the kernel learned (a
     * Fragmentation Needed came back, and the header-included socket refuses a larger packet with EMSGSIZE): every
     * later request of the session goes through the ICMP socket, whose kernel fragments it beyond the path MTU, as
     * ping's requests are (iputils); null until then. Its requests carry the kernel's identification.
     */
    private volatile @Nullable SendBuffer kernel4;
    /**
     * The wire sequences last sent through {@link #kernel4}, one bit each (made with it): their quotes carry the
     * kernel's identification, not one this session chose.
     */
    private volatile java.util.concurrent.atomic.@Nullable AtomicLongArray sentByKernel;
    /**
     * Whether each request written whole is first checked against the path MTU the kernel knows: a ping of a size
     * of its own beyond 576 bytes. Sent over that MTU, the header-included packet would not leave (EMSGSIZE), and
     * the kernel would answer it with a Fragmentation Needed of its own, from this host, which is no router's.
     */
    private final boolean checkPathMtu;
    /** The least MTU of an IPv4 link (RFC 791): a request up to it needs no check. */
    private static final int MIN_IPV4_MTU = 576;

    RawIcmpSession(RawIcmpTransport transport, SessionSpec spec, ResponseListener listener,
            SendBuffer buffer, int length,
            boolean whole4) {
        super(transport, spec, listener, 0xffff, IcmpEchoFormat.MAX_FLOW, buffer);
        this.raw = transport;
        this.length = length;
        this.whole4 = whole4;
        this.checkPathMtu = whole4 && spec.hasPayloadSize() && RawPackets.IPV4_HEADER + length > MIN_IPV4_MTU;
        this.fixedFlow = spec.flowPolicy() == io.pathprobe.spi.FlowPolicy.FIXED ? spec.flow() : 0;
        this.flows = spec.flowPolicy() == io.pathprobe.spi.FlowPolicy.EXPLICIT ? new char[0x10000] : null;
    }

    /**
     * Right after the session took its identifier, before openSession returns: only the sending
     * thread reads what this writes (the receive path reads final fields only).
     */
    void start(int identifier) {
        this.identifier = identifier;
        if (destination.ipv6 || whole4) {
            try {
                resolveWhole();
            } catch (SendFailedException e) {
                // no route now: send() tries again and reports it
            }
            return;
        }
        sendBuffer.setTrafficClass(trafficClass); // the shared ICMP socket: an IP_TOS control message per send
        IcmpEcho.writeRequest(sendBuffer.packet(), length, false, identifier, cookie, true);
        this.baseSum = IcmpEcho.baseSum(sendBuffer.packet(), length);
        this.publishedBaseSum = baseSum;
    }

    /** Requests written whole: the IPv6 or IPv4 header and the request, once the source address is known. */
    private void resolveWhole() throws SendFailedException {
        if (destination.ipv6) {
            resolve6();
        } else {
            resolve4();
        }
    }

    /** IPv4: {@link #resolveWhole}'s; {@return the echo request written} */
    private Pointer resolve4() throws SendFailedException {
        byte[] source;
        try {
            source = PortReservation.sourceAddress(destination.address, sendBuffer.scratch());
        } catch (Sockets.SocketError e) { // as the send through the ICMP socket would have failed
            throw new SendFailedException(Posix.describe("sendmsg", e.errno), Errno.isNoRoute(e.errno),
                    Errno.isUnroutable(e.errno));
        }
        Pointer p = sendBuffer.packet();
        RawPackets.writeHeader(p, false, trafficClass, Abi.IPPROTO_ICMP, length, source,
                destination.address.getAddress());
        this.source = QuotedHeaders.address(source);
        Pointer echo = p.slice(RawPackets.IPV4_HEADER);
        IcmpEcho.writeRequest(echo, length, false, identifier, cookie, true);
        this.baseSum = IcmpEcho.baseSum(echo, length);
        this.publishedBaseSum = baseSum;
        this.echo4 = echo;
        return echo;
    }

    /**
     * IPv6: writes the IPv6 header and the echo request once the source address is known, and
     * folds the pseudo-header's sum into the base sum, so the compensation makes the checksum
     * on the wire the flow's.
     */
    private Pointer resolve6() throws SendFailedException {
        byte[] source;
        try {
            source = PortReservation.sourceAddress(destination.address, sendBuffer.scratch());
        } catch (Sockets.SocketError e) {
            throw new SendFailedException(e.getMessage(), Errno.isNoRoute(e.errno), Errno.isUnroutable(e.errno));
        }
        byte[] target = destination.address.getAddress();
        Pointer p = sendBuffer.packet();
        RawPackets.writeHeader(p, true, trafficClass, Abi.IPPROTO_ICMPV6, length, source, target);
        this.source = QuotedHeaders.address(source);
        Pointer echo = p.slice(RawPackets.IPV6_HEADER);
        IcmpEcho.writeRequest(echo, length, true, identifier, cookie, true);
        int pseudo = InternetChecksum.pseudoHeaderSum(source, target, Abi.IPPROTO_ICMPV6, length);
        this.baseSum = InternetChecksum.onesAdd(IcmpEcho.baseSum(echo, length), pseudo);
        this.publishedBaseSum = baseSum;
        this.echo6 = echo;
        return echo;
    }

    @Override
    public int sentChecksum(int sequence) {
        char[] f = flows;
        if (f == null) {
            return IcmpEchoFormat.flowChecksum(fixedFlow);
        }
        java.lang.invoke.VarHandle.acquireFence();
        return IcmpEchoFormat.flowChecksum(f[sequence & 0xffff]);
    }

    /**
     * The request {@code sequence} as sent: marking, addresses (the source when the transport wrote the IP
     * header), the identification it chose (IPv4 whole) or the flow's flow label (IPv6), length, checksum.
     */
    @Override
    public io.pathprobe.probe.PacketHeader sentHeader(int sequence) {
        boolean ipv6 = destination.ipv6;
        int idOrLabel;
        if (ipv6) {
            char[] f = flows;
            if (f != null) {
                java.lang.invoke.VarHandle.acquireFence();
            }
            idOrLabel = RawPackets.flowLabel(f == null ? fixedFlow : f[sequence & 0xffff]);
        } else {
            idOrLabel = whole4 ? PortKey.ipId(ipIdKey, sequence) : io.pathprobe.probe.PacketHeader.UNKNOWN;
        }
        int header = ipv6 ? RawPackets.IPV6_HEADER : RawPackets.IPV4_HEADER;
        int unknown = io.pathprobe.probe.PacketHeader.UNKNOWN;
        return QuotedHeaders.sent(ipv6, trafficClass, ipv6 ? io.pathprobe.probe.PacketHeader.ICMPV6
                : io.pathprobe.probe.PacketHeader.ICMP, sentSource.of(ipv6 || whole4 ? source : null),
                destination.present, idOrLabel, header + length, unknown, unknown, sentChecksum(sequence), unknown,
                unknown, java.util.List.of());
    }

    @Override
    public Destination destination() {
        return destination;
    }

    @Override
    public long cookie() {
        return cookie;
    }

    @Override
    public int baseSum() {
        return publishedBaseSum;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public boolean choosesIpId() {
        return whole4;
    }

    @Override
    public boolean choosesIpId(int sequence) {
        java.util.concurrent.atomic.AtomicLongArray k = sentByKernel;
        return whole4 && (k == null || (k.get((sequence & 0xffff) >>> 6) & (1L << (sequence & 63))) == 0);
    }

    @Override
    public boolean ipIdMatches(int quotedIpId, int sequence) {
        return PortKey.ipIdMatches(ipIdKey, quotedIpId, sequence);
    }

    @Override
    long send0(int sequence, int ttl, int flow) throws SendFailedException {
        char[] f = flows;
        if (f != null) {
            f[sequence] = (char) flow;
            java.lang.invoke.VarHandle.releaseFence();
        }
        if (destination.ipv6) {
            return send6(sequence, ttl, flow);
        }
        if (whole4) {
            return send4(sequence, ttl, flow);
        }
        return sendOnIcmpSocket(sendBuffer, sequence, ttl, flow);
    }

    private long send4(int sequence, int ttl, int flow) throws SendFailedException {
        if (kernel4 != null) {
            return sendThroughKernel(sequence, ttl, flow);
        }
        if (checkPathMtu) {
            int mtu = Sockets.routeMtu(destination.address, sendBuffer.scratch());
            if (mtu > 0 && RawPackets.IPV4_HEADER + length > mtu) {
                return sendThroughKernel(sequence, ttl, flow); // a router lowered it: fragmented from now on
            }
        }
        Pointer echo = echo4;
        if (echo == null) {
            echo = resolve4();
        }
        Pointer p = sendBuffer.packet();
        RawPackets.setTtl(p, false, ttl);
        RawPackets.setIpId(p, PortKey.ipId(ipIdKey, sequence));
        IcmpEcho.setProbe(echo, baseSum, sequence, flow, true);
        RawSocket sender = raw.send4;
        if (sender == null) {
            throw new IllegalStateException("transport is closed");
        }
        try {
            return sender.send(sendBuffer, ttl);
        } catch (SendFailedException e) {
            int mtu = e.permanent() ? -1 : e.mtu() > 0 ? e.mtu()
                    : Sockets.routeMtu(destination.address, sendBuffer.scratch());
            if (mtu <= 0 || RawPackets.IPV4_HEADER + length <= mtu) {
                throw e;
            }
            // the path MTU the kernel learned is below the request: from now on the kernel sends it, fragmented
            return sendThroughKernel(sequence, ttl, flow);
        }
    }

    /**
     * An IPv4 request through the ICMP socket ({@link #kernel4}, made at the first call): the kernel writes the IP
     * header and fragments the request beyond the path MTU.
     */
    private long sendThroughKernel(int sequence, int ttl, int flow) throws SendFailedException {
        SendBuffer k = kernel4;
        if (k == null) {
            k = sizedBuffer(0, b -> {
                b.setTrafficClass(trafficClass);
                IcmpEcho.writeRequest(b.packet(), length, false, identifier, cookie, true);
                b.setLength(length);
            });
            sentByKernel = new java.util.concurrent.atomic.AtomicLongArray(0x10000 / 64);
            kernel4 = k;
        }
        java.util.concurrent.atomic.AtomicLongArray marks = sentByKernel;
        if (marks != null) { // before the send: its answer may come at once
            int w = (sequence & 0xffff) >>> 6;
            long bit = 1L << (sequence & 63);
            marks.getAndUpdate(w, x -> x | bit);
        }
        return sendOnIcmpSocket(k, sequence, ttl, flow);
    }

    /** Probe {@code sequence} in {@code b} through the transport's ICMP socket: the kernel writes the IP header. */
    private long sendOnIcmpSocket(SendBuffer b, int sequence, int ttl, int flow) throws SendFailedException {
        IcmpEcho.setProbe(b.packet(), baseSum, sequence, flow, true);
        if (!raw.socketGuard.enter()) {
            throw new IllegalStateException("transport is closed");
        }
        try {
            return b.send(raw.fd, ttl);
        } finally {
            raw.socketGuard.exit();
        }
    }

    private long send6(int sequence, int ttl, int flow) throws SendFailedException {
        Pointer echo = echo6;
        if (echo == null) {
            echo = resolve6();
        }
        Pointer p = sendBuffer.packet();
        RawPackets.setTtl(p, true, ttl);
        RawPackets.setFlowLabel(p, RawPackets.flowLabel(flow));
        IcmpEcho.setProbe(echo, baseSum, sequence, flow, true);
        RawSocket sender = raw.send6;
        if (sender == null) {
            throw new IllegalStateException("transport is closed");
        }
        return sender.send(sendBuffer, ttl);
    }

    @Override
    void drainPending() {
        raw.drainAll();
        RawSocket r6 = raw.receive6;
        if (r6 != null) {
            r6.drainAll();
        }
    }

    @Override
    void onClose() {
        raw.sessionsByIdentifier.compareAndSet(identifier, this, null);
    }

    @Override
    void disposeResources() {
        // the identifier was freed in onClose; the send buffer goes with every session
    }

    @Override
    public String toString() {
        return "linux-raw-icmp session[" + destination + ", id " + identifier
                + (guard.isClosed() ? ", closed]" : "]");
    }
}
