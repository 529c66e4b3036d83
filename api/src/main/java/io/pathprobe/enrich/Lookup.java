package io.pathprobe.enrich;

import io.pathprobe.util.Checks;
import java.util.Optional;

/**
 * The outcome of one enrichment lookup: per-lookup problems are data, never exceptions.
 *
 * @param status what happened
 * @param value the value when {@link LookupStatus#FOUND}, empty otherwise
 * @param failure why it failed when {@link LookupStatus#FAILED}, empty otherwise
 * @param <T> the looked-up value
 */
public record Lookup<T>(LookupStatus status, Optional<T> value, Optional<String> failure) {
    private static final Lookup<?> NOT_FOUND = new Lookup<>(LookupStatus.NOT_FOUND, Optional.empty(), Optional.empty());
    private static final Lookup<?> PENDING = new Lookup<>(LookupStatus.PENDING, Optional.empty(), Optional.empty());
    private static final Lookup<?> OFF = new Lookup<>(LookupStatus.OFF, Optional.empty(), Optional.empty());

    /**
     * Checks the components (see the record's description).
     *
     * @param status what happened
     * @param value the value when {@link LookupStatus#FOUND}, empty otherwise
     * @param failure why it failed when {@link LookupStatus#FAILED}, empty otherwise
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code value} is present other than exactly when the status is
     *     {@link LookupStatus#FOUND}, or {@code failure} other than exactly when it is
     *     {@link LookupStatus#FAILED}
     */
    public Lookup {
        Checks.nonNull("status", status, "value", value, "failure", failure);
        if ((status == LookupStatus.FOUND) != value.isPresent()) {
            throw new IllegalArgumentException("a value exactly when FOUND, was " + status + " with " + value);
        }
        if ((status == LookupStatus.FAILED) != failure.isPresent()) {
            throw new IllegalArgumentException("a failure exactly when FAILED, was " + status + " with " + failure);
        }
    }

    /**
     * {@return a lookup that found {@code value}}
     *
     * @param value the value found
     * @param <T> the looked-up value
     */
    public static <T> Lookup<T> found(T value) {
        return new Lookup<>(LookupStatus.FOUND, Optional.of(value), Optional.empty());
    }

    /**
     * {@return a lookup to which the server answered that there is none}
     *
     * @param <T> the looked-up value
     */
    @SuppressWarnings("unchecked")
    public static <T> Lookup<T> notFound() {
        return (Lookup<T>) NOT_FOUND;
    }

    /**
     * {@return a lookup that failed}
     *
     * @param reason why it failed (timeout, server failure, unreachable server)
     * @param <T> the looked-up value
     */
    public static <T> Lookup<T> failed(String reason) {
        return new Lookup<>(LookupStatus.FAILED, Optional.empty(), Optional.of(reason));
    }

    /**
     * {@return a lookup still running when the result was made}
     *
     * @param <T> the looked-up value
     */
    @SuppressWarnings("unchecked")
    public static <T> Lookup<T> pending() {
        return (Lookup<T>) PENDING;
    }

    /**
     * {@return a lookup that was not asked (enrichment off or no server configured)}
     *
     * @param <T> the looked-up value
     */
    @SuppressWarnings("unchecked")
    public static <T> Lookup<T> off() {
        return (Lookup<T>) OFF;
    }

    /** {@return whether the lookup has ended (found, not found or failed)} */
    public boolean done() {
        return status == LookupStatus.FOUND || status == LookupStatus.NOT_FOUND || status == LookupStatus.FAILED;
    }

    /**
     * The value when found ({@code "core1.isp.example"}), otherwise the status as a word: {@code "not
     * found"}, {@code "pending"}, {@code "off"}, {@code "failed: timed out"}.
     */
    @Override
    public String toString() {
        return switch (status) {
            case FOUND -> String.valueOf(value.orElseThrow());
            case FAILED -> "failed: " + failure.orElse("?");
            case NOT_FOUND -> "not found";
            default -> status.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
