package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import java.util.function.BiConsumer;

/** A measurement whose end can be watched without touching the caller's future (a recording writes its result). */
public interface Ended {
    /**
     * Runs {@code action} on the loop when the engine's result is made (or the measurement fails).
     *
     * @param action given the result, or null and the failure
     */
    void whenEnded(BiConsumer<Object, Throwable> action);

    /** {@return the measurement's lifecycle: what its application calls name (a recording's cancel)} */
    Object lifecycle();

    /** Launches it: gives the engine its first work (once, from the application's call that started it). */
    void launch();

    /** Stops it with what it has; returns at once. */
    void requestCancel();

    /** The application's cancel, as the loop runs it: a recording writes which measurement it stopped. */
    record Cancel(Lifecycle<?, ?> of) implements Runnable {
        @Override
        public void run() {
            of.stop(Stop.CANCELLED);
        }
    }
}
