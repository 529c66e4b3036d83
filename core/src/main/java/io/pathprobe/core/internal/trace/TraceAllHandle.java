package io.pathprobe.core.internal.trace;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.core.internal.probe.StopSet;
import io.pathprobe.core.internal.runtime.Lifecycle;
import io.pathprobe.core.internal.runtime.LifecycleHandle;
import io.pathprobe.core.internal.runtime.MeasurementPart;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbeRun;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceAllListener;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * The {@link io.pathprobe.Measurement} a user holds: a {@link Lifecycle} of one part per target. A part resolves and
 * chooses its transport as a trace's does, then waits for admission: at most
 * {@link TraceAllRequest#concurrency()} targets are traced at once (each holds one session, opened at
 * admission and closed when its trace ends), and with the stop set the first target is traced alone, so
 * that the others find its path in the {@link StopSet}. Each admitted target runs a
 * {@link DoubletreeStrategy} on the tracer's stop set and learned responder budgets (without the stop set,
 * a {@link TraceStrategy}: an independent trace). Per-target errors are data: a target that cannot start
 * ends SEND_FAILED with the error as its note; the others go on. Admission runs on the engine loop.
 */
public final class TraceAllHandle extends LifecycleHandle<TraceAllResult, TraceAllListener>
        implements Measurement<TraceAllRequest, TraceAllResult>,
        Lifecycle.Spec<TraceAllResult, TraceAllListener>,
        io.pathprobe.core.internal.runtime.Ended {
    private final TracerRuntime rt;
    private final TraceAllRequest request;
    private final StopSet stopSet;
    private final Lifecycle<TraceAllResult, TraceAllListener> measurement;
    private final Target[] targets;
    /** Loop: targets set up and waiting for admission, in request order. */
    private final ArrayDeque<Target> waiting = new ArrayDeque<>();
    private int running;
    private int endedTraces;

    /** One target: its part, its set-up once done, its result once ended. */
    private final class Target {
        final int index;
        final TraceRequest trace;
        final MeasurementPart<TraceResult> part;
        @Nullable InetAddress dest;
        TransportRegistry.@Nullable Choice choice;
        boolean admitted;
        volatile @Nullable TraceResult result;
        volatile @Nullable ProbingStrategy<TraceResult> strategy;

        Target(int index, TraceRequest trace) {
            this.index = index;
            this.trace = trace;
            this.part = measurement.part(trace.target(), trace.address(), trace.ipVersion(),
                    (d, mode) -> choose(trace, d, mode), (d, c) -> setUp(this, d, c),
                    new MeasurementPart.Ending<>() {
                        @Override
                        public void completed(TraceResult r) {
                            ended(r);
                        }

                        @Override
                        public void failed(Throwable error) {
                            ended(failedResult(Target.this, error));
                        }

                        @Override
                        public void stoppedBeforeStart(Stop reason) {
                            ended(notStarted(Target.this, reason));
                        }
                    });
        }

        void ended(TraceResult r) {
            result = r;
            if (admitted) {
                running--;
            }
            endedTraces++;
            measurement.event(l -> l.targetCompleted(index, r));
            admit();
        }
    }

    /**
     * @param stopSet the tracer's stop set (confined to the engine loop)
     */
    public TraceAllHandle(TracerRuntime rt, Measurements owner, TraceAllRequest request, StopSet stopSet) {
        this.rt = rt;
        this.request = request;
        this.stopSet = stopSet;
        List<String> names = request.targets();
        this.measurement = new Lifecycle<>(rt, owner, MeasurementType.TRACE_ALL, "traceAll of " + names.get(0)
                + (names.size() > 1 ? " and " + (names.size() - 1) + " more" : ""), request.deadline(),
                request.listener(), TraceAllListener.NONE, TraceAllListener::completed,
                Integer.MAX_VALUE, this);
        measurement.limitRate(request.trace().packetsPerSecond()); // all targets together
        this.targets = new Target[names.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = new Target(i, request.requests().get(i));
        }
    }

    @Override
    protected Lifecycle<TraceAllResult, TraceAllListener> measurement() {
        return measurement;
    }

    private TransportRegistry.@Nullable Choice choose(TraceRequest t, InetAddress dest, TransportRegistry.Mode mode) {
        FlowPolicy policy = t.flowMode() == FlowMode.CLASSIC ? FlowPolicy.PER_PROBE : FlowPolicy.FIXED;
        return rt.registry().choose(t.protocols(), t.automaticProtocol(), dest instanceof Inet6Address, policy,
                t.flowModeGiven() || policy != FlowPolicy.FIXED, mode, TransportRegistry.marked(t.trafficClass()));
    }

    /** On the loop: the target resolved and a transport was chosen; it waits for admission. */
    private void setUp(Target t, InetAddress dest, TransportRegistry.@Nullable Choice choice) {
        t.dest = dest;
        t.choice = choice;
        waiting.add(t);
        admit();
    }

    /** On the loop: starts waiting targets while fewer than the limit run (none once the call is stopping). */
    private void admit() {
        while (!waiting.isEmpty() && running < limit() && !measurement.over()) {
            Target t = waiting.poll();
            if (t.part.ended()) {
                continue;
            }
            t.admitted = true;
            running++;
            try {
                start(t);
            } catch (RuntimeException e) {
                t.part.run().fail(e); // this target's set-up error: it ends failed, the others go on
            }
        }
    }

    /** With the stop set, the first target alone, until one has ended; then the request's concurrency. */
    private int limit() {
        return request.stopSet() && endedTraces == 0 ? 1 : request.concurrency();
    }

    private void start(Target t) {
        InetAddress dest = t.dest;
        TransportRegistry.Choice choice = t.choice;
        if (dest == null || choice == null) {
            throw new IllegalStateException("not set up: " + t.trace.target());
        }
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        int port = choice.protocol() == ProbeProtocol.ICMP ? SessionSpec.DEFAULT_PORT
                : t.trace.destinationPort(choice.protocol());
        ProbeRun<TraceResult> run = t.part.run();
        ProbeSession session = transport.openSession(
                new SessionSpec(choice.protocol(), dest, port, choice.flowPolicy(), 0)
                        .with(t.trace.options()), run.listener());
        boolean paris = choice.flowPolicy() != FlowPolicy.PER_PROBE;
        ProbingStrategy<TraceResult> s;
        if (request.stopSet()) {
            s = new DoubletreeStrategy(t.trace, dest, choice.protocol(), choice.name(), choice.note(),
                    session.maxSequence(), session.maxInFlight(), paris, stopSet, rt.sends().responders(),
                    rt.wallClock().now(), rt.ticker().read());
        } else {
            s = new TraceStrategy(t.trace, dest, choice.protocol(), choice.name(), choice.note(),
                    session.maxSequence(), session.maxInFlight(),
                    paris ? Flows.PARIS : Flows.CLASSIC, rt.wallClock().now(),
                    rt.ticker().read(), null).pacing(rt.sends().responders());
        }
        t.strategy = s;
        run.start(session, s);
    }

    private TraceResult failedResult(Target t, Throwable error) {
        ProbingStrategy<TraceResult> s = t.strategy;
        TraceResult base = s != null ? s.snapshot(rt.ticker().read()) : notStarted(t, null);
        String why = error.getMessage() != null ? error.getMessage() : error.toString();
        return new TraceResult(base.target(), base.destination().or(t.part::destination), base.protocol(),
                base.transport(), TraceStatus.SEND_FAILED, base.hops(), base.startedAt(), base.duration(),
                base.unmatchedReplies(), Optional.of(why), base.flowMode(), base.flows(), base.context(), t.trace);
    }

    private TraceResult notStarted(Target t, @Nullable Stop reason) {
        TraceStatus status = reason == null ? TraceStatus.RUNNING
                : reason == Stop.DEADLINE ? TraceStatus.DEADLINE_EXCEEDED : TraceStatus.CANCELLED;
        return new TraceResult(t.trace.target(), t.part.destination(), t.trace.protocol(), "", status, List.of(),
                measurement.createdAt(), Duration.ZERO, 0, Optional.empty(), FlowMode.PARIS, 1, PathContext.OFF,
                t.trace);
    }

    // ---- the measurement's spec -------------------------------------------------------------------

    @Override
    public TraceAllResult result(@Nullable Stop end) {
        List<TraceResult> out = new ArrayList<>(targets.length);
        long sent = 0;
        long fromStopSet = 0;
        for (Target t : targets) {
            TraceResult r = t.result;
            if (r == null) {
                r = t.part.running() ? t.part.run().snapshot() : notStarted(t, null);
            }
            for (Hop h : r.hops()) {
                sent += h.statistics().sent();
                fromStopSet += h.fromStopSet() ? 1 : 0;
            }
            out.add(r);
        }
        TraceAllStatus status = end == null ? TraceAllStatus.RUNNING : switch (end) {
            case COMPLETED -> TraceAllStatus.COMPLETED;
            case CANCELLED -> TraceAllStatus.CANCELLED;
            case DEADLINE -> TraceAllStatus.DEADLINE_EXCEEDED;
        };
        return new TraceAllResult(out, status, measurement.createdAt(),
                Duration.ofNanos(Math.max(0, rt.ticker().read() - measurement.createdTick())), sent, fromStopSet,
                request);
    }

    // ---- TraceAll ---------------------------------------------------------------------------------

    @Override
    public TraceAllRequest request() {
        return request;
    }

    /** Target {@code i}'s strategy, once admitted (tests). */
    public @Nullable ProbingStrategy<TraceResult> strategy(int i) {
        return targets[i].strategy;
    }

    @Override
    public String toString() {
        return measurement.describe("Measurement<TraceAllRequest, TraceAllResult>", request.toString());
    }
}
