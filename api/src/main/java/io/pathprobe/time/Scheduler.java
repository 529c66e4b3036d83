package io.pathprobe.time;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The loop a tracer's engine runs on: every state change of every measurement, one at a time, and the
 * engine's timers. By default a tracer has an engine thread of its own; a scheduler given to
 * {@link io.pathprobe.PathTracerBuilder#scheduler} replaces it, with the {@link Ticker} its timers are
 * due on ({@link io.pathprobe.PathTracerBuilder#ticker}).
 *
 * <p>Meant for tests on fake time: a scheduler its caller drives runs tasks and timers only when told
 * to (the {@code pathprobe-testing} artifact's {@code FakeTime}), so a whole trace takes no real time and
 * its outcome does not depend on thread timing. Its contract:
 * <ul>
 *   <li>tasks run one at a time, never concurrently, in the order given to {@link #execute};</li>
 *   <li>a timer runs once its delay has passed on the ticker, timers due at one time in the order they
 *       were scheduled;</li>
 *   <li>{@link #inLoop()} tells whether the caller is one of its tasks or timers.</li>
 * </ul>
 */
public interface Scheduler {

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Timer {
        /** Calls the task off unless it has run; does nothing once it has. */
        void cancel();
    }

    /**
     * Runs {@code task} on the loop, after the tasks already given.
     *
     * @param task what to run
     * @return false if the loop has stopped and the task will never run
     */
    boolean execute(Runnable task);

    /**
     * Runs {@code task} on the loop once {@code delay} has passed on the ticker.
     *
     * @param task what to run
     * @param delay how long from now; zero or less means now, after the tasks already given
     * @return the timer, to call it off
     */
    Timer schedule(Runnable task, Duration delay);

    /**
     * {@return whether the caller is running on this loop (one of its tasks or timers)}
     */
    boolean inLoop();

    /**
     * For a loop its caller drives: runs the tasks given and the timers as they fall due, moving time on
     * to the next timer whenever nothing else is left to run, until {@code condition} holds or nothing at
     * all is left; returns true. The tracer's blocking calls ({@link io.pathprobe.PathTracer#trace}) call it
     * so that they end on fake time instead of waiting for it. A loop with a thread of its own does nothing
     * and returns false (the default): the blocking calls then wait.
     *
     * @param condition when to stop
     * @return true if this loop is driven by its caller (and was driven now), false if it runs by itself
     */
    default boolean runUntil(BooleanSupplier condition) {
        return false;
    }
}
