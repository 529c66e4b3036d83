package io.pathprobe.enrich;

/** The state of one enrichment lookup (a host name, an AS, the public address). */
public enum LookupStatus {
    /** Found: {@link Lookup#value()} holds it. */
    FOUND,
    /** The server answered that there is none (NXDOMAIN, no record, an address in no AS). */
    NOT_FOUND,
    /** The lookup failed (timeout, server failure, unreachable server); {@link Lookup#failure()} says why. */
    FAILED,
    /** Still running when the result was made; the listener hears when it ends. */
    PENDING,
    /** Not asked: enrichment is off (offline tracer, {@link EnrichMode#OFF}) or no server is configured. */
    OFF
}
