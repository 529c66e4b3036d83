package io.pathprobe.enrich;


import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
/**
 * What a tracer's enrichment caches did since the tracer was built ({@link PathTracer#stats()}:
 * {@link io.pathprobe.TracerStats#enrichment()}), host names and AS numbers together.
 *
 * @param hits lookups answered from the cache (an entry, or a lookup already in flight for the key)
 * @param misses lookups that were not in the cache
 * @param loads lookups that were started (sent to the resolver)
 * @param failures loads that failed (timeout, server failure); each failure is kept for the tracer's lookup
 *     failure TTL ({@link PathTracerBuilder#lookupFailureTtl}), and a request that gets it is a hit
 * @param evictions entries removed (expired by their TTL, or for the size bound)
 * @param queriesSent DNS query datagrams sent by the tracer's resolver (PTR, Team Cymru TXT), retries and
 *     retransmissions included
 */
public record EnrichmentStatistics(long hits, long misses, long loads, long failures, long evictions,
        long queriesSent) {
    /** Nothing was looked up. */
    public static final EnrichmentStatistics NONE = new EnrichmentStatistics(0, 0, 0, 0, 0, 0);

    /**
     * Checks the components (see the record's description).
     *
     * @param hits lookups answered from the cache (an entry, or a lookup already in flight for the key)
     * @param misses lookups that were not in the cache
     * @param loads lookups that were started (sent to the resolver)
     * @param failures loads that failed (timeout, server failure); each failure is kept for the tracer's
     *     lookup failure TTL ({@link PathTracerBuilder#lookupFailureTtl}), and a request that gets it is a
     *     hit
     * @param evictions entries removed (expired by their TTL, or for the size bound)
     * @param queriesSent DNS query datagrams sent by the tracer's resolver (PTR, Team Cymru TXT), retries and
     *     retransmissions included
     * @throws IllegalArgumentException if a counter is negative
     */
    public EnrichmentStatistics {
        if (hits < 0 || misses < 0 || loads < 0 || failures < 0 || evictions < 0 || queriesSent < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
    }

    /**
     * {@return the counters of both, added (e.g. the host-name cache and the AS cache)}
     *
     * @param o the other counters
     */
    public EnrichmentStatistics plus(EnrichmentStatistics o) {
        return new EnrichmentStatistics(hits + o.hits, misses + o.misses, loads + o.loads, failures + o.failures,
                evictions + o.evictions, queriesSent + o.queriesSent);
    }

    /** {@code "lookups: 12 hits, 3 misses, 3 loads (1 failed), 0 evicted, 4 queries sent"}. */
    @Override
    public String toString() {
        return "lookups: " + hits + " hits, " + misses + " misses, " + loads + " loads (" + failures + " failed), "
                + evictions + " evicted, " + queriesSent + " queries sent";
    }
}
