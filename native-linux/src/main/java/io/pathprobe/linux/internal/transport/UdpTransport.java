package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Errno;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Posix;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.nativecommon.InternetChecksum;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * UDP probes through an ordinary UDP socket per session with IP_RECVERR (IPV6_RECVERR): no
 * privilege and no sysctl needed, as tracepath does it. Time Exceeded comes from routers, Port
 * Unreachable from the destination; other unreachables are delivered with their code.
 *
 * <h2>Flows</h2>
 * <ul>
 *   <li>{@link FlowPolicy#PER_PROBE} (classic traceroute): the sequence rides in the destination
 *       port ({@code destinationPort + sequence}, so {@code maxSequence() = 65535 - destinationPort}).
 *       The error queue's msg_name gives the original destination address and port, which the
 *       kernel takes from the quoted UDP header, so matching survives routers that quote only 8
 *       bytes.
 *   <li>{@link FlowPolicy#FIXED} and {@link FlowPolicy#EXPLICIT} (Paris, Dublin): both ports are
 *       fixed per flow. The source port is the session socket's (the kernel picks it once, at
 *       bind); the destination port is {@code destinationPort + flow}: for FIXED the spec's flow
 *       (a flow that would put the port beyond 65535 is refused at {@code openSession} with
 *       {@link IllegalArgumentException}), for EXPLICIT the probe's, 0 to
 *       {@code maxFlow() = min(}{@value #MAX_EXPLICIT_FLOW}{@code , 65535 - destinationPort)} (4096
 *       flows are far more than multipath discovery needs, and the cap keeps the ports a session
 *       uses together). The probe number travels in the <b>UDP checksum</b>: the kernel computes
 *       the checksum over the pseudo-header, header and payload, and two payload bytes (the
 *       steering word) are chosen so that it comes out as {@code sequence + 1} (ones' complement
 *       sums do not depend on the order of the words, so compensating one word sets the sum).
 *       Checksum 0x0000 means "no checksum" in IPv4 and is forbidden in IPv6, so sequences run
 *       from 0 to {@code maxSequence() = 0xfffe} and the checksum from 0x0001 to 0xffff (0xffff is
 *       what the kernel sends for a computed 0). The pseudo-header covers the source address: the
 *       session socket is bound to the address the kernel routes from toward the destination when
 *       the session opens (a route lookup that sends nothing), so the sum is exact; should the
 *       host lose that address, sends fail rather than go out with another. A session opened while
 *       there is no route is left unbound and looks the source up at each send until there is a
 *       route (until then its sends fail as "no route", as a send would).
 *   <li>IPv6 flow label: Linux's automatic flow label (net.ipv6.auto_flowlabels, on by default)
 *       for UDP is a hash of the flow's addresses and ports (with a secret per boot): measured on
 *       Linux 6.18, probes of one session with one destination port carry one label, another
 *       destination port or source port another. So the label is constant per flow and differs
 *       between flows (EXPLICIT flows can spread over Linux ECMP, whose IPv6 hash covers the
 *       label), with nothing to set.
 * </ul>
 *
 * <h2>Answers</h2>
 * The error queue hands user space the quoted UDP <b>payload</b> (after the UDP header) and, in
 * msg_name, the quoted destination address and port; not the quoted IP or UDP header, nor RFC 4884
 * extensions. So {@code quotedTtl}, {@code quotedIpId} and {@code quotedChecksum} (hence
 * {@code sentChecksum}: there is no NAT evidence to pair it with) are {@link ProbeResponse#UNKNOWN}
 * and {@code extensions} empty. {@code replyTtl} is the TTL (hop limit) of the ICMP error, from the
 * IP_TTL (IPV6_HOPLIMIT) control message.
 *
 * <p>In FIXED and EXPLICIT sessions the probe number is read from the quoted payload (the sequence
 * is also written in clear next to the steering word, with a random cookie per session that must
 * match when quoted): a router that quotes only the 8 bytes after the IP header (the RFC 792
 * minimum) leaves no payload, and its answer cannot be tied to a probe without privilege (a raw
 * socket would read the quoted checksum). Such answers are dropped and counted as
 * {@link DropReason#QUOTE_TOO_SHORT}. Linux routers quote as much as fits in 576 bytes.
 *
 * <p>Every quoted payload byte is checked against the probe it names: Paris: the steering word must
 * be the one that sequence was sent with to that port (a sequence rewritten with the rest left as
 * sent disagrees), then the cookie and the filler; classic (payload of {@value #OFF_CLASSIC_FILL}
 * bytes or more): the payload starts with the sequence and a session cookie, which must agree with
 * the destination port the kernel reports. A quote that disagrees is {@link DropReason#UNRELATED}.
 * The quoted UDP header is not handed over (so a rewritten checksum cannot be seen here); a classic
 * 8-byte quote has the destination port alone, which a forger can rewrite consistently: no
 * unprivileged transport can tell that from a genuine answer.
 *
 * <p>Payload size ({@link SessionSpec#payloadSize()}): PER_PROBE sessions 0 to {@value #MAX_PAYLOAD}
 * UDP payload bytes, FIXED and EXPLICIT sessions at least {@value #MIN_PARIS_PAYLOAD} (steering
 * word, sequence, cookie); default {@value #PAYLOAD}. Beyond the path MTU the kernel fragments (the
 * socket's IP_MTU_DISCOVER is the system default). The error queue hands over the quote, not the ICMP
 * error, so {@code replyLength} is UNKNOWN.
 *
 * <h2>Path MTU</h2>
 * PER_PROBE sessions send probes of a size of their own ({@link io.pathprobe.spi.ProbeSpec#size()}: the
 * headers plus 0 to {@value #MAX_PAYLOAD} bytes; beyond the session's payload from a second buffer, made on
 * first use, that starts with the session's payload) and with DF per probe: IP_MTU_DISCOVER
 * (IPV6_MTU_DISCOVER) is IP_PMTUDISC_PROBE while a DF probe is sent, as tracepath does (DF set, never
 * fragmented, the path MTU the kernel learned ignored). A DF probe larger than the MTU of the device
 * toward the destination is refused before the system call ({@link SendFailedException#tooBig}, what
 * EMSGSIZE would say). Fragmentation Needed and Packet Too Big arrive on the error queue with the MTU in
 * ee_info, delivered as {@link ResponseKind#PACKET_TOO_BIG} with {@link ProbeResponse#mtu()}. Paris
 * sessions refuse sized probes: their checksum steering covers the whole payload.
 *
 * <p>Marking: {@link SessionSpec#trafficClass()} is set on the session's UDP socket (IP_TOS, IPV6_TCLASS; the
 * kernel keeps the ECN bits of a datagram socket as given). No quoted IP header (QUOTED_HEADER): the error
 * queue hands over the quoted probe after its IP header, and the kernel keeps that header to itself.
 */
final class UdpTransport extends LinuxTransport {
    /** UDP payload: with the headers a 60-byte packet, as Linux traceroute sends. */
    static final int PAYLOAD = 32;
    /** The largest flow of an EXPLICIT session (when the destination port leaves room). */
    static final int MAX_EXPLICIT_FLOW = 4095;
    /** Sequences of a Paris session: the UDP checksum is {@code sequence + 1}, 0x0001..0xffff. */
    static final int MAX_PARIS_SEQUENCE = 0xfffe;

    // The Paris payload
    static final int OFF_STEER = 0;
    static final int OFF_SEQUENCE = 2;
    static final int OFF_COOKIE = 4;
    static final int OFF_FILL = 12;
    // The classic payload (when at least OFF_CLASSIC_FILL bytes): sequence, cookie
    static final int OFF_CLASSIC_COOKIE = 2;
    static final int OFF_CLASSIC_FILL = 10;
    /** The fewest payload bytes of a Paris (FIXED, EXPLICIT) probe: steering word, sequence and cookie. */
    static final int MIN_PARIS_PAYLOAD = OFF_FILL;
    /** The most payload bytes: an IPv4 datagram of 65535 bytes. */
    static final int MAX_PAYLOAD = 65507;

    /**
     * The payload length of a session: {@link #PAYLOAD} by default, else the spec's, checked against
     * {@code minimum} (the transport's own bytes) and {@link #MAX_PAYLOAD}.
     */
    static int payloadLength(SessionSpec spec, int minimum, String transport) {
        int size = spec.payloadSize();
        if (size < 0) {
            return PAYLOAD;
        }
        if (size < minimum || size > MAX_PAYLOAD) {
            throw new IllegalArgumentException(transport + ": payload size " + size + " is out of range for "
                    + spec.flowPolicy() + " sessions: UDP payload must be at least " + minimum + " bytes"
                    + (minimum > 0 ? " (the probe number, its checksum steering word and the session cookie)" : "")
                    + " and at most " + MAX_PAYLOAD);
        }
        return size;
    }

    /** The deterministic filler of UDP payloads: {@code 'a' + (i - from) % 26} at byte {@code i}. */
    static void fill(Pointer p, long at, int from, int length) {
        for (int i = from; i < length; i++) {
            p.putByte(at + i, (byte) ('a' + (i - from) % 26));
        }
    }

    UdpTransport() {
        super(LinuxTransportKind.UDP_RECVERR);
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        if (spec.flowPolicy() == FlowPolicy.PER_PROBE) {
            int payload = payloadLength(spec, 0, name());
            SocketSession.Opened s = SocketSession.open(this, spec, Abi.IPPROTO_UDP, Abi.IPPROTO_UDP,
                    spec.destinationPort(), payload);
            return new PerProbeSession(this, spec, listener, s.buffer(), s.fd(), payload);
        }
        if (spec.flowPolicy() == FlowPolicy.FIXED && spec.destinationPort() + spec.flow() > 65535) {
            throw new IllegalArgumentException("flow " + spec.flow() + " would put the destination port beyond 65535 ("
                    + spec.destinationPort() + " + " + spec.flow() + ")");
        }
        int payload = payloadLength(spec, MIN_PARIS_PAYLOAD, name());
        @Nullable InetAddress source;
        NativeMemory scratch = NativeMemory.allocate(64);
        try {
            source = Sockets.routeSourceIfRouted(spec.destination(), scratch.pointer());
        } catch (Sockets.SocketError e) {
            throw e.toTransportException(name() + ": cannot open a session to " + spec.destination().getHostAddress());
        } finally {
            scratch.free();
        }
        SocketSession.Opened s = SocketSession.open(this, spec, Abi.IPPROTO_UDP, Abi.IPPROTO_UDP,
                spec.destinationPort(), payload, source);
        return new ParisSession(this, spec, listener, s.buffer(), s.fd(), source, s.boundPort(), payload);
    }

    /**
     * What both UDP sessions share: a datagram is never an answer; an error-queue message about the
     * session's destination is delivered with the probe number its quote carries.
     */
    private abstract static class UdpSession extends SocketSession {
        private static final DropReason[] DROPS = DropReason.values();

        UdpSession(UdpTransport transport, SessionSpec spec, ResponseListener listener, int maxSequence,
                int explicitFlows, SendBuffer buffer, int fd) {
            super(transport, spec, listener, maxSequence, explicitFlows, buffer, fd);
        }

        @Override
        final @Nullable DropReason onData(ReceiveBuffer buffer, int length) {
            return DropReason.MALFORMED; // someone sent us a datagram: not an answer to a probe
        }

        @Override
        final @Nullable DropReason onError(ReceiveBuffer buffer, int length) {
            ResponseKind kind = buffer.icmpErrorKind(destination.ipv6);
            if (kind == null) {
                return DropReason.MALFORMED; // a local error or another ICMP type
            }
            if (!destination.matchesSockaddr(buffer.name(), 0)) {
                return DropReason.UNRELATED;
            }
            int sequence = sequence(buffer, length, Sockets.readPort(buffer.name(), 0));
            if (sequence < 0) {
                return DROPS[~sequence];
            }
            InetAddress responder = transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (responder == null) {
                return DropReason.MALFORMED;
            }
            return accept(new ProbeResponse(sequence, kind, buffer.errorType(), buffer.errorCode(), responder,
                    buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of(), ProbeResponse.UNKNOWN,
                    kind == ResponseKind.PACKET_TOO_BIG ? buffer.errorMtu() : ProbeResponse.UNKNOWN));
        }

        /**
         * The probe number of an error whose quote went to destination port {@code port} and left
         * {@code length} bytes of UDP payload in the buffer, or {@link #drop} of why it is not one.
         */
        abstract int sequence(ReceiveBuffer buffer, int length, int port);

        /** A negative {@link #sequence} result that stands for {@code reason}. */
        static int drop(DropReason reason) {
            return ~reason.ordinal();
        }
    }

    /**
     * Classic: the sequence in the destination port. A payload of {@value #OFF_CLASSIC_FILL} bytes or
     * more (the default's 32) starts with the sequence and a cookie random per session (then zeros by
     * default, the filler for a chosen size), so that a quote of the payload proves its probe: a
     * destination port rewritten to another probe's disagrees with the sequence quoted in the payload.
     * An 8-byte quote (no payload) has the port alone, which the kernel reports.
     */
    private static final class PerProbeSession extends UdpSession {
        private final int basePort;
        private final int payload;
        private final long cookie = IcmpEchoFormat.newCookie();
        private final boolean filled;

        PerProbeSession(UdpTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer, int fd,
                int payload) {
            super(transport, spec, listener, 65535 - spec.destinationPort(), 0, buffer, fd);
            this.basePort = spec.destinationPort();
            this.payload = payload;
            this.filled = spec.hasPayloadSize();
            buffer.packet().setMemory(0, payload, (byte) 0);
            if (filled) {
                fill(buffer.packet(), 0, 0, payload); // the default stays zeros after the sequence and cookie
            }
            if (payload >= OFF_CLASSIC_FILL) {
                for (int i = 0; i < 8; i++) {
                    buffer.packet().putByte(OFF_CLASSIC_COOKIE + i, (byte) (cookie >>> (56 - 8 * i)));
                }
            }
            register();
        }

        /**
         * A path MTU probe: the first {@code size - headers} bytes of the session's payload (its cookie and
         * filler prefix: a quote still proves the probe), with IP_MTU_DISCOVER (IPV6_MTU_DISCOVER)
         * IP_PMTUDISC_PROBE while DF is asked for (DF set, never fragmented here, the path MTU the kernel
         * learned ignored: tracepath's way) and the socket's own setting otherwise.
         */
        @Override
        long sendSized(int sequence, int ttl, int flow, int size, boolean dontFragment) throws SendFailedException {
            int headers = (destination.ipv6 ? RawPackets.IPV6_HEADER : RawPackets.IPV4_HEADER) + 8;
            int length = size == io.pathprobe.spi.ProbeSpec.DEFAULT_SIZE ? payload : size - headers;
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new IllegalArgumentException(transport.name() + ": a probe of " + size + " bytes is out of range:"
                        + " " + headers + " to " + (headers + MAX_PAYLOAD) + " (the headers and 0 to " + MAX_PAYLOAD
                        + " payload bytes)");
            }
            if (dontFragment) {
                requireFitsFirstLink(headers + length);
            }
            setDontFragment(dontFragment);
            // the session's packet as far as it goes (sequence, cookie, filler: what a quote is checked
            // against), then the filler, in a buffer of its own when larger
            SendBuffer b = length <= payload ? sendBuffer : sizedBuffer(basePort, big -> {
                fill(big.packet(), 0, 0, SendBuffer.MAX_PACKET);
                big.packet().transferFrom(0, sendBuffer.packet(), 0, payload);
            });
            b.setPort(basePort + sequence);
            if (payload >= OFF_CLASSIC_FILL) {
                Sockets.writeBigEndianShort(b.packet(), 0, sequence);
            }
            b.setLength(length);
            try {
                return b.send(fd, ttl);
            } finally {
                b.setLength(b == sendBuffer ? payload : 0);
            }
        }

        /** Whether IP_PMTUDISC_PROBE is on; the socket's own setting, -1 until read. Sending thread only. */
        private boolean probing;
        private int ownDiscovery = -1;

        private void setDontFragment(boolean on) throws SendFailedException {
            if (on == probing) {
                return;
            }
            int level = destination.ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP;
            int option = destination.ipv6 ? Abi.IPV6_MTU_DISCOVER : Abi.IP_MTU_DISCOVER;
            if (ownDiscovery < 0) {
                ownDiscovery = Math.max(0, Sockets.getInt(fd, level, option, sendBuffer.scratch()));
            }
            try {
                Sockets.setInt(fd, level, option, on ? Abi.IP_PMTUDISC_PROBE : ownDiscovery, sendBuffer.scratch(),
                        destination.ipv6 ? "IPV6_MTU_DISCOVER" : "IP_MTU_DISCOVER");
            } catch (Sockets.SocketError e) {
                throw new SendFailedException(e.getMessage(), false);
            }
            probing = on;
        }

        @Override
        void prepare(int sequence, int flow) {
            sendBuffer.setPort(basePort + sequence); // PER_PROBE: the flow changes with the port
            if (payload >= OFF_CLASSIC_FILL) {
                Sockets.writeBigEndianShort(sendBuffer.packet(), 0, sequence);
            }
        }

        @Override
        int sequence(ReceiveBuffer buffer, int length, int port) {
            if (port < basePort) {
                return drop(DropReason.UNRELATED);
            }
            int sequence = port - basePort;
            if (payload < OFF_CLASSIC_FILL || length < 2) {
                return sequence; // no payload quoted (or none sent): the port is all there is
            }
            Pointer data = buffer.data();
            int end = Math.min(length, payload);
            if (length >= OFF_CLASSIC_FILL && Sockets.readBigEndianLong(data, OFF_CLASSIC_COOKIE) == 0
                    && Sockets.readBigEndianShort(data, 0) == 0) {
                return sequence; // RFC 4884 zero padding after an 8-byte quote
            }
            if (Sockets.readBigEndianShort(data, 0) != sequence) {
                return drop(DropReason.UNRELATED); // the port is another probe's than the payload: rewritten
            }
            for (int i = OFF_CLASSIC_COOKIE; i < end; i++) {
                int expected = i < OFF_CLASSIC_FILL ? (int) (cookie >>> (56 - 8 * (i - OFF_CLASSIC_COOKIE))) & 0xff
                        : filled ? 'a' + i % 26 : 0;
                if ((data.getByte(i) & 0xff) != expected) {
                    return drop(DropReason.UNRELATED);
                }
            }
            return sequence;
        }

        @Override
        public String toString() {
            return "linux-udp-recverr session[" + destination + ":" + basePort + "+sequence"
                    + (guard.isClosed() ? ", closed]" : "]");
        }
    }

    /** Paris (FIXED) and Dublin (EXPLICIT): ports fixed per flow, the sequence in the UDP checksum. */
    private static final class ParisSession extends UdpSession {
        private final long cookie = IcmpEchoFormat.newCookie();
        private final int basePort;
        private final int fixedFlow;
        private final boolean explicit;
        private final int sourcePort;
        /**
         * The ones' complement sum of every word of pseudo-header, header and payload but the
         * destination port, the steering word and the sequence; -1 until the source address is known
         * (a session opened while there was no route: its socket is not bound to an address, and
         * the source is looked up at each send until there is a route).
         */
        private volatile int baseSum = -1;
        private final InetAddress sessionDestination;
        private final int payload;

        ParisSession(UdpTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer, int fd,
                @Nullable InetAddress source, int sourcePort, int payload) {
            super(transport, spec, listener, MAX_PARIS_SEQUENCE,
                    Math.min(MAX_EXPLICIT_FLOW, 65535 - spec.destinationPort()), buffer, fd);
            this.basePort = spec.destinationPort();
            this.explicit = spec.flowPolicy() == FlowPolicy.EXPLICIT;
            this.fixedFlow = explicit ? -1 : spec.flow();
            this.sourcePort = sourcePort;
            this.payload = payload;
            Pointer p = buffer.packet();
            p.setMemory(0, payload, (byte) 0);
            for (int i = 0; i < 8; i++) {
                p.putByte(OFF_COOKIE + i, (byte) (cookie >>> (56 - 8 * i)));
            }
            fill(p, 0, OFF_FILL, payload);
            this.sessionDestination = spec.destination();
            if (source != null) {
                this.baseSum = baseSum(source);
            }
            register();
        }

        private int baseSum(InetAddress source) {
            Pointer p = sendBuffer.packet();
            int udpLength = 8 + payload;
            int sum = InternetChecksum.pseudoHeaderSum(source.getAddress(), sessionDestination.getAddress(),
                    Abi.IPPROTO_UDP, udpLength);
            sum = InternetChecksum.onesAdd(sum, sourcePort);
            // the UDP header's length field (the checksum field counts 0)
            sum = InternetChecksum.onesAdd(sum, udpLength);
            return InternetChecksum.onesAdd(sum, RawPackets.onesSum(p, OFF_COOKIE, payload - OFF_COOKIE));
        }

        /** The UDP checksum the probe with this sequence carries: {@code sequence + 1}. */
        static int checksumOf(int sequence) {
            return sequence + 1;
        }

        @Override
        void prepare(int sequence, int flow) throws SendFailedException {
            if (baseSum < 0) { // opened without a route: learn the source now, or fail as the send would
                try {
                    baseSum = baseSum(Sockets.routeSource(sessionDestination, sendBuffer.scratch()));
                } catch (Sockets.SocketError e) {
                    throw new SendFailedException(Posix.describe("sendmsg", e.errno), Errno.isNoRoute(e.errno),
                            Errno.isUnroutable(e.errno));
                }
            }
            int port = basePort + flow;
            sendBuffer.setPort(port);
            Pointer p = sendBuffer.packet();
            Sockets.writeBigEndianShort(p, OFF_SEQUENCE, sequence);
            int sum = InternetChecksum.onesAdd(InternetChecksum.onesAdd(baseSum, port), sequence);
            // The words must sum to ~checksum; 0xffff (checksum 0) comes out as 0xffff on the wire.
            Sockets.writeBigEndianShort(p, OFF_STEER, IcmpEchoFormat.compensation(sum, 0,
                    checksumOf(sequence) & 0xffff));
        }

        @Override
        int sequence(ReceiveBuffer buffer, int length, int port) {
            int flow = port - basePort;
            if (explicit ? flow < 0 || flow > maxFlow() : flow != fixedFlow) {
                return drop(DropReason.UNRELATED);
            }
            Pointer data = buffer.data();
            if (length < OFF_COOKIE) {
                return drop(DropReason.QUOTE_TOO_SHORT); // an 8-byte quote: no payload, no probe number
            }
            if (length >= OFF_FILL) {
                long quotedCookie = Sockets.readBigEndianLong(data, OFF_COOKIE);
                if (quotedCookie == 0) {
                    return drop(DropReason.QUOTE_TOO_SHORT); // RFC 4884 zero padding after a short quote
                }
                if (quotedCookie != cookie) {
                    return drop(DropReason.UNRELATED);
                }
            }
            int sequence = Sockets.readBigEndianShort(data, OFF_SEQUENCE);
            int base = baseSum;
            if (base < 0 || sequence > MAX_PARIS_SEQUENCE) {
                return drop(DropReason.UNRELATED); // nothing sent yet, or not a number this session sends
            }
            // the steering word: the one this sequence was sent with to this port (a sequence rewritten
            // with the steering word left as sent disagrees), then the filler as far as quoted
            int sum = InternetChecksum.onesAdd(InternetChecksum.onesAdd(base, port), sequence);
            if (Sockets.readBigEndianShort(data, OFF_STEER) != IcmpEchoFormat.compensation(sum, 0,
                    checksumOf(sequence) & 0xffff)) {
                return drop(DropReason.UNRELATED);
            }
            int end = Math.min(length, payload);
            for (int i = OFF_FILL; i < end; i++) {
                if ((data.getByte(i) & 0xff) != 'a' + (i - OFF_FILL) % 26) {
                    return drop(DropReason.UNRELATED);
                }
            }
            return sequence;
        }

        @Override
        public String toString() {
            return "linux-udp-recverr session[" + destination + ":"
                    + (explicit ? basePort + "+flow" : basePort + fixedFlow)
                    + " from port " + sourcePort + (guard.isClosed() ? ", closed]" : "]");
        }
    }
}
