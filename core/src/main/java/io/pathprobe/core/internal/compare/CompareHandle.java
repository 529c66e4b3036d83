package io.pathprobe.core.internal.compare;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.compare.CompareListener;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.core.internal.runtime.Lifecycle;
import io.pathprobe.core.internal.runtime.LifecycleHandle;
import io.pathprobe.core.internal.runtime.MeasurementPart;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbeRun;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.trace.Flows;
import io.pathprobe.core.internal.trace.TraceStrategy;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Measurement} a user holds for {@code PathTracer.compare}: a {@link Lifecycle} of one part per protocol,
 * each the trace machinery's own {@link TraceStrategy} on a Paris session of its protocol (its port), all running
 * at once on the tracer's engine, sharing its rate budget and responder pacing (and the request's own rate, all
 * protocols together). Nothing is probed here that a trace would not probe: the comparison is read from the
 * traces ({@link CompareResult#of}). A protocol that cannot be traced (no transport, a failed send) ends
 * SEND_FAILED with the error as its note, as in traceAll, and the others go on; a target that does not resolve
 * fails the whole comparison with {@link UnknownTargetException}, as a trace does.
 */
public final class CompareHandle extends LifecycleHandle<CompareResult, CompareListener>
        implements Measurement<CompareRequest, CompareResult>,
        Lifecycle.Spec<CompareResult, CompareListener> {
    private final TracerRuntime rt;
    private final CompareRequest request;
    private final Lifecycle<CompareResult, CompareListener> measurement;
    private final Part[] parts;

    /** One protocol: its part, its trace request, its result once ended. */
    private final class Part {
        final ProbeProtocol protocol;
        final TraceRequest trace;
        final MeasurementPart<TraceResult> part;
        volatile @Nullable TraceResult result;
        volatile @Nullable ProbingStrategy<TraceResult> strategy;

        Part(ProbeProtocol protocol) {
            this.protocol = protocol;
            this.trace = request.trace(protocol);
            this.part = measurement.part(trace.target(), trace.address(), trace.ipVersion(),
                    (d, mode) -> choose(d, mode), (d, c) -> start(this, d, c), new MeasurementPart.Ending<>() {
                        @Override
                        public void completed(TraceResult r) {
                            ended(r);
                        }

                        @Override
                        public void failed(Throwable error) {
                            if (error instanceof UnknownTargetException u) {
                                measurement.fail(u); // the target itself is wrong: as a trace, an exception
                                return;
                            }
                            ended(failedResult(Part.this, error));
                        }

                        @Override
                        public void stoppedBeforeStart(Stop reason) {
                            ended(notStarted(Part.this, reason));
                        }
                    });
        }

        private TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
            // Paris if the transport can hold the flow (the note says when it cannot), as a default trace
            // and one that can mark the probes when a marking was asked for, as a trace
            return rt.registry().choose(List.of(protocol), false, dest instanceof Inet6Address, FlowPolicy.FIXED,
                    false, mode, TransportRegistry.marked(trace.trafficClass()));
        }

        void ended(TraceResult r) {
            result = r;
            measurement.event(l -> l.traceCompleted(protocol, r));
        }
    }

    public CompareHandle(TracerRuntime rt, Measurements owner, CompareRequest request) {
        this.rt = rt;
        this.request = request;
        this.measurement = new Lifecycle<>(rt, owner, MeasurementType.COMPARE, "compare of " + request.target(),
                Optional.of(request.deadline()), request.listener(), CompareListener.NONE, CompareListener::completed,
                Integer.MAX_VALUE, this);
        measurement.limitRate(request.packetsPerSecond()); // every protocol together
        List<ProbeProtocol> ps = request.protocols();
        this.parts = new Part[ps.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = new Part(ps.get(i));
        }
    }

    @Override
    protected Lifecycle<CompareResult, CompareListener> measurement() {
        return measurement;
    }

    /** On the loop: the target resolved and this protocol's transport was chosen; its trace starts at once. */
    private void start(Part p, InetAddress dest, TransportRegistry.@Nullable Choice choice) {
        if (choice == null) {
            throw new IllegalStateException("no transport chosen for " + p.protocol);
        }
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        int port = choice.protocol() == ProbeProtocol.ICMP ? SessionSpec.DEFAULT_PORT
                : p.trace.destinationPort(choice.protocol());
        ProbeRun<TraceResult> run = p.part.run();
        ProbeSession session = transport.openSession(
                new SessionSpec(choice.protocol(), dest, port, choice.flowPolicy(), 0)
                        .with(p.trace.options()), run.listener());
        boolean paris = choice.flowPolicy() != FlowPolicy.PER_PROBE;
        ProbingStrategy<TraceResult> s = new TraceStrategy(p.trace, dest, choice.protocol(), choice.name(),
                choice.note(), session.maxSequence(), session.maxInFlight(), paris ? Flows.PARIS : Flows.CLASSIC,
                rt.wallClock().now(), rt.ticker().read(), null).pacing(rt.sends().responders());
        p.strategy = s;
        run.start(session, s);
    }

    private TraceResult failedResult(Part p, Throwable error) {
        ProbingStrategy<TraceResult> s = p.strategy;
        TraceResult base = s != null ? s.snapshot(rt.ticker().read()) : notStarted(p, null);
        // one line: a missing transport's summary, not its list of every transport considered
        String why = error instanceof io.pathprobe.NoTransportAvailableException n ? n.summary()
                : error.getMessage() != null ? error.getMessage() : error.toString();
        return new TraceResult(base.target(), base.destination().or(p.part::destination), base.protocol(),
                base.transport(), TraceStatus.SEND_FAILED, base.hops(), base.startedAt(), base.duration(),
                base.unmatchedReplies(), Optional.of(why), base.flowMode(), base.flows(), base.context(), p.trace);
    }

    private TraceResult notStarted(Part p, @Nullable Stop reason) {
        TraceStatus status = reason == null ? TraceStatus.RUNNING
                : reason == Stop.DEADLINE ? TraceStatus.DEADLINE_EXCEEDED : TraceStatus.CANCELLED;
        return new TraceResult(p.trace.target(), p.part.destination(), p.protocol, "", status, List.of(),
                measurement.createdAt(), Duration.ZERO, 0, Optional.empty(), FlowMode.PARIS, 1, PathContext.OFF,
                p.trace);
    }

    // ---- the measurement's spec -------------------------------------------------------------------

    @Override
    public CompareResult result(@Nullable Stop end) {
        List<TraceResult> out = new ArrayList<>(parts.length);
        for (Part p : parts) {
            TraceResult r = p.result;
            if (r == null) {
                r = p.part.running() ? p.part.run().snapshot() : notStarted(p, null);
            }
            out.add(r);
        }
        TraceAllStatus status = end == null ? TraceAllStatus.RUNNING : switch (end) {
            case COMPLETED -> TraceAllStatus.COMPLETED;
            case CANCELLED -> TraceAllStatus.CANCELLED;
            case DEADLINE -> TraceAllStatus.DEADLINE_EXCEEDED;
        };
        return CompareResult.of(request, out, status, measurement.createdAt(),
                Duration.ofNanos(Math.max(0, rt.ticker().read() - measurement.createdTick())));
    }

    // ---- Measurement ------------------------------------------------------------------------------

    @Override
    public CompareRequest request() {
        return request;
    }

    /** Protocol {@code i}'s strategy, once started (tests). */
    public @Nullable ProbingStrategy<TraceResult> strategy(int i) {
        return parts[i].strategy;
    }

    @Override
    public String toString() {
        return measurement.describe("Measurement<CompareRequest, CompareResult>", request.toString());
    }
}
