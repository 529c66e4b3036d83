package io.pathprobe.linux.internal.socket;

import io.pathprobe.linux.internal.libc.LibC;
import io.pathprobe.linux.internal.libc.Pointer;
import io.pathprobe.spi.TransportException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Socket system calls with errors turned into exceptions that name the call and the errno. */
public final class Sockets {
    private Sockets() {}

    /** A socket error at set-up time, carrying the errno. */
    public static final class SocketError extends Exception {
        private static final long serialVersionUID = 1L;
        public final int errno;

        private final String message;

        public SocketError(String call, int errno) {
            this(errno, Posix.describe(call, errno));
        }

        private SocketError(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
            this.message = message;
        }

        /** {@return the call and its error, as {@link Posix#describe} says them: never null} */
        @Override
        public String getMessage() {
            return message;
        }

        public TransportException toTransportException(String context) {
            return new TransportException(context + ": " + getMessage(), this);
        }
    }

    static String familyName(int family) {
        return family == Abi.AF_INET ? "AF_INET" : family == Abi.AF_INET6 ? "AF_INET6" : "AF_" + family;
    }

    static String typeName(int type) {
        return type == Abi.SOCK_DGRAM ? "SOCK_DGRAM" : type == Abi.SOCK_RAW ? "SOCK_RAW"
                : type == Abi.SOCK_STREAM ? "SOCK_STREAM" : "SOCK_" + type;
    }

    static String protocolName(int protocol) {
        switch (protocol) {
            case Abi.IPPROTO_ICMP: return "IPPROTO_ICMP";
            case Abi.IPPROTO_UDP: return "IPPROTO_UDP";
            case Abi.IPPROTO_ICMPV6: return "IPPROTO_ICMPV6";
            case Abi.IPPROTO_TCP: return "IPPROTO_TCP";
            case Abi.IPPROTO_RAW: return "IPPROTO_RAW";
            default: return "IPPROTO_" + protocol;
        }
    }

    /** socket(2), non-blocking and close-on-exec. */
    public static int open(int family, int type, int protocol) throws SocketError {
        LibC libc = Posix.libc();
        int fd = libc.socket(family, type | Abi.SOCK_NONBLOCK | Abi.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new SocketError("socket(" + familyName(family) + ", " + typeName(type) + ", "
                    + protocolName(protocol) + ")", Posix.errno());
        }
        return fd;
    }

    /** setsockopt(2) with an int value, using 4 bytes of {@code scratch}. */
    public static void setInt(int fd, int level, int option, int value, Pointer scratch,
            String name) throws SocketError {
        scratch.putInt(0, value);
        if (Posix.libc().setsockopt(fd, level, option, scratch, 4) != 0) {
            throw new SocketError("setsockopt(" + name + ")", Posix.errno());
        }
    }

    /** getsockopt(2) of an int option, using 8 bytes of {@code scratch}; -errno on failure. */
    public static int getInt(int fd, int level, int option, Pointer scratch) {
        scratch.putInt(0, 0);
        scratch.putInt(4, 4);
        if (Posix.libc().getsockopt(fd, level, option, scratch, scratch.slice(4)) != 0) {
            return -Posix.errno();
        }
        return scratch.getInt(0);
    }

    /** Binds to the wildcard address, port 0, and returns the port the kernel chose (the echo id of a ping socket). */
    public static int bindAny(int fd, int family, Pointer scratch) throws SocketError {
        int length = family == Abi.AF_INET6 ? Abi.SOCKADDR_IN6_SIZE : Abi.SOCKADDR_IN_SIZE;
        scratch.setMemory(0, 32, (byte) 0);
        scratch.putShort(Abi.SA_FAMILY, (short) family);
        LibC libc = Posix.libc();
        if (libc.bind(fd, scratch, length) != 0) {
            throw new SocketError("bind", Posix.errno());
        }
        scratch.putInt(32, 32);
        if (libc.getsockname(fd, scratch, scratch.slice(32)) != 0) {
            throw new SocketError("getsockname", Posix.errno());
        }
        return readPort(scratch);
    }

