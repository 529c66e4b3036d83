package io.pathprobe.core.internal.monitor;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.core.internal.lookup.Enrichment;
import io.pathprobe.core.internal.lookup.EnrichmentStage;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.SingleTargetHandle;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.trace.Flows;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.Responder;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * The {@link io.pathprobe.Measurement} a user holds: a {@link SingleTargetHandle} (its Lifecycle owns set-up, deadline,
 * listener events, futures) running a {@link MonitorStrategy} on one session of a fixed flow (Paris) or,
 * asked for, per-probe flows (classic). It hands every responder to the lookups as it first answers
 * (looked up once per address, off the loop) and labels results with what they found so far: a result
 * never waits for a lookup.
 */
public final class MonitorHandle extends SingleTargetHandle<MonitorResult, MonitorListener>
        implements Measurement<MonitorRequest, MonitorResult> {
    private final MonitorRequest request;
    /** The responders' lookups: the enrichment stage every measurement shares. */
    private final EnrichmentStage lookups;
    private final boolean banded;
    private volatile @Nullable MonitorStrategy strategy;

    public MonitorHandle(TracerRuntime rt, Enrichment enrichment, Measurements owner, MonitorRequest request) {
        this(rt, enrichment, owner, request, true);
    }

    /** @param banded false only for the test that shows what the sequence bands prevent */
    public MonitorHandle(TracerRuntime rt, Enrichment enrichment, Measurements owner, MonitorRequest request,
            boolean banded) {
        super(rt, Duration.ZERO, owner, MeasurementType.MONITOR, "monitor", request.target(), request.address(),
                request.trace().ipVersion(), request.deadline(), request.listener(), MonitorListener.NONE,
                MonitorListener::completed);
        this.request = request;
        limitRate(request.trace().packetsPerSecond());
        this.banded = banded;
        this.lookups = new EnrichmentStage(enrichment, request.enrich() != EnrichMode.OFF, rt.scheduler(), null);
    }

    @Override
    protected TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        TraceRequest t = request.trace();
        FlowPolicy policy = t.flowMode() == FlowMode.CLASSIC ? FlowPolicy.PER_PROBE : FlowPolicy.FIXED;
        return rt.registry().choose(t.protocols(), t.automaticProtocol(), dest instanceof Inet6Address, policy,
                t.flowModeGiven() || policy != FlowPolicy.FIXED, mode, TransportRegistry.marked(t.trafficClass()));
    }

    @Override
    protected void begin(InetAddress dest, TransportRegistry.Choice choice) {
        TraceRequest t = request.trace();
        int port = port(choice, t.destinationPort(choice.protocol()));
        ProbeSession session = transport(choice).openSession(
                new SessionSpec(choice.protocol(), dest, port, choice.flowPolicy(), 0)
                        .with(t.options()), run().listener());
        Flows flows = choice.flowPolicy() == FlowPolicy.PER_PROBE ? Flows.CLASSIC
                : Flows.PARIS;
        MonitorStrategy s = new MonitorStrategy(request, dest, choice.protocol(), choice.name(), choice.note(),
                session.maxSequence(), session.maxInFlight(), flows, rt.sends().responders(), rt.wallClock().now(),
                rt.ticker().read(), this::roundCompleted, banded);
        this.strategy = s;
        event(l -> l.started(request, dest, choice.name()));
        lookups.start(dest);
        run().start(session, s);
    }

    /** On the loop: a round ended; its responders go to the lookups, it and its events to the listener. */
    private void roundCompleted(MonitorRound round) {
        if (lookups.on()) {
            for (Hop h : round.trace().hops()) {
                for (Responder r : h.responders()) {
                    lookups.seen(r.address()); // hands over: once per address, never looked up on the loop
                }
            }
        }
        if (!listening()) {
            return;
        }
        event(l -> l.roundCompleted(round));
        for (MonitorEvent e : round.events()) {
            event(l -> l.event(e));
        }
    }

    @Override
    protected MonitorResult notStarted(@Nullable Stop reason, Optional<InetAddress> destination, Instant createdAt) {
        MonitorStatus status = reason == null ? MonitorStatus.RUNNING
                : reason == Stop.DEADLINE ? MonitorStatus.DEADLINE_EXCEEDED
                : reason == Stop.COMPLETED ? MonitorStatus.COMPLETED : MonitorStatus.CANCELLED;
        return new MonitorResult(request.target(), destination, request.trace().protocol(), "", status, 0, createdAt,
                Duration.ZERO, List.of(), MonitorStatistics.NONE, 0, 0, 0,
                new MonitorPath(request.trace().firstTtl(), List.of(), false), 0, Optional.empty(), request,
                io.pathprobe.probe.MaskStatement.NONE);
    }

    @Override
    protected MonitorResult enriched(MonitorResult raw) {
        MonitorStrategy s = strategy;
        if (!lookups.on() || s == null) {
            return raw;
        }
        return s.relabel(raw, x -> lookups.label(x.address(), x::withLookups));
    }

    @Override
    public MonitorRequest request() {
        return request;
    }

    /** The running strategy, once started (tests). */
    public @Nullable MonitorStrategy strategy() {
        return strategy;
    }

    @Override
    public String toString() {
        return describe("Monitor");
    }
}
