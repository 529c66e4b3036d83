package io.pathprobe.core.internal.trace;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.core.internal.lookup.Enrichment;
import io.pathprobe.core.internal.lookup.EnrichmentStage;
import io.pathprobe.core.internal.runtime.DualSession;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.SingleTargetHandle;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
/**
 * The {@link io.pathprobe.Measurement} a user holds: a {@link SingleTargetHandle} (its Lifecycle owns set-up, deadline,
 * listener events, futures) running a {@link TraceStrategy} on a session of the flow policy the request
 * asks for; it adds the listener's events and the hops' enrichment.
 */
public final class TraceHandle extends SingleTargetHandle<TraceResult, TraceListener>
        implements Measurement<TraceRequest, TraceResult> {
    private final TraceRequest request;
    private volatile @Nullable TraceStrategy strategy;
    /** The hops' lookups and their events: on the loop, like every other event of the trace. */
    private final EnrichmentStage lookups;
    /** The connection of a trace asked to run inside one (TcpMode.IN_CONNECTION, TCP first); null otherwise. */
    private final @Nullable InConnectionSetup connection;
    /** The session began inside its connection (the result's tcpMode then says so). */
    private volatile boolean inConnection;
    /** A UDP trace's TCP transport, to confirm its destination ({@link TcpConfirm}); null: none. */
    private volatile TransportRegistry.@Nullable Choice tcp;

    public TraceHandle(TracerRuntime rt, Enrichment enrichment, Measurements owner, TraceRequest request) {
        super(rt, enrichment.lookups().awaitLimit(), owner, MeasurementType.TRACE, "trace", request.target(),
                request.address(), request.ipVersion(),
                request.deadline(), request.listener(), TraceListener.NONE, TraceListener::completed);
        this.request = request;
        limitRate(request.packetsPerSecond());
        this.lookups = new EnrichmentStage(enrichment, request.enrich() != EnrichMode.OFF, rt.scheduler(),
                listening() ? new Told() : null);
        this.connection = request.tcpMode() == TcpMode.IN_CONNECTION && request.protocol() == ProbeProtocol.TCP
                ? new InConnectionSetup() : null;
    }

    /**
     * The transport for this request's protocols and flow mode toward {@code dest}. A trace asked to run inside
     * a connection first opens it (on the set-up pool: in {@link TransportRegistry.Mode#CACHED} this says it
     * would block); where that fails, SYN probes as for any TCP trace, the note saying why.
     */
    @Override
    protected TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        InConnectionSetup c = connection;
        if (c == null || mode == TransportRegistry.Mode.PEEK) {
            return chooseProbes(dest, mode);
        }
        if (mode == TransportRegistry.Mode.CACHED) {
            return null; // connecting may take a while: the set-up pool asks again with OPEN
        }
        String failure = c.open(rt.registry(), dest, request.destinationPort(ProbeProtocol.TCP), connectTimeout(),
                run().listener());
        TransportRegistry.Choice opened = c.choice();
        if (failure == null && opened != null) {
            return opened;
        }
        String what = "no trace inside a connection to " + AddressText.of(dest) + " port "
                + request.destinationPort(ProbeProtocol.TCP) + " (" + failure + ")";
        TransportRegistry.Choice syn;
        try {
            syn = chooseProbes(dest, mode);
        } catch (NoTransportAvailableException e) { // its first line: "no usable transport for TCP probes to ...:"
            throw new NoTransportAvailableException(what + ", and "
                    + e.withoutHint().lines().findFirst().orElse("").replaceFirst(":$", ""), e.rejections(),
                    e.hint().orElse(null), e.usableProtocol().orElse(null));
        }
        if (syn == null) {
            return null;
        }
        return new TransportRegistry.Choice(syn.protocol(), syn.name(), syn.transport(), syn.flowPolicy(),
                Optional.of(what + ": SYN probes instead" + syn.note().map(n -> "; " + n).orElse("")));
    }

    /**
     * How long the connection may take: three probe timeouts (the kernel's SYN and its retransmission after
     * 1 s with the default), within the deadline.
     */
    private Duration connectTimeout() {
        Duration three = request.probeTimeout().multipliedBy(3);
        return three.compareTo(request.deadline()) < 0 ? three : request.deadline();
    }

    private TransportRegistry.@Nullable Choice chooseProbes(InetAddress dest, TransportRegistry.Mode mode) {
        FlowPolicy policy = request.flowMode() == FlowMode.CLASSIC ? FlowPolicy.PER_PROBE
                : request.flows() > 1 ? FlowPolicy.EXPLICIT : FlowPolicy.FIXED;
        TransportRegistry.Choice c = rt.registry().choose(request.protocols(), request.automaticProtocol(),
                dest instanceof Inet6Address, policy, request.flowModeGiven() || policy != FlowPolicy.FIXED, mode,
                TransportRegistry.marked(request.trafficClass()));
        if (c != null && c.protocol() == ProbeProtocol.UDP && request.refillRetry() && request.tcpConfirmation()
                && mode != TransportRegistry.Mode.PEEK) {
            try {
                tcp = rt.registry().choose(List.of(ProbeProtocol.TCP), false, dest instanceof Inet6Address,
                        FlowPolicy.FIXED, true, mode, TransportRegistry.marked(request.trafficClass()));
                if (tcp == null) {
                    return null; // finding out would block: set up off the loop
                }
            } catch (NoTransportAvailableException e) {
                tcp = null; // no TCP here: the destination is not confirmed over TCP (TcpConfirm)
            }
        }
        return c;
    }

    /** On the loop: the target resolved and a transport was chosen. */
    @Override
    protected void begin(InetAddress dest, TransportRegistry.Choice choice) {
        int port = port(choice, request.destinationPort(choice.protocol()));
        ProbeSession connected = connection == null ? null : connection.take();
        if (connected == null && transport(choice).capabilities().contains(TransportCapability.TCP_IN_CONNECTION)) {
            throw new IllegalStateException(choice.name() + ": the connection opened for the trace is gone");
        }
        inConnection = connected != null;
        ProbeSession session = connected != null ? connected : transport(choice).openSession(
                new SessionSpec(choice.protocol(), dest, port, choice.flowPolicy(), 0)
                        .with(request.options()), run().listener());
        Flows flows = switch (choice.flowPolicy()) {
            case FIXED -> Flows.PARIS;
            case PER_PROBE -> Flows.CLASSIC;
            case EXPLICIT -> Flows.explicit(request.flows());
        };
        if (flows.explicit() && session.maxFlow() < request.flows() - 1) {
            session.close();
            throw new IllegalArgumentException(choice.name() + " offers " + (session.maxFlow() + 1) + " flows for "
                    + choice.protocol() + " probes to port " + port + "; " + request.flows() + " were asked for");
        }
        TraceStrategy strategy = new TraceStrategy(request, dest, choice.protocol(), choice.name(), choice.note(),
                session.maxSequence(), session.maxInFlight(), flows, rt.wallClock().now(), rt.ticker().read(),
                listening() || lookups.on() ? new Events() : null).pacing(rt.sends().responders())
                .refillRetries(request.refillRetry());
        ProbingStrategy<TraceResult> run = strategy;
        TransportRegistry.Choice t = tcp;
        if (t != null && choice.protocol() == ProbeProtocol.UDP && request.tcpConfirmation()
                && strategy.confirmOverTcp(true).confirms()) {
            // asked for (TraceRequest.tcpConfirmation): the destination's Port Unreachables may have been spent by
            // another prober, and a TCP probe to the same port number may confirm it (TcpConfirm), over a session
            // beside the trace's
            // opened by the first confirm (rare: the destination did not answer), not for every trace
            int offset = session.maxSequence() + 1;
            ProbeSession second = new io.pathprobe.core.internal.runtime.LazySession(() -> transport(t).openSession(
                    new SessionSpec(ProbeProtocol.TCP, dest, port, FlowPolicy.FIXED, 0).with(request.options()),
                    DualSession.shifted(run().listener(), offset)));
            session = new DualSession(session, second, offset);
            run = new TcpConfirmedTrace(strategy, offset);
        }
        this.strategy = strategy;
        if (listening()) {
            event(l -> l.started(request, dest, choice.name()));
        }
        lookups.start(dest); // hands over: the destination's AS and the public address, from now on
        run().start(session, run);
    }

    @Override
    protected TraceResult notStarted(@Nullable Stop reason, Optional<InetAddress> destination, Instant createdAt) {
        TraceStatus status = reason == null ? TraceStatus.RUNNING
                : reason == Stop.DEADLINE ? TraceStatus.DEADLINE_EXCEEDED : TraceStatus.CANCELLED;
        return new TraceResult(request.target(), destination, request.protocol(), "", status,
                List.of(), createdAt, Duration.ZERO, 0, Optional.empty(), io.pathprobe.trace.FlowMode.PARIS, 1,
                io.pathprobe.enrich.PathContext.OFF, request);
    }

    /** The trace ended: a connection it opened but never began in is closed. */
    @Override
    public void release() {
        if (connection != null) {
            connection.release();
        }
    }

    // ---- enrichment ----------------------------------------------------------------------------

    @Override
    protected TraceResult enriched(TraceResult strategy) {
        TraceResult raw = inConnection ? inConnection(strategy) : strategy;
        if (!lookups.on()) {
            return raw;
        }
        return raw.withEnrichment(lookups.hops(raw.hops()), lookups.context());
    }

    @Override
    protected CompletableFuture<?> lookupsToAwait(TraceResult raw) {
        return request.enrich() == EnrichMode.AWAIT ? lookups.allDone() : CompletableFuture.completedFuture(null);
    }

    /** {@code r} as the strategy made it, its TCP probes said to have travelled inside the connection. */
    private static TraceResult inConnection(TraceResult r) {
        return new TraceResult(r.target(), r.destination(), r.protocol(), r.transport(), r.status(), r.hops(),
                r.startedAt(), r.duration(), r.unmatchedReplies(), r.protocolNote(), r.flowMode(), r.flows(),
                r.context(), r.request(), Optional.of(TcpMode.IN_CONNECTION));
    }

    @Override
    public TraceRequest request() {
        return request;
    }

    /** The running strategy, once started (tests check its accounting). */
    public @Nullable TraceStrategy strategy() {
        return strategy;
    }

    private final class Events implements TraceStrategy.Events {
        @Override
        public void probeSent(int ttl, int attempt) {
            event(l -> l.probeSent(ttl, attempt));
        }

        @Override
        public void probeCompleted(ProbeResult probe) {
            if (probe.answered()) {
                probe.responder().ifPresent(lookups::seen); // hands over: never looked up on the loop
            }
            event(l -> l.probeCompleted(probe));
        }

        @Override
        public void hopCompleted(Hop hop) {
            Hop told = lookups.reported(hop); // with what is known now; hopEnriched follows if some is pending
            event(l -> l.hopCompleted(told));
        }
    }

    /** The stage's events (on the loop) to the listener (on the executor, in order after the others). */
    private final class Told implements EnrichmentStage.Listener {
        @Override
        public void hopEnriched(Hop hop) {
            event(l -> l.hopEnriched(hop));
        }

        @Override
        public void contextEnriched(PathContext context) {
            event(l -> l.contextEnriched(context));
        }
    }

    @Override
    public String toString() {
        return describe("Trace");
    }
}
