package io.pathprobe.linux.internal.socket;

import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A socket as the transport's {@link IoLoop} sees it: readiness goes to {@code onReady} on the I/O thread. */
public final class FdHandle {
    private final FileDescriptor fd;
    private final Consumer<EpollOps> onReady;
    private final Runnable onClose;

    /**
     * @param onClose what the loop does with the handle when it shuts down while the handle is still
     *     registered
     */
    public FdHandle(FileDescriptor fd, Consumer<EpollOps> onReady, Runnable onClose) {
        this.fd = fd;
        this.onReady = onReady;
        this.onClose = onClose;
    }

    FileDescriptor fd() {
        return fd;
    }

    void handle(EpollOps ops) {
        onReady.accept(ops);
    }

    void close() {
        onClose.run();
    }

    /**
     * Removes a socket from epoll (on the I/O thread: epoll_ctl(DEL) while the fd is still open),
     * then closes it. {@code registration} may be null when it never registered.
     */
    public static void deregisterAndClose(@Nullable EpollRegistration registration, FileDescriptor fd,
            Consumer<Throwable> onFailure) {
        if (registration != null) {
            try {
                registration.cancel();
            } catch (RuntimeException e) {
                // the loop is gone; closing the fd removes it from epoll anyway
            }
        }
        try {
            fd.close();
        } catch (IOException e) {
            onFailure.accept(e);
        }
    }
}
