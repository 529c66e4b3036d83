package io.pathprobe.linux.internal;

import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;

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

        Session(IcmpDgramTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer, int fd,
                int identifier) {
            super(transport, spec, listener, 0xffff, buffer, fd);
            this.identifier = identifier;
            IcmpEcho.writeRequest(buffer.packet(), destination.ipv6, identifier, cookie, false);
            register();
        }

        @Override
        void prepare(int sequence) {
            IcmpEcho.setSequence(sendBuffer.packet(), sequence);
        }

        @Override
        void onData(ReceiveBuffer buffer, int length) {
            int replyType = destination.ipv6 ? IcmpEcho.ECHO_REPLY_V6 : IcmpEcho.ECHO_REPLY;
            int type = length >= IcmpEcho.HEADER ? buffer.data().getByte(0) & 0xff : -1;
            if (type != replyType
                    || !destination.matchesSockaddr(buffer.name(), 0)
                    || !IcmpEcho.replyMatches(buffer.data(), 0, length, cookie)) {
                transport.stats.dropped++;
                return;
            }
            int code = buffer.data().getByte(1) & 0xff;
            deliver(IcmpEcho.sequence(buffer.data(), 0), ResponseKind.ECHO_REPLY, type, code, destination.address,
                    buffer.timestampNanos());
        }

        @Override
        void onError(ReceiveBuffer buffer, int length) {
            ResponseKind kind = buffer.icmpErrorKind(destination.ipv6);
            int requestType = destination.ipv6 ? IcmpEcho.ECHO_REQUEST_V6 : IcmpEcho.ECHO_REQUEST;
            if (kind == null
                    || length < IcmpEcho.HEADER
                    || (buffer.data().getByte(0) & 0xff) != requestType
                    || !destination.matchesSockaddr(buffer.name(), 0)
                    || !IcmpEcho.quoteMatches(buffer.data(), 0, length, cookie)) {
                transport.stats.dropped++;
                return;
            }
            InetAddress responder = transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (responder == null) {
                transport.stats.dropped++;
                return;
            }
            deliver(IcmpEcho.sequence(buffer.data(), 0), kind, buffer.errorType(), buffer.errorCode(), responder,
                    buffer.timestampNanos());
        }

        @Override
        public String toString() {
            return "linux-icmp-dgram session[" + destination + ", id " + identifier
                    + (guard.isClosed() ? ", closed]" : "]");
        }
    }
}
