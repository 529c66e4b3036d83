package io.pathprobe.core.internal.ping.app;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.core.internal.ping.app.ProbeOutcome.FailureKind;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Where application probes do their I/O: one event loop of the tracer's Netty I/O group
 * ({@link NettyLoops#io()}), with the probes' timers and callbacks. Any number of {@link DnsProbe}s and
 * {@link HttpProbe}s share one; the engine keeps one per tracer. No thread of its own: the I/O group
 * has one, whatever the load, and closes with the tracer.
 *
 * <p>Bounded: at most {@code maxOutstanding} probes are admitted (started and not yet completed) at
 * once; {@link #submit} refuses more. The hand-off from {@code start} to the loop therefore holds at
 * most that many probes, plus one close request per probe instance.
 *
 * <p>A probe's timeout runs from the moment the loop takes it up (microseconds after {@code start}).
 * Every time (send, arrival, deadline) is a reading of the injected {@link Ticker}: the tracer's
 * ({@link Ticker#SYSTEM} in production), so that the probes' times are on the engine's clock. Netty's
 * timer only wakes the loop; whether a deadline has passed is decided on the ticker, after the loop
 * has read what its sockets hold, so an answer read in the same round as its deadline still counts.
 */
public final class AppProbeLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AppProbeLoop.class.getName());
    /** The default limit of probes in flight per loop. */
    public static final int DEFAULT_MAX_OUTSTANDING = 4096;

    private final NettyLoops loops;
    private final @Nullable NettyLoops owned;
    private final EventLoop loop;
    private final int maxOutstanding;
    private final Ticker ticker;
    private final Object lock = new Object();
    // guarded by lock
    private boolean closed;
    private int admitted;

    // confined to the event loop
    private final PriorityQueue<Exchange> timers =
            new PriorityQueue<>(Comparator.comparingLong((Exchange e) -> e.deadline));
    private boolean stopped;
    private @Nullable ScheduledFuture<?> wake;
    private long wakeAt;
    /** Query ids. */
    final SecureRandom random = new SecureRandom();

    /**
     * A loop admitting {@link #DEFAULT_MAX_OUTSTANDING} probes in flight, on Netty loops of its own and
     * {@link Ticker#SYSTEM}.
     */
    public AppProbeLoop() {
        this(DEFAULT_MAX_OUTSTANDING);
    }

    /** On Netty loops of its own (one I/O thread, closed with this) and {@link Ticker#SYSTEM}: for tests. */
    public AppProbeLoop(int maxOutstanding) {
        this(new NettyLoops(), true, maxOutstanding, Ticker.SYSTEM);
    }

    /** On the tracer's I/O group (not closed with this), timed by the tracer's {@code ticker}. */
    public AppProbeLoop(NettyLoops loops, Ticker ticker) {
        this(loops, false, DEFAULT_MAX_OUTSTANDING, ticker);
    }

    private AppProbeLoop(NettyLoops loops, boolean own, int maxOutstanding, Ticker ticker) {
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be at least 1: " + maxOutstanding);
        }
        this.loops = loops;
        this.owned = own ? loops : null;
        this.maxOutstanding = maxOutstanding;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.loop = loops.io().next();
    }

    /** The clock of every time the probes report. */
    long now() {
        return ticker.read();
    }

    /** The Netty loops the probes' channels are made for. */
    NettyLoops loops() {
        return loops;
    }

    /** The event loop the probes' channels are registered with. */
    EventLoop eventLoop() {
        return loop;
    }

    /** Whether the caller is the loop's thread (where callbacks run). */
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    /** Admits {@code exchange} and hands it to the loop; false if closed or at the limit. Never blocks. */
    boolean submit(Exchange exchange) {
        synchronized (lock) {
            if (closed || admitted >= maxOutstanding) {
                return false;
            }
            admitted++;
        }
        if (!Scheduler.tryExecute(loop, () -> begin(exchange))) {
            release();
            return false;
        }
        return true;
    }

    /**
     * Cancels every probe of {@code owner} in flight and, unless called on the loop, waits (at most 5 s)
     * until their sockets are closed. The owner must already refuse new starts.
     */
    void cancelAll(AbstractProbe owner) {
        Runnable task = () -> {
            long now = ticker.read();
            for (Exchange e : new ArrayList<>(timers)) {
                if (e.owner == owner) {
                    finish(e, e.failure(FailureKind.CANCELLED, now, "closed"));
                }
            }
        };
        if (inLoop()) {
            task.run();
            return;
        }
        NettyLoops.runAndWait(loop, task, "the application probe loop");
    }

    private void begin(Exchange e) {
        long now = ticker.read();
        e.startedNanos = now;
        e.deadline = now + e.owner.timeoutNanos;
        if (e.owner.isClosed() || stopped) {
            e.done = true;
            release();
            deliver(e, e.failure(FailureKind.CANCELLED, now, "closed"));
            return;
        }
        timers.add(e);
        try {
            e.begin(this, now);
        } catch (Exception ex) {
            fail(e, ex);
        }
        arm();
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

    /** Times out what is due on a fresh reading of the ticker, then sets the next wake-up. On the loop. */
    private void expire() {
        long now = ticker.read();
        for (Exchange e; (e = timers.peek()) != null && e.deadline - now <= 0; ) {
            finish(e, e.failure(FailureKind.TIMEOUT, now, e.timeoutDetail()));
        }
        arm();
    }

    /** Wakes the loop when the earliest deadline is due (the ticker decides then). */
    private void arm() {
        Exchange first = timers.peek();
        ScheduledFuture<?> w = wake;
        if (first == null || stopped) {
            if (w != null) {
                w.cancel(false);
                wake = null;
            }
            return;
        }
        if (w != null && wakeAt == first.deadline) {
            return;
        }
        if (w != null) {
            w.cancel(false);
        }
        wakeAt = first.deadline;
        wake = loop.schedule(() -> {
            wake = null;
            if (!stopped) {
                expire();
            }
        }, Math.max(0, first.deadline - ticker.read()), TimeUnit.NANOSECONDS);
    }

    /** On the loop, once closed: cancels what is in flight. */
    private void shutDown() {
        stopped = true;
        ScheduledFuture<?> w = wake;
        if (w != null) {
            w.cancel(false);
            wake = null;
        }
        long now = ticker.read();
        for (Exchange e; (e = timers.peek()) != null; ) {
            finish(e, e.failure(FailureKind.CANCELLED, now, "loop closed"));
        }
    }

    /**
     * Cancels every probe in flight (each callback gets {@code CANCELLED} on the loop's thread) and
     * closes every socket; unless called on the loop, returns once that is done (at most about 5 s);
     * closes the Netty loops if they are this one's own. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        NettyLoops.stopOn(loop, this::shutDown, this, () -> stopped, "the application probe loop");
        NettyLoops own = owned;
        if (own != null) {
            own.close();
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
        /** The probe's channel, once made; closing it ends its I/O. */
        @Nullable Channel channel;

        Exchange(AbstractProbe owner, int sequence, ApplicationProbe.Callback callback) {
            this.owner = owner;
            this.sequence = sequence;
            this.callback = callback;
        }

        /** Makes, registers and connects the channel and starts the request; {@code now} is the start time. */
        abstract void begin(AppProbeLoop loop, long now) throws Exception;

        /** The text of a timeout. */
        String timeoutDetail() {
            return "no answer within " + TimeUnit.NANOSECONDS.toMillis(owner.timeoutNanos) + " ms";
        }

        final ProbeOutcome.Failure failure(FailureKind kind, long now, String detail) {
            return new ProbeOutcome.Failure(sequence, kind, startedNanos, now - startedNanos, detail);
        }

        void closeChannel() {
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }
    }
}
