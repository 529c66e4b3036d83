package io.pathprobe.core.internal.ping.app;

import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import io.pathprobe.core.internal.runtime.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The one thread that does the I/O of application probes: a {@link Selector}, the probes' timers, and
 * the callbacks. Any number of {@link DnsProbe}s and {@link HttpProbe}s share one loop; the engine
 * keeps one per tracer.
 *
 * <p>Bounded: at most {@code maxOutstanding} probes are admitted (started and not yet completed) at
 * once; {@link #submit} refuses more. The hand-off queue from {@code start} to the loop therefore holds
 * at most that many probes, plus one close request per probe instance.
 *
 * <p>A probe's timeout runs from the moment the loop takes it up (microseconds after {@code start}),
 * and is checked with millisecond resolution ({@link Selector#select(long)}); an answer read in the
 * same round as its deadline still counts as an answer.
 *
 * <p>Every time (send, arrival, deadline) is a reading of the injected {@link Ticker}: the tracer's
 * ({@link Ticker#SYSTEM} in production), so that the probes' times are on the engine's clock.
 */
public final class AppProbeLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AppProbeLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    /** The default limit of probes in flight per loop. */
    public static final int DEFAULT_MAX_OUTSTANDING = 4096;

    private final Selector selector;
    private final Thread thread;
    private final int maxOutstanding;
    private final Ticker ticker;
    private final Object lock = new Object();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    // guarded by lock
    private boolean closed;
    private int admitted;

    // confined to the loop's thread
    private final PriorityQueue<Exchange> timers =
            new PriorityQueue<>(Comparator.comparingLong((Exchange e) -> e.deadline));
    private final List<CountDownLatch> afterNextSelect = new ArrayList<>();
    /** One receive buffer for every probe: reads happen on the loop's thread only. */
    final ByteBuffer scratch = ByteBuffer.allocateDirect(65_536);
    /** Query ids. */
    final SecureRandom random = new SecureRandom();

    /** A loop admitting {@link #DEFAULT_MAX_OUTSTANDING} probes in flight, on {@link Ticker#SYSTEM}. */
    public AppProbeLoop() {
        this(DEFAULT_MAX_OUTSTANDING);
    }

    /** A loop admitting {@link #DEFAULT_MAX_OUTSTANDING} probes in flight, timed by {@code ticker}. */
    public AppProbeLoop(Ticker ticker) {
        this(DEFAULT_MAX_OUTSTANDING, ticker);
    }

    /** A loop on {@link Ticker#SYSTEM}. */
    public AppProbeLoop(int maxOutstanding) {
        this(maxOutstanding, Ticker.SYSTEM);
    }

    /**
     * Opens the selector and starts the loop's thread (a daemon).
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    public AppProbeLoop(int maxOutstanding, Ticker ticker) {
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be at least 1: " + maxOutstanding);
        }
        this.maxOutstanding = maxOutstanding;
        this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for application probes", e);
        }
        this.thread = new Thread(this::run, "pathprobe-appprobe-" + IDS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** The clock of every time the probes report. */
    long now() {
        return ticker.read();
    }

    /** The limit of probes in flight. */
    public int maxOutstanding() {
        return maxOutstanding;
    }

    /** Whether the caller is the loop's thread (where callbacks run). */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Admits {@code exchange} and wakes the loop; false if closed or at the limit. Never blocks. */
    boolean submit(Exchange exchange) {
        synchronized (lock) {
            if (closed || admitted >= maxOutstanding) {
                return false;
            }
            admitted++;
            inbox.add(() -> begin(exchange));
        }
        selector.wakeup();
        return true;
    }

    /**
     * Cancels every probe of {@code owner} in flight and, unless called on the loop, waits (at most 5 s)
     * until their sockets are closed. The owner must already refuse new starts.
     */
    void cancelAll(AbstractProbe owner) {
        CountDownLatch flushed = new CountDownLatch(1);
        Runnable task = () -> {
            for (Exchange e : new ArrayList<>(timers)) {
                if (e.owner == owner) {
                    finish(e, e.failure(FailureKind.CANCELLED, ticker.read(), "closed"));
                }
            }
            afterNextSelect.add(flushed); // a closed registered channel is released by the next select
            selector.wakeup();
        };
        if (inLoop()) {
            task.run();
            return;
        }
        boolean queued;
        synchronized (lock) {
            queued = !closed;
            if (queued) {
                inbox.add(task);
            }
        }
        if (queued) {
            selector.wakeup();
            await(flushed);
        } else {
            joinThread(); // closed: the loop cancels everything itself as it stops
        }
    }

    private void begin(Exchange e) {
        long now = ticker.read();
        e.startedNanos = now;
        e.deadline = now + e.owner.timeoutNanos;
        if (e.owner.isClosed() || isClosed()) {
            e.done = true;
            release();
            deliver(e, e.failure(FailureKind.CANCELLED, now, "closed"));
            return;
        }
        timers.add(e);
        try {
            e.begin(this, now);
        } catch (IOException | RuntimeException ex) {
            fail(e, ex);
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Registers {@code e}'s channel. */
    Selector selector() {
        return selector;
    }

    /** Completes {@code e} with {@code outcome} (once): closes its channel, drops its timer, calls back. */
    void finish(Exchange e, ProbeOutcome outcome) {
        if (e.done) {
            return;
        }
        e.done = true;
        timers.remove(e);
        e.closeChannel();
        release();
        deliver(e, outcome);
    }

    void fail(Exchange e, Throwable t) {
        finish(e, e.failure(Failures.classify(t), ticker.read(), Failures.describe(t)));
    }

    private void release() {
        synchronized (lock) {
            admitted--;
        }
    }

    private static void deliver(Exchange e, ProbeOutcome outcome) {
        try {
            e.callback.completed(outcome);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "application probe callback failed", ex);
        }
    }

    private void run() {
        try {
            while (true) {
                Exchange first = timers.peek();
                if (first == null) {
                    selector.select();
                } else {
                    long waitNanos = first.deadline - ticker.read();
                    if (waitNanos <= 0) {
                        selector.selectNow();
                    } else {
                        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
                    }
                }
                long arrived = ticker.read(); // the arrival time of everything ready in this round
                for (CountDownLatch l : afterNextSelect) {
                    l.countDown();
                }
                afterNextSelect.clear();
                for (SelectionKey key : selector.selectedKeys()) {
                    Exchange e = (Exchange) key.attachment();
                    if (!e.done && key.isValid()) {
                        try {
                            e.ready(this, key, arrived);
                        } catch (IOException | RuntimeException ex) {
                            fail(e, ex);
                        }
                    }
                }
                selector.selectedKeys().clear();
                for (Runnable task; (task = inbox.poll()) != null; ) {
                    task.run();
                }
                long now = ticker.read();
                for (Exchange e; (e = timers.peek()) != null && e.deadline - now <= 0; ) {
                    finish(e, e.failure(FailureKind.TIMEOUT, now, e.timeoutDetail()));
                }
                if (isClosed()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.ERROR, "application probe loop failed; cancelling its probes", ex);
            synchronized (lock) {
                closed = true;
            }
        } finally {
            shutDown();
        }
    }

    /** On the loop's thread, once closed: nothing can be admitted any more. */
    private void shutDown() {
        for (Runnable task; (task = inbox.poll()) != null; ) {
            task.run(); // starts see the loop closed and cancel; close requests find nothing left
        }
        long now = ticker.read();
        for (Exchange e; (e = timers.peek()) != null; ) {
            finish(e, e.failure(FailureKind.CANCELLED, now, "loop closed"));
        }
        try {
            selector.close(); // deregisters, and so releases, every channel
        } catch (IOException ex) {
            LOG.log(Level.DEBUG, "closing the selector", ex);
        }
        for (CountDownLatch l : afterNextSelect) {
            l.countDown();
        }
        afterNextSelect.clear();
    }

    /**
     * Cancels every probe in flight (each callback gets {@code CANCELLED} on the loop's thread), closes
     * every socket and stops the thread; unless called on the loop, returns once the thread has ended
     * (at most about 5 s). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        selector.wakeup();
        joinThread();
    }

    private void joinThread() {
        if (inLoop()) {
            return;
        }
        try {
            thread.join(5000);
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, "application probe loop did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "application probe loop did not confirm a close within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and diagnostics: probes admitted and not yet completed. */
    int admitted() {
        synchronized (lock) {
            return admitted;
        }
    }

    /** One probe in flight: confined to the loop's thread once submitted. */
    abstract static class Exchange {
        final AbstractProbe owner;
        final int sequence;
        final ApplicationProbe.Callback callback;
        long startedNanos;
        long deadline;
        boolean done;
        /** The probe's socket, once opened; closing it also cancels its key. */
        @Nullable SelectableChannel channel;

        Exchange(AbstractProbe owner, int sequence, ApplicationProbe.Callback callback) {
            this.owner = owner;
            this.sequence = sequence;
            this.callback = callback;
        }

        /** Opens the channel, registers it and starts the request; {@code now} is the start time. */
        abstract void begin(AppProbeLoop loop, long now) throws IOException;

        /** Handles readiness; {@code arrived} is when this round's select returned. */
        abstract void ready(AppProbeLoop loop, SelectionKey key, long arrived) throws IOException;

        /** The text of a timeout. */
        String timeoutDetail() {
            return "no answer within " + TimeUnit.NANOSECONDS.toMillis(owner.timeoutNanos) + " ms";
        }

        final ProbeOutcome.Failure failure(FailureKind kind, long now, String detail) {
            return new ProbeOutcome.Failure(sequence, kind, startedNanos, now - startedNanos, detail);
        }

        void closeChannel() {
            SelectableChannel c = channel;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ex) {
                    LOG.log(Level.DEBUG, "closing a probe's channel", ex);
                }
            }
        }
    }
}
