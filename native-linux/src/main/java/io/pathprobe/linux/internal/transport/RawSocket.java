package io.pathprobe.linux.internal.transport;

import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.linux.internal.socket.Abi;
import io.pathprobe.linux.internal.socket.Destination;
import io.pathprobe.linux.internal.socket.EpollOps;
import io.pathprobe.linux.internal.socket.EpollRegistration;
import io.pathprobe.linux.internal.socket.FdHandle;
import io.pathprobe.linux.internal.socket.FileDescriptor;
import io.pathprobe.linux.internal.socket.InetAddresses;
import io.pathprobe.linux.internal.socket.NativeMemory;
import io.pathprobe.linux.internal.socket.Posix;
import io.pathprobe.linux.internal.socket.ReceiveBuffer;
import io.pathprobe.linux.internal.socket.ReceivePacing;
import io.pathprobe.linux.internal.socket.SendBuffer;
import io.pathprobe.linux.internal.socket.Sockets;
import io.pathprobe.linux.internal.socket.UseGuard;
import io.pathprobe.nativecommon.IcmpEchoFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One raw socket a raw transport shares among its sessions: a receiver registered with the
 * transport's epoll thread (ICMP, ICMPv6 or TCP, read whole), or a send-only socket
 * (IPPROTO_RAW: the caller writes the IP header, and nothing is ever delivered to it).
 *
 * <p>Its {@link UseGuard} keeps the descriptor alive while a send or a drain uses it: after
 * {@link #close()}, the descriptor is closed (and deregistered, on the I/O thread) once the last
 * user left, so a send can never go out through a reused descriptor number.
 */
final class RawSocket {
    /** Messages read per readiness event, so one busy socket cannot starve the transport's others. */
    private static final int BUDGET = 256;
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /** Sets a freshly opened socket's options (with 64 bytes of scratch memory). */
    @FunctionalInterface
    interface Configurer {
        void configure(int fd, Pointer scratch) throws Sockets.SocketError;

        /** This, then {@code next}. */
        default Configurer and(Configurer next) {
            Configurer first = this;
            return new Configurer() { // a class: a lambda is generated at its first use (docs/startup.md)
                @Override
                public void configure(int fd, Pointer scratch) throws Sockets.SocketError {
                    first.configure(fd, scratch);
                    next.configure(fd, scratch);
                }
            };
        }
    }

    final int fd;
    final int family;
    private final LinuxTransport transport;
    private final FileDescriptor fileDescriptor;
    // the socket's wiring is classes, not lambdas: a lambda is generated at its first use, here on the set-up
    // thread of a fresh JVM's first build() (docs/startup.md)
    private final UseGuard guard = new UseGuard(new Runnable() {
        @Override
        public void run() {
            released();
        }
    });
    private final AtomicBoolean disposed = new AtomicBoolean();
    private final ReceiveBuffer.@Nullable Handler handler;
    /** How readiness is read (I/O thread only); null for a send-only socket. */
    private final @Nullable ReceivePacing pacing;
    private volatile boolean released;
    private volatile @Nullable EpollRegistration registration;

    private RawSocket(LinuxTransport transport, int fd, int family, ReceiveBuffer.@Nullable Handler handler) {
        this.transport = transport;
        this.fd = fd;
        this.family = family;
        this.fileDescriptor = new FileDescriptor(fd);
        this.handler = handler;
        this.pacing = handler == null ? null
                : new ReceivePacing(transport.loop, BUDGET, ReceivePacing.INTERVAL_NANOS, new IntUnaryOperator() {
                    private final IntUnaryOperator drainer = new IntUnaryOperator() {
                        @Override
                        public int applyAsInt(int budget) {
                            return drain(budget);
                        }
                    };

                    @Override
                    public int applyAsInt(int budget) {
                        return guard.applyAsUser(drainer, budget, transport.loopFailures);
                    }
                }, transport.loopFailures);
    }

    /**
     * Opens socket(family, SOCK_RAW, protocol), configures it and, with a handler, registers it
     * for reading with the transport's I/O thread (with a large receive buffer and kernel
     * timestamps). Leaves nothing open when it fails.
     */
    static RawSocket open(LinuxTransport transport, int family, int protocol, @Nullable Configurer configurer,
            ReceiveBuffer.@Nullable Handler handler) throws Sockets.SocketError {
        int fd = Sockets.open(family, Abi.SOCK_RAW, protocol);
        NativeMemory scratch = null;
        try {
            scratch = NativeMemory.allocate(64);
            Pointer p = scratch.pointer();
            if (configurer != null) {
                configurer.configure(fd, p);
            }
            if (handler != null) {
                try {
                    Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES, p, "SO_RCVBUFFORCE");
                } catch (Sockets.SocketError e) { // no CAP_NET_ADMIN: as much as net.core.rmem_max allows
                    Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_RCVBUF, RECEIVE_BUFFER_BYTES, p, "SO_RCVBUF");
                }
                Sockets.setInt(fd, Abi.SOL_SOCKET, Abi.SO_TIMESTAMPNS, 1, p, "SO_TIMESTAMPNS");
                if (family == Abi.AF_INET6) {
                    Sockets.setInt(fd, Abi.SOL_IPV6, Abi.IPV6_RECVHOPLIMIT, 1, p, "IPV6_RECVHOPLIMIT");
                }
            }
        } catch (Sockets.SocketError | RuntimeException | Error e) {
            Sockets.closeQuietly(fd);
            throw e;
        } finally {
            if (scratch != null) {
                scratch.free();
            }
        }
        RawSocket socket = new RawSocket(transport, fd, family, handler);
        if (handler != null) {
            try {
                EpollRegistration r = transport.loop.register(new FdHandle(socket.fileDescriptor, new Consumer<>() {
                    @Override
                    public void accept(EpollOps ops) {
                        socket.onReady(ops);
                    }
                }, new Runnable() {
                    @Override
                    public void run() {
                        socket.guard.close();
                    }
                }));
                socket.registration = r;
                if (socket.pacing != null) {
                    socket.pacing.registered(r);
                }
            } catch (RuntimeException e) {
                FdHandle.deregisterAndClose(null, socket.fileDescriptor, transport.loopFailures);
                throw e;
            }
        }
        return socket;
    }

    /** ICMP_FILTER: only these ICMP types reach a raw IPv4 ICMP socket. */
    static Configurer icmpFilter(int... types) {
        return new Configurer() {
            @Override
            public void configure(int fd, Pointer p) throws Sockets.SocketError {
                int wanted = 0;
                for (int t : types) {
                    wanted |= 1 << t;
                }
                Sockets.setInt(fd, Abi.SOL_RAW, Abi.ICMP_FILTER, ~wanted, p, "ICMP_FILTER");
            }
        };
    }

    /**
     * IP_MTU_DISCOVER (IPV6_MTU_DISCOVER) = IP_PMTUDISC_PROBE on a sending socket: its header-included packets
     * (all DF, never fragmented) are checked against the device MTU only. With the default, a path MTU the
     * kernel learned (from anyone's Fragmentation Needed toward that destination) would make it drop a larger
     * packet on the way out, silently: a probe lost at TTL 1, not a router's report.
     */
    static Configurer probeMtu(boolean ipv6) {
        return (fd, p) -> Sockets.setInt(fd, ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP,
                ipv6 ? Abi.IPV6_MTU_DISCOVER : Abi.IP_MTU_DISCOVER, Abi.IP_PMTUDISC_PROBE, p,
                ipv6 ? "IPV6_MTU_DISCOVER" : "IP_MTU_DISCOVER");
    }

    /** ICMP6_FILTER: only these ICMPv6 types reach a raw ICMPv6 socket. */
    static Configurer icmp6Filter(int... types) {
        return new Configurer() {
            @Override
            public void configure(int fd, Pointer p) throws Sockets.SocketError {
                for (int i = 0; i < Abi.ICMP6_FILTER_SIZE / 4; i++) {
                    p.putInt(i * 4, -1); // block everything...
                }
                for (int t : types) { // ...but these (bit t of word t / 32, in host order)
                    p.putInt((t >>> 5) * 4, p.getInt((t >>> 5) * 4) & ~(1 << (t & 31)));
                }
                if (Posix.libc().setsockopt(fd, Abi.SOL_ICMPV6, Abi.ICMP6_FILTER, p, Abi.ICMP6_FILTER_SIZE) != 0) {
                    throw new Sockets.SocketError("setsockopt(ICMP6_FILTER)", Posix.errno());
                }
            }
        };
    }

    /**
     * A classic BPF filter for a raw TCP socket, which sees every TCP segment of the network
     * namespace: only segments with RST, or with SYN and ACK, are queued (the kernel drops the
     * rest before they cost a wake-up). IPv4 raw sockets see the IP header first (the filter reads
     * its IHL); IPv6 raw sockets see the TCP header at offset 0.
     */
    static Configurer tcpAnswerFilter(boolean ipv6) {
        int[][] v4 = {
            {0xb1, 0, 0, 0},       // ldxb 4*([0]&0xf): x = IP header length
            {0x50, 0, 0, 13},      // ldb [x+13]: TCP flags
            {0x45, 2, 0, 0x04},    // jset #RST -> accept
            {0x54, 0, 0, 0x12},    // and #(SYN|ACK)
            {0x15, 0, 1, 0x12},    // jeq #(SYN|ACK) -> accept, else drop
            {0x06, 0, 0, 0xffff},  // accept
            {0x06, 0, 0, 0},       // drop
        };
        int[][] v6 = {
            {0x30, 0, 0, 13},      // ldb [13]: TCP flags
            {0x45, 2, 0, 0x04},
            {0x54, 0, 0, 0x12},
            {0x15, 0, 1, 0x12},
            {0x06, 0, 0, 0xffff},
            {0x06, 0, 0, 0},
        };
        return bpf(ipv6 ? v6 : v4);
    }

    /**
     * A classic BPF filter for a raw ICMP or ICMPv6 socket, which sees every ICMP message of the network
     * namespace: only errors whose quoted IP header carries {@code protocol} (the transport's probes:
     * UDP, TCP or ICMP) are queued, and echo replies when {@code echoReplies}. Without it, every
     * transport's socket got every other transport's answers too, each a wake-up of its I/O thread paid
     * for by whoever delivered the answer, only to drop it. The message types are ICMP_FILTER's (or
     * ICMP6_FILTER's) to choose. IPv4 raw sockets see the IP header first (the filter reads its IHL; the
     * quoted header's protocol byte is 17 bytes after the ICMP header's start); IPv6 raw sockets see the
     * ICMPv6 header at offset 0 (the quoted header's next header at 14: our probes carry no extension
     * header). A quote too short to hold that byte is dropped by the kernel (it could prove nothing).
     */
    static Configurer quotedProtocolFilter(boolean ipv6, int protocol, boolean echoReplies) {
        int echoReply = ipv6 ? IcmpEchoFormat.ECHO_REPLY_V6 : IcmpEchoFormat.ECHO_REPLY;
        // with echo replies, a type that is not an echo reply goes on to the quote; without, the same
        // jump is never taken (no ICMP type is 256)
        int acceptType = echoReplies ? echoReply : 256;
        if (ipv6) {
            return bpf(new int[][] {
                {0x30, 0, 0, 0},            // ldb [0]: ICMPv6 type
                {0x15, 2, 0, acceptType},   // jeq #echo reply -> accept
                {0x30, 0, 0, 14},           // ldb [14]: quoted next header
                {0x15, 0, 1, protocol},     // jeq #protocol -> accept, else drop
                {0x06, 0, 0, 0xffff},       // accept
                {0x06, 0, 0, 0},            // drop
            });
        }
        return bpf(new int[][] {
            {0xb1, 0, 0, 0},            // ldxb 4*([0]&0xf): x = IP header length
            {0x50, 0, 0, 0},            // ldb [x+0]: ICMP type
            {0x15, 2, 0, acceptType},   // jeq #echo reply -> accept
            {0x50, 0, 0, 17},           // ldb [x+17]: the quoted IP header's protocol
            {0x15, 0, 1, protocol},     // jeq #protocol -> accept, else drop
            {0x06, 0, 0, 0xffff},       // accept
            {0x06, 0, 0, 0},            // drop
        });
    }

    /**
     * A classic BPF filter for a raw TCP socket that lets through only the segments of one connection:
     * from {@code destination}'s address (IPv4; an IPv6 raw socket sees no IP header, so its sender is
     * checked by the reader, from msg_name) and {@code remotePort}, to {@code localPort}.
     */
    static Configurer connectionFilter(boolean ipv6, Destination destination, int remotePort, int localPort) {
        if (ipv6) {
            return bpf(new int[][] {
                {0x28, 0, 0, 0},           // ldh [0]: source port
                {0x15, 0, 3, remotePort},  // jeq #remotePort, else drop
                {0x28, 0, 0, 2},           // ldh [2]: destination port
                {0x15, 0, 1, localPort},   // jeq #localPort, else drop
                {0x06, 0, 0, 0xffff},      // accept
                {0x06, 0, 0, 0},           // drop
            });
        }
        return bpf(new int[][] {
            {0x20, 0, 0, 12},                                           // ld [12]: source address
            {0x15, 0, 6, InetAddresses.toInt((java.net.Inet4Address) destination.address)}, // jeq, else drop
            {0xb1, 0, 0, 0},                                            // ldxb 4*([0]&0xf): x = IP header length
            {0x48, 0, 0, 0},                                            // ldh [x+0]: source port
            {0x15, 0, 3, remotePort},                                   // jeq #remotePort, else drop
            {0x48, 0, 0, 2},                                            // ldh [x+2]: destination port
            {0x15, 0, 1, localPort},                                    // jeq #localPort, else drop
            {0x06, 0, 0, 0xffff},                                       // accept
            {0x06, 0, 0, 0},                                            // drop
        });
    }

    /** SO_ATTACH_FILTER with this classic BPF program ({code, jt, jf, k} per instruction). */
    private static Configurer bpf(int[][] program) {
        return new Configurer() {
            @Override
            public void configure(int fd, Pointer p) throws Sockets.SocketError {
                // struct sock_fprog { u16 len; struct sock_filter *filter; } at 0, the 8-byte instructions at 16
                NativeMemory insns = NativeMemory.allocate(program.length * 8);
                try {
                    Pointer f = insns.pointer();
                    for (int i = 0; i < program.length; i++) {
                        f.putShort(i * 8, (short) program[i][0]);
                        f.putByte(i * 8 + 2, (byte) program[i][1]);
                        f.putByte(i * 8 + 3, (byte) program[i][2]);
                        f.putInt(i * 8 + 4, program[i][3]);
                    }
                    p.setMemory(0, 16, (byte) 0);
                    p.putShort(0, (short) program.length);
                    p.putAddress(8, insns.address());
                    if (Posix.libc().setsockopt(fd, Abi.SOL_SOCKET, SO_ATTACH_FILTER, p, 16) != 0) {
                        throw new Sockets.SocketError("setsockopt(SO_ATTACH_FILTER)", Posix.errno());
                    }
                } finally {
                    insns.free();
                }
            }
        };
    }

    private static final int SO_ATTACH_FILTER = 26;

    /** Registers a user (a send); false once the socket is closed. */
    boolean enter() {
        return guard.enter();
    }

    void exit() {
        guard.exit();
    }

    /**
     * Sends the packet in {@code buffer} on this socket with {@code ttl}, holding the socket open for
     * the call.
     *
     * @throws IllegalStateException once the socket is closed
     */
    long send(SendBuffer buffer, int ttl) throws io.pathprobe.spi.SendFailedException {
        if (!enter()) {
            throw new IllegalStateException("transport is closed");
        }
        try {
            return buffer.send(fd, ttl);
        } finally {
            exit();
        }
    }

    /**
     * {@link SendBuffer#sendStaged} of {@code buffer}'s first {@code count} staged probes on this socket.
     *
     * @throws IllegalStateException once the socket is closed
     */
    int sendStaged(SendBuffer buffer, int count, long[] sentNanos,
            io.pathprobe.spi.@Nullable SendFailedException[] failures) {
        if (!enter()) {
            throw new IllegalStateException("transport is closed");
        }
        try {
            return buffer.sendStaged(fd, count, sentNanos, failures);
        } finally {
            exit();
        }
    }

    /** On the I/O thread: reads everything queued now (for {@code afterPendingAnswers}). */
    void drainAll() {
        if (!guard.enter()) {
            return;
        }
        try {
            drain(Integer.MAX_VALUE);
        } finally {
            guard.exit();
        }
    }

    private void onReady(EpollOps ops) {
        if (!guard.enter()) {
            return;
        }
        try {
            if (ops.contains(EpollOps.EPOLLERR)) {
                transport.receiveBuffer.clearSocketError(fd);
            }
            ReceivePacing p = pacing;
            if (ops.contains(EpollOps.EPOLLIN) && p != null) {
                p.onReadable();
            }
        } catch (Throwable t) { // never let anything escape into the I/O loop
            transport.loopFailure(t);
        } finally {
            guard.exit();
        }
    }

    private int drain(int budget) {
        ReceiveBuffer.Handler h = handler;
        return h == null ? 0
                : transport.receiveBuffer.drain(fd, 0, budget, h, transport.counters, transport.loopFailures);
    }

    /** Closes the socket as soon as no send or drain uses it. Idempotent. */
    void close() {
        guard.close();
    }

    private void released() {
        released = true;
        if (transport.loop.inLoop() || !transport.loop.execute(this::dispose)) {
            dispose();
        }
    }

    /** After the I/O thread ended: closes the descriptor if it was released but not yet closed. */
    void disposeIfReleased() {
        if (released) {
            dispose();
        }
    }

    private void dispose() {
        if (disposed.compareAndSet(false, true)) {
            FdHandle.deregisterAndClose(registration, fileDescriptor, transport::loopFailure);
        }
    }
}
