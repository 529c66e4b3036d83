package io.pathprobe.core.internal.enrich;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The UDP request/response exchanges of an {@link Enricher} (DNS queries, STUN transactions) on one
 * event loop of the tracer's Netty I/O group ({@link NettyLoops#io()}): each exchange on its own
 * connected datagram channel with a port the kernel picks, with retransmissions and an overall
 * deadline. No thread of its own: the I/O group has one, whatever the load, and closes with the tracer.
 *
 * <p>At most {@code maxSockets} exchanges have a socket at once; more wait in order of submission
 * (their timeout runs from when they get a socket). Futures are completed on the {@code callbacks}
 * executor, never on the event loop, so no continuation of a caller runs there (if that executor
 * refuses a task, the future is completed on the loop as a last resort and a warning is logged).
 *
 * <p>Timing reads the given {@link Ticker}: {@link Ticker#SYSTEM} in production, a fake one in tests.
 * Netty's timer only wakes the loop when the ticker says the next retransmission or deadline is due;
 * what is due is always decided on a reading of the ticker. Tests move a fake ticker and then call
 * {@link #checkTimers}, so that timeouts and retransmissions are exact in fake time, with no sleep.
 *
 * <p>A connected socket receives only datagrams from its target, and the ICMP errors of what it sent:
 * a port-unreachable (nothing listens) fails the exchange at once with an {@link IOException}, rather
 * than waiting for the timeout.
 */
final class UdpExchanges implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpExchanges.class.getName());
    /** The default limit of sockets open at once. */
    static final int DEFAULT_MAX_SOCKETS = 256;
    /** Beyond this many waiting exchanges, new ones are refused. */
    static final int MAX_WAITING = 65_536;

    /**
     * One request/response exchange: what to send, when to send it again, how to read answers.
     * Its methods run on the event loop.
     */
    interface Exchange<T> {
        /** Where to send (an address, not a name). */
        InetSocketAddress target();

        /** The datagram to send; called before every transmission. */
        byte[] request();

        /**
         * The delays, in nanoseconds from the start, of the retransmissions (ascending; empty for none).
         */
        long[] retransmitNanos();

        /** The deadline, in nanoseconds from the start. */
        long timeoutNanos();

        /** The local address the socket got (once connected). */
        default void bound(InetSocketAddress local) {}

        /**
         * Reads one datagram (positioned at its start).
         *
         * @return the result, or null to ignore the datagram and wait on
         * @throws Exception to fail the exchange with it
         */
        @Nullable T answer(ByteBuffer datagram) throws Exception;

        /** The failure when the deadline passes without an answer. */
        Exception timeout();
    }

    /** An {@link Exchange} whose target, retransmissions and deadline are fixed when it is made. */
    abstract static class Scheduled<T> implements Exchange<T> {
        private final InetSocketAddress target;
        private final long[] retransmitNanos;
        private final long timeoutNanos;

        Scheduled(InetSocketAddress target, long[] retransmitNanos, long timeoutNanos) {
            this.target = target;
            this.retransmitNanos = retransmitNanos;
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public final InetSocketAddress target() {
            return target;
        }

        @Override
        public final long[] retransmitNanos() {
            return retransmitNanos;
        }

        @Override
        public final long timeoutNanos() {
            return timeoutNanos;
        }
    }

    private final NettyLoops loops;
    private final @Nullable NettyLoops owned;
    /** The event loop, taken from the I/O group at the first exchange: lookups that never run start nothing. */
    private volatile @Nullable EventLoop loop;
    private final Executor callbacks;
    private final int maxSockets;
    private final Ticker ticker;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger openSockets = new AtomicInteger();
    private final AtomicLong datagramsSent = new AtomicLong();
    private volatile boolean closed;

    // confined to the event loop
    private final List<Running<?>> active = new ArrayList<>();
    private final ArrayDeque<Running<?>> waiting = new ArrayDeque<>();
    private boolean stopped;
    private boolean pumpQueued;
    private @Nullable ScheduledFuture<?> wake;
    private long wakeAt;

    /** On Netty loops of its own (one I/O thread, closed with this): for tests and standalone use. */
    UdpExchanges(Executor callbacks, int maxSockets, Ticker ticker) {
        this(new NettyLoops(), true, callbacks, maxSockets, ticker);
    }

    /** On the tracer's I/O group, which this does not close. */
    UdpExchanges(NettyLoops loops, Executor callbacks, int maxSockets, Ticker ticker) {
        this(loops, false, callbacks, maxSockets, ticker);
    }

    private UdpExchanges(NettyLoops loops, boolean own, Executor callbacks, int maxSockets, Ticker ticker) {
        if (maxSockets < 1) {
            throw new IllegalArgumentException("maxSockets must be at least 1: " + maxSockets);
        }
        this.loops = loops;
        this.owned = own ? loops : null;
        this.callbacks = callbacks;
        this.maxSockets = maxSockets;
        this.ticker = ticker;
    }

    /** Starts {@code exchange}; the future completes on the callbacks executor. Never blocks. */
    <T> CompletableFuture<T> exchange(Exchange<T> exchange) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IOException("enrichment is closed"));
            return f;
        }
        if (queued.incrementAndGet() > MAX_WAITING) {
            queued.decrementAndGet();
            f.completeExceptionally(new RejectedExecutionException("too many lookups waiting (" + MAX_WAITING + ")"));
            return f;
        }
        Running<T> r = new Running<>(exchange, f);
        EventLoop l = null;
        try {
            l = loop();
        } catch (RuntimeException e) {
            // closed in between: the I/O group gives no loop
        }
        boolean taken = l != null && Scheduler.tryExecute(l, () -> {
            if (stopped) {
                queued.decrementAndGet();
                complete(() -> f.completeExceptionally(new IOException("enrichment is closed")));
                return;
            }
            waiting.add(r);
            pump();
        });
        if (!taken) { // the I/O group is shut down: the tracer is closing
            queued.decrementAndGet();
            f.completeExceptionally(new IOException("enrichment is closed"));
        }
        return f;
    }

    /**
     * Wakes the loop, which starts the exchanges submitted before this call, reads what the sockets
     * already hold, and then runs the timers of every exchange on a reading of the ticker taken after
     * this call. For tests on a fake ticker: after moving it, the returned future completes (on the
     * loop) once timeouts and retransmissions due by then have been handled; at once if stopped.
     */
    CompletableFuture<Void> checkTimers() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable check = () -> {
            if (!stopped) {
                tick();
            }
            done.complete(null);
        };
        // a task runs before the loop next polls its sockets; a task scheduled from it runs after that poll,
        // so answers that arrived before this call are read before the timers decide on a timeout
        if (!Scheduler.tryExecute(loop(), () -> {
            try {
                loop().schedule(check, 0, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                check.run();
            }
        })) {
            done.complete(null);
        }
        return done;
    }

    /** The event loop; the first call takes one from the I/O group (which starts its thread then). */
    private EventLoop loop() {
        EventLoop l = loop;
        if (l == null) {
            synchronized (this) {
                l = loop;
                if (l == null) {
                    if (closed) {
                        throw new RejectedExecutionException("enrichment is closed");
                    }
                    l = loops.io().next();
                    loop = l;
                }
            }
        }
        return l;
    }

    /** The ticker's reading now: the clock of every exchange's timers. */
    long now() {
        return ticker.read();
    }

    /** Sockets open now (for tests: leak checks). */
    int openSockets() {
        return openSockets.get();
    }

    /** Datagrams sent so far, retransmissions included. */
    long datagramsSent() {
        return datagramsSent.get();
    }

    /** Exchanges started and not finished (with a socket or waiting for one). */
    int inFlight() {
        return queued.get();
    }

    /** Gives sockets to waiting exchanges, then sets the wake-up. On the loop. */
    private void pump() {
        while (!stopped && active.size() < maxSockets && !waiting.isEmpty()) {
            waiting.poll().begin();
        }
        arm();
    }

    /** Handles what is due on a fresh reading of the ticker. On the loop. */
    private void tick() {
        long now = ticker.read();
        for (Running<?> r : new ArrayList<>(active)) {
            r.tick(now);
        }
        pump();
    }

    /** Wakes the loop when the next retransmission or deadline is due (the ticker decides then). */
    private void arm() {
        long next = Long.MAX_VALUE;
        for (Running<?> r : active) {
            next = Math.min(next, r.nextWake());
        }
        ScheduledFuture<?> w = wake;
        if (next == Long.MAX_VALUE || stopped) {
            if (w != null) {
                w.cancel(false);
                wake = null;
            }
            return;
        }
        if (w != null && wakeAt == next) {
            return;
        }
        if (w != null) {
            w.cancel(false);
        }
        wakeAt = next;
        long delay = Math.max(0, next - ticker.read());
        wake = loop().schedule(() -> {
            wake = null;
            if (!stopped) {
                tick();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** Fails every exchange ("enrichment is closed") and closes their sockets. On the loop, or once it is gone. */
    private void stop() {
        stopped = true;
        ScheduledFuture<?> w = wake;
        if (w != null) {
            w.cancel(false);
            wake = null;
        }
        IOException gone = new IOException("enrichment is closed");
        for (Running<?> r : new ArrayList<>(active)) {
            r.fail(gone);
        }
        for (Running<?> r : waiting) {
            queued.decrementAndGet();
            complete(() -> r.future.completeExceptionally(gone));
        }
        waiting.clear();
    }

    /**
     * Fails every exchange ("enrichment is closed") and closes every socket (waits ≤ 5 s unless called
     * on the loop); closes the Netty loops if they are this one's own. Idempotent.
     */
    @Override
    public void close() {
        EventLoop l;
        synchronized (this) {
            closed = true;
            l = loop;
        }
        if (l != null) {
            NettyLoops.stopOn(l, this::stop, this, () -> stopped, "the enrichment's exchanges");
        }
        NettyLoops own = owned;
        if (own != null) {
            own.close();
        }
    }

    private void complete(Runnable r) {
        try {
            callbacks.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "the enrichment executor refused a completion; completing on the I/O thread");
            r.run();
        }
    }

    /** Reads the answers of one exchange's channel. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final Running<?> running;

        Reader(Running<?> running) {
            this.running = running;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf content = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
                if (content != null) {
                    running.read(content);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            running.fail(cause); // e.g. PortUnreachableException: the ICMP error of what was sent
        }
    }

    private final class Running<T> {
        final Exchange<T> exchange;
        final CompletableFuture<T> future;
        @Nullable DatagramChannel channel;
        long start;
        int sends;
        boolean done;

        Running(Exchange<T> exchange, CompletableFuture<T> future) {
            this.exchange = exchange;
            this.future = future;
        }

        void begin() {
            active.add(this);
            start = ticker.read();
            try {
                InetSocketAddress target = exchange.target();
                DatagramChannel ch = loops.newDatagramChannel(target.getAddress() instanceof Inet6Address);
                channel = ch;
                openSockets.incrementAndGet();
                ch.pipeline().addLast(new Reader(this));
                loop().register(ch).addListener(registered -> {
                    if (!registered.isSuccess()) {
                        fail(registered.cause());
                    } else if (!done) {
                        ch.connect(target).addListener(connected -> {
                            if (!connected.isSuccess()) {
                                fail(connected.cause());
                            } else if (!done) {
                                try {
                                    exchange.bound((InetSocketAddress) ch.localAddress());
                                    send();
                                } catch (Exception e) {
                                    fail(e);
                                }
                            }
                        });
                    }
                });
            } catch (Exception e) {
                fail(e);
            }
        }

        long nextWake() {
            long[] re = exchange.retransmitNanos();
            long deadline = start + exchange.timeoutNanos();
            int pending = sends - 1; // retransmissions already done
            if (sends > 0 && pending < re.length) {
                return Math.min(deadline, start + re[pending]);
            }
            return deadline;
        }

        void send() {
            DatagramChannel ch = channel;
            if (ch == null || done) {
                return;
            }
            byte[] wire = exchange.request();
            sends++;
            datagramsSent.incrementAndGet();
            ch.writeAndFlush(Unpooled.wrappedBuffer(wire)).addListener(w -> {
                if (!w.isSuccess()) {
                    fail(w.cause());
                }
            });
        }

        void tick(long now) {
            if (done) {
                return;
            }
            if (now - (start + exchange.timeoutNanos()) >= 0) {
                fail(exchange.timeout());
                return;
            }
            long[] re = exchange.retransmitNanos();
            try {
                while (sends > 0 && sends - 1 < re.length && now - (start + re[sends - 1]) >= 0) {
                    send();
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        void read(ByteBuf datagram) {
            if (done) {
                return;
            }
            T result;
            try {
                result = exchange.answer(datagram.nioBuffer());
            } catch (Exception e) {
                fail(e);
                return;
            }
            if (result != null) {
                succeed(result);
            }
        }

        private void finish() {
            done = true;
            active.remove(this);
            queued.decrementAndGet();
            DatagramChannel ch = channel;
            if (ch != null) {
                channel = null;
                ch.close();
                openSockets.decrementAndGet();
            }
            if (!stopped && !waiting.isEmpty() && !pumpQueued) {
                pumpQueued = true; // a socket is free: the next waiting exchange starts in a task of its own
                Scheduler.tryExecute(loop(), () -> {
                    pumpQueued = false;
                    pump();
                });
            }
        }

        void succeed(T value) {
            if (done) {
                return;
            }
            finish();
            complete(() -> future.complete(value));
        }

        void fail(Throwable t) {
            if (done) {
                return;
            }
            finish();
            complete(() -> future.completeExceptionally(t));
        }
    }
}
