package io.pathprobe.linux.internal.socket;

import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * How a shared receive socket is read when answers arrive faster than one every
 * {@link #INTERVAL_NANOS}: polled on that interval instead of woken per answer, as a network card
 * moderates its interrupts.
 *
 * <p>Why: on Linux every datagram queued to a socket whose reader sleeps in epoll wakes that reader, in
 * the context of whoever delivered the datagram. When answers come back at once (a lab's routers, or a
 * local network, forward a probe inside the send system call), each send pays for a cross-CPU wake-up of
 * the I/O thread, which reads one answer and sleeps again: for a thousand concurrent traces that
 * ping-pong took about a quarter of all the CPU (measured in {@code bench/README.md}).
 *
 * <p>The rule, on the transport's I/O thread: a readiness event that comes less than an interval after
 * the previous one, and finds answers, takes the socket out of epoll's interest ({@code EPOLLIN} off,
 * {@code EPOLLERR} alone left) and
 * reads it again one interval later, and so on while each read finds answers. A read that finds none puts
 * {@code EPOLLIN} back (level-triggered: an answer queued in between is reported at once). Answers are
 * never held longer than one interval, and their times are the kernel's receive timestamps, so round-trip
 * times are unchanged; the engine's waits ({@code afterPendingAnswers}) drain the socket before they
 * decide, so an answer in the queue is never taken for a loss.
 *
 * <p>System property {@code pathprobe.linux.receivePollMicros}: the interval in microseconds (default
 * {@value #DEFAULT_INTERVAL_MICROS}); 0 wakes the reader for every answer, as before.
 */
public final class ReceivePacing {
    static final long DEFAULT_INTERVAL_MICROS = 100;
    public static final long INTERVAL_NANOS =
            Math.max(0, Long.getLong("pathprobe.linux.receivePollMicros", DEFAULT_INTERVAL_MICROS)) * 1_000;

    private final IoLoop loop;
    /** Reads up to this many messages, returning how many it read (0 once the socket is closed). */
    private final IntUnaryOperator drain;
    private final Consumer<Throwable> failures;
    private final int budget;
    private final long interval;
    private final Runnable poll = new Runnable() { // a class: a lambda is generated at first use (docs/startup.md)
        @Override
        public void run() {
            poll();
        }
    };
    /** Set by whichever thread registered the socket; read on the I/O thread. */
    private volatile @Nullable EpollRegistration registration;
    private long lastReady;
    private boolean polling;

    public ReceivePacing(IoLoop loop, int budget, long intervalNanos, IntUnaryOperator drain,
            Consumer<Throwable> failures) {
        this.loop = loop;
        this.failures = failures;
        this.budget = budget;
        this.interval = intervalNanos;
        this.drain = drain;
        this.lastReady = System.nanoTime() - intervalNanos - 1;
    }

    /** The socket's registration, once it has one (before that, readiness is never paced); any thread. */
    public void registered(EpollRegistration r) {
        this.registration = r;
    }

    /** On the I/O thread, when epoll reports the socket readable: reads it, and may switch to polling. */
    public void onReadable() {
        int read = drain.applyAsInt(budget);
        long now = System.nanoTime();
        boolean busy = now - lastReady < interval;
        lastReady = now;
        EpollRegistration r = registration;
        if (polling || !busy || read == 0 || r == null || !r.isValid()) {
            return;
        }
        try {
            // EPOLLERR alone (reported whatever the interest): the socket stays in epoll, so that its errors still
            // wake the loop, and EPOLLIN is submitted again when the polling ends
            r.submit(EpollOps.EPOLLERR);
        } catch (RuntimeException e) { // closed meanwhile: stay woken per answer
            if (r.isValid()) {
                failures.accept(e);
            }
            return;
        }
        polling = true;
        if (!loop.schedule(poll, interval)) { // the loop is shutting down: nothing more to read
            polling = false;
        }
    }

    /** Whether the socket is being polled (EPOLLIN off) rather than woken; for tests. */
    boolean polling() {
        return polling;
    }

    private void poll() {
        int read = drain.applyAsInt(budget);
        EpollRegistration r = registration;
        if (read > 0 && r != null && r.isValid()) {
            // a full budget: more is queued, read it after the loop's other work
            if (loop.schedule(poll, read >= budget ? 0 : interval)) {
                return;
            }
        }
        if (r == null || !r.isValid()) { // closed: nothing to read any more
            polling = false;
            return;
        }
        try {
            r.submit(EpollOps.EPOLLIN);
        } catch (RuntimeException e) {
            if (r.isValid()) { // cannot be woken again: keep reading on the interval, and say why
                failures.accept(e);
                loop.schedule(poll, interval);
            }
            return;
        }
        polling = false;
        lastReady = System.nanoTime();
    }
}
