package io.pathprobe.core.internal.enrich;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one enrichment lookup, as the caller sees it: never an exception. The engine's side of
 * the public {@link io.pathprobe.enrich.Lookup}, into which {@code lookup.EnricherLookups} converts it.
 */
public sealed interface LookupOutcome<T> {
    /** Found. */
    record Found<T>(T value) implements LookupOutcome<T> {
        public Found {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The lookup worked and there is nothing (NXDOMAIN, no record, an unannounced address, no server configured). */
    record NotFound<T>() implements LookupOutcome<T> {}

    /** The lookup failed (timeout, SERVFAIL, server down, malformed answer, closed); tried again next time. */
    record Failed<T>(String reason) implements LookupOutcome<T> {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Enrichment is off: nothing was asked. */
    record Offline<T>() implements LookupOutcome<T> {}

    /** The value if found. */
    default Optional<T> found() {
        return this instanceof Found<T> f ? Optional.of(f.value()) : Optional.empty();
    }
}
