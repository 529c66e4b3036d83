package io.pathprobe.macos.internal;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandle;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueIoOps;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.pathprobe.spi.TransportException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transport's one Netty kqueue I/O thread (macOS only). Sockets are registered as raw
 * descriptors (Netty 4.2's {@link KQueueIoHandle}: its {@code ident()} is the descriptor) with an
 * EVFILT_READ filter, level-triggered (EV_ADD | EV_ENABLE, no EV_CLEAR): kqueue wakes the thread as
 * soon as a socket is readable, and reports it again while data is left.
 *
 * <p>Not run on a Mac yet: compiled against netty-transport-classes-kqueue.
 */
public final class KqueueEventLoop implements EventLoop {
    static final long TIMEOUT_MILLIS = 5_000;

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final Thread thread;

    public KqueueEventLoop(String name) {
        KQueue.ensureAvailability();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), KQueueIoHandler.newFactory());
        loop = group.next();
        Future<Thread> t = loop.submit(Thread::currentThread);
        if (!t.awaitUninterruptibly(TIMEOUT_MILLIS) || !t.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new TransportException("the kqueue I/O thread did not start", t.cause());
        }
        thread = t.getNow();
    }

    @Override
    public Registration register(int fd, Runnable onReadable) {
        KQueueIoHandle handle = new KQueueIoHandle() {
            @Override
            public int ident() {
                return fd;
            }

            @Override
            public void handle(IoRegistration registration, IoEvent ioEvent) {
                onReadable.run();
            }

            @Override
            public void close() {
                // the transport closes its descriptors itself
            }
        };
        Future<IoRegistration> f;
        try {
            f = loop.register(handle);
        } catch (RejectedExecutionException e) {
            throw new TransportException("transport is closed", e);
        }
        if (!f.awaitUninterruptibly(TIMEOUT_MILLIS) || !f.isSuccess()) {
            throw new TransportException("kqueue registration failed", f.cause());
        }
        IoRegistration registration = f.getNow();
        try {
            registration.submit(KQueueIoOps.newOps(Darwin.EVFILT_READ, (short) (Darwin.EV_ADD | Darwin.EV_ENABLE), 0));
        } catch (RuntimeException e) {
            registration.cancel();
            throw new TransportException("kevent(EV_ADD, EVFILT_READ) failed", e);
        }
        // closing the descriptor removes its kevents (kqueue(2)); cancel() only stops Netty's dispatch
        return registration::cancel;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean execute(Runnable task) {
        if (loop.isShuttingDown()) {
            return false;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public boolean shutdown() {
        group.shutdownGracefully(0, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (inLoop()) {
            return false;
        }
        group.terminationFuture().awaitUninterruptibly(TIMEOUT_MILLIS * 2);
        try {
            thread.join(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
