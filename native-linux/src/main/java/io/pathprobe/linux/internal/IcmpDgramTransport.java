package io.pathprobe.linux.internal;

import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
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
 * <p>Flows ({@link IcmpEcho}): sessions of {@link io.pathprobe.spi.FlowPolicy#FIXED} send every probe
 * with the checksum of the spec's flow, {@link io.pathprobe.spi.FlowPolicy#EXPLICIT} with that of the
 * probe's flow (0 to {@value IcmpEcho#MAX_FLOW}); the kernel computes exactly that checksum.
 * {@link io.pathprobe.spi.FlowPolicy#PER_PROBE} is not offered: nothing here varies per probe.
 *
 * <p>Answers: {@code replyTtl} is the TTL (hop limit) of the echo reply or of the ICMP error, from
 * the IP_TTL (IPV6_HOPLIMIT) control message. The error queue hands over only the quoted ICMP
 * message, not the quoted IP header nor RFC 4884 extensions: {@code quotedTtl}, {@code quotedIpId},
 * {@code quotedChecksum} are {@link ProbeResponse#UNKNOWN} and {@code extensions} empty.
 */
final class IcmpDgramTransport extends LinuxTransport {

    IcmpDgramTransport() {
        super(LinuxTransportKind.ICMP_DGRAM);
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        // the kernel makes the bound port the echo identifier
        SocketSession.Opened s = SocketSession.open(this, spec, Abi.IPPROTO_ICMP, Abi.IPPROTO_ICMPV6, 0, IcmpEcho.LENGTH);
        return new Session(this, spec, listener, s.buffer(), s.fd(), s.boundPort());
    }

    private static final class Session extends SocketSession {
        private final long cookie = IcmpEcho.newCookie();
        private final int identifier;
        /** The sum of the request's words that never change (see {@link IcmpEcho#setProbe}). */
        private final int baseSum;

        Session(IcmpDgramTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer, int fd,
                int identifier) {
            super(transport, spec, listener, 0xffff, IcmpEcho.MAX_FLOW, buffer, fd);
            this.identifier = identifier;
            IcmpEcho.writeRequest(buffer.packet(), destination.ipv6, identifier, cookie, false);
            this.baseSum = IcmpEcho.baseSum(buffer.packet());
            register();
        }

        @Override
        void prepare(int sequence, int flow) {
            IcmpEcho.setProbe(sendBuffer.packet(), baseSum, sequence, flow, false);
        }

        @Override
        @Nullable DropReason onData(ReceiveBuffer buffer, int length) {
            int replyType = destination.ipv6 ? IcmpEcho.ECHO_REPLY_V6 : IcmpEcho.ECHO_REPLY;
            if (length < IcmpEcho.HEADER) {
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
            return deliver(new ProbeResponse(IcmpEcho.sequence(buffer.data(), 0), ResponseKind.ECHO_REPLY, type, code,
                    destination.address, buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of()));
        }

        @Override
        @Nullable DropReason onError(ReceiveBuffer buffer, int length) {
            ResponseKind kind = buffer.icmpErrorKind(destination.ipv6);
            int requestType = destination.ipv6 ? IcmpEcho.ECHO_REQUEST_V6 : IcmpEcho.ECHO_REQUEST;
            if (kind == null || length < IcmpEcho.HEADER || (buffer.data().getByte(0) & 0xff) != requestType) {
                return DropReason.MALFORMED; // a local error, another ICMP type, or not our echo request
            }
            if (!destination.matchesSockaddr(buffer.name(), 0)
                    || !IcmpEcho.quoteMatches(buffer.data(), 0, length, cookie)) {
                return DropReason.UNRELATED;
            }
            InetAddress responder = transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (responder == null) {
                return DropReason.MALFORMED;
            }
            return deliver(new ProbeResponse(IcmpEcho.sequence(buffer.data(), 0), kind, buffer.errorType(),
                    buffer.errorCode(), responder, buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of()));
        }

        @Override
        public String toString() {
            return "linux-icmp-dgram session[" + destination + ", id " + identifier
                    + (guard.isClosed() ? ", closed]" : "]");
        }
    }
}
