package io.pathprobe.core.internal.io;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.pathprobe.core.internal.logging.QuietSlf4j;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The Netty event loops of one tracer, each group made on first use and closed with the tracer:
 * {@code pathprobe-io-*} (one thread: the enrichment's DNS and STUN exchanges over UDP), and for
 * bufferbloat tests {@code pathprobe-load-*} (a few threads: the load connections and their self
 * probes) and {@code pathprobe-nqprobe-*} (one thread: the foreign probes, so a busy load loop never
 * delays a probe's connect or handshake). Their number of threads is fixed, whatever the load.
 * epoll where Netty's native transport loads, else NIO.
 */
public final class NettyLoops implements AutoCloseable {
    /** Threads of the load group. */
    public static final int LOAD_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

    private @Nullable EventLoopGroup load;
    private @Nullable EventLoopGroup probes;
    private @Nullable EventLoopGroup io;
    private boolean closed;
    /**
     * Whether Netty's epoll transport loads: asked on first use (it loads a native library), not when the tracer is
     * built.
     */
    private @Nullable Boolean epoll;
    private final Runnable background;

    /** Loops whose threads run nothing special first. */
    public NettyLoops() {
        this(() -> { });
    }

    /** @param background run first on each new loop thread (the transports' {@code configureBackgroundThread}) */
    public NettyLoops(Runnable background) {
        this.background = background;
    }

    /**
     * Loads Netty's native epoll transport and the event-loop classes every loop needs, creating nothing:
     * the tracer's {@code build()} runs it on a set-up thread, so that neither a transport's I/O
     * loop nor these loops load it inside a measurement. What fails is ignored (asked again on use).
     */
    public static void loadNative() {
        try {
            if (epollAvailable()) {
                EpollIoHandler.newFactory();
            }
            Class.forName("io.netty.channel.SingleThreadIoEventLoop", true, NettyLoops.class.getClassLoader());
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // best effort
        }
    }

    /**
     * Loads what a first UDP exchange on these loops needs (a datagram channel's classes, its pipeline, the
     * buffer allocator on the I/O thread and, with Netty 4.2, the allocator's JFR event classes) without
     * sending anything: a channel is registered on {@link #io()} and closed, never bound nor written. The
     * tracer's {@code build()} runs it on a set-up thread when lookups are on (they use that loop
     * from their first query). What fails is ignored; the channel is closed whatever happens.
     */
    public void loadUdpClasses() {
        DatagramChannel ch = null;
        try {
            EventLoopGroup loop = io();
            ch = newDatagramChannel(false);
            ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter());
            if (loop.register(ch).awaitUninterruptibly(2, TimeUnit.SECONDS) && ch.isRegistered()) {
                DatagramChannel c = ch;
                ch.eventLoop().submit(() -> {
                    c.alloc().ioBuffer(1232).release();
                    Unpooled.wrappedBuffer(new byte[1]).release();
                }).awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        } catch (RuntimeException | LinkageError e) {
            // best effort
        } finally {
            if (ch != null) {
                if (ch.isRegistered()) {
                    ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
                } else {
                    ch.unsafe().closeForcibly();
                }
            }
        }
    }

    private static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** Daemon threads that first run the background hook (lower priority than the engine's). */
    private java.util.concurrent.ThreadFactory threads(String name) {
        DefaultThreadFactory f = new DefaultThreadFactory(name, true);
        return task -> f.newThread(() -> {
            try {
                background.run();
            } catch (RuntimeException e) {
                // tuning is best effort
            }
            task.run();
        });
    }

    private IoHandlerFactory factory() {
        // before the first Netty thread: SLF4J, if it has no provider, is initialised without its warning
        QuietSlf4j.init(NettyLoops.class.getClassLoader());
        return epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The load group. */
    public synchronized EventLoopGroup load() {
        check();
        if (load == null) {
            load = new MultiThreadIoEventLoopGroup(LOAD_THREADS, threads("pathprobe-load"), factory());
        }
        return load;
    }

    /**
     * The probe group: one loop, made without a group as {@link #io()} is.
     */
    public synchronized EventLoopGroup probes() {
        check();
        if (probes == null) {
            probes = new SingleThreadIoEventLoop(null, threads("pathprobe-nqprobe"), factory());
        }
        return probes;
    }

    /**
     * The small I/O group (one thread): request/response exchanges such as DNS and STUN. One loop made
     * without a group: a group announces its end through Netty's GlobalEventExecutor, whose thread is not
     * a daemon and outlives its last task by a second, so an application that closed an enriching tracer
     * and returned from {@code main} ran a second longer.
     */
    public synchronized EventLoopGroup io() {
        check();
        if (io == null) {
            // not a background thread: lookups time out on it, and a niced thread waits behind any CPU hog
            io = new SingleThreadIoEventLoop(null, new DefaultThreadFactory("pathprobe-io", true), factory());
        }
        return io;
    }

    /** A new, unregistered UDP channel matching the loops, of the family of {@code ipv6}. */
    public DatagramChannel newDatagramChannel(boolean ipv6) {
        SocketProtocolFamily family = ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return epoll() ? new EpollDatagramChannel(family) : new NioDatagramChannel(family);
    }

    /** A new, unregistered TCP channel matching the loops (dual stack). */
    public SocketChannel newSocketChannel() {
        return epoll() ? new EpollSocketChannel() : new NioSocketChannel();
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("tracer is closed");
        }
    }

    /** The socket channel class matching the loops. */
    public Class<? extends SocketChannel> channelClass() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Whether the loops are epoll. */
    public synchronized boolean epoll() {
        Boolean e = epoll;
        if (e == null) {
            e = epollAvailable();
            epoll = e;
        }
        return e;
    }

    /** How long {@link #stopOn} waits for the loop to run the stop. */
    private static final long STOP_WAIT_SECONDS = 5;
    private static final System.Logger LOG = System.getLogger(NettyLoops.class.getName());

    /**
     * Runs {@code task} on {@code loop} (queued behind what it has to do) and, unless called on that
     * loop, returns once it ran: at most {@value #STOP_WAIT_SECONDS} s, then logs that {@code what}
     * did not confirm. False, and nothing ran, if the loop takes no more tasks (it was shut down).
     */
    public static boolean runAndWait(EventLoop loop, Runnable task, String what) {
        CountDownLatch done = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } finally {
                    done.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            return false;
        }
        if (!loop.inEventLoop()) {
            try {
                if (!done.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, what + " did not confirm within " + STOP_WAIT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    /**
     * Stops something whose state is confined to one event loop: {@link #runAndWait} {@code stop}
     * there; when the loop takes no more tasks, nothing else touches that state any more, so
     * {@code stop} runs on the calling thread, under {@code guard}, unless {@code stopped} says it
     * already ran.
     */
    public static void stopOn(EventLoop loop, Runnable stop, Object guard, BooleanSupplier stopped, String what) {
        if (!runAndWait(loop, stop, what)) {
            synchronized (guard) {
                if (!stopped.getAsBoolean()) {
                    stop.run();
                }
            }
        }
    }

    /**
     * Stops every group and waits (bounded) for their threads; called from one of those threads (a
     * loop closing its own groups from a task), it only starts the shutdown: that thread cannot wait
     * for itself, and it ends once its task returns.
     */
    @Override
    public void close() {
        EventLoopGroup l;
        EventLoopGroup p;
        EventLoopGroup i;
        synchronized (this) {
            closed = true;
            l = load;
            p = probes;
            i = io;
            load = null;
            probes = null;
            io = null;
        }
        for (EventLoopGroup g : new EventLoopGroup[] {l, p, i}) {
            if (g != null) {
                g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
        }
        EventLoopGroup[] groups = {l, p, i};
        for (EventLoopGroup g : groups) {
            if (g != null && ownsCurrentThread(g)) {
                return;
            }
        }
        for (EventLoopGroup g : groups) {
            if (g != null) {
                g.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean ownsCurrentThread(EventLoopGroup group) {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }
}
