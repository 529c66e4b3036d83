package io.pathprobe.linux.internal;

import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jnr.ffi.Pointer;

/**
 * ICMP echo through ONE raw socket (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), needs CAP_NET_RAW)
 * shared by every session of the transport. Each session gets its own 16-bit echo identifier; the
 * transport builds the echo request (and its checksum) itself.
 *
 * <p>The socket receives every ICMP message the host gets, IP header included; ICMP_FILTER lets
 * through only echo reply (0), destination unreachable (3) and time exceeded (11). Echo replies are
 * demultiplexed by identifier; errors by the identifier of the quoted echo request (after the
 * quoted IP header, whose length is read from its IHL), and only if the quoted destination is the
 * session's. Everything else (other programs' pings, errors about other traffic) is counted as
 * dropped. The receive buffer is enlarged because a hundred concurrent traces share it.
 */
final class RawIcmpTransport extends LinuxTransport {
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int BUDGET = 256;
    private static final int IDENTIFIERS = 1 << 16;

    private final int fd;
    private final FileDescriptor fileDescriptor;
    private final UseGuard socketGuard = new UseGuard(this::socketReleased);
    private final AtomicBoolean socketDisposed = new AtomicBoolean();
    private volatile boolean socketReleased;
    private final IoRegistration registration;
    private final AtomicReferenceArray<Session> sessionsByIdentifier = new AtomicReferenceArray<>(IDENTIFIERS);
    /** Where the search for a free identifier starts: identifiers are reused as late as possible. */
    private final AtomicInteger nextIdentifier = new AtomicInteger(ThreadLocalRandom.current().nextInt(IDENTIFIERS));

    RawIcmpTransport() {
        super(LinuxTransportKind.RAW_ICMP);
        int socket = -1;
        NativeMemory scratch = null;
        try {
            socket = Sockets.open(Abi.AF_INET, Abi.SOCK_RAW, Abi.IPPROTO_ICMP);
            scratch = NativeMemory.allocate(16);
            Pointer p = scratch.pointer();
            int wanted = (1 << IcmpEcho.ECHO_REPLY) | (1 << IcmpEcho.DEST_UNREACH) | (1 << IcmpEcho.TIME_EXCEEDED);
            Sockets.setInt(socket, Abi.SOL_RAW, Abi.ICMP_FILTER, ~wanted, p, "ICMP_FILTER");
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
            registration = loop.register(new FdHandle(fileDescriptor, this::onReady, socketGuard::close));
        } catch (RuntimeException e) {
            FdHandle.deregisterAndClose(null, fileDescriptor, this::loopFailure);
            abandon();
            throw e;
        }
    }

