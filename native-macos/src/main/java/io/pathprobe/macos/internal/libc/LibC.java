package io.pathprobe.macos.internal.libc;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions the macOS transport uses (libSystem), bound with jnr-ffi by
 * {@code io.pathprobe.macos.internal.JnrMacSockets}. Byte arrays are copied in (@In) around the call by jnr-ffi.
 */
@SuppressWarnings("exports") // jnr-ffi types in the signatures: this package is exported, but not API
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, @In byte[] value, int length);

    int bind(int fd, @In byte[] address, int length);

    /** {@code length} is read and written (socklen_t). */
    int getsockname(int fd, @Out byte[] address, IntByReference length);

    @ssize_t long sendto(int fd, @In byte[] data, @size_t long length, int flags, @In byte[] to, int toLength);

    @ssize_t long recvmsg(int fd, Pointer message, int flags);

    int close(int fd);

    @IgnoreError
    String strerror(int errno);
}
