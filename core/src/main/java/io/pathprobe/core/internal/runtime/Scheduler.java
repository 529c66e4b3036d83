package io.pathprobe.core.internal.runtime;

/**
 * The engine loop of a tracer: one logical thread that runs every state change of every
 * measurement, and its timers. Injectable: tests use a fake one driven by fake time.
 */
public interface Scheduler {

    /** A timer that can be cancelled. */
    interface Timer {
        void cancel();
    }

    /** A timer that is never due. */
    Timer NO_TIMER = () -> {};

    /**
     * Runs {@code task} on the loop, after the tasks already queued.
     *
     * @return false if the loop has stopped and the task will never run
     */
    boolean execute(Runnable task);

    /** Runs {@code task} on the loop after {@code delayNanos} (clamped to 0 and a year); never-due once stopped. */
    Timer schedule(Runnable task, long delayNanos);

    /** Whether the caller is the loop itself. */
    boolean inLoop();
}
