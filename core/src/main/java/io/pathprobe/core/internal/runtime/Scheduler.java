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
    Timer NO_TIMER = new Timer() { // a class: a lambda is generated at its first use (docs/startup.md)
        @Override
        public void cancel() {
        }
    };

    /**
     * Runs {@code task} on the loop, after the tasks already queued.
     *
     * @return false if the loop has stopped and the task will never run
     */
    boolean execute(Runnable task);

    /**
     * Runs {@code task} on the loop like {@link #execute}, unless the loop is too far behind: for
     * work that comes from outside and may be dropped (an answer off the wire). The real loop
     * refuses such a task when {@link EngineLoop#MAX_QUEUED_OFFERS} of them are queued; the default
     * refuses only when the loop has stopped.
     *
     * @return false if the task will never run (refused, or the loop has stopped)
     */
    default boolean offer(Runnable task) {
        return execute(task);
    }

    /**
     * Runs {@code task} on {@code executor} (an I/O loop of its own, a pool) as {@link #execute} runs one on the loop.
     *
     * @return false if the executor refused it (shut down) and the task will never run
     */
    static boolean tryExecute(java.util.concurrent.Executor executor, Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code task} on the loop after {@code delayNanos} (clamped to 0 and a year); never-due once stopped. */
    Timer schedule(Runnable task, long delayNanos);

    /** Whether the caller is the loop itself. */
    boolean inLoop();

    /**
     * For a loop its caller drives (fake time: no thread of its own runs it), runs the tasks queued and
     * the timers due now, and returns true; a loop with a thread of its own does nothing and returns false
     * (its caller waits for it instead).
     */
    default boolean runQueued() {
        return false;
    }

    /**
     * For a loop its caller drives, runs tasks and timers, moving time on, until {@code condition} holds or
     * nothing is left, and returns true (a blocking call ends on fake time); a loop with a thread of its own
     * does nothing and returns false.
     */
    default boolean runUntil(java.util.function.BooleanSupplier condition) {
        return false;
    }
}
