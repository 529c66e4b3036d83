package io.pathprobe.core.internal.multipath;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.core.internal.lookup.Enrichment;
import io.pathprobe.core.internal.lookup.EnrichmentStage;
import io.pathprobe.core.internal.lookup.Segments;
import io.pathprobe.core.internal.runtime.DualSession;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbingStrategy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.SingleTargetHandle;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Segment;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.SessionSpec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/**
 * The {@link io.pathprobe.Measurement} a user holds: a {@link SingleTargetHandle} (its Lifecycle owns set-up
 * off the engine loop, the deadline covering set-up, listener events on the tracer's executor, futures,
 * snapshots, the blocking wait) running a {@link MultipathStrategy} on a session with
 * explicit flows ({@link FlowPolicy#EXPLICIT}) of the request's protocol, and nothing else: a
 * transport that cannot set each probe's flow cannot find the paths, so there is no fallback.
 *
 * <p>A discovery that ends before its target resolved (cancelled, deadline, tracer closed) reports
 * the unspecified address as its destination and an empty transport.
 */
public final class MultipathHandle extends SingleTargetHandle<MultipathResult, MultipathListener>
        implements Measurement<MultipathRequest, MultipathResult> {

    /** Makes the strategy once the session is open: {@code MultipathStrategy::new}; tests substitute their own. */
    @FunctionalInterface
    public interface StrategyFactory {
        ProbingStrategy<MultipathResult> create(MultipathRequest request, InetAddress destination,
                ProbeProtocol protocol, String transportName, List<String> notes, int maxSequence, int maxFlow,
                Instant startedAt, long startTick, MultipathStrategy.@Nullable Events events);
    }

    private final MultipathRequest request;
    private final StrategyFactory strategies;
    private volatile @Nullable ProbingStrategy<MultipathResult> strategy;
    /** The nodes' lookups: the enrichment stage every measurement shares (no listener events of its own). */
    private final EnrichmentStage lookups;
    /**
     * For a UDP discovery with path probes that allows TCP ({@link MultipathRequest#tcpConfirmation()}): a transport
     * sending TCP probes with explicit flows, if one is usable.
     */
    private volatile TransportRegistry.@Nullable Choice tcp;
    private volatile @Nullable String tcpNote;

    public MultipathHandle(TracerRuntime rt, Enrichment enrichment, Measurements owner, MultipathRequest request) {
        this(rt, enrichment, owner, request, (req, dest, protocol, transport, notes, maxSequence, maxFlow, startedAt,
                startTick, events) -> new MultipathStrategy(req, dest, protocol, transport, notes, maxSequence, maxFlow,
                        startedAt, startTick, events, rt.sends().responders()));
    }

    public MultipathHandle(TracerRuntime rt, Enrichment enrichment, Measurements owner, MultipathRequest request,
            StrategyFactory strategies) {
        super(rt, enrichment.lookups().awaitLimit(), owner, MeasurementType.MULTIPATH, "multipath discovery",
                request.target(), request.address(),
                request.ipVersion(), request.deadline(), request.listener(), MultipathListener.NONE,
                MultipathListener::completed);
        this.request = request;
        limitRate(request.packetsPerSecond());
        this.strategies = strategies;
        this.lookups = new EnrichmentStage(enrichment, request.enrich() != EnrichMode.OFF, rt.scheduler(), null);
    }

    /**
     * The best usable transport that sends the request's protocol with explicit flows toward {@code dest};
     * for a UDP discovery with path probes that allows TCP ({@link MultipathRequest#tcpConfirmation()}), also one
     * that sends TCP probes with explicit flows (its path phase measures over TCP where it can:
     * {@link TcpPathProbing}), else a note says why not. Without that option no TCP probe is ever sent.
     */
    @Override
    protected TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        boolean v6 = dest instanceof Inet6Address;
        try {
            TransportRegistry.Choice c = rt.registry()
                    .choose(List.of(request.protocol()), false, v6, FlowPolicy.EXPLICIT,
                    true, mode, TransportRegistry.marked(request.trafficClass()));
            if (c != null && request.protocol() == ProbeProtocol.UDP && request.pathProbes() > 0
                    && request.tcpConfirmation()) {
                tcpNote = null;
                try {
                    tcp = rt.registry().choose(List.of(ProbeProtocol.TCP), false, v6, FlowPolicy.EXPLICIT, true, mode,
                            TransportRegistry.marked(request.trafficClass()));
                    if (tcp == null) {
                        return null; // finding out would block: set up off the loop
                    }
                } catch (NoTransportAvailableException e) {
                    tcp = null;
                    tcpNote = "TCP confirmation was asked for, but no usable transport sends TCP probes with explicit"
                            + " flows here (raw sockets need privileges): no TCP probe was sent; where the destination"
                            + " rate-limits its Port Unreachables, the UDP path probes are spaced under its budget";
                }
            }
            return c;
        } catch (NoTransportAvailableException e) {
            ProbeProtocol other = usableOther(v6, mode);
            throw new NoTransportAvailableException("no usable transport for " + request.protocol()
                    + " probes with explicit flows (multipath discovery) to " + (v6 ? "IPv6" : "IPv4")
                    + " destinations", e.rejections(), other == null ? null : other
                            + " probes with explicit flows are usable here: "
                            + "MultipathRequest.Builder.protocol(ProbeProtocol."
                            + other + ")", other);
        }
    }

    /** Another protocol that a usable transport sends with explicit flows, as advice; null if none is known. */
    private @Nullable ProbeProtocol usableOther(boolean v6, TransportRegistry.Mode mode) {
        TransportRegistry.Mode look = mode == TransportRegistry.Mode.CACHED ? mode : TransportRegistry.Mode.PEEK;
        for (ProbeProtocol other : ProbeProtocol.values()) {
            if (other == request.protocol()) {
                continue;
            }
            try {
                if (rt.registry().choose(List.of(other), false, v6, FlowPolicy.EXPLICIT, true, look) != null) {
                    return other;
                }
            } catch (NoTransportAvailableException ignored) {
                // not this one either
            }
        }
        return null;
    }

    /**
     * On the loop: opens the explicit-flow session and starts the strategy on it; for a UDP discovery
     * with a TCP transport, a TCP session beside it ({@link DualSession}, {@link TcpAssistedMultipath}).
     */
    @Override
    protected void begin(InetAddress dest, TransportRegistry.Choice choice) {
        int port = port(choice, request.destinationPort(choice.protocol()));
        ProbeSession session = transport(choice).openSession(SessionSpec.explicit(choice.protocol(), dest, port)
                        .with(request.options()), run().listener());
        ProbingStrategy<MultipathResult> s;
        List<String> notes = new java.util.ArrayList<>(choice.note().stream().toList());
        if (tcpNote != null) {
            notes.add(tcpNote);
        }
        try {
            long startTick = rt.ticker().read();
            s = strategies.create(request, dest, choice.protocol(), choice.name(), notes, session.maxSequence(),
                    session.maxFlow(), rt.wallClock().now(), startTick,
                    listening() || lookups.on() ? new Events() : null);
            TransportRegistry.Choice t = tcp;
            if (t != null && s instanceof MultipathStrategy udp) {
                int offset = session.maxSequence() + 1;
                ProbeSession second = transport(t).openSession(SessionSpec.explicit(ProbeProtocol.TCP, dest,
                        request.destinationPort(ProbeProtocol.TCP)).with(request.options()),
                        DualSession.shifted(run().listener(), offset));
                long deadline = io.pathprobe.core.internal.probe.WaitPolicy.nanos(request.deadline());
                TcpPathProbing paths = new TcpPathProbing(request, dest, dest instanceof Inet6Address,
                        DualSession.secondMax(offset, second.maxSequence()), second.maxFlow(), t.name(),
                        deadline == Long.MAX_VALUE ? Long.MAX_VALUE : io.pathprobe.core.internal.probe.WaitPolicy.plus(
                                startTick, deadline));
                session = new DualSession(session, second, offset);
                s = new TcpAssistedMultipath(udp, paths, offset);
            }
        } catch (RuntimeException | Error e) {
            session.close(); // the run never got it
            throw e;
        }
        this.strategy = s;
        event(l -> l.started(request, dest, choice.name()));
        lookups.start(dest); // hands over: the destination's AS and the public address
        run().start(session, s);
    }

    @Override
    protected MultipathResult notStarted(@Nullable Stop reason, Optional<InetAddress> destination,
            Instant createdAt) {
        MultipathStatus status = reason == null ? MultipathStatus.RUNNING
                : reason == Stop.DEADLINE ? MultipathStatus.DEADLINE_EXCEEDED : MultipathStatus.CANCELLED;
        List<String> notes = reason == null ? List.of()
                : List.of(destination.isEmpty() ? "ended before '" + request.target() + "' resolved"
                        : "ended before probing started");
        return new MultipathResult(request, destination.orElseGet(this::unspecified), "", request.protocol(), status,
                createdAt, Duration.ZERO, List.of(), List.of(), List.of(), List.of(), 0, 0, request.confidence(), 0.0,
                false, List.of(), notes);
    }

    private InetAddress unspecified() {
        try {
            return InetAddress.getByAddress(new byte[request.ipVersion() == IpVersion.IPV6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---- enrichment ----------------------------------------------------------------------------

    @Override
    protected MultipathResult enriched(MultipathResult raw) {
        if (!lookups.on()) {
            return raw;
        }
        PathContext context = lookups.context();
        List<MultipathNode> nodes = raw.nodes();
        java.util.TreeMap<Integer, MultipathNode> perTtl = new java.util.TreeMap<>();
        for (MultipathNode n : nodes) {
            n.address().ifPresent(lookups::seen);
            perTtl.putIfAbsent(n.ttl(), n);
        }
        // the path in TTL order, one representative per TTL (gaps silent); each node in its place: the
        // representatives (and nodes of their address) from one classification, any other from its own
        int first = perTtl.isEmpty() ? 1 : perTtl.firstKey();
        int last = perTtl.isEmpty() ? 0 : perTtl.lastKey();
        List<Segments.Point> path = new java.util.ArrayList<>();
        for (int ttl = first; ttl <= last; ttl++) {
            MultipathNode r = perTtl.get(ttl);
            path.add(r == null ? lookups.point(null) : point(r));
        }
        List<Segment> shared = lookups.segments(path, context);
        List<MultipathNode> out = new java.util.ArrayList<>(nodes.size());
        for (MultipathNode n : nodes) {
            int at = n.ttl() - first;
            Segment seg;
            if (java.util.Objects.equals(path.get(at).address(), n.address().orElse(null))) {
                seg = shared.get(at);
            } else {
                List<Segments.Point> mine = new java.util.ArrayList<>(path);
                mine.set(at, point(n));
                seg = lookups.segments(mine, context).get(at);
            }
            out.add(n.address().map(a -> n.withEnrichment(lookups.hostname(a), lookups.asn(a),
                    lookups.location(a), lookups.exchange(a), seg))
                    .orElseGet(() -> n.withEnrichment(Lookup.off(), Lookup.off(), seg)));
        }
        return raw.withEnrichment(out, context);
    }

    private Segments.Point point(MultipathNode n) {
        return lookups.point(n.address().orElse(null));
    }

    @Override
    protected java.util.concurrent.CompletableFuture<?> lookupsToAwait(MultipathResult raw) {
        if (request.enrich() != EnrichMode.AWAIT || !lookups.on()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        raw.nodes().forEach(n -> n.address().ifPresent(lookups::seen));
        return lookups.allDone();
    }

    @Override
    public MultipathRequest request() {
        return request;
    }

    /** The running strategy, once started (tests). */
    public @Nullable ProbingStrategy<MultipathResult> strategy() {
        return strategy;
    }

    /** Forwards the strategy's events (on the loop) to the listener (on the executor, in order). */
    private final class Events implements MultipathStrategy.Events {
        @Override
        public void nodeFound(MultipathNode node) {
            node.address().ifPresent(lookups::seen); // hands over: never looked up on the loop
            event(l -> l.nodeFound(node));
        }

        @Override
        public void linkFound(MultipathLink link) {
            event(l -> l.linkFound(link));
        }

        @Override
        public void roundCompleted(int round, int probes) {
            event(l -> l.roundCompleted(round, probes));
        }

        @Override
        public void pathMeasured(MultipathPath path) {
            event(l -> l.pathMeasured(path));
        }
    }

    @Override
    public String toString() {
        return describe("MultipathDiscovery");
    }
}
