package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.EpollOps;
import io.pathprobe.linux.internal.socket.EpollRegistration;
import io.pathprobe.linux.internal.socket.FdHandle;
import io.pathprobe.linux.internal.socket.FileDescriptor;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.net.Inet6Address;
import org.jspecify.annotations.Nullable;

/**
 * A session that owns its socket (ping socket or UDP socket), registered with the transport's epoll
 * thread. The socket has IP_RECVERR on: ICMP errors about its probes queue on its error queue, and
 * epoll reports EPOLLERR.
 *
 * <p>An ICMP error also sets the socket's pending error (sk_err). That keeps EPOLLERR raised and
 * makes the next plain recvmsg (and sendmsg, see {@link SendBuffer#send}) fail once with that errno.
 * So the error queue is drained until EAGAIN and then SO_ERROR is read to clear it, and a failing
 * plain recvmsg is simply retried.
 */
abstract class SocketSession extends LinuxSession {
    /** Messages read per readiness event and queue, so that one busy socket cannot starve the others. */
    private static final int BUDGET = 64;

    final int fd;
    private final FileDescriptor fileDescriptor;
    private volatile @Nullable EpollRegistration registration;
    /** Allocated once: the drain loops run per readiness event. */
    private final ReceiveBuffer.Handler dataHandler = this::onData;
    private final ReceiveBuffer.Handler errorHandler = (buffer, length) ->
            buffer.hasError() && buffer.offenderOffset() >= 0 ? onError(buffer, length) : DropReason.MALFORMED;

    /** A configured socket (IP_RECVERR, SO_TIMESTAMPNS, bound to an ephemeral port) and its send buffer. */
    record Opened(int fd, SendBuffer buffer, int boundPort) {}

    /**
     * Opens a session's datagram socket toward {@code spec.destination()} with {@code protocol}
     * (chosen by family), configures it and prepares a send buffer for {@code packetLength} bytes
     * to {@code port}. Leaves nothing open when it fails.
     *
     * @throws io.pathprobe.spi.TransportException when a system call fails, naming it and its errno
     */
    static Opened open(LinuxTransport transport, SessionSpec spec, int ipv4Protocol, int ipv6Protocol, int port,
            int packetLength) {
        return open(transport, spec, ipv4Protocol, ipv6Protocol, port, packetLength, null);
    }

