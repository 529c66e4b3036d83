package io.pathprobe.core.internal.mtu;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.SingleTargetHandle;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuListener;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.TraceStatus;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;
/**
 * The {@link io.pathprobe.Measurement} a user holds: a {@link SingleTargetHandle} (its Lifecycle owns set-up, the
 * deadline, listener events, futures, snapshots and the blocking wait) running an {@link MtuStrategy} on a
 * classic UDP session (a new destination port per probe, as tracepath) of a transport with
 * {@link TransportCapability#PATH_MTU}; each probe carries its own size.
 */
public final class MtuHandle extends SingleTargetHandle<MtuResult, MtuListener>
        implements Measurement<MtuRequest, MtuResult> {
    private final MtuRequest request;

    public MtuHandle(TracerRuntime rt, Measurements owner, MtuRequest request) {
        super(rt, Duration.ZERO, owner, MeasurementType.MTU, "path MTU discovery", request.target(), request.address(),
                request.ipVersion(), request.deadline(), request.listener(), MtuListener.NONE, MtuListener::completed);
        this.request = request;
        limitRate(request.packetsPerSecond());
    }

    /** The best usable transport that sends UDP path MTU probes (PATH_MTU) with classic flows toward {@code dest}. */
    @Override
    protected TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        return rt.registry().choose(List.of(ProbeProtocol.UDP), false, dest instanceof Inet6Address,
                FlowPolicy.PER_PROBE, true, mode, request.trafficClass().equals(TrafficClass.DEFAULT)
                        ? Set.of(TransportCapability.PATH_MTU)
                        : Set.of(TransportCapability.PATH_MTU, TransportCapability.TRAFFIC_CLASS));
    }

    /** On the loop: opens the session (its probes carry their own sizes) and starts the strategy. */
    @Override
    protected void begin(InetAddress dest, TransportRegistry.Choice choice) {
        ProbeSession session = transport(choice).openSession(
                SessionSpec.perProbe(ProbeProtocol.UDP, dest, request.destinationPort())
                        .with(request.options()), run().listener());
        MtuStrategy strategy = new MtuStrategy(request, dest, choice.name(), session.maxSequence(),
                rt.wallClock().now(),
                rt.ticker().read(), listening() ? new Events() : null);
        event(l -> l.started(request, dest, choice.name()));
        run().start(session, strategy);
    }

    @Override
    protected MtuResult notStarted(@Nullable Stop reason, Optional<InetAddress> destination, Instant createdAt) {
        TraceStatus status = reason == null ? TraceStatus.RUNNING
                : reason == Stop.DEADLINE ? TraceStatus.DEADLINE_EXCEEDED : TraceStatus.CANCELLED;
        return new MtuResult(request.target(), destination, "", status, OptionalInt.empty(), List.of(),
                OptionalInt.empty(), Optional.empty(), 0, createdAt, Duration.ZERO,
                MaskStatement.NONE);
    }

    @Override
    public MtuRequest request() {
        return request;
    }

    private final class Events implements MtuStrategy.Events {
        @Override
        public void hopCompleted(MtuHop hop) {
            event(l -> l.hopCompleted(hop));
        }

        @Override
        public void blackHoleFound(MtuBlackHole blackHole) {
            event(l -> l.blackHoleFound(blackHole));
        }
    }

    @Override
    public String toString() {
        return describe("MtuDiscovery");
    }
}
