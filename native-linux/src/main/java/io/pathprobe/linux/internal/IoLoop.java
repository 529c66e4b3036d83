package io.pathprobe.linux.internal;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.pathprobe.spi.TransportException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one Netty epoll I/O thread of a transport. Sockets are registered as raw file descriptors
 * ({@link EpollIoHandle}); epoll wakes the thread as soon as a socket is readable or has an error
 * queued, and the transport's handler drains it there. Everything a transport does on receive
 * happens on this thread, so receive buffers and caches need no locking.
 */
final class IoLoop {
    /** Bound on every wait for the I/O thread (registration, close, shutdown). */
    static final long TIMEOUT_MILLIS = 5_000;

    private final IoEventLoop loop;
    private final Thread thread;

    IoLoop(String name) {
        // one loop without a group: a group's termination is announced through Netty's GlobalEventExecutor,
        // whose (non-daemon) thread then kept a plain application's JVM alive for a second after close()
        loop = new SingleThreadIoEventLoop(null, new DefaultThreadFactory(name, true), EpollIoHandler.newFactory());
        Future<Thread> t = loop.submit(Thread::currentThread);
        if (!t.awaitUninterruptibly(TIMEOUT_MILLIS) || !t.isSuccess()) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new TransportException("the I/O thread did not start", t.cause());
        }
        thread = t.getNow();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Registers a socket for readability (EPOLLIN; epoll always reports EPOLLERR too). Level-triggered:
     * a socket left with data is reported again on the next turn of the loop.
     */
    IoRegistration register(EpollIoHandle handle) {
        Future<IoRegistration> f;
        try {
            f = loop.register(handle);
        } catch (RejectedExecutionException e) {
            throw new TransportException("transport is closed", e);
        }
        if (!f.awaitUninterruptibly(TIMEOUT_MILLIS)) {
            throw new TransportException("epoll registration timed out");
        }
        if (!f.isSuccess()) {
            throw new TransportException("epoll registration failed", f.cause());
        }
        IoRegistration registration = f.getNow();
        try {
            registration.submit(EpollIoOps.EPOLLIN);
        } catch (RuntimeException e) {
            registration.cancel();
            throw new TransportException("epoll_ctl failed", e);
        }
        return registration;
    }

    /**
     * On the I/O thread: registers a socket for {@code ops} (epoll always reports EPOLLERR and
     * EPOLLHUP too) at once, without waiting for anything. Level-triggered.
     */
    IoRegistration registerInLoop(EpollIoHandle handle, EpollIoOps ops) {
        if (!inLoop()) {
            throw new IllegalStateException("not on the I/O thread");
        }
        Future<IoRegistration> f = loop.register(handle);
        if (!f.isDone() || !f.isSuccess()) {
            throw new TransportException("epoll registration failed", f.cause());
        }
        IoRegistration registration = f.getNow();
        try {
            registration.submit(ops);
        } catch (RuntimeException e) {
            registration.cancel();
            throw new TransportException("epoll_ctl failed", e);
        }
        return registration;
    }

    /** Runs {@code task} on the I/O thread after {@code delayNanos}; false if the loop no longer accepts tasks. */
    boolean schedule(Runnable task, long delayNanos) {
        if (loop.isShuttingDown()) {
            return false;
        }
        try {
            loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code task} on the I/O thread; false if the loop no longer accepts tasks. */
    boolean execute(Runnable task) {
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

    /**
     * Returns once the I/O thread has finished whatever it was doing when this was called (bounded).
     * Must not be called on the I/O thread.
     */
    void barrier() {
        if (inLoop()) {
            return;
        }
        try {
            loop.submit(() -> { }).awaitUninterruptibly(TIMEOUT_MILLIS);
        } catch (RejectedExecutionException e) {
            // shut down: nothing runs on it any more
        }
    }

    /**
     * Shuts the loop down; registrations still open are closed by Netty (their handles' close()).
     * Waits (bounded) for the thread to end unless called on it. Returns whether it has ended.
     */
    boolean shutdown() {
        loop.shutdownGracefully(0, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (inLoop()) {
            return false;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS * 2);
        loop.terminationFuture().awaitUninterruptibly(TIMEOUT_MILLIS * 2);
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        boolean interrupted = false;
        try {
            thread.join(remainingMillis);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
