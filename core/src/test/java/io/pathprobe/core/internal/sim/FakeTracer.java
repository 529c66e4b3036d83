package io.pathprobe.core.internal.sim;

import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.core.internal.trace.TraceStrategy;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** A whole tracer on fake time with no threads: a {@link FakeScheduler}, direct executors, a scenario transport. */
public final class FakeTracer implements AutoCloseable {
    public final FakeScheduler clock;
    public final ScenarioTransport transport;
    public final DefaultPathTracer tracer;

    public FakeTracer(Scenario scenario) {
        this(scenario, new FakeScheduler(), 0, 128);
    }

    public FakeTracer(Scenario scenario, FakeScheduler clock, int packetsPerSecond, int burst) {
        this(scenario, clock, packetsPerSecond, burst, HostResolver.SYSTEM, Runnable::run);
    }

    public FakeTracer(Scenario scenario, FakeScheduler clock, int packetsPerSecond, int burst, HostResolver resolver,
            Executor setup) {
        this(scenario, clock, packetsPerSecond, burst, resolver, setup, Runnable::run);
    }

    /** With {@code callbacks} for listeners and futures (a queue that runs late plays a slow listener). */
    public FakeTracer(Scenario scenario, FakeScheduler clock, int packetsPerSecond, int burst, HostResolver resolver,
            Executor setup, Executor callbacks) {
        this.clock = clock;
        this.transport = new ScenarioTransport(scenario, clock, clock);
        this.tracer = tracer(transport, clock, packetsPerSecond, burst, resolver, setup, callbacks);
    }

    public static DefaultPathTracer tracer(ProbeTransport transport, FakeScheduler clock, int packetsPerSecond,
            int burst, HostResolver resolver, Executor setup) {
        return tracer(transport, clock, packetsPerSecond, burst, resolver, setup, Runnable::run);
    }

    public static DefaultPathTracer tracer(ProbeTransport transport, FakeScheduler clock, int packetsPerSecond,
            int burst, HostResolver resolver, Executor setup, Executor callbacks) {
        return tracer(transport, clock, packetsPerSecond, burst, resolver, setup, callbacks,
                io.pathprobe.core.internal.lookup.HostLookups.OFF, callbacks);
    }

    /** With {@code lookups} (enrichment) handled on {@code enrichment}. */
    public FakeTracer(Scenario scenario, FakeScheduler clock, io.pathprobe.core.internal.lookup.HostLookups lookups,
            Executor enrichment, Executor callbacks) {
        this.clock = clock;
        this.transport = new ScenarioTransport(scenario, clock, clock);
        this.tracer = tracer(transport, clock, 0, 128, HostResolver.SYSTEM, Runnable::run, callbacks, lookups,
                enrichment);
    }

    public static DefaultPathTracer tracer(ProbeTransport transport, FakeScheduler clock, int packetsPerSecond,
            int burst, HostResolver resolver, Executor setup, Executor callbacks,
            io.pathprobe.core.internal.lookup.HostLookups lookups, Executor enrichment) {
        return tracer(transport, clock, new io.pathprobe.options.ProbeBudget(packetsPerSecond, 0, 0, 0, burst), resolver,
                setup, callbacks, lookups, enrichment);
    }

    /** A tracer on {@code clock} with {@code budget} and direct executors. */
    public static DefaultPathTracer tracer(ProbeTransport transport, FakeScheduler clock, io.pathprobe.options.ProbeBudget budget) {
        return tracer(transport, clock, budget, HostResolver.SYSTEM, Runnable::run, Runnable::run,
                io.pathprobe.core.internal.lookup.HostLookups.OFF, Runnable::run);
    }

    private static DefaultPathTracer tracer(ProbeTransport transport, FakeScheduler clock,
            io.pathprobe.options.ProbeBudget budget, HostResolver resolver, Executor setup, Executor callbacks,
            io.pathprobe.core.internal.lookup.HostLookups lookups, Executor enrichment) {
        TracerSettings settings = new TracerSettings(transport, null, budget, resolver, null,
                io.pathprobe.internal.EnrichmentSettings.OFFLINE,
                null, null, null, -1);
        return DefaultPathTracer.create(settings, TransportRegistry.of(transport), clock, clock, setup, callbacks,
                lookups, enrichment, new DefaultPathTracer.Lifecycle() {
                    @Override
                    public void stopLoop() {
                        clock.stop();
                    }

                    @Override
                    public void stopThreads() {}
                });
    }

    public TraceHandle start(TraceRequest request) {
        return (TraceHandle) tracer.start(request);
    }

    /** Runs the trace to its end on fake time, calling {@code check} with the strategy after every step. */
    public TraceResult run(TraceRequest request, Consumer<TraceStrategy> check) {
        TraceHandle h = start(request);
        Duration limit = request.deadline().plusSeconds(1);
        boolean ended = clock.advanceUntil(() -> {
            TraceStrategy s = h.strategy();
            if (s != null) {
                check.accept(s);
            }
            return h.ended();
        }, limit);
        if (!ended) {
            throw new AssertionError("trace did not end within its deadline on fake time");
        }
        return h.snapshot();
    }

    /** A snapshot taken on the (fake) loop, as a listener or the engine would. */
    public TraceResult snapshot(TraceHandle h) {
        java.util.concurrent.atomic.AtomicReference<TraceResult> out = new java.util.concurrent.atomic.AtomicReference<>();
        clock.execute(() -> out.set(h.snapshot()));
        clock.runUntilIdle();
        return out.get();
    }

    public io.pathprobe.core.internal.ping.PingHandle start(io.pathprobe.ping.PingRequest request) {
        return (io.pathprobe.core.internal.ping.PingHandle) tracer.start(request);
    }

    /** Runs a ping to its end on fake time (at most {@code limit}). */
    public io.pathprobe.ping.PingResult runPing(io.pathprobe.ping.PingRequest request, Duration limit) {
        io.pathprobe.core.internal.ping.PingHandle h = start(request);
        if (!clock.advanceUntil(h::ended, limit)) {
            throw new AssertionError("ping did not end within " + limit + " of fake time");
        }
        return h.snapshot();
    }

    /** Runs a path MTU discovery to its end on fake time. */
    public io.pathprobe.mtu.MtuResult runMtu(io.pathprobe.mtu.MtuRequest request) {
        io.pathprobe.core.internal.mtu.MtuHandle h =
                (io.pathprobe.core.internal.mtu.MtuHandle) tracer.start(request);
        if (!clock.advanceUntil(h::ended, request.deadline().plusSeconds(1))) {
            throw new AssertionError("path MTU discovery did not end within its deadline on fake time");
        }
        return h.snapshot();
    }

    public TraceResult run(TraceRequest request) {
        return run(request, s -> {});
    }

    @Override
    public void close() {
        tracer.close();
    }
}