    /** Binds to {@code address}:{@code port} (port 0: the kernel chooses) and returns the bound port. */
    public static int bind(int fd, InetAddress address, int port, Pointer scratch) throws SocketError {
        int length = writeSockaddr(scratch, address, port);
        LibC libc = Posix.libc();
        if (libc.bind(fd, scratch, length) != 0) {
            throw new SocketError("bind(" + address.getHostAddress() + ", " + port + ")", Posix.errno());
        }
        scratch.putInt(32, 32);
        if (libc.getsockname(fd, scratch, scratch.slice(32)) != 0) {
            throw new SocketError("getsockname", Posix.errno());
        }
        return readPort(scratch);
    }

    /**
     * The source address the kernel picks toward {@code destination} now: connect(2) of a scratch
     * UDP socket, which looks the route up and sends nothing, then getsockname(2). Uses 64 bytes of
     * {@code scratch}.
     */
    public static InetAddress routeSource(InetAddress destination, Pointer scratch) throws SocketError {
        boolean ipv6 = destination instanceof Inet6Address;
        int fd = open(ipv6 ? Abi.AF_INET6 : Abi.AF_INET, Abi.SOCK_DGRAM, Abi.IPPROTO_UDP);
        try {
            LibC libc = Posix.libc();
            int length = writeSockaddr(scratch, destination, 9); // any port: nothing is sent
            if (libc.connect(fd, scratch, length) != 0) {
                throw new SocketError("connect (route lookup toward " + destination.getHostAddress() + ")",
                        Posix.errno());
            }
            scratch.putInt(32, 32);
            if (libc.getsockname(fd, scratch, scratch.slice(32)) != 0) {
                throw new SocketError("getsockname", Posix.errno());
            }
            byte[] raw = new byte[ipv6 ? 16 : 4];
            scratch.get(ipv6 ? Abi.SIN6_ADDR : Abi.SIN_ADDR, raw, 0, raw.length);
            try {
                int scope = ipv6 ? scratch.getInt(Abi.SIN6_SCOPE_ID) : 0;
                return scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e); // 4 or 16 bytes
            }
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * The MTU of the route toward {@code destination} as the kernel knows it now (the route's or the
     * learned path MTU: getsockopt IP_MTU / IPV6_MTU of a connected scratch UDP socket; nothing is
     * sent), or -1 when there is no route or it cannot be read.
     */
    public static int routeMtu(InetAddress destination, Pointer scratch) {
        boolean ipv6 = destination instanceof Inet6Address;
        int fd;
        try {
            fd = open(ipv6 ? Abi.AF_INET6 : Abi.AF_INET, Abi.SOCK_DGRAM, Abi.IPPROTO_UDP);
        } catch (SocketError e) {
            return -1;
        }
        try {
            LibC libc = Posix.libc();
            int length = writeSockaddr(scratch, destination, 9); // any port: nothing is sent
            if (libc.connect(fd, scratch, length) != 0) {
                return -1;
            }
            scratch.putInt(32, 4);
            // IP_MTU 14 (SOL_IP), IPV6_MTU 24 (SOL_IPV6)
            if (libc.getsockopt(fd, ipv6 ? Abi.SOL_IPV6 : Abi.SOL_IP, ipv6 ? 24 : 14, scratch,
                    scratch.slice(32)) != 0) {
                return -1;
            }
            return scratch.getInt(0);
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * The MTU of the device this host sends to {@code destination} through, as a probe sent with
     * IP_PMTUDISC_PROBE (or a header-included raw packet) is checked against: the MTU of the interface
     * holding the source address the route picks (java.net.NetworkInterface), else the route's MTU
     * ({@link #routeMtu}, which a learned path MTU may lower), -1 when neither is known (no route).
     */
    public static int deviceMtu(InetAddress destination, Pointer scratch) {
        try {
            java.net.NetworkInterface nic = java.net.NetworkInterface.getByInetAddress(routeSource(destination,
                    scratch));
            if (nic != null && nic.getMTU() > 0) {
                return nic.getMTU();
            }
        } catch (SocketError | java.net.SocketException e) {
            // no route, or the interface cannot be read: the route's MTU below
        }
        return routeMtu(destination, scratch);
    }

    /**
     * {@link #routeSource}, or null when there is no route now (ENETUNREACH, EHOSTUNREACH,
     * ENETDOWN): a session still opens, and its sends fail as "no route" until there is one.
     */
    public static @org.jspecify.annotations.Nullable InetAddress routeSourceIfRouted(InetAddress destination,
            Pointer scratch)
            throws SocketError {
        try {
            return routeSource(destination, scratch);
        } catch (SocketError e) {
            if (Errno.isNoRoute(e.errno)) {
                return null;
            }
            throw e;
        }
    }

    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            Posix.libc().close(fd);
        }
    }

    // sockaddr helpers

    /** Writes a sockaddr_in / sockaddr_in6 for {@code address}:{@code port}; returns its length. */
    public static int writeSockaddr(Pointer p, InetAddress address, int port) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address) {
            p.setMemory(0, Abi.SOCKADDR_IN_SIZE, (byte) 0);
            p.putShort(Abi.SA_FAMILY, (short) Abi.AF_INET);
            writePort(p, port);
            p.put(Abi.SIN_ADDR, raw, 0, 4);
            return Abi.SOCKADDR_IN_SIZE;
        }
        p.setMemory(0, Abi.SOCKADDR_IN6_SIZE, (byte) 0);
        p.putShort(Abi.SA_FAMILY, (short) Abi.AF_INET6);
        writePort(p, port);
        p.put(Abi.SIN6_ADDR, raw, 0, 16);
        if (address instanceof Inet6Address) {
            p.putInt(Abi.SIN6_SCOPE_ID, ((Inet6Address) address).getScopeId());
        }
        return Abi.SOCKADDR_IN6_SIZE;
    }

    public static void writePort(Pointer sockaddr, int port) {
        sockaddr.putByte(Abi.SA_PORT, (byte) (port >>> 8));
        sockaddr.putByte(Abi.SA_PORT + 1, (byte) port);
    }

    public static int readPort(Pointer sockaddr) {
        return readPort(sockaddr, 0);
    }

    /** The port of the sockaddr at {@code offset}. */
    public static int readPort(Pointer p, long offset) {
        return readBigEndianShort(p, offset + Abi.SA_PORT);
    }

    /** The family of the sockaddr at {@code offset}. */
    public static int readFamily(Pointer p, long offset) {
        return p.getShort(offset + Abi.SA_FAMILY) & 0xffff;
    }

    /** The IPv4 address of the sockaddr_in at {@code offset}, as a big-endian int. */
    static int readIpv4(Pointer p, long offset) {
        return readBigEndianInt(p, offset + Abi.SIN_ADDR);
    }

    public static int readBigEndianInt(Pointer p, long offset) {
        return ((p.getByte(offset) & 0xff) << 24) | ((p.getByte(offset + 1) & 0xff) << 16)
                | ((p.getByte(offset + 2) & 0xff) << 8) | (p.getByte(offset + 3) & 0xff);
    }

    public static long readBigEndianLong(Pointer p, long offset) {
        return ((long) readBigEndianInt(p, offset) << 32) | (readBigEndianInt(p, offset + 4) & 0xffffffffL);
    }

    public static int readBigEndianShort(Pointer p, long offset) {
        return ((p.getByte(offset) & 0xff) << 8) | (p.getByte(offset + 1) & 0xff);
    }

    public static void writeBigEndianShort(Pointer p, long offset, int value) {
        p.putByte(offset, (byte) (value >>> 8));
        p.putByte(offset + 1, (byte) value);
    }
}
