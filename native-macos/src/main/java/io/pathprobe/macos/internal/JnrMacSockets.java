package io.pathprobe.macos.internal;

import io.pathprobe.macos.internal.libc.LibC;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import org.jspecify.annotations.Nullable;

/**
 * {@link MacSockets} through libc (libSystem on macOS), bound with jnr-ffi. Loaded only on macOS
 * (by {@link MacPlatform#darwin()}): constructing it loads the library, nothing before. No variadic
 * function is bound (fcntl, ioctl): non-blocking reads use MSG_DONTWAIT.
 *
 * <p>Not run on a Mac yet: built and its structure offsets unit-tested ({@link DarwinStructs}).
 */
public final class JnrMacSockets implements MacSockets {


    private final LibC libc;
    private final Runtime runtime;
    /** Per receiving thread (the I/O thread): msghdr, iovec, name, control and data in native memory. */
    private final ThreadLocal<NativeReceive> receive;

    public JnrMacSockets() {
        libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
        runtime = Runtime.getRuntime(libc);
        receive = ThreadLocal.withInitial(() -> new NativeReceive(runtime));
    }

    private NativeError error(String call) {
        int errno = LastError.getLastError(runtime);
        return new NativeError(call, errno, libc.strerror(errno));
    }

    @Override
    public int socket(int domain, int type, int protocol) throws NativeError {
        int fd = libc.socket(domain, type, protocol);
        if (fd < 0) {
            throw error("socket(" + (domain == Darwin.AF_INET6 ? "AF_INET6" : "AF_INET") + ", SOCK_DGRAM, "
                    + (protocol == Darwin.IPPROTO_ICMPV6 ? "IPPROTO_ICMPV6"
                            : protocol == Darwin.IPPROTO_UDP ? "IPPROTO_UDP" : "IPPROTO_ICMP") + ")");
        }
        return fd;
    }

    @Override
    public void bind(int fd, byte[] address) throws NativeError {
        if (libc.bind(fd, address, address.length) != 0) {
            throw error("bind");
        }
    }

    @Override
    public int getsockname(int fd, byte[] address) throws NativeError {
        IntByReference length = new IntByReference(address.length);
        if (libc.getsockname(fd, address, length) != 0) {
            throw error("getsockname");
        }
        return Math.min(length.intValue(), address.length);
    }

    @Override
    public void setsockopt(int fd, int level, int name, byte[] value) throws NativeError {
        if (libc.setsockopt(fd, level, name, value, value.length) != 0) {
            throw error("setsockopt(" + level + ", " + name + ")");
        }
    }

    @Override
    public int sendto(int fd, byte[] data, int length, byte[] to) throws NativeError {
        long n = libc.sendto(fd, data, length, 0, to, to.length);
        if (n < 0) {
            throw error("sendto");
        }
        return (int) n;
    }

    @Override
    public boolean recvmsg(int fd, Received into) throws NativeError {
        NativeReceive r = receive.get();
        int capacity = Math.min(into.data.length, NativeReceive.DATA);
        r.prepare(capacity, into.name.length, into.control.length);
        long n = libc.recvmsg(fd, r.msghdr, Darwin.MSG_DONTWAIT);
        if (n < 0) {
            int errno = LastError.getLastError(runtime);
            if (errno == Darwin.EAGAIN || errno == Darwin.EINTR) {
                return false;
            }
            throw new NativeError("recvmsg", errno, libc.strerror(errno));
        }
        into.length = (int) Math.min(n, capacity);
        into.nameLength = Math.min(r.msghdr.getInt(DarwinStructs.MSG_NAMELEN), into.name.length);
        into.controlLength = Math.min(r.msghdr.getInt(DarwinStructs.MSG_CONTROLLEN), into.control.length);
        into.flags = r.msghdr.getInt(DarwinStructs.MSG_FLAGS);
        r.data.get(0, into.data, 0, into.length);
        r.name.get(0, into.name, 0, into.nameLength);
        r.control.get(0, into.control, 0, into.controlLength);
        return true;
    }

    @Override
    public void close(int fd) {
        libc.close(fd);
    }

    @Override
    public @Nullable InetAddress routeSource(InetAddress destination) {
        return routeSourceByConnect(destination);
    }

    /**
     * A connected UDP socket's local address: the kernel's route lookup, nothing sent (connect(2)
     * on a datagram socket only records the peer). Null without a route.
     */
    static @Nullable InetAddress routeSourceByConnect(InetAddress destination) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(destination, 9);
            InetAddress local = s.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? null : local;
        } catch (SocketException | RuntimeException e) {
            return null;
        }
    }

    /** A msghdr (Darwin layout, {@link DarwinStructs}) pointing at one iovec and the buffers. */
    private static final class NativeReceive {
        static final int DATA = 65536;
        final Pointer msghdr;
        final Pointer iovec;
        final Pointer name;
        final Pointer control;
        final Pointer data;

        NativeReceive(Runtime runtime) {
            msghdr = Memory.allocateDirect(runtime, DarwinStructs.MSGHDR_SIZE, true);
            iovec = Memory.allocateDirect(runtime, DarwinStructs.IOVEC_SIZE, true);
            name = Memory.allocateDirect(runtime, 128, true);
            control = Memory.allocateDirect(runtime, 256, true);
            data = Memory.allocateDirect(runtime, DATA, true);
        }

        void prepare(int dataLength, int nameLength, int controlLength) {
            iovec.putAddress(0, data.address());
            iovec.putLong(8, dataLength);
            msghdr.putAddress(DarwinStructs.MSG_NAME, name.address());
            msghdr.putInt(DarwinStructs.MSG_NAMELEN, nameLength);
            msghdr.putAddress(DarwinStructs.MSG_IOV, iovec.address());
            msghdr.putInt(DarwinStructs.MSG_IOVLEN, 1);
            msghdr.putAddress(DarwinStructs.MSG_CONTROL, control.address());
            msghdr.putInt(DarwinStructs.MSG_CONTROLLEN, controlLength);
            msghdr.putInt(DarwinStructs.MSG_FLAGS, 0);
        }
    }
}
