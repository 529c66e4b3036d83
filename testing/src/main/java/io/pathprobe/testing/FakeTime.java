package io.pathprobe.testing;

import io.pathprobe.core.internal.runtime.VirtualLoop;
import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;

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
    /** The reading of {@link #read()} at elapsed zero (an arbitrary origin: only differences mean anything). */
    private static final long ORIGIN = 1_000_000_000L;

    /** The engine's one loop on fake time; its clock reads the time elapsed. */
    private final VirtualLoop loop = new VirtualLoop(0, Instant.EPOCH);

    /** Fake time at zero, with nothing scheduled. */
    public FakeTime() {}

    @Override
    public long read() {
        return ORIGIN + loop.read();
    }

    /**
     * {@return how much fake time has passed since this was made}
     */
    public Duration elapsed() {
        return Duration.ofNanos(loop.read());
    }

    @Override
    public boolean execute(Runnable task) {
        return loop.execute(task);
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        return loop.schedule(task, Objects.requireNonNull(delay, "delay"));
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    /**
     * Runs the tasks given and the timers due now, until none is left; time does not move.
     */
    public void runUntilIdle() {
        loop.runUntilIdle();
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
        loop.advance(duration);
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
        return loop.advanceUntil(condition, Objects.requireNonNull(limit, "limit"));
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
        return loop.runUntil(Objects.requireNonNull(condition, "condition"));
    }

    /**
     * {@return the timers scheduled and not yet run nor cancelled}
     */
    public int pendingTimers() {
        return loop.timers();
    }

    @Override
    public String toString() {
        return "FakeTime{elapsed=" + elapsed() + ", " + loop.queued() + " queued, " + pendingTimers() + " timers}";
    }
}
