package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpEcho;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.NativeMemory;
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
import io.pathprobe.spi.SessionSpec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * ICMP echo through unprivileged ping sockets (socket(AF_INET[6], SOCK_DGRAM, IPPROTO_ICMP[V6])),
 * one per session. The kernel owns the echo identifier (the socket's bound "port") and
 * demultiplexes replies and errors to the socket by it, and fills in the checksum.
 *
 * <ul>
 *   <li>Echo replies arrive as normal datagrams: ICMP header and payload, no IP header, the sender
 *       in msg_name.
 *   <li>Time Exceeded and Destination Unreachable arrive only on the error queue (IP_RECVERR):
 *       a sock_extended_err (origin ICMP, type, code), the offender (the router), msg_name = the
 *       quoted destination, and the quoted echo request as data (sequence in bytes 6..7).
 * </ul>
 *
 * <p>Flows ({@link IcmpEcho}): sessions of {@link FlowPolicy#FIXED} send every probe with the
 * checksum of the spec's flow, {@link FlowPolicy#EXPLICIT} with that of the probe's flow (0 to
 * {@value IcmpEchoFormat#MAX_FLOW}); the kernel computes exactly that checksum.
 * {@link FlowPolicy#PER_PROBE} (classic) leaves the compensation word 0, so the checksum changes
 * with the sequence. ICMPv6 checksums also cover a pseudo-header (source and destination address):
 * an IPv6 session binds its ping socket to the source address the kernel routes from toward the
 * destination when the session opens (a route lookup, nothing sent), and the compensation covers
 * the pseudo-header too, so the checksum on the wire is the flow's checksum exactly, as for IPv4
 * (a session opened while there is no route is not bound: its flows are shifted by a constant, and
 * its sent checksums are UNKNOWN).
 * The IPv6 flow label is Linux's automatic one, which for ping sockets hashes the addresses and the
 * ICMPv6 type and code (not the identifier): measured on Linux 6.18, one label for every echo
 * request to a destination, whatever the socket, sequence or flow.
 *
 * <p>Answers: {@code replyTtl} is the TTL (hop limit) of the echo reply or of the ICMP error, from
 * the IP_TTL (IPV6_HOPLIMIT) control message. The error queue hands over the quoted ICMP message
 * (not the quoted IP header nor RFC 4884 extensions): {@code quotedChecksum} is the quoted echo
 * request's checksum (within the 8 bytes every router quotes), and {@code sentChecksum} the one the
 * probe was sent with (also on echo replies), so {@link ProbeResponse#checksumDelta()} shows a NAT
 * that rewrote the request but not the quote; {@code quotedTtl} and {@code quotedIpId} are
 * {@link ProbeResponse#UNKNOWN} and {@code extensions} empty. The sent checksum is remembered for
 * the last {@value Session#SENT_SLOTS} sequences modulo {@value Session#SENT_SLOTS} (EXPLICIT
 * sessions; FIXED and PER_PROBE compute it): an answer to an older probe has it UNKNOWN.
 * {@code replyLength} is the echo reply's ICMP message length (header and data, as the socket hands it
 * over); UNKNOWN for errors (the error queue hands over the quote, not the ICMP error itself).
 *
 * <p>Quotes are checked whole ({@link IcmpEcho#checkQuote}): the cookie, the compensation
 * word the quoted sequence was sent with, the filler, and the checksum recomputed over a whole IPv4
 * quote. The error queue hands over no quoted IP header, so an 8-byte quote proves its sequence only
 * in a classic session (its checksum follows the sequence and must be that sequence's); under Paris
 * (every probe of a flow has the flow's checksum) it proves nothing and is counted as
 * {@link DropReason#QUOTE_TOO_SHORT}, not delivered: a router that quotes only RFC 792's 8 bytes is
 * then silent to this transport's Paris sessions (linux-raw-icmp proves them by its IP ID; Linux
 * routers quote everything). A quote that disagrees is {@link DropReason#UNRELATED}.
 *
 * <p>Payload size: {@link IcmpEchoFormat#MIN_DATA} to {@link IcmpEchoFormat#MAX_DATA} data bytes (default 32);
 * beyond the path MTU the kernel fragments the request (the socket's IP_MTU_DISCOVER is the
 * system default, which fragments locally).
 *
 * <p>Marking: {@link SessionSpec#trafficClass()} is set on the session's ping socket (IP_TOS, IPV6_TCLASS; the
 * kernel keeps the ECN bits of a datagram socket as given). No quoted IP header (QUOTED_HEADER): the error
 * queue hands over the quoted probe after its IP header, and the kernel keeps that header to itself.
 */
final class IcmpDgramTransport extends LinuxTransport {

    IcmpDgramTransport() {
        super(LinuxTransportKind.ICMP_DGRAM);
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        int length = IcmpEchoFormat.length(spec.payloadSize(), name());
        // the kernel makes the bound port the echo identifier
        @Nullable InetAddress source = null;
        if (spec.destination() instanceof Inet6Address) {
            NativeMemory scratch = NativeMemory.allocate(64);
            try {
                source = Sockets.routeSourceIfRouted(spec.destination(), scratch.pointer());
            } catch (Sockets.SocketError e) {
                throw e.toTransportException(name() + ": cannot open a session to "
                        + spec.destination().getHostAddress());
            } finally {
                scratch.free();
            }
        }
        SocketSession.Opened s = SocketSession.open(this, spec, Abi.IPPROTO_ICMP, Abi.IPPROTO_ICMPV6, 0,
                length, source);
        // -1: an IPv6 session opened while there was no route: the source, hence the wire checksum, is unknown
        int pseudoHeaderSum = source == null ? (spec.destination() instanceof Inet6Address ? -1 : 0)
                : InternetChecksum.pseudoHeaderSum(source.getAddress(), spec.destination().getAddress(),
                        Abi.IPPROTO_ICMPV6, length);
        return new Session(this, spec, listener, s.buffer(), s.fd(), s.boundPort(), pseudoHeaderSum, length);
    }

    private static final class Session extends SocketSession {
        /** Sent checksums remembered (EXPLICIT), by sequence modulo this. */
        static final int SENT_SLOTS = 1024;
        private final long cookie = IcmpEchoFormat.newCookie();
        private final int identifier;
        private final boolean perProbe;
        private final int fixedFlow;
        /** False for an IPv6 session opened with no route: its source address is not known. */
        private final boolean checksumKnown;
        /**
         * The sum of the request's words that never change (see {@link IcmpEcho#setProbe}), with the
         * ICMPv6 pseudo-header: the checksum the kernel computes is then the one aimed at.
         */
        private final int baseSum;
        /** The echo request's length: header and data. */
        private final int messageLength;
        /** EXPLICIT: per slot, {@code (sequence << 16 | checksum) + 1}; 0 when empty. */
        private final java.util.concurrent.atomic.@Nullable AtomicLongArray sent;

        Session(IcmpDgramTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer, int fd,
                int identifier, int pseudoHeaderSum, int length) {
            super(transport, spec, listener, 0xffff, IcmpEchoFormat.MAX_FLOW, buffer, fd);
            this.identifier = identifier;
            this.perProbe = spec.flowPolicy() == FlowPolicy.PER_PROBE;
            this.messageLength = length;
            IcmpEcho.writeRequest(buffer.packet(), length, destination.ipv6, identifier, cookie, false);
            this.baseSum = InternetChecksum.onesAdd(IcmpEcho.baseSum(buffer.packet(), length),
                    Math.max(0, pseudoHeaderSum));
            this.checksumKnown = pseudoHeaderSum >= 0;
            this.sent = spec.flowPolicy() == FlowPolicy.EXPLICIT
                    ? new java.util.concurrent.atomic.AtomicLongArray(SENT_SLOTS) : null;
            this.fixedFlow = spec.flowPolicy() == FlowPolicy.FIXED ? spec.flow() : 0;
            if (perProbe) {
                IcmpEcho.setClassicProbe(buffer.packet(), 0);
            }
            register();
        }

        @Override
        void prepare(int sequence, int flow) {
            if (perProbe) {
                IcmpEcho.setClassicProbe(sendBuffer.packet(), sequence);
                return;
            }
            IcmpEcho.setProbe(sendBuffer.packet(), baseSum, sequence, flow, false);
            if (sent != null) {
                sent.lazySet(sequence & (SENT_SLOTS - 1),
                        (((long) sequence << 16) | IcmpEchoFormat.flowChecksum(flow)) + 1);
            }
        }

        /** The checksum the probe with {@code sequence} was sent with, or UNKNOWN. */
        private int sentChecksum(int sequence) {
            if (!checksumKnown) {
                return ProbeResponse.UNKNOWN;
            }
            if (perProbe) {
                return ~InternetChecksum.onesAdd(baseSum, sequence) & 0xffff; // compensation word 0
            }
            if (sent == null) {
                return IcmpEchoFormat.flowChecksum(fixedFlow);
            }
            long v = sent.get(sequence & (SENT_SLOTS - 1)) - 1;
            return v >= 0 && (v >>> 16) == sequence ? (int) (v & 0xffff) : ProbeResponse.UNKNOWN;
        }

        @Override
        @Nullable DropReason onData(ReceiveBuffer buffer, int length) {
            int replyType = destination.ipv6 ? IcmpEchoFormat.ECHO_REPLY_V6 : IcmpEchoFormat.ECHO_REPLY;
            if (length < IcmpEchoFormat.HEADER) {
                return DropReason.MALFORMED;
            }
            int type = buffer.data().getByte(0) & 0xff;
            if (type != replyType) {
                return DropReason.MALFORMED;
            }
            if (!destination.matchesSockaddr(buffer.name(), 0)
                    || !IcmpEcho.replyMatches(buffer.data(), 0, length, cookie)) {
                return DropReason.UNRELATED;
            }
            int code = buffer.data().getByte(1) & 0xff;
            int sequence = IcmpEcho.sequence(buffer.data(), 0);
            return accept(new ProbeResponse(sequence, ResponseKind.ECHO_REPLY, type, code,
                    destination.address, buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, sentChecksum(sequence), List.of(), length));
        }

        @Override
        @Nullable DropReason onError(ReceiveBuffer buffer, int length) {
            ResponseKind kind = buffer.icmpErrorKind(destination.ipv6);
            int requestType = destination.ipv6 ? IcmpEchoFormat.ECHO_REQUEST_V6 : IcmpEchoFormat.ECHO_REQUEST;
            if (kind == null || length < IcmpEchoFormat.HEADER || (buffer.data().getByte(0) & 0xff) != requestType) {
                return DropReason.MALFORMED; // a local error, another ICMP type, or not our echo request
            }
            if (!destination.matchesSockaddr(buffer.name(), 0)
                    || !IcmpEcho.quoteMatches(buffer.data(), 0, length, cookie)) {
                return DropReason.UNRELATED;
            }
            int sequence = IcmpEcho.sequence(buffer.data(), 0);
            DropReason unproven = proveQuote(buffer.data(), length, sequence);
            if (unproven != null) {
                return unproven;
            }
            InetAddress responder = transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (responder == null) {
                return DropReason.MALFORMED;
            }
            return accept(new ProbeResponse(sequence, kind, buffer.errorType(),
                    buffer.errorCode(), responder, buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, IcmpEcho.checksumField(buffer.data(), 0), sentChecksum(sequence), List.of(),
                    ProbeResponse.UNKNOWN,
                    kind == ResponseKind.PACKET_TOO_BIG ? buffer.errorMtu() : ProbeResponse.UNKNOWN)); // ee_info
        }

        /**
         * Whether the quoted echo request ({@code length} bytes at {@code d}, as the error queue hands
         * it over) proves to be probe {@code sequence}: null, or why not. Every field as far as quoted
         * ({@link IcmpEcho#checkQuote}: cookie, compensation word, filler, the IPv4 checksum over a whole
         * quote). The error queue hands over no quoted IP header, so an 8-byte quote proves its sequence
         * only in a classic session (the checksum changes with the sequence: it must be that sequence's);
         * under Paris (every probe of a flow has the flow's checksum) it proves nothing and is
         * QUOTE_TOO_SHORT, not delivered.
         */
        @Nullable DropReason proveQuote(Pointer d, int length, int sequence) {
            int sent = sentChecksum(sequence);
            int compensation = perProbe ? 0
                    : IcmpEcho.expectedCompensation(checksumKnown ? baseSum : -1, sequence, sent);
            int proof = IcmpEcho.checkQuote(d, 0, length, messageLength, cookie, compensation, !destination.ipv6);
            if (proof == IcmpEcho.QUOTE_CONTRADICTS) {
                return DropReason.UNRELATED;
            }
            if (proof == IcmpEcho.QUOTE_PROVES) {
                return null;
            }
            if (perProbe && sent != ProbeResponse.UNKNOWN) {
                return IcmpEcho.checksumField(d, 0) == sent ? null : DropReason.UNRELATED;
            }
            return DropReason.QUOTE_TOO_SHORT;
        }

        @Override
        public String toString() {
            return "linux-icmp-dgram session[" + destination + ", id " + identifier
                    + (guard.isClosed() ? ", closed]" : "]");
        }
    }
}
