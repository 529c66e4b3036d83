package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.probe.WaitPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one engine loop on fake time, driven by its caller, with no thread of its own: the public test kit's
 * {@code FakeTime}, the replay (a policy over it: which recorded piece runs next, the recorded clock readings) and
 * the warm-up trace of {@code build()} run on it. Tasks run in the order given, before any timer; timers by due
 * time, those due at one time in the order scheduled; time moves only forward, when a timer ahead of it runs or the
 * caller moves it. One thread drives it; with an {@link #owner}, other threads hand their calls to that one
 * ({@link #handOver}, {@link #call}), which runs them between pieces.
 */
public final class VirtualLoop
        implements Scheduler, Ticker, WallClock, io.pathprobe.time.Scheduler, io.pathprobe.time.Ticker {
    /** Runaway guard: more pieces than this at one time is a loop that never ends. */
    private static final long MAX_PIECES = 50_000_000L;
    private static final BooleanSupplier NEVER = () -> false;

    /**
     * A piece of work waiting: a task, or a timer due at {@code due} (a task's is when it was given); cancelling it
     * takes it off the loop. {@code name} is its giver's (a replay's name of the piece), or null.
     */
    public record Work(VirtualLoop loop, Runnable task, boolean timer, long due, long order, @Nullable String name)
            implements Scheduler.Timer, io.pathprobe.time.Scheduler.Timer, Comparable<Work> {
        @Override
        public void cancel() {
            loop.take(this);
        }

        @Override
        public int compareTo(Work o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }
    }

    private final LinkedHashSet<Work> tasks = new LinkedHashSet<>();
    private final TreeSet<Work> timers = new TreeSet<>();
    private final long start;
    private final Instant wallAtStart;
    private volatile long time;
    private long order;
    private int depth;
    private volatile @Nullable Thread owner;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();

    /** A loop with nothing scheduled, its clock at {@code start} (nanoseconds) and the wall clock then. */
    public VirtualLoop(long start, Instant wallAtStart) {
        this.start = start;
        this.time = start;
        this.wallAtStart = Objects.requireNonNull(wallAtStart, "wallAtStart");
    }

    @Override
    public long read() {
        return time;
    }

    @Override
    public Instant now() {
        return wallAtStart.plusNanos(time - start);
    }

    /** Moves time forward to {@code t}, never back (a replay's recorded clock reading). */
    public void reach(long t) {
        if (t > time) {
            time = t;
        }
    }

    @Override
    public boolean execute(Runnable task) {
        add(task, null);
        return true;
    }

    /** Queues {@code task} after the tasks given before, under {@code name}. */
    public Work add(Runnable task, @Nullable String name) {
        Work w = new Work(this, Objects.requireNonNull(task, "task"), false, time, order++, name);
        tasks.add(w);
        return w;
    }

    @Override
    public Work schedule(Runnable task, long delayNanos) {
        return after(task, delayNanos, null);
    }

    @Override
    public Work schedule(Runnable task, Duration delay) {
        return after(task, WaitPolicy.nanos(delay), null);
    }

    /** Schedules {@code task} due {@code delayNanos} from now (0 at least), under {@code name}. */
    public Work after(Runnable task, long delayNanos, @Nullable String name) {
        long due = WaitPolicy.plus(time, Math.max(0, delayNanos));
        Work w = new Work(this, Objects.requireNonNull(task, "task"), true, due, order++, name);
        timers.add(w);
        return w;
    }

    @Override
    public boolean inLoop() {
        return depth > 0 && !foreign();
    }

    /** {@return whether one of its pieces runs now} */
    public boolean running() {
        return depth > 0;
    }

    /** {@return the piece {@link #runNext} would run: the first task, else the first timer; null if none} */
    public @Nullable Work next() {
        return !tasks.isEmpty() ? tasks.iterator().next() : timers.isEmpty() ? null : timers.first();
    }

    /** Takes {@code w} off the loop (to run it out of turn); false if it no longer waits. */
    public boolean take(Work w) {
        return w.timer ? timers.remove(w) : tasks.remove(w);
    }

    /** Runs {@code r} as the loop's own work ({@link #inLoop} true in it). */
    public void runInLoop(Runnable r) {
        depth++;
        try {
            r.run();
        } finally {
            depth--;
        }
    }

    /** Runs {@code r} as what is not the loop's work (an application's code, a pool's job), even inside a piece. */
    public void runOutsideLoop(Runnable r) {
        int was = depth;
        depth = 0;
        try {
            r.run();
        } finally {
            depth = was;
        }
    }

    /** Runs the next piece, a task or else the first timer (time moves on to it); false when none waits. */
    public boolean runNext() {
        return runFirst(true);
    }

    private boolean runFirst(boolean jump) {
        Work w = next();
        if (w == null || !jump && w.timer && w.due > time) {
            return false;
        }
        take(w);
        reach(w.due);
        runInLoop(w.task);
        return true;
    }

    /** Runs the tasks given and the timers due now, until none is left; time does not move. */
    public void runUntilIdle() {
        for (long n = 1; runFirst(false); n++) {
            if (n > MAX_PIECES) {
                throw new IllegalStateException("more than " + MAX_PIECES + " tasks at one time: a loop that never "
                        + "ends");
            }
        }
    }

    @Override
    public boolean runQueued() {
        runUntilIdle();
        return true;
    }

    /** Moves time on by {@code d}, running every task and timer due on the way, each at its due time. */
    public void advance(Duration d) {
        drive(NEVER, WaitPolicy.plus(time, WaitPolicy.nanos(d)), true);
    }

    /** Moves time on, timer by timer, until {@code condition} holds, at most by {@code limit}. */
    public boolean advanceUntil(BooleanSupplier condition, Duration limit) {
        return drive(condition, WaitPolicy.plus(time, WaitPolicy.nanos(limit)), true);
    }

    /** Runs what is due, then moves time on timer by timer until {@code condition} holds or nothing is scheduled. */
    @Override
    public boolean runUntil(BooleanSupplier condition) {
        drive(condition, Long.MAX_VALUE, false);
        return true;
    }

    /** Runs what is due, then timer by timer up to {@code end} until {@code until} holds; at the end, to it. */
    private boolean drive(BooleanSupplier until, long end, boolean toEnd) {
        runUntilIdle();
        while (!until.getAsBoolean()) {
            Work next = timers.isEmpty() ? null : timers.first();
            if (next == null || next.due > end) {
                if (toEnd) {
                    reach(end);
                    runUntilIdle();
                }
                return until.getAsBoolean();
            }
            reach(next.due);
            runUntilIdle();
        }
        return true;
    }

    /** {@return how many tasks wait} */
    public int queued() {
        return tasks.size();
    }

    /** {@return how many timers wait} */
    public int timers() {
        return timers.size();
    }

    /** Drops every piece waiting. */
    public void clear() {
        tasks.clear();
        timers.clear();
    }

    /** From now on {@code thread} drives the loop, and other threads hand their calls to it; null: any thread. */
    public void owner(@Nullable Thread thread) {
        owner = thread;
    }

    /** {@return whether the caller is not the thread that drives the loop} */
    public boolean foreign() {
        Thread o = owner;
        return o != null && o != Thread.currentThread();
    }

    /** Hands {@code call} to the thread that drives the loop. */
    public void handOver(Runnable call) {
        inbox.add(call);
    }

    /** {@return the next call handed over, or null} */
    public @Nullable Runnable handedOver() {
        return inbox.poll();
    }

    /** {@return the next call handed over, waiting at most {@code wait}; null if none came (or interrupted)} */
    public @Nullable Runnable awaitHandedOver(Duration wait) {
        try {
            return inbox.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Calls {@code call} on the thread that drives the loop, between pieces (at once on it), and returns its value. */
    public <T> T call(Supplier<T> call) {
        if (!foreign()) {
            return call.get();
        }
        try {
            return CompletableFuture.supplyAsync(call, inbox::add).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "VirtualLoop{" + (time - start) + " ns, " + tasks.size() + " queued, " + timers.size() + " timers}";
    }

}
