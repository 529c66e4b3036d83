package io.pathprobe.linux.internal;

import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;

/**
 * UDP probes through an ordinary UDP socket per session with IP_RECVERR (IPV6_RECVERR): no
 * privilege and no sysctl needed, as tracepath does it. The sequence number rides in the
 * destination port (port = destinationPort + sequence): the error queue's msg_name gives the
 * original destination address and port, which the kernel takes from the quoted UDP header, so it
 * survives routers that quote only 8 bytes. Time Exceeded comes from routers, Port Unreachable
 * from the destination; other unreachables are delivered with their code.
 */
final class UdpTransport extends LinuxTransport {
    /** UDP payload: with the headers a 60-byte packet, as Linux traceroute sends. */
    static final int PAYLOAD = 32;

    UdpTransport() {
        super(LinuxTransportKind.UDP_RECVERR);
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        SocketSession.Opened s = SocketSession.open(this, spec, Abi.IPPROTO_UDP, Abi.IPPROTO_UDP, spec.destinationPort(), PAYLOAD);
        return new Session(this, spec, listener, s.buffer(), s.fd());
    }

    private static final class Session extends SocketSession {
        private final int basePort;

        Session(UdpTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer, int fd) {
            super(transport, spec, listener, 65535 - spec.destinationPort(), buffer, fd);
            this.basePort = spec.destinationPort();
            buffer.packet().setMemory(0, PAYLOAD, (byte) 0);
            register();
        }

        @Override
        void prepare(int sequence) {
            sendBuffer.setPort(basePort + sequence);
        }

        @Override
        void onData(ReceiveBuffer buffer, int length) {
            transport.stats.dropped++; // someone sent us a datagram: not an answer to a probe
        }

        @Override
        void onError(ReceiveBuffer buffer, int length) {
            ResponseKind kind = buffer.icmpErrorKind(destination.ipv6);
            if (kind == null || !destination.matchesSockaddr(buffer.name(), 0)) {
                transport.stats.dropped++;
                return;
            }
            int sequence = Sockets.readPort(buffer.name(), 0) - basePort;
            InetAddress responder = transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (sequence < 0 || responder == null) {
                transport.stats.dropped++;
                return;
            }
            deliver(sequence, kind, buffer.errorType(), buffer.errorCode(), responder, buffer.timestampNanos());
        }

        @Override
        public String toString() {
            return "linux-udp-recverr session[" + destination + ":" + basePort + (guard.isClosed() ? ", closed]" : "]");
        }
    }
}
