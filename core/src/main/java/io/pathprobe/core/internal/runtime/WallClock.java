package io.pathprobe.core.internal.runtime;

import java.time.Instant;

/**
 * Where a measurement's wall-clock start time comes from: the system's clock, or a recording's when it is replayed.
 */
@FunctionalInterface
public interface WallClock {
    /** The system's clock (a class, not a lambda: a lambda is generated at its first use, docs/startup.md). */
    WallClock SYSTEM = new WallClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }
    };

    /** {@return the time now} */
    Instant now();
}
