package io.pathprobe.core.internal.record.spi;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.runtime.WallClock;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.TracerSettings;
import java.util.concurrent.Executor;

/** Builds a replayed engine: core's tracer on what the replay gives it ({@link Evidence#replay}). */
@FunctionalInterface
public interface ReplayEngine {
    /**
     * A tracer on this loop, clock, pool (set-up and enrichment alike), callback pool (the application's code:
     * listeners, futures), lookups, wall clock and resolver, launching its measurements with {@code launcher};
     * {@code stopLoop} and {@code stopThreads} are its lifecycle's.
     */
    PathTracer create(TracerSettings settings, TransportRegistry registry, Scheduler loop, Ticker ticker,
            Executor pool, Executor callbacks, HostLookups lookups, WallClock wallClock, HostResolver resolver,
            Launcher launcher, Runnable stopLoop, Runnable stopThreads);
}
