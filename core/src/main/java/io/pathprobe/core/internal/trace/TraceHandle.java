package io.pathprobe.core.internal.trace;

import io.pathprobe.FlowMode;
import io.pathprobe.Hop;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.ProbeResult;
import io.pathprobe.Trace;
import io.pathprobe.TraceListener;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.TraceStatus;
import io.pathprobe.core.internal.SingleTargetHandle;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Trace} a user holds: a {@link SingleTargetHandle} (set-up, deadline, listener events,
 * futures) running a {@link TraceStrategy} on a session of the flow policy the request asks for.
 */
public final class TraceHandle extends SingleTargetHandle<TraceResult, TraceListener> implements Trace {
    private final TraceRequest request;
    private volatile @Nullable TraceStrategy strategy;

    public TraceHandle(TracerRuntime rt, TraceRequest request, Consumer<TraceHandle> onEnd) {
        super(rt, "trace", request.target(), request.address(), request.ipVersion(), request.deadline(),
                request.listener(), TraceListener.NONE, h -> onEnd.accept((TraceHandle) h));
        this.request = request;
    }

    /** The transport for this request's protocols and flow mode toward {@code dest}. */
    @Override
    protected TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        FlowPolicy policy = request.flowMode() == FlowMode.CLASSIC ? FlowPolicy.PER_PROBE
                : request.flows() > 1 ? FlowPolicy.EXPLICIT : FlowPolicy.FIXED;
        return rt.registry().choose(request.protocols(), request.automaticProtocol(), dest instanceof Inet6Address,
                policy, request.flowModeGiven() || policy != FlowPolicy.FIXED, mode);
    }

    /** On the loop: the target resolved and a transport was chosen. */
    @Override
    protected void begin(InetAddress dest, TransportRegistry.Choice choice) {
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        int port = choice.protocol() == ProbeProtocol.ICMP ? SessionSpec.DEFAULT_PORT
                : request.destinationPort(choice.protocol());
        ProbeSession session = transport.openSession(
                new SessionSpec(choice.protocol(), dest, port, choice.flowPolicy(), 0), run().listener());
        TraceStrategy.Flows flows = switch (choice.flowPolicy()) {
            case FIXED -> TraceStrategy.Flows.PARIS;
            case PER_PROBE -> TraceStrategy.Flows.CLASSIC;
            case EXPLICIT -> TraceStrategy.Flows.explicit(request.flows());
        };
        if (flows.explicit() && session.maxFlow() < request.flows() - 1) {
            session.close();
            throw new IllegalArgumentException(choice.name() + " offers " + (session.maxFlow() + 1) + " flows for "
                    + choice.protocol() + " probes to port " + port + "; " + request.flows() + " were asked for");
        }
        TraceStrategy strategy = new TraceStrategy(request, dest, choice.protocol(), choice.name(), choice.note(),
                session.maxSequence(), session.maxInFlight(), flows, Instant.now(), rt.ticker().read(),
                listening() ? new Events() : null);
        this.strategy = strategy;
        event(l -> l.traceStarted(request, dest, choice.name()));
        run().start(session, strategy);
    }

    @Override
    protected TraceResult notStarted(@Nullable Stop reason, Optional<InetAddress> destination, Instant createdAt) {
        TraceStatus status = reason == null ? TraceStatus.RUNNING
                : reason == Stop.DEADLINE ? TraceStatus.DEADLINE_EXCEEDED : TraceStatus.CANCELLED;
        return new TraceResult(request.target(), destination, request.protocol(), "", status,
                List.of(), createdAt, Duration.ZERO, 0, Optional.empty());
    }

    @Override
    protected void completedEvent(TraceListener listener, TraceResult result) {
        listener.traceCompleted(result);
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
            event(l -> l.probeCompleted(probe));
        }

        @Override
        public void hopCompleted(Hop hop) {
            event(l -> l.hopCompleted(hop));
        }
    }
}
