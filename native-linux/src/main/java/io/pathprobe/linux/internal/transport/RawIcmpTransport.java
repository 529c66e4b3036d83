package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.codec.QuotedHeaders;
import io.pathprobe.linux.internal.codec.RawPackets;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.EpollOps;
import io.pathprobe.linux.internal.socket.EpollRegistration;
import io.pathprobe.linux.internal.socket.FdHandle;
import io.pathprobe.linux.internal.socket.FileDescriptor;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.ReceivePacing;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.linux.internal.socket.UseGuard;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import io.pathprobe.probe.PacketHeader;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.IcmpExtension;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * ICMP echo through ONE raw socket (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), needs CAP_NET_RAW)
 * shared by every session of the transport. Each session gets its own 16-bit echo identifier; the
 * transport builds the echo request (and its checksum) itself. IPv4 requests are written whole,
 * IPv4 header included, and sent through a raw IPPROTO_RAW socket, so that the transport chooses
 * their identification: {@link PortKey#ipId(int, int)} of the sequence, with an odd key random per
 * session (DF set, the kernel fills in total length and header checksum). A session whose requests
 * would exceed the MTU of the route when it opens (a large payload size), or a transport whose
 * IPPROTO_RAW socket cannot be opened, sends them through the ICMP socket instead (the kernel's
 * identification, 0 with DF, fragmenting beyond the path MTU); so does a session, from then on, whose request a
 * path MTU the kernel learned later no longer lets through (the IPPROTO_RAW socket refuses it with EMSGSIZE once a
 * router's Fragmentation Needed lowered it): a ping of a large size gets its replies as iputils' does.
 *
 * <p>Quotes are checked whole: under Paris every probe of a flow carries the flow's
 * checksum, so the 8 quoted header bytes cannot tell a sequence rewritten with the checksum left as
 * sent. An error is delivered only when the quote proves its sequence: the compensation word (which
 * the sequence and the flow determine), the cookie and the filler, byte for byte as far as quoted, and
 * the quoted checksum recomputed over a whole IPv4 quote ({@link IcmpEcho#checkQuote}); and the
 * quoted identification, which must be that probe's when the session chose it. A quote that
 * disagrees is {@link DropReason#UNRELATED}; one that proves nothing about its sequence (8 bytes, no
 * identification of ours: IPv6, or requests sent through the ICMP socket) is
 * {@link DropReason#QUOTE_TOO_SHORT}, counted and not delivered.
 *
 * <p>The socket receives every ICMP message the host gets, IP header included; ICMP_FILTER lets
 * through only echo reply (0), destination unreachable (3) and time exceeded (11), and a BPF filter
 * ({@link RawSocket#quotedProtocolFilter}) only the errors that quote an ICMP message: errors about UDP
 * or TCP (another transport's probes) are never queued, never read. Echo replies are
 * demultiplexed by identifier; errors by the identifier of the quoted echo request (after the
 * quoted IP header, whose length is read from its IHL), and only if the quoted destination is the
 * session's. Everything else that passes the filters (other programs' pings, errors about their
 * pings) is counted as dropped. The receive buffer is enlarged because a hundred concurrent traces share
 * it, and a busy socket is read on an interval rather than woken per answer ({@link ReceivePacing}).
 *
 * <p>Flows ({@link IcmpEcho}): sessions of {@link io.pathprobe.spi.FlowPolicy#FIXED} send every probe
 * with the checksum of the spec's flow, {@link io.pathprobe.spi.FlowPolicy#EXPLICIT} with that of the
 * probe's flow (0 to {@value IcmpEchoFormat#MAX_FLOW}). {@link io.pathprobe.spi.FlowPolicy#PER_PROBE} is not
 * offered.
 *
 * <p>Answers: the socket sees whole IP packets, so every answer carries {@code replyTtl} (the TTL of
 * its IP header), and an ICMP error also {@code quotedTtl}, {@code quotedIpId} (of the quoted IP
 * header), {@code quotedChecksum} (of the quoted echo request, as the router quoted it) and the RFC
 * 4884 extension objects after the quote (MPLS label stacks), parsed by {@link IcmpExtension#parse},
 * and {@code sentChecksum}: the flow's checksum the probe left with (QUOTED_CHECKSUM); and the probe's
 * headers as sent and as quoted ({@link QuotedHeaders}, QUOTED_HEADER).
 *
 * <p>Marking ({@link SessionSpec#trafficClass()}): written into the IP header of requests written whole
 * (IPv4 ToS byte, IPv6 traffic class); requests sent through the shared ICMP socket carry it in an IP_TOS
 * control message per sendmsg ({@link SendBuffer#setTrafficClass}), so that sessions of different markings
 * share the socket.
 *
 * <p>IPv6: echo requests are written whole, IPv6 header included, and sent through a raw
 * IPPROTO_RAW socket (IPV6_HDRINCL implied, Linux 4.5 and later): the hop limit and a flow label
 * constant per flow ({@link RawPackets#flowLabel}) are the transport's. The ICMPv6 checksum covers
 * a pseudo-header (source and destination addresses); the session folds its sum into the echo's
 * compensation word, so the checksum on the wire is the flow's ({@link IcmpEchoFormat#flowChecksum}),
 * exactly as for IPv4. Echo replies and errors arrive on one raw ICMPv6 socket per transport
 * (ICMP6_FILTER: echo reply, destination unreachable, time exceeded), without IPv6 header: the
 * sender from msg_name, the hop limit from IPV6_HOPLIMIT. If IPv6 raw sockets cannot be opened the
 * transport still serves IPv4, and an IPv6 session is refused saying why.
 *
 * <p>Payload size ({@link SessionSpec#payloadSize()}): {@link IcmpEchoFormat#MIN_DATA} to
 * {@link IcmpEchoFormat#MAX_DATA} echo data bytes (default 32). IPv4 requests beyond the MTU of the route
 * when the session opens go through the kernel's IP layer, which fragments them (their 8-byte quotes
 * then prove nothing: see above). IPv6 requests are written whole (IPV6_HDRINCL),
 * which the kernel never fragments: a session whose packets exceed the MTU of the route to its
 * destination when it opens is refused ({@link IllegalArgumentException} naming the largest size that
 * fits); linux-icmp-dgram fragments them. {@code replyLength} is the ICMP message length of every
 * answer (echo reply or error) as received.
 */
final class RawIcmpTransport extends LinuxTransport {
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int BUDGET = 256;
    private static final int IDENTIFIERS = 1 << 16;

    final int fd;
    private final FileDescriptor fileDescriptor;
    // the socket's wiring is classes, not lambdas: a lambda is generated at its first use, here on the set-up
    // thread of a fresh JVM's first build() (docs/startup.md)
    final UseGuard socketGuard = new UseGuard(new Runnable() {
        @Override
        public void run() {
            socketReleased();
        }
    });
    private final AtomicBoolean socketDisposed = new AtomicBoolean();
    private volatile boolean socketReleased;
    private final EpollRegistration registration;
    /** How the shared IPv4 socket is read (I/O thread only). */
    private final IntUnaryOperator drainer = new IntUnaryOperator() {
        @Override
        public int applyAsInt(int budget) {
            return drain(budget);
        }
    };
    private final ReceivePacing pacing = new ReceivePacing(loop, BUDGET, ReceivePacing.INTERVAL_NANOS,
            new IntUnaryOperator() {
                @Override
                public int applyAsInt(int budget) {
                    return socketGuard.applyAsUser(drainer, budget, loopFailures);
                }
            }, loopFailures);
    final AtomicReferenceArray<RawIcmpSession> sessionsByIdentifier = new AtomicReferenceArray<>(IDENTIFIERS);
    /** Where the search for a free identifier starts: identifiers are reused as late as possible. */
    private final AtomicInteger nextIdentifier = new AtomicInteger(ThreadLocalRandom.current().nextInt(IDENTIFIERS));
    /** Allocated once for the drain loop. */
    private final IntFunction<@Nullable EchoTarget> byIdentifier = new IntFunction<>() {
        @Override
        public @Nullable EchoTarget apply(int identifier) {
            return sessionsByIdentifier.get(identifier);
        }
    };
    private final ReceiveBuffer.Handler packetHandler = new ReceiveBuffer.Handler() {
        @Override
        public @Nullable DropReason onMessage(ReceiveBuffer buffer, int length) {
            return onPacket(buffer.data(), length, buffer.timestampNanos(), byIdentifier, addresses);
        }
    };
    /** Used on the I/O thread only. */
    private final IcmpQuote quote6 = new IcmpQuote();
    private final ReceiveBuffer.Handler packet6Handler = new ReceiveBuffer.Handler() {
        @Override
        public @Nullable DropReason onMessage(ReceiveBuffer buffer, int length) {
            return onPacket6(buffer.data(), length, buffer.name(), buffer.replyTtl(), buffer.timestampNanos(),
                    byIdentifier, addresses, quote6);
        }
    };
    final @Nullable RawSocket send6;
    final @Nullable RawSocket receive6;
    private final @Nullable String ipv6Failure;
    /** IPv4 requests written whole (IP header included, for the identification); null if it cannot be opened. */
    final @Nullable RawSocket send4;

    RawIcmpTransport() {
        super(LinuxTransportKind.RAW_ICMP);
        int socket = -1;
        NativeMemory scratch = null;
        try {
            socket = Sockets.open(Abi.AF_INET, Abi.SOCK_RAW, Abi.IPPROTO_ICMP);
            scratch = NativeMemory.allocate(16);
            Pointer p = scratch.pointer();
            int wanted = (1 << IcmpEchoFormat.ECHO_REPLY) | (1 << IcmpEchoFormat.DEST_UNREACH)
                    | (1 << IcmpEchoFormat.TIME_EXCEEDED);
            Sockets.setInt(socket, Abi.SOL_RAW, Abi.ICMP_FILTER, ~wanted, p, "ICMP_FILTER");
            RawSocket.quotedProtocolFilter(false, Abi.IPPROTO_ICMP, true).configure(socket, p);
            try {
                Sockets.setInt(socket, Abi.SOL_SOCKET, Abi.SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES, p, "SO_RCVBUFFORCE");
            } catch (Sockets.SocketError e) { // no CAP_NET_ADMIN: as much as net.core.rmem_max allows
                Sockets.setInt(socket, Abi.SOL_SOCKET, Abi.SO_RCVBUF, RECEIVE_BUFFER_BYTES, p, "SO_RCVBUF");
            }
            Sockets.setInt(socket, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, p, "SO_TIMESTAMPNS");
        } catch (Sockets.SocketError e) {
            Sockets.closeQuietly(socket);
            abandon();
            throw e.toTransportException(name() + ": cannot open the raw socket");
        } catch (RuntimeException | Error e) {
            Sockets.closeQuietly(socket);
            abandon();
            throw e;
        } finally {
            if (scratch != null) {
                scratch.free();
            }
        }
        fd = socket;
        fileDescriptor = new FileDescriptor(socket);
        try {
            registration = loop.register(new FdHandle(fileDescriptor, new Consumer<>() {
                @Override
                public void accept(EpollOps ops) {
                    onReady(ops);
                }
            }, new Runnable() {
                @Override
                public void run() {
                    socketGuard.close();
                }
            }));
            pacing.registered(registration);
        } catch (RuntimeException e) {
            FdHandle.deregisterAndClose(null, fileDescriptor, loopFailures);
            abandon();
            throw e;
        }
        RawSocket s6 = null;
        RawSocket r6 = null;
        String v6Failure = null;
        try {
            s6 = RawSocket.open(this, Abi.AF_INET6, Abi.IPPROTO_RAW, null, null);
            r6 = RawSocket.open(this, Abi.AF_INET6, Abi.IPPROTO_ICMPV6,
                    RawSocket.icmp6Filter(IcmpEchoFormat.ECHO_REPLY_V6,
                    IcmpEchoFormat.DEST_UNREACH_V6, IcmpEchoFormat.TIME_EXCEEDED_V6)
                    .and(RawSocket.quotedProtocolFilter(true, Abi.IPPROTO_ICMPV6, true)), packet6Handler);
        } catch (Sockets.SocketError | RuntimeException e) { // no IPv6 here: IPv4 sessions only
            if (s6 != null) {
                s6.close();
            }
            s6 = null;
            v6Failure = e.getMessage();
        }
        send6 = s6;
        receive6 = r6;
        ipv6Failure = v6Failure;
        RawSocket s4 = null;
        try {
            s4 = RawSocket.open(this, Abi.AF_INET, Abi.IPPROTO_RAW, null, null);
        } catch (Sockets.SocketError | RuntimeException e) { // IPv4 requests then go through the ICMP socket
            s4 = null;
        }
        send4 = s4;
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        boolean ipv6 = spec.destination() instanceof java.net.Inet6Address;
        if (ipv6 && send6 == null) {
            throw new TransportException(name() + ": IPv6 raw sockets are unavailable: " + ipv6Failure);
        }
        int length = IcmpEchoFormat.length(spec.payloadSize(), name());
        if (ipv6 && spec.hasPayloadSize()) {
            RawPackets.requireFitsMtu(name(), spec.destination(), RawPackets.IPV6_HEADER + length, spec.payloadSize(),
                    "linux-icmp-dgram");
        }
        boolean whole4 = !ipv6 && send4 != null && (!spec.hasPayloadSize() || fitsMtu(spec.destination(),
                RawPackets.IPV4_HEADER + length));
        SendBuffer buffer = new SendBuffer(spec.destination(), 0,
                (ipv6 ? RawPackets.IPV6_HEADER : whole4 ? RawPackets.IPV4_HEADER : 0) + length);
        RawIcmpSession session = new RawIcmpSession(this, spec, listener, buffer, length, whole4);
        int start = nextIdentifier.getAndIncrement() & 0xffff;
        for (int i = 0; i < IDENTIFIERS; i++) {
            int identifier = (start + i) & 0xffff;
            if (sessionsByIdentifier.get(identifier) == null
                    && sessionsByIdentifier.compareAndSet(identifier, null, session)) {
                nextIdentifier.set(identifier + 1);
                session.start(identifier);
                return session;
            }
        }
        buffer.free();
        throw new TransportException(name() + ": all 65536 ICMP identifiers are in use");
    }

    /**
     * Whether an IPv4 packet of {@code packetLength} bytes fits the MTU of the route to {@code destination} (true with
     * no route).
     */
    private static boolean fitsMtu(java.net.InetAddress destination, int packetLength) {
        NativeMemory scratch = NativeMemory.allocate(64);
        try {
            int mtu = Sockets.routeMtu(destination, scratch.pointer());
            return mtu <= 0 || packetLength <= mtu;
        } finally {
            scratch.free();
        }
    }

    /** A session as the receive path sees it (an interface, so that parsing can be checked without sockets). */
    interface EchoTarget {
        Destination destination();

        long cookie();

        /** Hands the answer to the session's listener: null, or why not. */
        @Nullable DropReason accept(ProbeResponse response);

        /** The checksum probe {@code sequence} was sent with, or {@link ProbeResponse#UNKNOWN}. */
        default int sentChecksum(int sequence) {
            return ProbeResponse.UNKNOWN;
        }

        /**
         * The sum of the request's fixed words ({@link IcmpEcho#baseSum}, pseudo-header included for IPv6), or -1 while
         * unknown.
         */
        default int baseSum() {
            return -1;
        }

        /** Request {@code sequence} as sent (ICMP errors only), or null when not known. */
        default io.pathprobe.probe.@Nullable PacketHeader sentHeader(int sequence) {
            return null;
        }

        /** The echo request's length (header and data). */
        default int length() {
            return IcmpEchoFormat.LENGTH;
        }

        /**
         * Whether the session chose the IPv4 identification of its probes (IPv4 requests written whole);
         * then {@link #ipIdMatches} says whether a quoted one is probe {@code sequence}'s.
         */
        default boolean choosesIpId() {
            return false;
        }

        /**
         * Whether the session chose the IPv4 identification of probe {@code sequence} (the wire's): as
         * {@link #choosesIpId()}, but for the requests a session sent through the kernel after its path MTU fell.
         */
        default boolean choosesIpId(int sequence) {
            return choosesIpId();
        }

        /**
         * Whether {@code quotedIpId} is the identification of probe {@code sequence} (as sent, one higher or
         * byte-swapped).
         */
        default boolean ipIdMatches(int quotedIpId, int sequence) {
            return false;
        }
    }

    /**
     * Whether the echo request quoted at {@code quotedIcmp} ({@code available} bytes) proves to be
     * probe {@code sequence} of {@code s}: null, or why not. Every field the probe was sent with is
     * checked as far as it was quoted ({@link IcmpEcho#checkQuote}: cookie, compensation word, filler,
     * the checksum over a whole IPv4 quote) and the quoted IPv4 identification when the session chose
     * it ({@code quotedIpId}, UNKNOWN for IPv6). A quote that disagrees is UNRELATED; one that proves
     * nothing about its sequence (8 bytes of a Paris request, where every probe has the flow's
     * checksum, and no identification of ours) is QUOTE_TOO_SHORT, not delivered.
     */
    static @Nullable DropReason proveQuote(EchoTarget s, Pointer d, int quotedIcmp, int available, int sequence,
            int quotedIpId, boolean ipv6) {
        int compensation = IcmpEcho.expectedCompensation(s.baseSum(), sequence, s.sentChecksum(sequence));
        int proof = IcmpEcho.checkQuote(d, quotedIcmp, available, s.length(), s.cookie(), compensation, !ipv6);
        if (proof == IcmpEcho.QUOTE_CONTRADICTS) {
            return DropReason.UNRELATED;
        }
        if (!ipv6 && s.choosesIpId(sequence) && quotedIpId != ProbeResponse.UNKNOWN) {
            return s.ipIdMatches(quotedIpId, sequence) ? null : DropReason.UNRELATED;
        }
        return proof == IcmpEcho.QUOTE_PROVES ? null : DropReason.QUOTE_TOO_SHORT;
    }

    private void onReady(EpollOps ops) {
        if (!socketGuard.enter()) {
            return;
        }
        try {
            if (ops.contains(EpollOps.EPOLLERR)) {
                receiveBuffer.clearSocketError(fd);
            }
            if (ops.contains(EpollOps.EPOLLIN)) {
                pacing.onReadable();
            }
        } catch (Throwable t) { // never let anything escape into the I/O loop
            loopFailure(t);
        } finally {
            socketGuard.exit();
        }
    }

    /** On the I/O thread: reads the shared socket to the end (for {@code afterPendingAnswers}). */
    void drainAll() {
        if (!socketGuard.enter()) {
            return;
        }
        try {
            drain(Integer.MAX_VALUE);
        } finally {
            socketGuard.exit();
        }
    }

    private int drain(int budget) {
        return receiveBuffer.drain(fd, 0, budget, packetHandler, counters, loopFailures);
    }

    /**
     * An IPv4 packet (header included) carrying ICMP, {@code length} bytes at {@code d}: hands it to
     * the session it answers and returns null, or returns why it was dropped. Pure (no socket): the
     * sessions are found through {@code byIdentifier}.
     */
    static @Nullable DropReason onPacket(Pointer d, int length, long receivedNanos,
            IntFunction<@Nullable EchoTarget> byIdentifier, InetAddresses addresses) {
        int ihl = IcmpQuote.ipv4HeaderLength(d, 0, length);
        if (ihl < 0 || length < ihl + IcmpEchoFormat.HEADER || !IcmpQuote.icmpChecksumOk(d, ihl, length)) {
            // cut short, or corrupt (raw sockets get ICMP before the kernel checks its checksum)
            return DropReason.MALFORMED;
        }
        int source = Sockets.readBigEndianInt(d, 12);
        int replyTtl = d.getByte(8) & 0xff;
        int type = d.getByte(ihl) & 0xff;
        int code = d.getByte(ihl + 1) & 0xff;
        if (type == IcmpEchoFormat.ECHO_REPLY) {
            EchoTarget s = byIdentifier.apply(IcmpEcho.identifier(d, ihl));
            if (s == null || !s.destination().isIpv4(source)
                    || !IcmpEcho.replyMatches(d, ihl, length - ihl, s.cookie())) {
                return DropReason.UNRELATED; // another program's ping, or a forged reply
            }
            return s.accept(new ProbeResponse(IcmpEcho.sequence(d, ihl), ResponseKind.ECHO_REPLY, type, code,
                    s.destination().address, receivedNanos, replyTtl, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of(), length - ihl));
        }
        ResponseKind kind = type == IcmpEchoFormat.TIME_EXCEEDED ? ResponseKind.TIME_EXCEEDED
                : type != IcmpEchoFormat.DEST_UNREACH ? null
                : code == IcmpEcho.FRAG_NEEDED ? ResponseKind.PACKET_TOO_BIG : ResponseKind.DESTINATION_UNREACHABLE;
        if (kind == null) {
            return DropReason.MALFORMED; // ICMP_FILTER lets only these through
        }
        int quote = ihl + IcmpEchoFormat.HEADER;
        int quotedIhl = IcmpQuote.ipv4HeaderLength(d, quote, length - quote);
        if (quotedIhl < 0) {
            return DropReason.MALFORMED;
        }
        if ((d.getByte(quote + 9) & 0xff) != Abi.IPPROTO_ICMP) {
            return DropReason.UNRELATED; // an error about other traffic
        }
        int quotedIcmp = quote + quotedIhl;
        int available = length - quotedIcmp;
        int quotedTotalLength = Sockets.readBigEndianShort(d, quote + 2);
        if (quotedTotalLength >= quotedIhl + IcmpEchoFormat.HEADER) {
            available = Math.min(available, quotedTotalLength - quotedIhl); // not the RFC 4884 padding and extensions
        }
        if (available < IcmpEchoFormat.HEADER) {
            return DropReason.MALFORMED;
        }
        if ((d.getByte(quotedIcmp) & 0xff) != IcmpEchoFormat.ECHO_REQUEST) {
            return DropReason.UNRELATED;
        }
        EchoTarget s = byIdentifier.apply(IcmpEcho.identifier(d, quotedIcmp));
        if (s == null || !s.destination().isIpv4(Sockets.readBigEndianInt(d, quote + 16))
                || !IcmpEcho.quoteMatches(d, quotedIcmp, available, s.cookie())) {
            return DropReason.UNRELATED;
        }
        DropReason unproven = proveQuote(s, d, quotedIcmp, available, IcmpEcho.sequence(d, quotedIcmp),
                Sockets.readBigEndianShort(d, quote + 4), false);
        if (unproven != null) {
            return unproven;
        }
        int sequence = IcmpEcho.sequence(d, quotedIcmp);
        PacketHeader sent = s.sentHeader(sequence);
        return s.accept(new ProbeResponse(sequence, kind, type, code, addresses.ipv4(source),
                receivedNanos, replyTtl, d.getByte(quote + 8) & 0xff, Sockets.readBigEndianShort(d, quote + 4),
                IcmpEcho.checksumField(d, quotedIcmp), s.sentChecksum(sequence), extensions(d, ihl, length - ihl),
                length - ihl, kind == ResponseKind.PACKET_TOO_BIG ? Sockets.readBigEndianShort(d, ihl + 6)
                        : ProbeResponse.UNKNOWN, sent,
                QuotedHeaders.quoted(d, quote, quotedIcmp + available, sent)));
    }

    /**
     * An ICMPv6 message (no IPv6 header) from the sender at sockaddr {@code name} that arrived with
     * {@code hopLimit}: hands it to the session it answers and returns null, or returns why it was
     * dropped. Pure (no socket); {@code q} is scratch state.
     */
    static @Nullable DropReason onPacket6(Pointer d, int length, Pointer name, int hopLimit, long receivedNanos,
            IntFunction<@Nullable EchoTarget> byIdentifier, InetAddresses addresses, IcmpQuote q) {
        if (length < IcmpEchoFormat.HEADER) {
            return DropReason.MALFORMED;
        }
        int type = d.getByte(0) & 0xff;
        if (type == IcmpEchoFormat.ECHO_REPLY_V6) {
            EchoTarget s = byIdentifier.apply(IcmpEcho.identifier(d, 0));
            if (s == null || !s.destination().ipv6 || !s.destination().matchesSockaddr(name, 0)
                    || !IcmpEcho.replyMatches(d, 0, length, s.cookie())) {
                return DropReason.UNRELATED;
            }
            return s.accept(new ProbeResponse(IcmpEcho.sequence(d, 0), ResponseKind.ECHO_REPLY, type,
                    d.getByte(1) & 0xff, s.destination().address, receivedNanos, hopLimit, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of(), length));
        }
        DropReason malformed = q.parseV6(d, length, name, 0, hopLimit);
        if (malformed != null) {
            return malformed;
        }
        if (q.protocol != Abi.IPPROTO_ICMPV6 || (d.getByte(q.transport) & 0xff) != IcmpEchoFormat.ECHO_REQUEST_V6) {
            return DropReason.UNRELATED; // an error about other traffic
        }
        EchoTarget s = byIdentifier.apply(IcmpEcho.identifier(d, q.transport));
        if (s == null || !q.quotedDestinationIs(d, s.destination())
                || !IcmpEcho.quoteMatches(d, q.transport, q.available, s.cookie())) {
            return DropReason.UNRELATED;
        }
        int sequence = IcmpEcho.sequence(d, q.transport);
        DropReason unproven = proveQuote(s, d, q.transport, q.available, sequence, ProbeResponse.UNKNOWN, true);
        if (unproven != null) {
            return unproven;
        }
        PacketHeader sent = s.sentHeader(sequence);
        return s.accept(new ProbeResponse(sequence, q.kind, q.type, q.code, q.responder(addresses), receivedNanos,
                q.replyTtl, q.quotedTtl, ProbeResponse.UNKNOWN, IcmpEcho.checksumField(d, q.transport),
                s.sentChecksum(sequence), q.extensions(d), length, ProbeResponse.UNKNOWN, sent,
                QuotedHeaders.quoted(q, d, sent)));
    }

    /** The RFC 4884 extension objects of the ICMP error at {@code icmp}; allocates only when it has a length field. */
    private static List<IcmpExtension> extensions(Pointer d, int icmp, int icmpLength) {
        if ((d.getByte(icmp + 5) & 0xff) == 0) {
            return List.of(); // no RFC 4884 length: no extensions
        }
        byte[] message = new byte[icmpLength];
        d.get(icmp, message, 0, icmpLength);
        return IcmpExtension.parse(message, 0, icmpLength, false);
    }

    @Override
    void closeShared() {
        socketGuard.close();
        eachRawSocket(RawSocket::close);
    }

    /** {@code action} on each raw socket it opened besides the echo socket: send4, send6, receive6. */
    private void eachRawSocket(Consumer<RawSocket> action) {
        for (RawSocket s : java.util.Arrays.asList(send4, send6, receive6)) {
            if (s != null) {
                action.accept(s);
            }
        }
    }

    private void socketReleased() {
        socketReleased = true;
        if (loop.inLoop() || !loop.execute(this::disposeSocket)) {
            disposeSocket();
        }
    }

    @Override
    void disposeSharedIfReleased() {
        if (socketReleased) {
            disposeSocket();
        }
        eachRawSocket(RawSocket::disposeIfReleased);
    }

    private void disposeSocket() {
        if (!socketDisposed.compareAndSet(false, true)) {
            return;
        }
        FdHandle.deregisterAndClose(registration, fileDescriptor, this::loopFailure);
    }
}
