package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.EpollOps;
import io.pathprobe.linux.internal.socket.EpollRegistration;
import io.pathprobe.linux.internal.socket.Errno;
import io.pathprobe.linux.internal.socket.FdHandle;
import io.pathprobe.linux.internal.socket.FileDescriptor;
import io.pathprobe.linux.internal.socket.Posix;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * TCP SYN probes without privilege: every probe is a non-blocking {@code connect(2)} of a new TCP
 * socket with IP_TTL (IPV6_UNICAST_HOPS) set to the probe's TTL and IP_RECVERR (IPV6_RECVERR) on,
 * served by the transport's epoll thread.
 *
 * <h2>What answers look like to the socket</h2>
 * <ul>
 *   <li>An ICMP error about the SYN (Time Exceeded from a router, Destination Unreachable): for a
 *       socket in SYN_SENT, Linux ({@code tcp_v4_err}, {@code tcp_v6_err}) queues it on the error
 *       queue with the quoted TCP header as data, the router as offender and the quoted destination
 *       in msg_name, and fails the connect (EHOSTUNREACH...). Delivered as TIME_EXCEEDED or
 *       DESTINATION_UNREACHABLE with the kernel's receive timestamp (SO_TIMESTAMPNS) and the
 *       error's TTL; {@code quotedChecksum} is the quoted TCP checksum when the router quoted 18
 *       bytes of the TCP header or more (Linux routers quote it all), but {@code sentChecksum} is
 *       unknown (the kernel writes the segment), so QUOTED_CHECKSUM is not claimed.
 *   <li>A SYN-ACK: the connect succeeds (the socket is ESTABLISHED): TCP_SYN_ACK from the
 *       destination. The socket is closed at once with SO_LINGER 0. On the wire: SYN, SYN-ACK, then
 *       the kernel's ACK (sent before user space hears of the SYN-ACK), then RST (the abortive close).
 *   <li>A RST: the connect fails with ECONNREFUSED: TCP_RESET from the destination.
 * </ul>
 * SYN-ACK and RST carry no per-packet timestamp that a connecting socket can read: their
 * {@code receivedNanos} is CLOCK_REALTIME read on the I/O thread when epoll reported the socket
 * (the clock of the send time, taken right before connect(2)), so their RTT includes the wake-up
 * of the I/O thread. The transport does not claim KERNEL_TIMESTAMPS.
 *
 * <h2>Flows (what can and cannot be controlled this way)</h2>
 * The kernel chooses the initial sequence number, the IP ID and the TCP options of the SYN: no
 * probe number can ride in the packet. Each probe is its own socket, so answers are matched by
 * socket, exactly, whatever the router quotes (8 bytes are enough: the kernel finds the socket by
 * the quoted ports and checks the quoted sequence number). What the kernel checks is all that can
 * be checked here: a quote of another probe's sequence number or ports never reaches the
 * socket, but the kernel also takes a quote of the initial sequence number + 1 (tcp_v4_err: between
 * snd_una and snd_nxt), and the initial number is the kernel's secret, so such a forgery cannot be
 * told from the probe's answer. The quoted checksum is not recomputed: an address-translating NAT
 * that leaves the quote's checksum as translated (as many home routers do) would make every genuine
 * answer beyond it fail, while a rewritten sequence number never gets past the kernel. The destination port is always
 * {@code destinationPort}.
 * <ul>
 *   <li>{@link FlowPolicy#PER_PROBE} (classic): every probe gets a new ephemeral source port from
 *       the kernel (and, on IPv6, the kernel's automatic flow label, random per socket), so every
 *       probe is a flow of its own; any number of probes may be in flight.
 *   <li>{@link FlowPolicy#FIXED} (Paris): every probe of the session uses one source port, an
 *       ephemeral port the kernel picks when the session opens (a socket bound to it with
 *       SO_REUSEADDR is held, never connected or listening, for the session's life, so the kernel
 *       gives it to no other connect), to which each probe's socket binds with SO_REUSEADDR. Linux
 *       allows one connection per (source address, source port, destination address, destination
 *       port): a second connect(2) while the first is in SYN_SENT fails with EADDRNOTAVAIL
 *       (measured on Linux 6.18). So {@code maxInFlight()} is 1, and sending a probe first releases
 *       the previous one (connect(AF_UNSPEC), which sends nothing from SYN_SENT and sends a RST
 *       from ESTABLISHED); its answer, should it still come, is lost: the kernel finds no socket
 *       for it, or finds the next probe's (same 4-tuple) and drops an ICMP error quoting a sequence
 *       number outside that socket's snd_una..snd_nxt (TcpExtOutOfWindowIcmps; measured, and why the
 *       silent hops' waits cannot overlap: docs/transports.md); FlowsOnTheWireLabTest sends FIXED
 *       probes back to back and finds no answer credited to another probe. The spec's flow number is
 *       not mapped onto a port: a FIXED session is one flow,
 *       whichever the kernel's port; two sessions are two flows. On IPv6 the socket's automatic
 *       flow label would be random per socket (sk_txhash), so it is turned off
 *       (IPV6_AUTOFLOWLABEL 0): every probe of the session carries flow label 0 (unless the host
 *       forces automatic labels, net.ipv6.auto_flowlabels=2).
 *   <li>{@link FlowPolicy#EXPLICIT} is not offered: distinct flows would need distinct source
 *       ports, each with one probe in flight, while {@code maxInFlight()} is per session.
 * </ul>
 *
 * <h2>Retransmissions</h2>
 * Nothing is retransmitted: each probe's socket has TCP_SYNCNT 1 and is closed
 * {@value #PROBE_LIFETIME_MILLIS} ms after its SYN if nothing answered (the first SYN retransmission
 * would come after the initial RTO of 1 s), when its FIXED session sends the next probe, or when the
 * session closes. Closing a socket in SYN_SENT sends nothing.
 *
 * <h2>Marking</h2>
 * {@link SessionSpec#trafficClass()} is set on each probe's socket (IP_TOS, IPV6_TCLASS) before its
 * connect. Linux keeps the ECN bits of a TCP socket to itself (it replaces those of IP_TOS and IPV6_TCLASS
 * by its own: Not-ECT on a SYN), so the transport marks the DSCP only: a session asking for ECN bits other
 * than 00 (Not-ECT) is refused with {@link IllegalArgumentException} rather than sent with bits it did not
 * ask for. No quoted IP header ({@link io.pathprobe.spi.TransportCapability#QUOTED_HEADER}): the error queue
 * hands over the quoted TCP header only, without the IP header a router quoted.
 *
 * <p>Sequences 0 to 0xffff; they are only the session's names for its sockets.
 */
final class TcpConnectTransport extends LinuxTransport {
    /** How long a probe's socket waits for its answer. */
    static final long PROBE_LIFETIME_MILLIS = 900;
    private static final int TCP_INFO = 11;
    // tcpi_state values (include/net/tcp_states.h)
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_SYN_SENT = 2;
    private static final int TCP_CLOSE = 7;
    private static final int TCP_LISTEN = 10;

    TcpConnectTransport() {
        super(LinuxTransportKind.TCP_CONNECT);
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        if ((spec.trafficClass() & 0x03) != 0) {
            throw new IllegalArgumentException(name() + " cannot send ECN bits " + (spec.trafficClass() & 0x03)
                    + " (traffic class " + spec.trafficClass() + "): Linux sets the ECN bits of TCP sockets itself"
                    + " (Not-ECT on a SYN); only a DSCP (ECN 00) can be asked for");
        }
        SendBuffer buffer = new SendBuffer(spec.destination(), spec.destinationPort(), 0);
        boolean ipv6 = buffer.destinationLength() == Abi.SOCKADDR_IN6_SIZE;
        int holder = -1;
        int port = 0;
        if (spec.flowPolicy() == FlowPolicy.FIXED) {
            try {
                holder = Sockets.open(ipv6 ? Abi.AF_INET6 : Abi.AF_INET, Abi.SOCK_STREAM, Abi.IPPROTO_TCP);
                Sockets.setInt(holder, Abi.SOL_SOCKET, Abi.SO_REUSEADDR, 1, buffer.scratch(), "SO_REUSEADDR");
                port = Sockets.bindAny(holder, ipv6 ? Abi.AF_INET6 : Abi.AF_INET, buffer.scratch());
            } catch (Sockets.SocketError e) {
                Sockets.closeQuietly(holder);
                buffer.free();
                throw e.toTransportException(name() + ": cannot open a session to "
                        + spec.destination().getHostAddress());
            }
        }
        return new Session(this, spec, listener, buffer, ipv6, holder, port);
    }

    private static final class Session extends LinuxSession {
        private final boolean ipv6;
        private final boolean fixed;
        /** FIXED: the socket that holds the source port; -1 otherwise. */
        private final int holder;
        /** FIXED: the source port of every probe. */
        private final int sourcePort;
        private final Set<Probe> live = ConcurrentHashMap.newKeySet();
        /** FIXED: the last probe sent (the send thread's). */
        private volatile @Nullable Probe current;

        Session(TcpConnectTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer,
                boolean ipv6, int holder, int sourcePort) {
            super(transport, spec, listener, 0xffff, 0, buffer);
            this.ipv6 = ipv6;
            this.fixed = spec.flowPolicy() == FlowPolicy.FIXED;
            this.holder = holder;
            this.sourcePort = sourcePort;
        }

        @Override
        public int maxInFlight() {
            return fixed ? 1 : Integer.MAX_VALUE;
        }

        /** Whether a route lookup toward the destination (nothing sent) fails: no route, no source address. */
        private boolean unroutable(Pointer scratch) {
            try {
                Sockets.routeSource(destination.address, scratch);
                return false;
            } catch (Sockets.SocketError e) {
                return Errno.isUnroutable(e.errno);
            }
        }

        @Override
        long send0(int sequence, int ttl, int flow) throws SendFailedException {
            Pointer scratch = sendBuffer.scratch();
            Probe previous = current;
            if (previous != null) {
                current = null;
                previous.supersede(scratch);
            }
            int fd;
            try {
                fd = Sockets.open(ipv6 ? Abi.AF_INET6 : Abi.AF_INET, Abi.SOCK_STREAM, Abi.IPPROTO_TCP);
            } catch (Sockets.SocketError e) {
                throw new SendFailedException(e.getMessage(), false);
            }
            long sentAt;
            int errno;
            try {
                configure(fd, ttl, scratch);
                if (fixed) {
                    Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_REUSEADDR, 1, scratch, "SO_REUSEADDR");
                    bindSourcePort(fd, scratch);
                }
                LibC libc = Posix.libc();
                sentAt = sendBuffer.now();
                errno = libc.connect(fd, sendBuffer.destination(), sendBuffer.destinationLength()) == 0 ? 0
                        : Posix.errno();
            } catch (Sockets.SocketError e) {
                Sockets.closeQuietly(fd);
                throw new SendFailedException(e.getMessage(), false);
            }
            if (errno != 0 && errno != Errno.EINPROGRESS && errno != Errno.ECONNREFUSED) {
                Sockets.closeQuietly(fd);
                // EADDRNOTAVAIL is also a fixed source port still taken: permanent only when the route lookup fails too
                throw new SendFailedException(Posix.describe("connect", errno), Errno.isNoRoute(errno),
                        Errno.isUnroutable(errno) && unroutable(scratch));
            }
            Probe probe = new Probe(this, fd, sequence, errno == Errno.ECONNREFUSED);
            live.add(probe);
            if (fixed) {
                current = probe;
            }
            if (!transport.loop.execute(probe::register)) {
                probe.finish();
                throw new IllegalStateException("transport is closed");
            }
            return sentAt;
        }

        private void configure(int fd, int ttl, Pointer scratch) throws Sockets.SocketError {
            if (ipv6) {
                Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_UNICAST_HOPS, ttl, scratch, "IPV6_UNICAST_HOPS");
                Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_RECVERR, 1, scratch, "IPV6_RECVERR");
                Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_RECVHOPLIMIT, 1, scratch, "IPV6_RECVHOPLIMIT");
                if (fixed) {
                    Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_AUTOFLOWLABEL, 0, scratch, "IPV6_AUTOFLOWLABEL");
                }
            } else {
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_TTL, ttl, scratch, "IP_TTL");
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_RECVERR, 1, scratch, "IP_RECVERR");
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_RECVTTL, 1, scratch, "IP_RECVTTL");
            }
            Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, scratch, "SO_TIMESTAMPNS");
            SocketSession.setTrafficClass(fd, ipv6, trafficClass, scratch);
            Sockets.setInt(fd, Abi.IPPROTO_TCP, Abi.TCP_SYNCNT, 1, scratch, "TCP_SYNCNT");
            scratch.putInt(0, 1); // struct linger { l_onoff 1, l_linger 0 }: close() aborts, never lingers
            scratch.putInt(4, 0);
            if (Posix.libc().setsockopt(fd, Abi.SOL_SOCKET, Abi.SO_LINGER, scratch, 8) != 0) {
                throw new Sockets.SocketError("setsockopt(SO_LINGER)", Posix.errno());
            }
        }

        private void bindSourcePort(int fd, Pointer scratch) throws Sockets.SocketError {
            scratch.setMemory(0, 32, (byte) 0);
            scratch.putShort(Abi.SA_FAMILY, (short) (ipv6 ? Abi.AF_INET6 : Abi.AF_INET));
            Sockets.writePort(scratch, sourcePort);
            if (Posix.libc().bind(fd, scratch, ipv6 ? Abi.SOCKADDR_IN6_SIZE : Abi.SOCKADDR_IN_SIZE) != 0) {
                throw new Sockets.SocketError("bind(port " + sourcePort + ")", Posix.errno());
            }
        }

        @Override
        void drainPending() {
            for (Probe p : live) {
                p.poll();
            }
        }

        @Override
        void disposeResources() {
            for (Probe p : live) {
                p.finish();
            }
            Sockets.closeQuietly(holder);
        }

        @Override
        public String toString() {
            return "linux-tcp-connect session[" + destination + (fixed ? ", source port " + sourcePort : "")
                    + (guard.isClosed() ? ", closed]" : "]");
        }
    }

    /** One probe: its socket, from connect(2) until its answer, its lifetime's end or its session's. */
    private static final class Probe {
        private final Session session;
        private final int fd;
        private final FileDescriptor fileDescriptor;
        private final int sequence;
        /** connect(2) itself returned ECONNREFUSED (the RST was processed before it returned). */
        private final boolean refusedAtOnce;
        private final ReceiveBuffer.Handler errorHandler = this::onError;
        // guarded by this
        private @Nullable EpollRegistration registration;
        private boolean superseded;
        private boolean answered;
        private boolean closed;

        Probe(Session session, int fd, int sequence, boolean refusedAtOnce) {
            this.session = session;
            this.fd = fd;
            this.fileDescriptor = new FileDescriptor(fd);
            this.sequence = sequence;
            this.refusedAtOnce = refusedAtOnce;
        }

        /** On the I/O thread, right after the send. */
        synchronized void register() {
            if (closed) {
                return;
            }
            try {
                registration = session.transport.loop.registerInLoop(
                        new FdHandle(fileDescriptor, ops -> poll(), this::finish), EpollOps.EPOLLOUT);
            } catch (RuntimeException e) {
                session.transport.loopFailure(e);
                finish();
                return;
            }
            session.transport.loop.schedule(this::finish, TimeUnit.MILLISECONDS.toNanos(PROBE_LIFETIME_MILLIS));
            poll(); // whatever happened before the registration (epoll would report it too: level-triggered)
        }

        /**
         * On the send thread (FIXED): frees the 4-tuple for the next probe now; the socket is closed on the I/O thread.
         */
        void supersede(Pointer scratch) {
            synchronized (this) {
                if (closed || superseded) {
                    return;
                }
                superseded = true;
                scratch.setMemory(0, 16, (byte) 0); // AF_UNSPEC: tcp_disconnect()
                Posix.libc().connect(fd, scratch, Abi.SOCKADDR_IN_SIZE);
            }
            if (!session.transport.loop.execute(this::finish)) {
                finish(); // the I/O thread is gone: nobody else touches the socket
            }
        }

        /**
         * On the I/O thread: reads what the socket has to say: the error queue (an ICMP error), then
         * the connection's state (TCP_INFO) and pending error (SO_ERROR). Still SYN_SENT: nothing yet.
         */
        synchronized void poll() {
            if (closed || superseded || answered) {
                return;
            }
            if (!session.guard.enter()) {
                return; // closing: the disposal closes the socket
            }
            try {
                LinuxTransport t = session.transport;
                t.receiveBuffer.drain(fd, Abi.MSG_ERRQUEUE, 4, errorHandler, t.counters, t.loopFailures);
                if (answered) {
                    finish();
                    return;
                }
                int info = t.receiveBuffer.getInt(fd, Abi.IPPROTO_TCP, TCP_INFO); // first byte: tcpi_state
                int state = info < 0 ? -1 : info & 0xff;
                if (state == TCP_SYN_SENT) {
                    return; // still waiting
                }
                int error = t.receiveBuffer.clearSocketError(fd);
                ResponseKind kind = null;
                if (error == Errno.ECONNREFUSED || (state == TCP_CLOSE && error == 0 && refusedAtOnce)) {
                    kind = ResponseKind.TCP_RESET; // a RST in SYN_SENT
                } else if (state == TCP_ESTABLISHED
                        || (state > TCP_SYN_SENT && state != TCP_CLOSE && state != TCP_LISTEN)
                        || error == Errno.ECONNRESET || error == Errno.EPIPE) {
                    // Connected: ESTABLISHED, or already past it (the server closed at once: CLOSE_WAIT;
                    // or reset the connection it had accepted: ECONNRESET).
                    kind = ResponseKind.TCP_SYN_ACK;
                }
                if (kind != null) {
                    t.counters.read();
                    t.counters.outcome(session.accept(new ProbeResponse(sequence, kind, ProbeResponse.UNKNOWN,
                            ProbeResponse.UNKNOWN, session.destination.address, t.receiveBuffer.now())));
                    answered = true;
                }
                // Otherwise the connect failed without an answer (ETIMEDOUT; EHOSTUNREACH from a failed
                // neighbour resolution here): nothing was read.
                finish();
            } catch (RuntimeException e) {
                session.transport.loopFailure(e);
                finish();
            } finally {
                session.guard.exit();
            }
        }

        private @Nullable DropReason onError(ReceiveBuffer buffer, int length) {
            if (!buffer.hasError() || buffer.offenderOffset() < 0) {
                return DropReason.MALFORMED;
            }
            ResponseKind kind = buffer.icmpErrorKind(session.destination.ipv6);
            if (kind == null) {
                return DropReason.MALFORMED; // a local error or another ICMP type
            }
            if (!session.destination.matchesSockaddr(buffer.name(), 0)) {
                return DropReason.UNRELATED;
            }
            InetAddress responder = session.transport.addresses.fromSockaddr(buffer.control(), buffer.offenderOffset());
            if (responder == null) {
                return DropReason.MALFORMED;
            }
            int quotedChecksum = length >= 18 ? Sockets.readBigEndianShort(buffer.data(), 16) : ProbeResponse.UNKNOWN;
            answered = true;
            return session.accept(new ProbeResponse(sequence, kind, buffer.errorType(), buffer.errorCode(), responder,
                    buffer.timestampNanos(), buffer.replyTtl(), ProbeResponse.UNKNOWN, ProbeResponse.UNKNOWN,
                    quotedChecksum, ProbeResponse.UNKNOWN, List.of()));
        }

        /** Closes the socket (once); on the I/O thread, or anywhere once it is gone or before registration. */
        synchronized void finish() {
            if (closed) {
                return;
            }
            closed = true;
            session.live.remove(this);
            FdHandle.deregisterAndClose(registration, fileDescriptor, session.transport::loopFailure);
        }
    }
}
