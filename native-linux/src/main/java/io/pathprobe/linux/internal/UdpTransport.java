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
 * UDP probes through an ordinary UDP socket per session with IP_RECVERR (IPV6_RECVERR): no
 * privilege and no sysctl needed, as tracepath does it. The sequence number rides in the
 * destination port (port = destinationPort + sequence): the error queue's msg_name gives the
 * original destination address and port, which the kernel takes from the quoted UDP header, so it
 * survives routers that quote only 8 bytes. Time Exceeded comes from routers, Port Unreachable
 * from the destination; other unreachables are delivered with their code.
 *
 * <p>Flows: since the destination port changes with every probe, so does the flow a load balancer
 * sees: only {@link io.pathprobe.spi.FlowPolicy#PER_PROBE} (classic traceroute) is offered.
 *
 * <p>Answers: {@code replyTtl} is the TTL (hop limit) of the ICMP error, from the IP_TTL
 * (IPV6_HOPLIMIT) control message. The error queue hands over only the quoted UDP payload (and, in
 * msg_name, the quoted destination address and port), not the quoted IP or UDP header nor RFC 4884
 * extensions: {@code quotedTtl}, {@code quotedIpId}, {@code quotedChecksum} are
 * {@link ProbeResponse#UNKNOWN} and {@code extensions} empty.
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
            super(transport, spec, listener, 65535 - spec.destinationPort(), 0, buffer, fd);
            this.basePort = spec.destinationPort();
            buffer.packet().setMemory(0, PAYLOAD, (byte) 0);
            register();
        }

        @Override
        void prepare(int sequence, int flow) {
            sendBuffer.setPort(basePort + sequence); // PER_PROBE: the flow changes with the port
        }

        @Override
        @Nullable DropReason onData(ReceiveBuffer buffer, int length) {
            return DropReason.MALFORMED; // someone sent us a datagram: not an answer to a probe
        }

        @Override
        @Nullable DropReason onError(ReceiveBuffer buffer, int length) {
            ResponseKind kind = buffer.icmpErrorKind(destination.ipv6);
            if (kind == null) {
                return DropReason.MALFORMED; // a local error or another ICMP type
            }
            if (!destination.matchesSockaddr(buffer.name(), 0)) {
                return DropReason.UNRELATED;
            }
            int sequence = Sockets.readPort(buffer.name(), 0) - basePort;
            if (sequence < 0) {
                return DropReason.UNRELATED;
            }
            InetAddress responder = transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (responder == null) {
                return DropReason.MALFORMED;
            }
            return deliver(new ProbeResponse(sequence, kind, buffer.errorType(), buffer.errorCode(), responder,
                    buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                    ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN, List.of()));
        }

        @Override
        public String toString() {
            return "linux-udp-recverr session[" + destination + ":" + basePort + (guard.isClosed() ? ", closed]" : "]");
        }
    }
}
