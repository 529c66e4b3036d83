package io.pathprobe.core.internal.observe;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A logger that writes at most one line per interval; the lines it held back are counted and said
 * in the next one. Thread-safe; the message is built only when a line is written.
 */
public final class ThrottledLog {
    private final System.Logger logger;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    private final LongSupplier clock;

    public ThrottledLog(String name, long intervalNanos) {
        this(name, intervalNanos, System::nanoTime);
    }

    ThrottledLog(String name, long intervalNanos, LongSupplier clock) {
        this.logger = System.getLogger(name);
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Logs the message unless a line was written within the interval. */
    public void log(Level level, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long now = clock.getAsLong();
        long due = next.get();
        if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long held = suppressed.getAndSet(0);
        logger.log(level, message.get() + (held > 0 ? " (" + held + " similar line(s) held back)" : ""));
    }
}