    /**
     * {@link #open(LinuxTransport, SessionSpec, int, int, int, int)}, bound to {@code source} (port
     * 0) when it is not null: the source address of every probe is then known, for a checksum that
     * covers it (UDP, ICMPv6).
     */
    static Opened open(LinuxTransport transport, SessionSpec spec, int ipv4Protocol, int ipv6Protocol, int port,
            int packetLength, java.net.@Nullable InetAddress source) {
        boolean ipv6 = spec.destination() instanceof Inet6Address;
        int family = ipv6 ? Abi.AF_INET6 : Abi.AF_INET;
        String what = transport.name() + ": cannot open a session to " + spec.destination().getHostAddress();
        int fd;
        try {
            fd = Sockets.open(family, Abi.SOCK_DGRAM, ipv6 ? ipv6Protocol : ipv4Protocol);
        } catch (Sockets.SocketError e) {
            throw e.toTransportException(what);
        }
        SendBuffer buffer;
        try {
            buffer = new SendBuffer(spec.destination(), port, packetLength);
        } catch (RuntimeException | Error e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
        try {
            if (ipv6) {
                Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_RECVERR, 1, buffer.scratch(), "IPV6_RECVERR");
                Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_RECVHOPLIMIT, 1, buffer.scratch(), "IPV6_RECVHOPLIMIT");
            } else {
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_RECVERR, 1, buffer.scratch(), "IP_RECVERR");
                Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_RECVTTL, 1, buffer.scratch(), "IP_RECVTTL");
            }
            Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, buffer.scratch(), "SO_TIMESTAMPNS");
            setTrafficClass(fd, ipv6, spec.trafficClass(), buffer.scratch());
            int bound = source == null ? Sockets.bindAny(fd, family, buffer.scratch())
                    : Sockets.bind(fd, source, 0, buffer.scratch());
            return new Opened(fd, buffer, bound);
        } catch (Sockets.SocketError e) {
            Sockets.closeQuietly(fd);
            buffer.free();
            throw e.toTransportException(what);
        }
    }

    /**
     * Marks every packet of the socket {@code fd} with {@code trafficClass} (0: leaves the socket's default):
     * IP_TOS (IPv4; the kernel keeps the ECN bits for datagram sockets, replaces them by its own for TCP ones) or
     * IPV6_TCLASS (IPv6).
     */
    static void setTrafficClass(int fd, boolean ipv6, int trafficClass, Pointer scratch)
            throws Sockets.SocketError {
        if (trafficClass == 0) {
            return;
        }
        if (ipv6) {
            Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_TCLASS, trafficClass, scratch, "IPV6_TCLASS");
        } else {
            Sockets.setInt(fd, Abi.SOL_IP, Abi.IP_TOS, trafficClass, scratch, "IP_TOS");
        }
    }

    /** Takes ownership of {@code fd} (already configured); the subclass constructor ends with {@link #register()}. */
    SocketSession(LinuxTransport transport, SessionSpec spec, ResponseListener listener, int maxSequence,
            int explicitFlows, SendBuffer sendBuffer, int fd) {
        super(transport, spec, listener, maxSequence, explicitFlows, sendBuffer);
        this.fd = fd;
        this.fileDescriptor = new FileDescriptor(fd);
    }

    /** Registers with the I/O thread; call last in the subclass constructor. Releases everything on failure. */
    final void register() {
        try {
            registration = transport.loop.register(new FdHandle(fileDescriptor, this::onReady, this::closeAsync));
        } catch (RuntimeException e) {
            FdHandle.deregisterAndClose(null, fileDescriptor, transport::loopFailure);
            sendBuffer.free();
            throw e;
        }
    }

    @Override
    final long send0(int sequence, int ttl, int flow) throws SendFailedException {
        prepare(sequence, flow);
        return sendBuffer.send(fd, ttl);
    }

    @Override
    final boolean batches() {
        return true;
    }

    @Override
    final void stage(int slot, int sequence, int ttl, int flow) throws SendFailedException {
        prepare(sequence, flow);
        sendBuffer.stage(slot, ttl);
    }

    @Override
    final int sendStaged(int count, long[] sentNanos, @Nullable SendFailedException[] failures) {
        return sendBuffer.sendStaged(fd, count, sentNanos, failures);
    }

    /**
     * Writes the sequence (and the flow) into the prepared packet or address.
     *
     * @throws SendFailedException when the probe cannot be made (e.g. no route to learn the source
     *     address a checksum covers): nothing is sent
     */
    abstract void prepare(int sequence, int flow) throws SendFailedException;

    /** A normal datagram of {@code length} bytes is in the receive buffer: delivers it (null) or says why not. */
    abstract @Nullable DropReason onData(ReceiveBuffer buffer, int length);

    /**
     * An error-queue message of {@code length} bytes (the quoted probe) with its sock_extended_err and
     * offender is in the receive buffer: delivers it (null) or says why not.
     */
    abstract @Nullable DropReason onError(ReceiveBuffer buffer, int length);

    private void onReady(EpollOps ops) {
        if (!guard.enter()) {
            return; // closing: the disposal task is queued behind this event
        }
        try {
            if (ops.contains(EpollOps.EPOLLERR)) {
                drainErrorQueue(BUDGET);
            }
            if (ops.contains(EpollOps.EPOLLIN)) {
                drainData(BUDGET);
            }
        } catch (Throwable t) { // never let anything escape into the I/O loop
            transport.loopFailure(t);
        } finally {
            guard.exit();
        }
    }

    @Override
    final void drainPending() {
        if (!guard.enter()) {
            return;
        }
        try {
            drainErrorQueue(Integer.MAX_VALUE);
            drainData(Integer.MAX_VALUE);
        } finally {
            guard.exit();
        }
    }

    private void drainErrorQueue(int budget) {
        ReceiveBuffer buffer = transport.receiveBuffer;
        buffer.drain(fd, Abi.MSG_ERRQUEUE, budget, errorHandler, transport.counters, transport.loopFailures);
        buffer.clearSocketError(fd);
    }

    private void drainData(int budget) {
        transport.receiveBuffer.drain(fd, 0, budget, dataHandler, transport.counters, transport.loopFailures);
    }

    @Override
    final void disposeResources() {
        FdHandle.deregisterAndClose(registration, fileDescriptor, transport::loopFailure);
    }
}
