package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.QuotedHeaders;
import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.codec.TcpProbes;
import io.pathprobe.linux.internal.codec.UdpProbes;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.Errno;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.PortReservation;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.ReceivePacing;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * linux-raw-udp and linux-raw-tcp: UDP probes and TCP SYN probes written whole (IP header
 * included) and sent through a raw IPPROTO_RAW socket per address family, shared by every session
 * of the transport; answers read from raw sockets shared the same way. Needs CAP_NET_RAW.
 *
 * <h2>Sending</h2>
 * socket(AF_INET[6], SOCK_RAW, IPPROTO_RAW) implies IP_HDRINCL (IPv6: Linux 4.5 and later): the
 * transport writes the IPv4 header (DF, TTL, the session's ToS byte, identification = (probe number + 1)
 * times an odd key random per session, {@link PortKey#ipId(int, int)}; the kernel fills
 * in total length and header checksum) or the IPv6 header (hop limit, the session's traffic class, the flow's
 * flow label,
 * {@link RawPackets#flowLabel}), and the transport header with its checksum over the pseudo-header
 * ({@link UdpProbes}, {@link TcpProbes}). The source address is the one the kernel's route lookup
 * picks for the destination (looked up once per session, again while there is no route). An
 * IPPROTO_RAW socket receives nothing, and no ICMP error is ever reported on it (the kernel hands
 * errors only to raw sockets of the quoted protocol), so a send never fails with a stale error.
 * Each session reserves its source port(s) by binding ordinary sockets to them
 * ({@link PortReservation}).
 *
 * <h2>Receiving</h2>
 * One raw ICMP socket (ICMP_FILTER: Time Exceeded and Destination Unreachable) and one raw ICMPv6
 * socket (ICMP6_FILTER: the same two, and Packet Too Big) per transport, each with a BPF filter that
 * queues only errors quoting this transport's protocol ({@link RawSocket#quotedProtocolFilter}); for TCP also one raw
 * TCP socket per family, with a BPF filter that lets only RST and SYN-ACK segments through. Errors are demultiplexed by
 * the quoted source port (an array indexed by port and family: each reserved port belongs to one
 * session), then checked against the session's {@link PortKey}: quoted destination address,
 * destination port, cookie or tag, a probe number that was sent, and every other field of that
 * probe as far as it was quoted: IPv4 identification, UDP compensation word, cookie and filler, TCP
 * checksum on IPv6 ({@link UdpProbes#matchQuote}, {@link TcpProbes#matchQuote}). A quote that
 * disagrees is not the session's ({@link DropReason#UNRELATED}); one that proves nothing about which
 * probe it quotes (IPv6, 8 bytes) is {@link DropReason#QUOTE_TOO_SHORT}. One set of sockets per
 * transport rather than one shared by all raw transports: each transport already has its own I/O
 * thread and life cycle, and with the filters another transport's answers are never queued here (before
 * them, every answer woke every open raw transport's I/O thread); sharing would tie their lives together
 * for little. A busy socket is read on an interval rather than woken per answer ({@link ReceivePacing}).
 *
 * <p>Answers carry the reply TTL, and ICMP errors the quoted TTL, IPv4 identification, transport
 * checksum (UDP: always, inside the first 8 bytes; TCP: when the router quoted at least 18 bytes of
 * the segment), the checksum sent (so {@link ProbeResponse#checksumDelta()} shows a NAT) and the
 * RFC 4884 extensions, and the probe's headers as sent and as quoted ({@link QuotedHeaders});
 * {@code replyLength} is the ICMP message length of an error, the TCP segment
 * length of a SYN-ACK or RST.
 *
 * <h2>Payload size</h2>
 * linux-raw-udp honours {@link SessionSpec#payloadSize()}: {@link UdpProbes#MIN_PAYLOAD} to 65507
 * UDP payload bytes (default 16). The packets are written whole with DF set, and the kernel never
 * fragments header-included packets, so a size whose packets exceed the MTU of the route to the
 * destination when the session opens is refused with {@link IllegalArgumentException} naming the
 * largest size that fits (linux-udp-recverr lets the kernel fragment). linux-raw-tcp sends SYNs
 * without data: only payload size 0 or the default.
 *
 * <h2>Path MTU</h2>
 * linux-raw-udp sends path MTU probes ({@link io.pathprobe.spi.TransportCapability#PATH_MTU}) of a size of
 * their own, whatever the session's payload: the session's probe rewritten at that length in a second buffer
 * (made on first use, 64 KB), its base sum recorded in the {@link PortKey} so that a quote of that length is
 * checked as strictly as any other. Every raw packet has DF set; one larger than the device MTU is refused
 * before the system call, naming it. Fragmentation Needed's next-hop MTU field and Packet Too Big's MTU
 * (ICMPv6 type 2, let through the ICMPv6 filter) are {@link ProbeResponse#mtu()}.
 */
final class RawPortTransport extends PortTableTransport<RawPortTransport.PortTarget> {
    /** Source ports of a TCP session of policy PER_PROBE (the probe number cycles over them). */
    static final int TCP_PORTS = 32;
    /** Source ports of a TCP session of policy EXPLICIT: flows 0..255, as many as a trace may ask for. */
    static final int TCP_EXPLICIT_PORTS = 256;

    /** A session as the receive path sees it. */
    interface PortTarget {
        PortKey key();

        /** Hands the answer to the session's listener: null, or why not. */
        @Nullable DropReason accept(ProbeResponse response);
    }

    private final boolean tcp;
    private final int protocol;
    private final RawSocketSet sockets;

    RawPortTransport(LinuxTransportKind kind) {
        super(kind);
        tcp = kind == LinuxTransportKind.RAW_TCP;
        protocol = tcp ? Abi.IPPROTO_TCP : Abi.IPPROTO_UDP;
        sockets = openSockets(protocol, opened -> {
            if (tcp) {
                opened.add(RawSocket.open(this, Abi.AF_INET, Abi.IPPROTO_TCP, RawSocket.tcpAnswerFilter(false),
                        this::onTcp4));
            }
        }, opened -> {
            if (tcp) {
                opened.add(RawSocket.open(this, Abi.AF_INET6, Abi.IPPROTO_TCP, RawSocket.tcpAnswerFilter(true),
                        this::onTcp6));
            }
        });
    }

    @Override
    RawSocketSet sockets() {
        return sockets;
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        boolean ipv6 = spec.destination() instanceof Inet6Address;
        RawSocket sender = sockets.sender(ipv6, name());
        int port = spec.destinationPort();
        FlowPolicy policy = spec.flowPolicy();
        int maxSequence;
        int maxFlow;
        int localCount;
        if (tcp) {
            maxSequence = policy == FlowPolicy.PER_PROBE ? Math.min(0xfffe, 65535 - port) : 0xfffe;
            localCount = switch (policy) {
                case FIXED -> 1;
                case EXPLICIT -> TCP_EXPLICIT_PORTS;
                case PER_PROBE -> TCP_PORTS;
            };
            maxFlow = policy == FlowPolicy.EXPLICIT ? TCP_EXPLICIT_PORTS - 1 : TCP_PORTS - 1;
        } else {
            maxSequence = policy == FlowPolicy.PER_PROBE ? 65535 - port : 0xfffe;
            maxFlow = 65535 - port;
            localCount = 1;
            if (policy == FlowPolicy.FIXED && port + spec.flow() > 65535) {
                throw new IllegalArgumentException("flow " + spec.flow()
                        + " maps to destination port " + (port + spec.flow())
                        + ", beyond 65535 (flows 0.." + maxFlow + " with destination port " + port + ")");
            }
        }
        int transportLength = transportLength(spec, ipv6);
        SendBuffer buffer = new SendBuffer(spec.destination(), 0, RawPackets.headerLength(ipv6) + transportLength);
        PortReservation ports;
        try {
            ports = PortReservation.reserve(spec.destination(), tcp ? Abi.SOCK_STREAM : Abi.SOCK_DGRAM, localCount,
                    buffer.scratch());
        } catch (Sockets.SocketError e) {
            buffer.free();
            throw e.toTransportException(name() + ": cannot reserve a source port");
        } catch (RuntimeException | Error e) {
            buffer.free();
            throw e;
        }
        PortKey key = new PortKey(new Destination(spec.destination()), policy, ports.firstPort, ports.count, port,
                policy == FlowPolicy.FIXED ? spec.flow() : 0, maxSequence, maxFlow, PortKey.newCookie(),
                PortKey.newIpIdKey(), transportLength);
        key.trafficClass = spec.trafficClass();
        Session session = new Session(spec, listener, buffer, sender, ports, key, maxSequence,
                maxFlow, transportLength);
        AtomicReferenceArray<@Nullable PortTarget> table = table(ipv6);
        for (int i = 0; i < ports.count; i++) {
            if (!table.compareAndSet(ports.firstPort + i, null, session)) {
                // cannot happen: a port is in the table only while its reservation is held
                for (int j = 0; j < i; j++) {
                    table.compareAndSet(ports.firstPort + j, session, null);
                }
                ports.release();
                buffer.free();
                throw new TransportException(name() + ": port " + (ports.firstPort + i)
                        + " is already in use by a session");
            }
        }
        session.resolveQuietly();
        return session;
    }

    /**
     * The transport-layer length of a session's probes: the default ({@link TcpProbes#LENGTH},
     * {@link UdpProbes#LENGTH}) or, for UDP, 8 + the spec's payload size. TCP SYNs carry no data
     * (payload size -1 or 0 only); a UDP payload is at least {@link UdpProbes#MIN_PAYLOAD} bytes, and
     * the packet must fit the MTU of the route (IP_HDRINCL packets are never fragmented by the
     * kernel: a larger one fails with EMSGSIZE), so a larger one is refused here.
     */
    private int transportLength(SessionSpec spec, boolean ipv6) {
        int size = spec.payloadSize();
        if (tcp) {
            if (size > 0) {
                throw new IllegalArgumentException(name() + ": payload size " + size
                        + " is not possible: TCP SYN probes carry no data (payload size must be 0 or the default)");
            }
            return TcpProbes.LENGTH;
        }
        if (size < 0) {
            return UdpProbes.LENGTH;
        }
        if (size < UdpProbes.MIN_PAYLOAD || size > UdpTransport.MAX_PAYLOAD) {
            throw new IllegalArgumentException(name() + ": payload size " + size + " is out of range: UDP payload must"
                    + " be at least " + UdpProbes.MIN_PAYLOAD + " bytes (the checksum steering word and the session"
                    + " cookie) and at most " + UdpTransport.MAX_PAYLOAD);
        }
        RawPackets.requireFitsMtu(name(), spec.destination(), RawPackets.headerLength(ipv6) + 8 + size, size,
                "linux-udp-recverr");
        return 8 + size;
    }

    private final class Session extends LinuxSession implements PortTarget {
        private final boolean ipv6;
        /** The transport-layer length of every probe (header included). */
        private final int transportLength;
        private final RawSocket sender;
        private final PortReservation ports;
        private final PortKey key;
        private final int header;
        private final byte[] destinationBytes;
        /** Sending thread only. */
        private boolean resolved;
        private int baseSum;
        /** The source address the headers were written with (sending thread only). */
        private byte[] source = new byte[0];
        /** The transport length the sized buffer's packet was last written for, 0 for none (sending thread only). */
        private int sizedLength;
        private int sizedSum;

        Session(SessionSpec spec, ResponseListener listener, SendBuffer buffer, RawSocket sender, PortReservation ports,
                PortKey key, int maxSequence, int maxFlow, int transportLength) {
            super(RawPortTransport.this, spec, listener, maxSequence, maxFlow, buffer);
            this.transportLength = transportLength;
            this.ipv6 = destination.ipv6;
            this.sender = sender;
            this.ports = ports;
            this.key = key;
            this.header = RawPackets.headerLength(ipv6);
            this.destinationBytes = spec.destination().getAddress();
        }

        @Override
        public PortKey key() {
            return key;
        }

        /** At open: looks the source address up; a failure is reported by the first send instead. */
        void resolveQuietly() {
            try {
                resolve();
            } catch (SendFailedException e) {
                // no route now: send() tries again and reports it
            }
        }

        /** Writes the headers that never change, once the source address is known. */
        private void resolve() throws SendFailedException {
            byte[] source;
            try {
                source = PortReservation.sourceAddress(destination.address, sendBuffer.scratch());
            } catch (Sockets.SocketError e) {
                throw new SendFailedException(e.getMessage(), Errno.isNoRoute(e.errno), Errno.isUnroutable(e.errno));
            }
            this.source = source;
            this.sizedLength = 0;
            Pointer p = sendBuffer.packet();
            int length = transportLength;
            RawPackets.writeHeader(p, ipv6, trafficClass, protocol, length, source, destinationBytes);
            int pseudo = InternetChecksum.pseudoHeaderSum(source, destinationBytes, protocol, length);
            if (tcp) {
                TcpProbes.write(p, header, key.remoteFirst);
                baseSum = TcpProbes.baseSum(p, header, pseudo);
            } else {
                UdpProbes.write(p, header, ports.firstPort, key.cookie, length);
                baseSum = UdpProbes.baseSum(p, header, pseudo, length);
            }
            key.source = QuotedHeaders.address(source);
            key.baseSum = baseSum;
            resolved = true;
        }

        @Override
        long send0(int sequence, int ttl, int flow) throws SendFailedException {
            prepare(sequence, ttl, flow);
            return sender.send(sendBuffer, ttl);
        }

        @Override
        boolean batches() {
            return true;
        }

        @Override
        void stage(int slot, int sequence, int ttl, int flow) throws SendFailedException {
            prepare(sequence, ttl, flow);
            sendBuffer.stage(slot, ttl);
        }

        @Override
        int sendStaged(int count, long[] sentNanos, @Nullable SendFailedException[] failures) {
            return sender.sendStaged(sendBuffer, count, sentNanos, failures);
        }

        /** Writes the probe into the session's packet (TTL, ports or sequence number, checksum, IP ID or label). */
        private void prepare(int sequence, int ttl, int flow) throws SendFailedException {
            if (!resolved) {
                resolve();
            }
            Pointer p = sendBuffer.packet();
            RawPackets.setTtl(p, ipv6, ttl);
            int flowOnTheWire;
            if (tcp) {
                int sourcePort = TcpProbes.sourcePort(key, sequence, flow);
                flowOnTheWire = key.policy == FlowPolicy.FIXED ? flow : sourcePort - key.localFirst;
                TcpProbes.setProbe(p, header, baseSum, sourcePort, TcpProbes.sequenceNumber(key.tag(), sequence));
            } else {
                flowOnTheWire = key.policy == FlowPolicy.PER_PROBE ? sequence : flow;
                UdpProbes.setProbe(p, header, baseSum, key.remoteFirst + flowOnTheWire, sequence);
            }
            markSent(p, sequence, flowOnTheWire);
        }

        /** The flow on the wire in the IP header (IPv6: the flow label; IPv4: the identification), then marked sent. */
        private void markSent(Pointer p, int sequence, int flowOnTheWire) {
            if (ipv6) {
                RawPackets.setFlowLabel(p, RawPackets.flowLabel(flowOnTheWire));
            } else {
                RawPackets.setIpId(p, PortKey.ipId(key.ipIdKey, sequence));
            }
            key.markSent(sequence);
        }

        /**
         * A UDP path MTU probe of {@code size} bytes (IP header included): the session's probe (ports, cookie,
         * filler, the number in the checksum and the IPv4 identification) at that length, in a buffer of its
         * own, its base sum recorded in the key so that a quote of it is recognised. Every raw packet has DF
         * set (IPv6: never fragmented), whatever {@code dontFragment} says.
         */
        @Override
        long sendSized(int sequence, int ttl, int flow, int size, boolean dontFragment) throws SendFailedException {
            if (tcp) {
                throw new IllegalArgumentException(name() + " sends no path MTU probes (TCP SYNs carry no data)");
            }
            int length = size == io.pathprobe.spi.ProbeSpec.DEFAULT_SIZE ? transportLength : size - header;
            int most = ipv6 ? 65535 : 65535 - header;
            if (length < 8 + UdpProbes.MIN_PAYLOAD || length > most) {
                throw new IllegalArgumentException(name() + ": a probe of " + size + " bytes is out of range: "
                        + (header + 8 + UdpProbes.MIN_PAYLOAD) + " to " + (header + most));
            }
            if (!resolved) {
                resolve();
            }
            requireFitsFirstLink(header + length);
            SendBuffer b = sizedBuffer(0, big -> {});
            Pointer p = b.packet();
            if (sizedLength != length) {
                RawPackets.writeHeader(p, ipv6, trafficClass, protocol, length, source, destinationBytes);
                UdpProbes.write(p, header, ports.firstPort, key.cookie, length);
                sizedSum = UdpProbes.baseSum(p, header,
                        InternetChecksum.pseudoHeaderSum(source, destinationBytes, protocol, length), length);
                key.sized(length, sizedSum); // before the first probe of this length leaves
                sizedLength = length;
            }
            RawPackets.setTtl(p, ipv6, ttl);
            int flowOnTheWire = key.policy == FlowPolicy.PER_PROBE ? sequence : flow;
            UdpProbes.setProbe(p, header, sizedSum, key.remoteFirst + flowOnTheWire, sequence);
            markSent(p, sequence, flowOnTheWire);
            b.setLength(header + length);
            return sender.send(b, ttl);
        }

        @Override
        void drainPending() {
            drainAll();
        }

        @Override
        void onClose() {
            AtomicReferenceArray<@Nullable PortTarget> table = table(ipv6);
            for (int i = 0; i < ports.count; i++) {
                table.compareAndSet(ports.firstPort + i, this, null);
            }
        }

        @Override
        void disposeResources() {
            ports.release();
        }

        @Override
        public String toString() {
            return name() + " session[" + destination + ", ports " + ports.firstPort
                    + (ports.count > 1 ? "-" + (ports.firstPort + ports.count - 1) : "") + " > " + key.remoteFirst
                    + (guard.isClosed() ? ", closed]" : "]");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // receive path (I/O thread)

    @Override
    @Nullable DropReason onQuote(ReceiveBuffer buffer, IntFunction<@Nullable PortTarget> byPort) {
        return onQuote(quote, buffer.data(), buffer.timestampNanos(), tcp, byPort, addresses);
    }

    private @Nullable DropReason onTcp4(ReceiveBuffer buffer, int length) {
        Pointer d = buffer.data();
        int ihl = IcmpQuote.ipv4HeaderLength(d, 0, length);
        if (ihl < 0) {
            return DropReason.MALFORMED;
        }
        int source = Sockets.readBigEndianInt(d, 12);
        return onTcpAnswer(d, ihl, length, source, null, d.getByte(8) & 0xff, buffer.timestampNanos(), lookup4);
    }

    private @Nullable DropReason onTcp6(ReceiveBuffer buffer, int length) {
        return onTcpAnswer(buffer.data(), 0, length, 0, buffer.name(), buffer.replyTtl(), buffer.timestampNanos(),
                lookup6);
    }

    /**
     * An ICMP error parsed into {@code q}: hands it to the session whose probe it quotes and
     * returns null, or returns why not. Pure (no socket).
     */
    static @Nullable DropReason onQuote(IcmpQuote q, Pointer d, long receivedNanos, boolean tcp,
            IntFunction<@Nullable PortTarget> byPort, InetAddresses addresses) {
        if (q.protocol != (tcp ? Abi.IPPROTO_TCP : Abi.IPPROTO_UDP)) {
            return DropReason.UNRELATED; // about other traffic
        }
        int localPort = q.transportShort(d, 0);
        PortTarget t = byPort.apply(localPort);
        if (t == null) {
            return DropReason.UNRELATED;
        }
        PortKey k = t.key();
        if (!q.quotedDestinationIs(d, k.destination)) {
            return DropReason.UNRELATED;
        }
        int sequence = tcp ? TcpProbes.matchQuote(q, d, k) : UdpProbes.matchQuote(q, d, k);
        if (sequence == UdpProbes.TOO_SHORT) {
            return DropReason.QUOTE_TOO_SHORT; // quotes a probe of the session, but proves nothing about which
        }
        if (sequence < 0) {
            return DropReason.UNRELATED;
        }
        int quotedChecksum = q.transportShort(d, tcp ? 16 : 6);
        int sentChecksum = tcp ? TcpProbes.sentChecksum(k, localPort, Sockets.readBigEndianInt(d, q.transport + 4))
                : UdpProbes.checksum(sequence);
        PacketHeader sent = tcp ? QuotedHeaders.tcp(k, sequence, localPort, sentChecksum)
                : QuotedHeaders.udp(k, sequence, k.policy == FlowPolicy.EXPLICIT ? PacketHeader.UNKNOWN
                        : k.remoteFirst + (k.policy == FlowPolicy.PER_PROBE ? sequence : k.flow),
                        q.transportShort(d, 4));
        return t.accept(new ProbeResponse(sequence, q.kind, q.type, q.code, q.responder(addresses), receivedNanos,
                q.replyTtl, q.quotedTtl, q.quotedIpId, quotedChecksum, sentChecksum,
                q.extensions(d), q.icmpLength, q.mtu, sent, QuotedHeaders.quoted(q, d, sent)));
    }

    /**
     * A TCP segment at {@code tcpOffset} from the IPv4 address {@code sourceV4} (or, for IPv6, the
     * sender at sockaddr {@code source}) that arrived with {@code replyTtl}: a SYN-ACK or RST
     * answering one of a session's SYNs (acknowledgment number = its sequence number + 1) is
     * handed to the session. Pure (no socket).
     */
    static @Nullable DropReason onTcpAnswer(Pointer d, int tcpOffset, int length, int sourceV4,
            @Nullable Pointer source,
            int replyTtl, long receivedNanos, IntFunction<@Nullable PortTarget> byPort) {
        if (length - tcpOffset < 20) {
            return DropReason.MALFORMED;
        }
        int flags = d.getByte(tcpOffset + 13) & 0xff;
        boolean reset = (flags & TcpProbes.RST) != 0;
        if ((flags & TcpProbes.ACK) == 0 || (!reset && (flags & TcpProbes.SYN) == 0)) {
            return DropReason.UNRELATED; // not an answer to a SYN (the BPF filter lets few of these through)
        }
        int localPort = Sockets.readBigEndianShort(d, tcpOffset + 2);
        PortTarget t = byPort.apply(localPort);
        if (t == null) {
            return DropReason.UNRELATED;
        }
        PortKey k = t.key();
        boolean fromDestination = source == null ? k.destination.isIpv4(sourceV4)
                : k.destination.matchesSockaddr(source, 0);
        if (!fromDestination || Sockets.readBigEndianShort(d, tcpOffset) != k.remoteFirst) {
            return DropReason.UNRELATED;
        }
        int sequenceNumber = Sockets.readBigEndianInt(d, tcpOffset + 8) - 1;
        int probe = TcpProbes.probe(k, localPort, sequenceNumber);
        if (probe < 0) {
            return DropReason.UNRELATED;
        }
        return t.accept(new ProbeResponse(probe, reset ? ResponseKind.TCP_RESET : ResponseKind.TCP_SYN_ACK,
                ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, k.destination.address, receivedNanos, replyTtl,
                ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                TcpProbes.sentChecksum(k, localPort, sequenceNumber), List.of(), length - tcpOffset));
    }
}
