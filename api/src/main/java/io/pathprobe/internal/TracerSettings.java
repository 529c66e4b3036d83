package io.pathprobe.internal;

import io.pathprobe.enrich.HostResolver;
import io.pathprobe.evidence.RecordingOptions;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.time.Scheduler;
import io.pathprobe.time.Ticker;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link io.pathprobe.PathTracerBuilder}, handed to the engine's
 * {@link TracerFactory}. Not API.
 *
 * @param transport a transport the user supplied, or null to discover providers
 * @param preferredTransport the name of the discovered transport to use, or null for the best usable
 * @param budget the probing budget: overall (all traces together) and per destination, router and prefix
 * @param hostResolver how names become addresses
 * @param executor where listeners and future continuations run, or null for the tracer's own
 * @param enrichment host names, AS numbers, public address
 * @param ticker the engine's clock, or null for the system's; set together with {@code scheduler}
 * @param scheduler the engine's loop, or null for an engine thread of the tracer's own; set together with
 *     {@code ticker}
 * @param recording where the tracer records its measurements, or null for nowhere
 * @param senderThreads how many threads besides the engine's may send the probes of concurrent measurements;
 *     -1 for the default (one per core beyond the first, at most 3)
 */
public record TracerSettings(
        @Nullable ProbeTransport transport,
        @Nullable String preferredTransport,
        io.pathprobe.options.ProbeBudget budget,
        HostResolver hostResolver,
        @Nullable Executor executor,
        EnrichmentSettings enrichment,
        @Nullable Ticker ticker,
        @Nullable Scheduler scheduler,
        @Nullable RecordingOptions recording,
        int senderThreads) {
    /**
     * Checks the components (see the record's description).
     *
     * @param transport a transport the user supplied, or null to discover providers
     * @param preferredTransport the name of the discovered transport to use, or null for the best usable
     * @param budget the probing budget
     * @param hostResolver how names become addresses
     * @param executor where listeners and future continuations run, or null for the tracer's own
     * @param enrichment host names, AS numbers, public address
     * @param ticker the engine's clock, or null for the system's; set together with {@code scheduler}
     * @param scheduler the engine's loop, or null for an engine thread of the tracer's own; set together
     *     with {@code ticker}
     * @param recording where the tracer records its measurements, or null for nowhere
     * @param senderThreads how many threads besides the engine's may send the probes of concurrent
     *     measurements; -1 for the default
     * @throws NullPointerException if {@code budget}, {@code hostResolver} or {@code enrichment} is null
     * @throws IllegalArgumentException if only one of {@code ticker} and {@code scheduler} is given, or
     *     {@code senderThreads} is below -1 or above {@value #MAX_SENDER_THREADS}
     */
    public TracerSettings {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(hostResolver, "hostResolver");
        Objects.requireNonNull(enrichment, "enrichment");
        if ((ticker == null) != (scheduler == null)) {
            throw new IllegalArgumentException("a ticker and a scheduler go together: give both or neither");
        }
        if (senderThreads < -1 || senderThreads > MAX_SENDER_THREADS) {
            throw new IllegalArgumentException("senderThreads must be 0.." + MAX_SENDER_THREADS + " (or -1 for the"
                    + " default), was " + senderThreads);
        }
    }

    /** {@return the overall probe rate, all traces together; 0 is unlimited} */
    public int packetsPerSecond() {
        return budget.overall();
    }

    /** {@return how many probes may leave at once before the overall rate applies} */
    public int burst() {
        return budget.burst();
    }

    /** The most sender threads a tracer may have. */
    public static final int MAX_SENDER_THREADS = 16;

    /**
     * Settings with the default sender threads.
     *
     * @param transport a transport the user supplied, or null to discover providers
     * @param preferredTransport the name of the discovered transport to use, or null for the best usable
     * @param packetsPerSecond the probe rate limit for all traces together; 0 is unlimited
     * @param burst probes that may leave at once before the rate applies
     * @param hostResolver how names become addresses
     * @param executor where listeners and future continuations run, or null for the tracer's own
     * @param enrichment host names, AS numbers, public address
     * @param ticker the engine's clock, or null for the system's; set together with {@code scheduler}
     * @param scheduler the engine's loop, or null for an engine thread of the tracer's own
     * @param recording where the tracer records its measurements, or null for nowhere
     */
    public TracerSettings(@Nullable ProbeTransport transport, @Nullable String preferredTransport, int packetsPerSecond,
            int burst, HostResolver hostResolver, @Nullable Executor executor, EnrichmentSettings enrichment,
            @Nullable Ticker ticker, @Nullable Scheduler scheduler,
            @Nullable RecordingOptions recording) {
        this(transport, preferredTransport, new io.pathprobe.options.ProbeBudget(packetsPerSecond, 0, 0, 0, burst),
                hostResolver, executor, enrichment, ticker, scheduler, recording, -1);
    }

    /**
     * Settings that record nothing.
     *
     * @param transport a transport the user supplied, or null to discover providers
     * @param preferredTransport the name of the discovered transport to use, or null for the best usable
     * @param packetsPerSecond the probe rate limit for all traces together; 0 is unlimited
     * @param burst probes that may leave at once before the rate applies
     * @param hostResolver how names become addresses
     * @param executor where listeners and future continuations run, or null for the tracer's own
     * @param enrichment host names, AS numbers, public address
     * @param ticker the engine's clock, or null for the system's; set together with {@code scheduler}
     * @param scheduler the engine's loop, or null for an engine thread of the tracer's own
     */
    public TracerSettings(@Nullable ProbeTransport transport, @Nullable String preferredTransport, int packetsPerSecond,
            int burst, HostResolver hostResolver, @Nullable Executor executor, EnrichmentSettings enrichment,
            @Nullable Ticker ticker, @Nullable Scheduler scheduler) {
        this(transport, preferredTransport, packetsPerSecond, burst, hostResolver, executor, enrichment, ticker,
                scheduler, null);
    }

    /**
     * Settings on the system's clock and an engine thread of the tracer's own.
     *
     * @param transport a transport the user supplied, or null to discover providers
     * @param preferredTransport the name of the discovered transport to use, or null for the best usable
     * @param packetsPerSecond the probe rate limit for all traces together; 0 is unlimited
     * @param burst probes that may leave at once before the rate applies
     * @param hostResolver how names become addresses
     * @param executor where listeners and future continuations run, or null for the tracer's own
     * @param enrichment host names, AS numbers, public address
     */
    public TracerSettings(@Nullable ProbeTransport transport, @Nullable String preferredTransport, int packetsPerSecond,
            int burst, HostResolver hostResolver, @Nullable Executor executor, EnrichmentSettings enrichment) {
        this(transport, preferredTransport, packetsPerSecond, burst, hostResolver, executor, enrichment, null, null);
    }

    /**
     * Settings without enrichment ({@link EnrichmentSettings#OFFLINE}): what callers made before enrichment existed.
     *
     * @param transport a transport the user supplied, or null to discover providers
     * @param preferredTransport the name of the discovered transport to use, or null for the best usable
     * @param packetsPerSecond the probe rate limit for all traces together; 0 is unlimited
     * @param burst probes that may leave at once before the rate applies
     * @param hostResolver how names become addresses
     * @param executor where listeners and future continuations run, or null for the tracer's own
     */
    public TracerSettings(@Nullable ProbeTransport transport, @Nullable String preferredTransport, int packetsPerSecond,
            int burst, HostResolver hostResolver, @Nullable Executor executor) {
        this(transport, preferredTransport, packetsPerSecond, burst, hostResolver, executor,
                EnrichmentSettings.OFFLINE);
    }
}
