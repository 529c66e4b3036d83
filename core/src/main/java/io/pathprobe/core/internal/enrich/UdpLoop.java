package io.pathprobe.core.internal.enrich;

import io.pathprobe.core.internal.runtime.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The one I/O thread of an {@link Enricher}: request/response exchanges over UDP (DNS queries, STUN
 * transactions), each on its own connected {@link DatagramChannel} with a port the kernel picks, with
 * retransmissions and an overall deadline.
 *
 * <p>Threads: exactly one (a daemon named {@code pathprobe-enrich-N}), whatever the load. At most
 * {@code maxSockets} exchanges have a socket at once; more wait in order of submission (their timeout
 * runs from when they get a socket). Futures are completed on the {@code callbacks} executor, never on
 * this thread, so no continuation of a caller runs here (if that executor refuses a task, the future
 * is completed on this thread as a last resort and a warning is logged).
 *
 * <p>Timing reads the given {@link Ticker}: {@link Ticker#SYSTEM} in production (network timeouts are
 * real time, whatever ticker the caches use), a fake one in tests, which move it and then call
 * {@link #checkTimers} so that timeouts and retransmissions are exact in fake time, with no sleep.
 * Deadlines are checked with millisecond resolution.
 *
 * <p>A connected socket receives only datagrams from its target, and the ICMP errors of what it sent:
 * a port-unreachable (nothing listens) fails the exchange at once with an {@link IOException}, rather
 * than waiting for the timeout.
 */
final class UdpLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    /** The default limit of sockets open at once. */
    static final int DEFAULT_MAX_SOCKETS = 256;
    /** Beyond this many waiting exchanges, new ones are refused. */
    static final int MAX_WAITING = 65_536;

    /**
     * One request/response exchange: what to send, when to send it again, how to read answers.
     * Its methods run on the loop's thread.
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

    private final Selector selector;
    private final Thread thread;
    private final Executor callbacks;
    private final int maxSockets;
    private final Ticker ticker;
    private final ConcurrentLinkedQueue<Running<?>> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> timerChecks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger openSockets = new AtomicInteger();
    private final AtomicLong datagramsSent = new AtomicLong();
    private volatile boolean closed;

    // confined to the loop's thread
    private final List<Running<?>> active = new ArrayList<>();
    private final ArrayDeque<Running<?>> waiting = new ArrayDeque<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(65_536);

    UdpLoop(Executor callbacks, int maxSockets, Ticker ticker) {
        if (maxSockets < 1) {
            throw new IllegalArgumentException("maxSockets must be at least 1: " + maxSockets);
        }
        this.callbacks = callbacks;
        this.maxSockets = maxSockets;
        this.ticker = ticker;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for enrichment", e);
        }
        this.thread = new Thread(this::run, "pathprobe-enrich-" + IDS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
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
        inbox.add(new Running<>(exchange, f));
        selector.wakeup();
        if (closed) {
            // raced with close: the loop may have stopped before seeing it
            drainInboxClosed();
        }
        return f;
    }

    /**
     * Wakes the loop, which starts the exchanges submitted before this call and then runs the timers
     * of every exchange on a reading of the ticker taken after this call. For tests on a fake ticker:
     * after moving it, the returned future completes (on the loop's thread) once timeouts and
     * retransmissions due by then have been handled; at once if the loop has stopped.
     */
    CompletableFuture<Void> checkTimers() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timerChecks.add(done);
        selector.wakeup();
        if (closed) {
            completeTimerChecks();
        }
        return done;
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

    private void run() {
        try {
            while (!closed) {
                long now = ticker.read();
                long next = Long.MAX_VALUE;
                for (Running<?> r : active) {
                    next = Math.min(next, r.nextWake());
                }
                if (next == Long.MAX_VALUE) {
                    selector.select();
                } else if (next - now <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now + 999_999)));
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Running<?> r = (Running<?>) key.attachment();
                    if (!r.done && key.isValid()) {
                        r.readAll();
                    }
                }
                selector.selectedKeys().clear();
                // the checks asked for so far, taken before the inbox and the ticker: each check then
                // sees the exchanges submitted and the time set before it was asked for
                List<CompletableFuture<Void>> checks = new ArrayList<>();
                for (CompletableFuture<Void> c; (c = timerChecks.poll()) != null; ) {
                    checks.add(c);
                }
                for (Running<?> r; (r = inbox.poll()) != null; ) {
                    waiting.add(r);
                }
                while (active.size() < maxSockets && !waiting.isEmpty()) {
                    waiting.poll().begin();
                }
                now = ticker.read();
                for (Running<?> r : new ArrayList<>(active)) {
                    r.tick(now);
                }
                checks.forEach(c -> c.complete(null));
            }
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.ERROR, "enrichment I/O loop failed; failing its lookups", ex);
            closed = true;
        } finally {
            IOException gone = new IOException("enrichment is closed");
            for (Running<?> r : new ArrayList<>(active)) {
                r.fail(gone);
            }
            for (Running<?> r : waiting) {
                queued.decrementAndGet();
                complete(() -> r.future.completeExceptionally(gone));
            }
            waiting.clear();
            drainInboxClosed();
            completeTimerChecks();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the selector", e);
            }
        }
    }

    private void drainInboxClosed() {
        for (Running<?> r; (r = inbox.poll()) != null; ) {
            Running<?> never = r; // never begun: no socket, not in the loop's lists
            queued.decrementAndGet();
            complete(() -> never.future.completeExceptionally(new IOException("enrichment is closed")));
        }
    }

    private void completeTimerChecks() {
        for (CompletableFuture<Void> c; (c = timerChecks.poll()) != null; ) {
            c.complete(null);
        }
    }

    /** Fails every exchange ("enrichment is closed"), closes every socket and stops the thread (waits ≤ 5 s). */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
                DatagramChannel ch = DatagramChannel.open(target.getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channel = ch;
                openSockets.incrementAndGet();
                ch.configureBlocking(false);
                ch.connect(target);
                exchange.bound((InetSocketAddress) ch.getLocalAddress());
                ch.register(selector, SelectionKey.OP_READ, this);
                send();
            } catch (Exception e) {
                fail(e);
            }
        }

        long nextWake() {
            long[] re = exchange.retransmitNanos();
            long deadline = start + exchange.timeoutNanos();
            int pending = sends - 1; // retransmissions already done
            if (pending < re.length) {
                return Math.min(deadline, start + re[pending]);
            }
            return deadline;
        }

        void send() throws IOException {
            DatagramChannel ch = channel;
            if (ch == null) {
                return;
            }
            byte[] wire = exchange.request();
            int n = ch.write(ByteBuffer.wrap(wire));
            if (n != wire.length) {
                throw new IOException("the request was not sent whole (" + n + " of " + wire.length + " bytes)");
            }
            sends++;
            datagramsSent.incrementAndGet();
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
                while (sends - 1 < re.length && now - (start + re[sends - 1]) >= 0) {
                    send();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        void readAll() {
            DatagramChannel ch = channel;
            try {
                while (!done && ch != null) {
                    scratch.clear();
                    int n = ch.read(scratch);
                    if (n <= 0) {
                        return;
                    }
                    scratch.flip();
                    T result;
                    try {
                        result = exchange.answer(scratch.slice());
                    } catch (Exception e) {
                        fail(e);
                        return;
                    }
                    if (result != null) {
                        succeed(result);
                    }
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void finish() {
            done = true;
            active.remove(this);
            queued.decrementAndGet();
            DatagramChannel ch = channel;
            if (ch != null) {
                channel = null;
                try {
                    ch.close();
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "closing a datagram channel", e);
                } finally {
                    openSockets.decrementAndGet();
                }
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
