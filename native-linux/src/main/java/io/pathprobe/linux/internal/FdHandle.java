package io.pathprobe.linux.internal;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A raw socket as Netty's epoll loop sees it: readiness goes to {@code onReady} on the I/O thread. */
final class FdHandle implements EpollIoHandle {
    private final FileDescriptor fd;
    private final Consumer<EpollIoOps> onReady;
    private final Runnable onClose;

    /**
     * @param onClose what Netty's close of the handle does (Netty closes handles still registered
     *     when the loop shuts down)
     */
    FdHandle(FileDescriptor fd, Consumer<EpollIoOps> onReady, Runnable onClose) {
        this.fd = fd;
        this.onReady = onReady;
        this.onClose = onClose;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent ioEvent) {
        onReady.accept(((EpollIoEvent) ioEvent).ops());
    }

    @Override
    public void close() {
        onClose.run();
    }

    /**
     * Removes a socket from epoll (on the I/O thread: epoll_ctl(DEL) while the fd is still open),
     * then closes it. {@code registration} may be null when it never registered.
     */
    static void deregisterAndClose(@Nullable IoRegistration registration, FileDescriptor fd,
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
