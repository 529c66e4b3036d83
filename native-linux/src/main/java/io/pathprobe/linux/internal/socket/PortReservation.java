package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Local ports a raw UDP or TCP session sends from, held by ordinary sockets bound to them (on the
 * wildcard address) for the session's life: the kernel then gives them to no other socket, so no
 * other program's traffic (nor another session's) uses them, and what comes back to them is ours.
 *
 * <p>What the kernel does with the answers that reach these ports: a UDP socket (bound, never read)
 * only queues datagrams addressed to it (dropped when its small buffer is full) and takes note of
 * ICMP errors quoting its 4-tuple (it is not connected, so none do); a TCP socket that is bound
 * but neither listening nor connected is in no lookup table, so a SYN-ACK arriving for its port
 * finds no socket and the kernel answers it with a RST, as for a closed port: the destination's
 * half-open connection is torn down at once (traceroute -T behaves the same). A RST arriving there
 * is dropped silently. The raw sockets of the transport see both before the kernel acts.
 */
public final class PortReservation {
    /** Where contiguous blocks are sought: the default ephemeral range (net.ipv4.ip_local_port_range). */
    private static final int RANGE_LOW = 32768;
    private static final int RANGE_HIGH = 60999;
    private static final int ATTEMPTS = 64;

    public final int firstPort;
    public final int count;
    private final int[] fds;

    private PortReservation(int firstPort, int[] fds) {
        this.firstPort = firstPort;
        this.count = fds.length;
        this.fds = fds;
    }

    /**
     * Reserves {@code count} consecutive ports for sockets of {@code type} (SOCK_DGRAM, SOCK_STREAM)
     * of the family of {@code destination}: one port is the kernel's choice (bind to port 0), a
     * block starts at a random port of the ephemeral range where every port is free.
     *
     * @param scratch 64 bytes of native memory for the system calls
     */
    public static PortReservation reserve(InetAddress destination, int type, int count, Pointer scratch)
            throws Sockets.SocketError {
        int family = destination instanceof Inet6Address ? Abi.AF_INET6 : Abi.AF_INET;
        if (count == 1) {
            int fd = Sockets.open(family, type, 0);
            try {
                int port = Sockets.bindAny(fd, family, scratch);
                return new PortReservation(port, new int[] {fd});
            } catch (Sockets.SocketError | RuntimeException e) {
                Sockets.closeQuietly(fd);
                throw e;
            }
        }
        Sockets.SocketError last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = RANGE_LOW + ThreadLocalRandom.current().nextInt(RANGE_HIGH - RANGE_LOW - count + 2);
            int[] fds = new int[count];
            java.util.Arrays.fill(fds, -1);
            int bound = 0;
            try {
                for (; bound < count; bound++) {
                    fds[bound] = Sockets.open(family, type, 0);
                    bind(fds[bound], family, first + bound, scratch);
                }
                return new PortReservation(first, fds);
            } catch (Sockets.SocketError e) {
                last = e;
                for (int fd : fds) {
                    Sockets.closeQuietly(fd); // -1 (never opened) is skipped
                }
                if (e.errno != Errno.EADDRINUSE) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private static void bind(int fd, int family, int port, Pointer scratch) throws Sockets.SocketError {
        int length = family == Abi.AF_INET6 ? Abi.SOCKADDR_IN6_SIZE : Abi.SOCKADDR_IN_SIZE;
        scratch.setMemory(0, 32, (byte) 0);
        scratch.putShort(Abi.SA_FAMILY, (short) family);
        Sockets.writePort(scratch, port);
        if (Posix.libc().bind(fd, scratch, length) != 0) {
            throw new Sockets.SocketError("bind(" + port + ")", Posix.errno());
        }
    }

    /** Whether {@code port} is one of these. */
    boolean contains(int port) {
        return port - firstPort >= 0 && port - firstPort < count;
    }

    /** Releases the ports. Idempotent enough: called once, by the session's disposal. */
    public void release() {
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] >= 0) {
                Sockets.closeQuietly(fds[i]);
                fds[i] = -1;
            }
        }
    }

    /**
     * The source address the kernel would use toward {@code destination} (connect(2) of a scratch
     * UDP socket, then getsockname: nothing is sent), as 4 or 16 bytes.
     *
     * @throws Sockets.SocketError when there is no route (ENETUNREACH...)
     */
    public static byte[] sourceAddress(InetAddress destination, Pointer scratch) throws Sockets.SocketError {
        boolean ipv6 = destination instanceof Inet6Address;
        int family = ipv6 ? Abi.AF_INET6 : Abi.AF_INET;
        int fd = Sockets.open(family, Abi.SOCK_DGRAM, 0);
        try {
            int length = Sockets.writeSockaddr(scratch, destination, 9);
            LibC libc = Posix.libc();
            if (libc.connect(fd, scratch, length) != 0) {
                throw new Sockets.SocketError("connect (route lookup)", Posix.errno());
            }
            scratch.setMemory(0, 32, (byte) 0);
            scratch.putInt(32, 32);
            if (libc.getsockname(fd, scratch, scratch.slice(32)) != 0) {
                throw new Sockets.SocketError("getsockname", Posix.errno());
            }
            byte[] source = new byte[ipv6 ? 16 : 4];
            scratch.get(ipv6 ? Abi.SIN6_ADDR : Abi.SIN_ADDR, source, 0, source.length);
            return source;
        } finally {
            Sockets.closeQuietly(fd);
        }
    }
}
