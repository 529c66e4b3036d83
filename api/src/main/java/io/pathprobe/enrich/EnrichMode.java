package io.pathprobe.enrich;

/**
 * Whether a measurement's result waits for its host names, AS numbers and public address. Lookups
 * always start at time zero, in parallel with probing, and never delay a probe.
 */
public enum EnrichMode {
    /** No lookups for this measurement: every lookup is {@link LookupStatus#OFF}. */
    OFF,
    /**
     * The result is made when probing ends, with what the lookups found by then (others
     * {@link LookupStatus#PENDING}); the listener hears of each lookup as it ends.
     */
    BACKGROUND,
    /**
     * The result waits, after probing, for the lookups still running, up to the tracer's lookup
     * timeout; what is still running then is {@link LookupStatus#PENDING}. The default.
     */
    AWAIT
}
