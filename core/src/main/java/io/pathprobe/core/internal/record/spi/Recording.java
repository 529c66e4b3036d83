package io.pathprobe.core.internal.record.spi;

import io.pathprobe.core.internal.lookup.HostLookups;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.WallClock;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import java.util.concurrent.Executor;

/**
 * An open recording ({@link Evidence#record}): the tracer's factory builds the engine on what these methods wrap,
 * so that everything the engine takes from outside (its loop, clocks, pools, transports, lookups and name resolution)
 * is written as the engine gets it; the tracer launches its measurements through it ({@link Launcher}: their
 * requests and results are written) and closes it last, when every result has been written.
 */
public interface Recording extends Launcher, AutoCloseable {
    /** {@return the engine's loop: each task and timer written when it has run, with its clock readings} */
    Scheduler scheduler(Scheduler loop);

    /** {@return the engine's clock, each reading written} */
    Ticker ticker(Ticker ticker);

    /** {@return the wall clock measurements take their start times from, each reading written} */
    WallClock wallClock(WallClock clock);

    /**
     * {@return a pool of the engine's (set-up, enrichment), each job written}; with {@code serial}, its jobs run one
     * at a time with the lookups' ends (the enrichment pool's)
     */
    Executor executor(Executor pool, boolean serial);

    /** {@return the pool the application's code runs on (listeners, futures): its jobs are not the engine's} */
    Executor callbacks(Executor pool);

    /** {@return a discovered transport, recorded when asked whether it is available and when opened} */
    ProbeTransportProvider provider(ProbeTransportProvider provider);

    /** {@return the transport the application gave the builder, recorded} */
    ProbeTransport transport(ProbeTransport transport);

    /** {@return the tracer's lookups, each answer written as it comes} */
    HostLookups lookups(HostLookups lookups);

    /** {@return how target names become addresses, each answer written} */
    HostResolver resolver(HostResolver resolver);

    /** Closes the file (after the tracer's loop has ended: every result written). */
    @Override
    void close();
}
