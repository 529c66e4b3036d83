package io.pathprobe.linux.internal.socket;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A socket's file descriptor, closed at most once (close(2) through the libc binding). */
public final class FileDescriptor {
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    public FileDescriptor(int fd) {
        this.fd = fd;
    }

    int intValue() {
        return fd;
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Closes the descriptor; later calls do nothing. */
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && Posix.libc().close(fd) < 0) {
            int errno = Posix.errno();
            if (errno != Errno.EINTR) { // Linux has released the descriptor even then
                throw new IOException(Posix.describe("close(" + fd + ")", errno));
            }
        }
    }

    @Override
    public String toString() {
        return "fd " + fd;
    }
}
