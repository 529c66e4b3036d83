package io.pathprobe.macos.internal;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * The operating-system seam of the macOS transport: the few system calls it makes, at the level of
 * the C API, with Darwin's structures as bytes ({@link DarwinStructs}). The real implementation,
 * {@link JnrMacSockets}, binds libc through jnr-ffi and is loaded only on macOS; tests use a fake
 * that behaves like the macOS kernel on recorded bytes. Implementations are thread-safe.
 */
public interface MacSockets {

    /** A failed system call: which one, and its Darwin errno. */
    final class NativeError extends Exception {
        private static final long serialVersionUID = 1L;
        private final String call;
        private final int errno;
        private final String message;

        public NativeError(String call, int errno, String description) {
            this(call + ": " + Darwin.errnoName(errno) + " (" + description + ")", call, errno);
        }

        private NativeError(String message, String call, int errno) {
            super(message, null, false, false);
            this.call = call;
            this.errno = errno;
            this.message = message;
        }

        /** The call, the error's name and its description: never null. */
        @Override
        public String getMessage() {
            return message;
        }

        public String call() {
            return call;
        }

        public int errno() {
            return errno;
        }
    }

    /** socket(2); returns the descriptor. */
    int socket(int domain, int type, int protocol) throws NativeError;

    /** bind(2) to the Darwin sockaddr {@code address}. */
    void bind(int fd, byte[] address) throws NativeError;

    /** getsockname(2) into {@code address} (a Darwin sockaddr); returns its length. */
    int getsockname(int fd, byte[] address) throws NativeError;

    /** setsockopt(2) with {@code value} as the option's bytes (an int: {@link DarwinStructs#nativeInt}). */
    void setsockopt(int fd, int level, int name, byte[] value) throws NativeError;

    /** sendto(2) of {@code length} bytes of {@code data} to the Darwin sockaddr {@code to}; returns the bytes sent. */
    int sendto(int fd, byte[] data, int length, byte[] to) throws NativeError;

    /**
     * recvmsg(2) with MSG_DONTWAIT (so no fcntl, which is variadic: on arm64 macOS variadic
     * arguments go on the stack, a trap for a foreign-function binding): fills {@code into} (data, msg_name,
     * msg_control and their lengths).
     *
     * @return false when nothing is queued (EAGAIN)
     */
    boolean recvmsg(int fd, Received into) throws NativeError;

    /** close(2); failures are ignored (nothing to do about them). */
    void close(int fd);

    /**
     * The source address the kernel would use toward {@code destination}, found by a route lookup
     * that sends nothing; null when there is no route.
     */
    @Nullable InetAddress routeSource(InetAddress destination);

    /** A receive buffer: what one recvmsg returned. Used by one thread at a time. */
    final class Received {
        public final byte[] data;
        public final byte[] name = new byte[128];
        public final byte[] control = new byte[256];
        public int length;
        public int nameLength;
        public int controlLength;
        public int flags;

        public Received(int capacity) {
            data = new byte[capacity];
        }
    }
}
