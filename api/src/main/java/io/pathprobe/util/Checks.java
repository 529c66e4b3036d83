package io.pathprobe.util;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The request builders' shared argument checks. Each throws {@link IllegalArgumentException} with
 * the message the builders have always given: the name, what is allowed, and what was given.
 */
public final class Checks {
    private Checks() {}

    /**
     * {@code d}, if more than zero and at most {@code max}; the bound is shown as {@code max} prints
     * ("probeTimeout must be at most 1 h, was 2 h").
     *
     * @throws NullPointerException if {@code d} is null (the message: {@code name})
     */
    public static Duration positive(Duration d, String name, Duration max) {
        return positive(d, name, max, Text.duration(max));
    }

    /**
     * {@code d}, if more than zero and at most {@code max}; the bound is shown as {@code maxText}
     * ("deadline must be at most 365 days, was 8761 h").
     */
    public static Duration positive(Duration d, String name, Duration max, String maxText) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + Text.duration(d));
        }
        if (d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + maxText + ", was " + Text.duration(d));
        }
        return d;
    }

    /** {@code value}, if {@code min..max}: "NAME must be MIN..MAX, was VALUE" if not. */
    public static int between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /**
     * {@code target} stripped, if it is not blank: "target must not be blank" if it is.
     *
     * @throws NullPointerException if {@code target} is null (the message: "target")
     */
    public static String target(String target) {
        Objects.requireNonNull(target, "target");
        if (target.isBlank()) {
            throw new IllegalArgumentException("target must not be blank");
        }
        return target.strip();
    }

    /**
     * Checks a record's components (or any arguments) for null: {@code namesAndValues} holds each one's name, then
     * its value. The first null value throws {@link NullPointerException} with its name as the message, as
     * {@link Objects#requireNonNull(Object, String)} would.
     *
     * @param namesAndValues a name (a {@link String}), then its value; again for the next
     * @throws NullPointerException if a value is null (the message: its name)
     */
    public static void nonNull(@Nullable Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                throw new NullPointerException((String) namesAndValues[i]);
            }
        }
    }

    /** The largest TTL (IPv6 hop limit) there is. */
    public static final int MAX_TTL = 255;

    /** A TTL (IPv6 hop limit), 1..{@link #MAX_TTL}: "NAME must be 1..255, was VALUE" if not. */
    public static int ttl(int value, String name) {
        return between(value, 1, MAX_TTL, name);
    }
}
