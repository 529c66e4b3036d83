package io.pathprobe.core.internal.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} and {@link Ticker} on fake time, with no threads (as Caffeine's FakeTicker or
 * OkHttp's TaskFaker): tasks run when the test calls {@link #runUntilIdle()} or {@link #advance}.
 * The clock may start anywhere (near Long.MAX_VALUE to test wrap-around).
 */
public final class FakeScheduler implements Scheduler, Ticker {
    private final long origin;
    private long elapsed;
    private long seq;
    private int depth;
    private boolean stopped;
    private java.util.function.LongUnaryOperator lateness = due -> 0;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final PriorityQueue<Entry> timers = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));

    private static final class Entry {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Entry(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }
    }

    public FakeScheduler() {
        this(1_000_000_000L);
    }

    public FakeScheduler(long origin) {
        this.origin = origin;
    }

    @Override
    public long read() {
        return origin + elapsed;
    }

    /**
     * Timers fire late, as a real engine thread wakes up late (timer slack, a busy CPU): a timer due
     * at {@code due} (nanoseconds since the start) runs {@code lateness(due)} later.
     */
    public void lateTimers(java.util.function.LongUnaryOperator lateness) {
        this.lateness = lateness;
    }

    /** Nanoseconds since the start. */
    public long elapsed() {
        return elapsed;
    }

    @Override
    public boolean execute(Runnable task) {
        if (stopped) {
            return false;
        }
        queue.addLast(task);
        return true;
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        if (stopped) {
            return NO_TIMER;
        }
        long d = Math.min(EngineLoop.MAX_DELAY_NANOS, Math.max(0, delayNanos));
        long due = elapsed + d;
        Entry e = new Entry(due + Math.max(0, lateness.applyAsLong(due)), seq++, task);
        timers.add(e);
        return () -> e.cancelled = true;
    }

    @Override
    public boolean inLoop() {
        return depth > 0;
    }

    @Override
    public boolean runQueued() {
        if (depth == 0) {
            runUntilIdle();
        }
        return true;
    }

    /** Runs queued tasks and timers due now, until none is left. */
    public void runUntilIdle() {
        int guard = 0;
        while (true) {
            if (++guard > 10_000_000) {
                throw new AssertionError("runaway task loop");
            }
            Runnable next = queue.pollFirst();
            if (next == null) {
                Entry e = timers.peek();
                if (e == null || e.at > elapsed) {
                    return;
                }
                timers.poll();
                if (e.cancelled) {
                    continue;
                }
                next = e.task;
            }
            depth++;
            try {
                next.run();
            } finally {
                depth--;
            }
        }
    }

    /**
     * The task running now takes {@code d}: time moves on and nothing else runs meanwhile (a loop
     * busy with set-up, a first use of a code path). Call it from a task on the loop.
     */
    public void stall(Duration d) {
        elapsed += d.toNanos();
    }

    /** Moves time forward by {@code d}, running every task and timer on the way, in time order. */
    public void advance(Duration d) {
        long target = elapsed + d.toNanos();
        runUntilIdle();
        while (true) {
            Entry e = timers.peek();
            while (e != null && e.cancelled) {
                timers.poll();
                e = timers.peek();
            }
            if (e == null || e.at > target) {
                break;
            }
            elapsed = Math.max(elapsed, e.at);
            runUntilIdle();
        }
        elapsed = target;
        runUntilIdle();
    }

    /** Runs until {@code condition} holds, at most {@code limit} of fake time; false if it never did. */
    public boolean advanceUntil(java.util.function.BooleanSupplier condition, Duration limit) {
        long end = elapsed + limit.toNanos();
        runUntilIdle();
        while (!condition.getAsBoolean()) {
            Entry e = timers.peek();
            while (e != null && e.cancelled) {
                timers.poll();
                e = timers.peek();
            }
            if (e == null || e.at > end) {
                elapsed = end;
                runUntilIdle();
                return condition.getAsBoolean();
            }
            elapsed = Math.max(elapsed, e.at);
            runUntilIdle();
        }
        return true;
    }

    /** Stops the loop: queued tasks run, timers are dropped, later tasks are refused. */
    public void stop() {
        runUntilIdle();
        stopped = true;
        timers.clear();
    }

    /** Timers not yet run (cancelled ones included). */
    public int pendingTimers() {
        return (int) timers.stream().filter(e -> !e.cancelled).count();
    }
}
