package io.pathprobe.core.internal.runtime;

/** A monotonic nanosecond clock; only differences are meaningful. Injectable so tests run on fake time. */
@FunctionalInterface
public interface Ticker {
    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    long read();
}
