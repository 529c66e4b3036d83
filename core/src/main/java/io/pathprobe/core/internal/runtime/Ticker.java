package io.pathprobe.core.internal.runtime;

/** A monotonic nanosecond clock; only differences are meaningful. Injectable so tests run on fake time. */
@FunctionalInterface
public interface Ticker {
    /** The system's monotonic clock (a class, not a lambda: a lambda is generated at first use, docs/startup.md). */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long read() {
            return System.nanoTime();
        }
    };

    long read();
}
