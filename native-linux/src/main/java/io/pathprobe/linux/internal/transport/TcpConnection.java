package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.codec.IcmpQuote;
import io.pathprobe.linux.internal.codec.InConnectionKey;
import io.pathprobe.linux.internal.codec.InConnectionProbes;
import io.pathprobe.linux.internal.codec.InConnectionProbes.Handshake;
import io.pathprobe.linux.internal.codec.PortKey;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.EpollOps;
import io.pathprobe.linux.internal.socket.EpollRegistration;
import io.pathprobe.linux.internal.socket.Errno;
import io.pathprobe.linux.internal.socket.FdHandle;
import io.pathprobe.linux.internal.socket.FileDescriptor;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Posix;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.spi.DropReason;
import io.pathprobe.spi.TransportException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The kernel TCP connection a linux-tcp-in-connection session probes inside, and the raw TCP socket that
 * sees its segments.
 *
 * <h2>Opening</h2>
 * On the caller's thread (the engine's set-up pool; never its loop): an ordinary non-blocking TCP socket is
 * bound to an ephemeral port (IPv6: automatic flow labels off, so the kernel's segments and the probes both
 * carry flow label 0 and hash alike), then a raw IPPROTO_TCP socket is opened with a classic BPF filter that
 * lets through only the segments of this connection (from the destination's address and port to that local
 * port) and registered with the transport's I/O thread, and only then is connect(2) called. Raw sockets get a
 * copy of every incoming segment before TCP handles it, so when epoll reports the connecting socket writable
 * the I/O thread first reads the raw socket, which holds the SYN-ACK, and then the connection's state
 * (TCP_INFO) and error (SO_ERROR). The SYN-ACK gives the connection's sequence state without guessing: its
 * acknowledgment number is this side's next sequence number, its sequence number + 1 the destination's first
 * data byte, and its options (SACK-permitted, timestamps, whose TSecr is the TSval of this side's SYN) what
 * the probes must carry; TCP_INFO says which options both ends agreed on (tcpi_options) and this side's
 * window scale. The caller waits at most the connect timeout; a refusal (RST), an unreachable, no answer, a
 * connection the destination closed at once, or one without SACK fails the open with a
 * {@link TransportException} saying so, and everything is closed.
 *
 * <h2>While probing</h2>
 * The raw socket hands the connection's segments to the session ({@link Segments}); {@link #acknowledgment}
 * reads what the kernel has received in order (tcpi_bytes_received) and {@link #tsVal} this side's TCP clock,
 * for the probes.
 *
 * <h2>Closing</h2>
 * On the I/O thread: whatever the destination sent is read and discarded (a socket closed with unread data
 * sends RST instead of FIN), then the socket is closed, so the kernel ends the connection with a FIN, and the
 * raw socket with it.
 */
final class TcpConnection {
    /** Takes the connection's segments once the session exists (on the I/O thread). */
    interface Segments {
        /**
         * @param d the packet (IPv4: from its IP header; IPv6: from the TCP header)
         * @param tcp the offset of the TCP header
         * @param length the bytes read
         */
        @Nullable DropReason onSegment(ReceiveBuffer buffer, Pointer d, int tcp, int length, int replyTtl);
    }

    static final int TCP_INFO = 11;
    private static final int TCP_INFO_SIZE = 256;
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_SYN_SENT = 2;
    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};
    static final int TCPI_OPT_TIMESTAMPS = 1;
    static final int TCPI_OPT_SACK = 2;
    /** Linux 6.7: the timestamps count microseconds (a route with tcp_usec_ts). */
    static final int TCPI_OPT_USEC_TS = 64;
    /** Offset of tcpi_bytes_received (u64, Linux 4.1) in struct tcp_info. */
    private static final int TCPI_BYTES_RECEIVED = 128;

    private final LinuxTransport transport;
    final Destination destination;
    final int remotePort;
    final boolean ipv6;
    private final int fd;
    private final FileDescriptor fileDescriptor;
    final int localPort;
    private final CompletableFuture<Integer> settled = new CompletableFuture<>();
    private volatile @Nullable RawSocket receiver;
    private volatile @Nullable Handshake handshake;
    private volatile @Nullable Segments segments;
    /** System.nanoTime() right before connect(2): the origin of {@link #tsVal}. */
    private long connectNanos;
    private int tsBase;
    private boolean usecTimestamps;
    // guarded by this
    private @Nullable EpollRegistration registration;
    private boolean closed;
    /** Scratch for TCP_INFO: the sending thread's ({@link #acknowledgment}). */
    private final NativeMemory info = NativeMemory.allocate(TCP_INFO_SIZE + 8);

    private TcpConnection(LinuxTransport transport, Destination destination, int remotePort, int fd, int localPort) {
        this.transport = transport;
        this.destination = destination;
        this.remotePort = remotePort;
        this.ipv6 = destination.ipv6;
        this.fd = fd;
        this.fileDescriptor = new FileDescriptor(fd);
        this.localPort = localPort;
    }

    /**
     * Connects to {@code destination}:{@code port}, waiting at most {@code timeout}; returns the connection
     * and the key its probes are made and checked with.
     *
     * @throws TransportException when the connection cannot be used, saying why (everything is closed)
     */
    static Opened open(LinuxTransport transport, InetAddress destination, int port, Duration timeout) {
        String to = transport.name() + ": " + destination.getHostAddress() + " port " + port;
        boolean ipv6 = destination instanceof java.net.Inet6Address;
        int family = ipv6 ? Abi.AF_INET6 : Abi.AF_INET;
        NativeMemory scratch = NativeMemory.allocate(64);
        TcpConnection c = null;
        try {
            Pointer p = scratch.pointer();
            int fd;
            try {
                fd = Sockets.open(family, Abi.SOCK_STREAM, Abi.IPPROTO_TCP);
            } catch (Sockets.SocketError e) {
                throw e.toTransportException(to);
            }
            int localPort;
            try {
                if (ipv6) {
                    Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_AUTOFLOWLABEL, 0, p, "IPV6_AUTOFLOWLABEL");
                }
                localPort = Sockets.bindAny(fd, family, p);
            } catch (Sockets.SocketError e) {
                Sockets.closeQuietly(fd);
                throw e.toTransportException(to);
            }
            c = new TcpConnection(transport, new Destination(destination), port, fd, localPort);
            try {
                c.receiver = RawSocket.open(transport, family, Abi.IPPROTO_TCP,
                        RawSocket.connectionFilter(ipv6, c.destination, port, localPort), c::onMessage);
            } catch (Sockets.SocketError e) {
                throw e.toTransportException(to + ": cannot open the raw TCP socket");
            }
            c.connect(p, destination, port, timeout, to);
            Opened opened = c.established(p, to);
            c = null; // the caller owns it now
            return opened;
        } finally {
            scratch.free();
            if (c != null) {
                c.close();
            }
        }
    }

    /** The connection, and the key of its probes. */
    record Opened(TcpConnection connection, InConnectionKey key) {}

    private void connect(Pointer p, InetAddress destination, int port, Duration timeout, String to) {
        int length = Sockets.writeSockaddr(p, destination, port);
        connectNanos = System.nanoTime();
        int errno = Posix.libc().connect(fd, p, length) == 0 ? 0 : Posix.errno();
        if (errno != 0 && errno != Errno.EINPROGRESS) {
            throw new TransportException(Posix.describe(to + ": connect", errno));
        }
        if (!transport.loop.execute(this::watch)) {
            throw new TransportException(to + ": transport is closed");
        }
        int outcome;
        try {
            outcome = settled.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TransportException(to + ": no connection within " + timeout.toMillis()
                    + " ms (no SYN-ACK or RST: the SYN or its answer was lost or dropped)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(to + ": interrupted while connecting");
        } catch (ExecutionException e) {
            throw new TransportException(to + ": " + e.getCause(), e.getCause());
        }
        if (outcome > 0) {
            throw new TransportException(Posix.describe(to + ": connect", outcome));
        }
        if (outcome < 0) {
            int state = -outcome;
            throw new TransportException(to + ": the connection is " + (state < STATES.length ? STATES[state] : state)
                    + " right after connecting (the destination closed or reset it at once)");
        }
    }

    /** On the I/O thread: waits for the connecting socket to settle (EPOLLOUT), or settles it now. */
    private synchronized void watch() {
        if (closed || settled.isDone()) {
            return;
        }
        try {
            registration = transport.loop.registerInLoop(new FdHandle(fileDescriptor, ops -> settle(), () -> { }),
                    EpollOps.EPOLLOUT);
        } catch (RuntimeException e) {
            settled.completeExceptionally(e);
            return;
        }
        settle(); // whatever happened before the registration
    }

    /**
     * On the I/O thread: the SYN-ACK is read first (the raw socket got it before TCP handled it), then the
     * connection's state: 0 when established, an errno when it failed, -state when it is past ESTABLISHED.
     */
    private synchronized void settle() {
        if (closed || settled.isDone()) {
            return;
        }
        RawSocket r = receiver;
        if (r != null) {
            r.drainAll();
        }
        int info = transport.receiveBuffer.getInt(fd, Abi.IPPROTO_TCP, TCP_INFO);
        int state = info < 0 ? -1 : info & 0xff;
        if (state == TCP_SYN_SENT) {
            return;
        }
        int error = transport.receiveBuffer.clearSocketError(fd);
        stopWatching();
        if (error > 0) {
            settled.complete(error);
        } else if (state == TCP_ESTABLISHED) {
            settled.complete(0);
        } else {
            settled.complete(state > 0 ? -state : Errno.ECONNRESET);
        }
    }

    private synchronized void stopWatching() {
        EpollRegistration reg = registration;
        registration = null;
        if (reg != null) {
            try {
                reg.cancel(); // epoll_ctl(DEL); the socket stays open
            } catch (RuntimeException e) {
                transport.loopFailure(e);
            }
        }
    }

    /** After the connection was established: the options both ends agreed on, and the probes' key. */
    private Opened established(Pointer p, String to) {
        Handshake h = handshake;
        if (h == null) {
            throw new TransportException(to + ": connected, but its SYN-ACK was not seen on the raw socket");
        }
        Pointer tcpInfo = info.pointer();
        int got = tcpInfo(tcpInfo);
        if (got < 8) {
            throw new TransportException(to + ": getsockopt(TCP_INFO) failed");
        }
        int options = tcpInfo.getByte(5) & 0xff;
        int receiveScale = (tcpInfo.getByte(6) & 0xff) >>> 4;
        if ((options & TCPI_OPT_SACK) == 0) {
            throw new TransportException(to + ": " + (h.sackPermitted() ? "SACK is off on this host (net.ipv4.tcp_sack)"
                    : "the destination did not permit SACK (no SACK-permitted option in its SYN-ACK)")
                    + ", and without SACK its acknowledgments do not say which probe reached it");
        }
        boolean timestamps = (options & TCPI_OPT_TIMESTAMPS) != 0;
        if (timestamps && !h.timestamps()) {
            throw new TransportException(to + ": timestamps agreed, but the SYN-ACK seen carried none");
        }
        usecTimestamps = (options & TCPI_OPT_USEC_TS) != 0;
        tsBase = h.tsEcr();
        int maxSlot = InConnectionKey.maxSlotFor(h.window());
        if (maxSlot < 0) {
            throw new TransportException(to + ": the destination's window (" + h.window() + " bytes) holds no probe");
        }
        p.putInt(32, 32);
        if (Posix.libc().getsockname(fd, p, p.slice(32)) != 0) {
            throw new TransportException(Posix.describe(to + ": getsockname", Posix.errno()));
        }
        byte[] source = new byte[ipv6 ? 16 : 4];
        p.get(ipv6 ? Abi.SIN6_ADDR : Abi.SIN_ADDR, source, 0, source.length);
        InConnectionKey key = new InConnectionKey(destination, source, localPort, remotePort, h.acknowledgment(),
                h.sequence() + 1, timestamps, h.tsVal(), Math.max(1, 0xffff >>> receiveScale), maxSlot,
                PortKey.newIpIdKey());
        return new Opened(this, key);
    }

    /** getsockopt(TCP_INFO) into {@code p}; returns the bytes the kernel wrote, -1 on failure. */
    private int tcpInfo(Pointer p) {
        p.putInt(TCP_INFO_SIZE, TCP_INFO_SIZE);
        if (Posix.libc().getsockopt(fd, Abi.IPPROTO_TCP, TCP_INFO, p, p.slice(TCP_INFO_SIZE)) != 0) {
            return -1;
        }
        return p.getInt(TCP_INFO_SIZE);
    }

    /**
     * On the sending thread: the acknowledgment number the probes carry now, what the kernel has received in
     * order (the destination's first sequence number + tcpi_bytes_received); the handshake's when the kernel
     * is older than Linux 4.1.
     */
    int acknowledgment(InConnectionKey key) {
        Pointer p = info.pointer();
        int got = tcpInfo(p);
        if (got < TCPI_BYTES_RECEIVED + 8) {
            return key.peerNext;
        }
        return key.peerNext + (int) p.getLong(TCPI_BYTES_RECEIVED);
    }

    /**
     * This side's TCP timestamp clock now, as the kernel stamps its own segments (never older: the SYN's TSval,
     * which the SYN-ACK echoed, plus the milliseconds (microseconds, with tcp_usec_ts) of CLOCK_MONOTONIC, the
     * clock of both System.nanoTime() and the kernel's TCP timestamps, since just before connect(2)).
     */
    int tsVal() {
        long unit = usecTimestamps ? 1_000 : 1_000_000;
        return tsBase + (int) (Math.floorDiv(System.nanoTime(), unit) - Math.floorDiv(connectNanos, unit));
    }

    /** From now on the segments go to {@code s}. */
    void deliverTo(Segments s) {
        segments = s;
    }

    /** On the I/O thread: one segment of the connection (the BPF filter let nothing else through). */
    private @Nullable DropReason onMessage(ReceiveBuffer buffer, int length) {
        Pointer d = buffer.data();
        int tcp;
        int replyTtl;
        if (ipv6) {
            if (!destination.matchesSockaddr(buffer.name(), 0)) {
                return DropReason.UNRELATED;
            }
            tcp = 0;
            replyTtl = buffer.replyTtl();
        } else {
            tcp = IcmpQuote.ipv4HeaderLength(d, 0, length);
            if (tcp < 0) {
                return DropReason.MALFORMED;
            }
            if (!destination.isIpv4(Sockets.readBigEndianInt(d, 12))) {
                return DropReason.UNRELATED;
            }
            replyTtl = d.getByte(8) & 0xff;
        }
        if (length - tcp < InConnectionProbes.HEADER || Sockets.readBigEndianShort(d, tcp) != remotePort
                || Sockets.readBigEndianShort(d, tcp + 2) != localPort) {
            return length - tcp < InConnectionProbes.HEADER ? DropReason.MALFORMED : DropReason.UNRELATED;
        }
        Segments s = segments;
        if (s != null) {
            return s.onSegment(buffer, d, tcp, length, replyTtl);
        }
        Handshake h = InConnectionProbes.handshake(d, tcp, length);
        if (h != null) {
            handshake = h; // a retransmitted SYN-ACK says the same, with a later TSval
        }
        return DropReason.UNRELATED; // the connection's own traffic: no probe's answer
    }

    /** On the I/O thread: reads everything the raw socket holds now. */
    void drain() {
        RawSocket r = receiver;
        if (r != null) {
            r.drainAll();
        }
    }

    /**
     * Ends the connection: on the I/O thread (or anywhere once it is gone), what the destination sent is read
     * and discarded, then the socket closed (FIN), and the raw socket with it. Idempotent.
     */
    void close() {
        if (transport.loop.inLoop() || !transport.loop.execute(this::closeNow)) {
            closeNow();
        }
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        stopWatching();
        settled.complete(Errno.ECONNRESET); // nobody waits any more
        RawSocket r = receiver;
        if (r != null) {
            r.close();
        }
        if (transport.loop.inLoop()) {
            for (int i = 0; i < 64; i++) { // unread data would turn the FIN into a RST
                if (transport.receiveBuffer.receive(fd, 0) <= 0) {
                    break;
                }
            }
        }
        try {
            fileDescriptor.close(); // an orderly close: the kernel sends FIN
        } catch (java.io.IOException e) {
            transport.loopFailure(e);
        }
        info.free();
    }

    @Override
    public String toString() {
        return "TCP connection to " + destination + " port " + remotePort + " from port " + localPort;
    }
}
