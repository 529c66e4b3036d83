package io.pathprobe.core.internal.runtime;

import io.pathprobe.enrich.HostResolver;
import java.util.concurrent.Executor;

/**
 * What every measurement of one tracer shares.
 *
 * @param scheduler the engine loop
 * @param ticker the engine's clock
 * @param sends the send scheduler with the tracer's rate budget
 * @param registry the transports
 * @param setup where blocking set-up work runs: name resolution, availability checks, opening
 *     transports (a bounded pool of daemon threads; never the engine loop)
 * @param callbacks where user code runs: listeners (through a {@link SerialExecutor} per measurement)
 *     and the completion of returned futures
 * @param resolver how names become addresses
 * @param wallClock where measurements' start times come from
 */
public record TracerRuntime(Scheduler scheduler, Ticker ticker, SendScheduler sends, TransportRegistry registry,
        Executor setup, Executor callbacks, HostResolver resolver, WallClock wallClock) {
    /** A runtime on the system's wall clock. */
    public TracerRuntime(Scheduler scheduler, Ticker ticker, SendScheduler sends, TransportRegistry registry,
            Executor setup, Executor callbacks, HostResolver resolver) {
        this(scheduler, ticker, sends, registry, setup, callbacks, resolver, WallClock.SYSTEM);
    }
}
