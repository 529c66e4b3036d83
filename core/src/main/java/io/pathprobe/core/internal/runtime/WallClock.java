package io.pathprobe.core.internal.runtime;

import java.time.Instant;

/**
 * Where a measurement's wall-clock start time comes from: the system's clock, or a recording's when it is replayed.
 */
@FunctionalInterface
public interface WallClock {
    /** The system's clock. */
    WallClock SYSTEM = Instant::now;

    /** {@return the time now} */
    Instant now();
}
