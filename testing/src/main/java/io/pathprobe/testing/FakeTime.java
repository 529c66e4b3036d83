package io.pathprobe.testing;

import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Fake time for a tracer, as Caffeine's {@code FakeTicker}: a {@link Ticker} and a {@link Scheduler} with no
 * threads, whose tasks and timers run only in the test's own thread, when it calls {@link #advance},
 * {@link #advanceUntil}, {@link #runUntilIdle} or a blocking call of the tracer ({@link #runUntil}). Give it to
 * the builder as both: {@code PathTracer.builder().ticker(time).scheduler(time)}.
 *
 * <p>Time starts at {@link #elapsed()} zero and moves only forward, only when told to; everything due at one
 * time runs in the order it was scheduled, so a test's outcome never depends on thread timing. Not thread-safe:
 * drive it from one thread (the test's).
 */
public final class FakeTime implements Ticker, Scheduler {
    /** Runaway guard: more tasks than this in one call is a loop that never ends. */
    private static final long MAX_TASKS = 50_000_000L;
    /** The reading of {@link #read()} at elapsed zero (an arbitrary origin: only differences mean anything). */
    private static final long ORIGIN = 1_000_000_000L;

    private long elapsed;
    private long seq;
    private int depth;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final PriorityQueue<Entry> timers = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));

    private static final class Entry implements Timer {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Entry(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** Fake time at zero, with nothing scheduled. */
    public FakeTime() {}

    @Override
    public long read() {
        return ORIGIN + elapsed;
    }

    /**
     * {@return how much fake time has passed since this was made}
     */
    public Duration elapsed() {
        return Duration.ofNanos(elapsed);
    }

    @Override
    public boolean execute(Runnable task) {
        queue.addLast(Objects.requireNonNull(task, "task"));
        return true;
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        long d = Math.max(0, saturatedNanos(delay));
        long at = elapsed + d < elapsed ? Long.MAX_VALUE : elapsed + d;
        Entry e = new Entry(at, seq++, task);
        timers.add(e);
        return e;
    }

    @Override
    public boolean inLoop() {
        return depth > 0;
    }

    /**
     * Runs the tasks given and the timers due now, until none is left; time does not move.
     */
    public void runUntilIdle() {
        long guard = 0;
        while (runOne()) {
            guard = checkGuard(guard);
        }
    }

    /**
     * Moves time forward by {@code duration}, running every task and timer due on the way, in time order (each
     * timer sees {@link #read()} at its own due time).
     *
     * @param duration how far to move time, zero or more
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time moves forward only, was " + duration);
        }
        long target = saturatedAdd(elapsed, saturatedNanos(duration));
        runUntilIdle();
        @Nullable Entry next;
        while ((next = nextTimer()) != null && next.at <= target) {
            elapsed = Math.max(elapsed, next.at);
            runUntilIdle();
        }
        elapsed = target;
        runUntilIdle();
    }

    /**
     * Moves time forward, timer by timer, until {@code condition} holds, at most by {@code limit}.
     *
     * @param condition when to stop, checked after every step
     * @param limit the most fake time to let pass
     * @return whether {@code condition} held (false: {@code limit} passed first, and time moved by all of it)
     */
    public boolean advanceUntil(BooleanSupplier condition, Duration limit) {
        Objects.requireNonNull(condition, "condition");
        long end = saturatedAdd(elapsed, saturatedNanos(Objects.requireNonNull(limit, "limit")));
        runUntilIdle();
        while (!condition.getAsBoolean()) {
            @Nullable Entry next = nextTimer();
            if (next == null || next.at > end) {
                elapsed = Math.max(elapsed, end);
                runUntilIdle();
                return condition.getAsBoolean();
            }
            elapsed = Math.max(elapsed, next.at);
            runUntilIdle();
        }
        return true;
    }

    /**
     * Runs the tasks given and the timers due now, then, while {@code condition} is false, moves time on to the
     * next timer and runs what is due, until {@code condition} holds or nothing at all is scheduled. The tracer's
     * blocking calls use it, so that {@code tracer.trace(request)} returns once the trace has ended on fake time.
     *
     * @param condition when to stop
     * @return true: this loop is driven by its caller
     */
    @Override
    public boolean runUntil(BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        runUntilIdle();
        @Nullable Entry next;
        while (!condition.getAsBoolean() && (next = nextTimer()) != null) {
            elapsed = Math.max(elapsed, next.at);
            runUntilIdle();
        }
        return true;
    }

    /**
     * {@return the timers scheduled and not yet run nor cancelled}
     */
    public int pendingTimers() {
        return (int) timers.stream().filter(e -> !e.cancelled).count();
    }

    @Override
    public String toString() {
        return "FakeTime{elapsed=" + elapsed() + ", " + queue.size() + " queued, " + pendingTimers() + " timers}";
    }

    /** Runs one queued task, or else one timer due now; false if there was none. */
    private boolean runOne() {
        Runnable next = queue.pollFirst();
        if (next == null) {
            @Nullable Entry e = nextTimer();
            if (e == null || e.at > elapsed) {
                return false;
            }
            timers.poll();
            next = e.task;
        }
        depth++;
        try {
            next.run();
        } finally {
            depth--;
        }
        return true;
    }

    /** The earliest timer not cancelled (cancelled ones ahead of it are dropped), or null. */
    private @Nullable Entry nextTimer() {
        Entry e = timers.peek();
        while (e != null && e.cancelled) {
            timers.poll();
            e = timers.peek();
        }
        return e;
    }

    private static long checkGuard(long guard) {
        if (guard + 1 > MAX_TASKS) {
            throw new IllegalStateException("more than " + MAX_TASKS + " tasks at one time: a loop that never ends");
        }
        return guard + 1;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }
}
