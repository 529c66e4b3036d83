package io.pathprobe.core.internal.lookup;

import java.util.concurrent.Executor;

/**
 * What a tracer's measurements use to enrich their results: the shared lookups and the executor their
 * results are handled on (never the engine loop). Kept beside the runtime, not in it, so that the
 * runtime knows nothing of enrichment (the package graph has no cycle; the build checks it).
 *
 * @param lookups host names, AS numbers and the public address, shared by the measurements
 * @param executor where lookups are started and their results handled
 */
public record Enrichment(HostLookups lookups, Executor executor) {
    /** No enrichment: every lookup is OFF. */
    public static Enrichment off(Executor executor) {
        return new Enrichment(HostLookups.OFF, executor);
    }

    /** Lookups for one measurement, or {@link PathLookups#OFF} when it or the tracer has them off. */
    public PathLookups forMeasurement(boolean wanted, java.util.function.Consumer<java.net.InetAddress> settled,
            Runnable contextSettled) {
        return wanted && lookups.enabled()
                ? new PathLookups(lookups, executor, settled, contextSettled) : PathLookups.OFF;
    }
}