    @Override
    LinuxSession newSession(SessionSpec spec, ResponseListener listener) {
        SendBuffer buffer = new SendBuffer(spec.destination(), 0, IcmpEcho.LENGTH);
        Session session = new Session(this, spec, listener, buffer);
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

    private final class Session extends LinuxSession {
        private final long cookie = IcmpEcho.newCookie();
        private int identifier = -1;

        Session(RawIcmpTransport transport, SessionSpec spec, ResponseListener listener, SendBuffer buffer) {
            super(transport, spec, listener, 0xffff, buffer);
        }

        void start(int identifier) {
            this.identifier = identifier;
            IcmpEcho.writeRequest(sendBuffer.packet(), false, identifier, cookie, true);
        }

        @Override
        long send0(int sequence, int ttl) throws SendFailedException {
            IcmpEcho.setSequence(sendBuffer.packet(), sequence); // the checksum stays valid
            if (!socketGuard.enter()) {
                throw new IllegalStateException("transport is closed");
            }
            try {
                return sendBuffer.send(fd, ttl);
            } finally {
                socketGuard.exit();
            }
        }

        @Override
        void drainPending() {
            drainAll();
        }

        @Override
        void onClose() {
            sessionsByIdentifier.compareAndSet(identifier, this, null);
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

    private void onReady(EpollIoOps ops) {
        if (!socketGuard.enter()) {
            return;
        }
        try {
            if (ops.contains(EpollIoOps.EPOLLERR)) {
                receiveBuffer.clearSocketError(fd);
            }
            if (ops.contains(EpollIoOps.EPOLLIN)) {
                drain(BUDGET);
            }
        } catch (Throwable t) { // never let anything escape into Netty's loop
            loopFailure(t);
        } finally {
            socketGuard.exit();
        }
    }

    /** On the I/O thread: reads the shared socket to the end (for {@code afterPendingAnswers}). */
    private void drainAll() {
        if (!socketGuard.enter()) {
            return;
        }
        try {
            drain(Integer.MAX_VALUE);
        } finally {
            socketGuard.exit();
        }
    }

    private void drain(int budget) {
        ReceiveBuffer buffer = receiveBuffer;
        int failures = 0;
        for (int i = 0; i < budget; i++) {
            int n = buffer.receive(fd, 0);
            if (n < 0) {
                if (-n == Errno.EAGAIN || ++failures > 2) {
                    break;
                }
                continue;
            }
            stats.received++;
            onPacket(buffer, n);
        }
    }

    /** An IPv4 packet (header included) carrying ICMP: an answer for one of the sessions, or not. */
    private void onPacket(ReceiveBuffer buffer, int length) {
        Pointer d = buffer.data();
        int ihl = ipv4HeaderLength(d, 0, length);
        if (ihl < 0 || length < ihl + IcmpEcho.HEADER) {
            stats.dropped++;
            return;
        }
        int source = Sockets.readBigEndianInt(d, 12);
        int type = d.getByte(ihl) & 0xff;
        int code = d.getByte(ihl + 1) & 0xff;
        if (type == IcmpEcho.ECHO_REPLY) {
            Session s = sessionsByIdentifier.get(IcmpEcho.identifier(d, ihl));
            if (s == null || !s.destination.isIpv4(source) || !IcmpEcho.replyMatches(d, ihl, length - ihl, s.cookie)) {
                stats.dropped++;
                return;
            }
            s.deliver(IcmpEcho.sequence(d, ihl), ResponseKind.ECHO_REPLY, type, code, s.destination.address,
                    buffer.timestampNanos());
            return;
        }
        ResponseKind kind = type == IcmpEcho.TIME_EXCEEDED ? ResponseKind.TIME_EXCEEDED
                : type == IcmpEcho.DEST_UNREACH ? ResponseKind.DESTINATION_UNREACHABLE : null;
        int quote = ihl + IcmpEcho.HEADER;
        int quotedIhl = kind == null ? -1 : ipv4HeaderLength(d, quote, length - quote);
        if (quotedIhl < 0 || (d.getByte(quote + 9) & 0xff) != Abi.IPPROTO_ICMP) {
            stats.dropped++;
            return;
        }
        int quotedIcmp = quote + quotedIhl;
        int available = length - quotedIcmp;
        int quotedTotalLength = Sockets.readBigEndianShort(d, quote + 2);
        if (quotedTotalLength >= quotedIhl + IcmpEcho.HEADER) {
            available = Math.min(available, quotedTotalLength - quotedIhl); // ignore RFC 4884 extensions
        }
        if (available < IcmpEcho.HEADER || (d.getByte(quotedIcmp) & 0xff) != IcmpEcho.ECHO_REQUEST) {
            stats.dropped++;
            return;
        }
        Session s = sessionsByIdentifier.get(IcmpEcho.identifier(d, quotedIcmp));
        if (s == null || !s.destination.isIpv4(Sockets.readBigEndianInt(d, quote + 16))
                || !IcmpEcho.quoteMatches(d, quotedIcmp, available, s.cookie)) {
            stats.dropped++;
            return;
        }
        s.deliver(IcmpEcho.sequence(d, quotedIcmp), kind, type, code, addresses.ipv4(source), buffer.timestampNanos());
    }

    /** The header length of the IPv4 header at {@code offset}, or -1 if there is none. */
    private static int ipv4HeaderLength(Pointer d, int offset, int available) {
        if (available < 20) {
            return -1;
        }
        int versionAndIhl = d.getByte(offset) & 0xff;
        int ihl = (versionAndIhl & 0x0f) * 4;
        return (versionAndIhl >>> 4) == 4 && ihl >= 20 && ihl <= available ? ihl : -1;
    }

    @Override
    void closeShared() {
        socketGuard.close();
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
    }

    private void disposeSocket() {
        if (!socketDisposed.compareAndSet(false, true)) {
            return;
        }
        FdHandle.deregisterAndClose(registration, fileDescriptor, this::loopFailure);
    }
}
