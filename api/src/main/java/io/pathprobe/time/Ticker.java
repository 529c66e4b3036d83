package io.pathprobe.time;

/**
 * A monotonic clock in nanoseconds, as Caffeine's {@code Ticker}: only the difference of two readings means
 * anything. Every time the engine measures or waits for (probe timeouts, pacing, rounds, deadlines, round-trip
 * times) is read from it; a transport used with a ticker of one's own stamps its probes and answers with the
 * same ticker ({@link io.pathprobe.spi.ProbeSession#send}).
 */
@FunctionalInterface
public interface Ticker {
    /**
     * {@return the current time in nanoseconds; never goes back}
     */
    long read();

    /**
     * {@return the system's monotonic clock, {@link System#nanoTime()}: the default}
     */
    static Ticker systemTicker() {
        return SystemTicker.INSTANCE;
    }
}
