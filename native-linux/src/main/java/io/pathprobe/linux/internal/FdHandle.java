package io.pathprobe.linux.internal;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.util.function.Consumer;

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
}
