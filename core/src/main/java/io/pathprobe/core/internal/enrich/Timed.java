package io.pathprobe.core.internal.enrich;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A lookup's answer and how long it may be kept: found ({@code value} present, kept for the record's
 * TTL) or not found (kept for the negative TTL). Failures are not values: they fail the future.
 */
public record Timed<T>(Optional<T> value, Duration ttl) {
    public Timed {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
    }

    public static <T> Timed<T> found(T value, Duration ttl) {
        return new Timed<>(Optional.of(value), ttl);
    }

    public static <T> Timed<T> notFound(Duration ttl) {
        return new Timed<>(Optional.empty(), ttl);
    }

    public boolean found() {
        return value.isPresent();
    }
}
