package io.pathprobe.core.internal.ping;

import io.pathprobe.Measurement;
import io.pathprobe.MeasurementType;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.core.internal.lookup.Enrichment;
import io.pathprobe.core.internal.lookup.EnrichmentStage;
import io.pathprobe.core.internal.ping.app.AppProbeLoop;
import io.pathprobe.core.internal.ping.app.ApplicationProbe;
import io.pathprobe.core.internal.ping.app.DnsProbe;
import io.pathprobe.core.internal.ping.app.HttpProbe;
import io.pathprobe.core.internal.runtime.Lifecycle;
import io.pathprobe.core.internal.runtime.LifecycleHandle;
import io.pathprobe.core.internal.runtime.MeasurementPart;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.ProbeRun;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.Targets;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
/**
 * The {@link io.pathprobe.Measurement} a user holds: a {@link Lifecycle} (set-up, the optional deadline, listener
 * events on the tracer's executor with per-probe events bounded, the futures) of one part per target, each a
 * {@link ProbeRun} with a {@link PingStrategy} and its own session, sharing one {@link PingPacer}.
 * Per-target errors are data: a target that cannot start or fails ends with its error, the others go on.
 */
public final class PingHandle extends LifecycleHandle<PingResult, PingListener>
        implements Measurement<PingRequest, PingResult>, Lifecycle.Spec<PingResult, PingListener>,
        io.pathprobe.core.internal.runtime.Ended {
    private static final System.Logger LOG = System.getLogger(PingHandle.class.getName());

    private final TracerRuntime rt;
    private final java.time.Duration awaitLimit;
    private final PingRequest request;
    private final Lifecycle<PingResult, PingListener> measurement;
    private final Target[] targets;
    private final PingPacer pacer;
    /**
     * The floor of the UDP destinations' ICMP budget, one per address family (our source address, hence the
     * destination's limiter bucket, differs between families) shared by every UDP target: several targets may
     * be addresses of one host, which spend one bucket ({@link RefusalFloor}): what a limit could have refused, the
     * bound on the loss. Used on the loop only.
     */
    private final RefusalFloor udpFloor4 = new RefusalFloor();
    private final RefusalFloor udpFloor6 = new RefusalFloor();
    private final Supplier<AppProbeLoop> appLoop;
    /** The targets' lookups: the enrichment stage every measurement shares (no listener events of its own). */
    private final EnrichmentStage lookups;

    /** One target: its part, and its result once ended (on the loop). */
    private final class Target {
        final int index;
        final String name;
        final MeasurementPart<PingTargetResult> part;
        volatile @Nullable PingTargetResult result;
        volatile @Nullable PingStrategy strategy;

        Target(int index, String name) {
            this.index = index;
            this.name = name;
            this.part = measurement.part(name, request.address(index), request.ipVersion(),
                    request.kind().application() ? null : PingHandle.this::choose,
                    (dest, choice) -> {
                        if (choice == null) {
                            beginApplication(this, dest);
                        } else {
                            begin(this, dest, choice);
                        }
                    }, new MeasurementPart.Ending<>() {
                        @Override
                        public void completed(PingTargetResult r) {
                            ended(r);
                        }

                        @Override
                        public void failed(Throwable error) {
                            ended(part.started() ? errorResult(Target.this, PingError.of(PingError.Type.FAILED,
                                    "failed: " + error)) : setUpFailed(Target.this, error));
                        }

                        @Override
                        public void stoppedBeforeStart(Stop reason) {
                            ended(notStarted(Target.this));
                        }
                    });
        }

        void ended(PingTargetResult r) {
            result = r;
            measurement.event(l -> l.targetCompleted(r));
        }

        Optional<InetAddress> address() {
            return part.destination();
        }
    }

    /**
     * @param appLoop the tracer's loop of application probes (DNS, HTTP), made on first use
     */
    public PingHandle(TracerRuntime rt, Enrichment enrichment, Measurements owner, PingRequest request,
            Supplier<AppProbeLoop> appLoop) {
        this.rt = rt;
        this.awaitLimit = enrichment.lookups().awaitLimit();
        this.appLoop = appLoop;
        this.request = request;
        this.measurement = new Lifecycle<>(rt, owner, MeasurementType.PING, "ping of " + request.targets().get(0)
                + (request.targets().size() > 1 ? " and " + (request.targets().size() - 1) + " more" : ""),
                request.deadline(), request.listener(), PingListener.NONE, PingListener::completed,
                PingListener.MAX_QUEUED_EVENTS, this);
        measurement.limitRate(request.packetsPerSecond());
        this.pacer = new PingPacer(request.gap().toNanos());
        List<String> names = request.targets();
        this.targets = new Target[names.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = new Target(i, names.get(i));
        }
        this.lookups = new EnrichmentStage(enrichment, request.enrich() != EnrichMode.OFF, rt.scheduler(), null);
    }

    @Override
    protected Lifecycle<PingResult, PingListener> measurement() {
        return measurement;
    }

    // ---- set-up ------------------------------------------------------------------------------

    private static List<ProbeProtocol> protocols(List<PingKind> kinds) {
        List<ProbeProtocol> out = new ArrayList<>();
        for (PingKind k : kinds) {
            switch (k) {
                case ICMP -> out.add(ProbeProtocol.ICMP);
                case UDP -> out.add(ProbeProtocol.UDP);
                case TCP -> out.add(ProbeProtocol.TCP);
                case DNS, HTTP -> { }
            }
        }
        return out;
    }

    private static PingKind kindOf(ProbeProtocol p) {
        return switch (p) {
            case ICMP -> PingKind.ICMP;
            case UDP -> PingKind.UDP;
            case TCP -> PingKind.TCP;
        };
    }

    private TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        List<ProbeProtocol> protocols = protocols(request.kinds());
        if (protocols.isEmpty()) {
            throw new UnsupportedOperationException(request.kind() + " ping is not available in this build");
        }
        return rt.registry().choose(protocols, request.automaticKind(), dest instanceof Inet6Address,
                FlowPolicy.FIXED, false, mode, TransportRegistry.marked(request.trafficClass()));
    }

    /** On the loop: the target resolved and a transport was chosen. */
    private void begin(Target t, InetAddress dest, TransportRegistry.Choice choice) {
        lookups.seen(dest); // hands over: the host name and AS, while the probes run
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        PingKind kind = kindOf(choice.protocol());
        int port = kind == PingKind.ICMP ? SessionSpec.DEFAULT_PORT : request.destinationPort(kind);
        ProbeSession session = transport.openSession(new SessionSpec(choice.protocol(), dest, port,
                choice.flowPolicy(), 0, payloadSize(kind, transport)).with(request.options()),
                t.part.run().listener());
        start(t, dest, kind, choice.name(), kindNote(kind, kind != request.kind(), choice.note()), session);
    }

    /**
     * The note a target reports: the choice's (why its first kind was not used, naming what would let it be used),
     * in one line; after a fallback to UDP, saying so first. What UDP's answers mean for the loss (the
     * destination's rate limit) the statistics say where it mattered ({@code rateLimited}, {@code mayBeRefused}).
     *
     * @param kind the kind chosen
     * @param fellBack whether it is not the kind the request preferred (the automatic choice passed ICMP over)
     * @param choiceNote the transport choice's note
     */
    static Optional<String> kindNote(PingKind kind, boolean fellBack, Optional<String> choiceNote) {
        if (kind == PingKind.UDP && fellBack) {
            return Optional.of("fell back to UDP: " + choiceNote.orElse("ICMP not usable"));
        }
        return choiceNote;
    }

    private void start(Target t, InetAddress dest, PingKind kind, String transport, Optional<String> note,
            ProbeSession session) {
        PingStrategy.Setup setup = new PingStrategy.Setup(t.index, t.name, dest, kind, transport, note,
                request.ttl(), request.count(), request.interval().toNanos(), request.probeTimeout().toNanos(),
                request.recentProbes(), measurement.createdTick());
        ProbeRun<PingTargetResult> run = t.part.run();
        PingStrategy s = new PingStrategy(setup, pacer, session.maxSequence(), session.maxInFlight(),
                rt.ticker().read(), measurement.listening() ? new Events(t) : null, () -> rt.sends().isQueued(run),
                dest instanceof Inet6Address ? udpFloor6 : udpFloor4);
        t.strategy = s;
        measurement.event(l -> l.targetStarted(t.index, t.name, dest, kind, transport, note));
        run.start(session, s);
    }

    /**
     * The session's payload size: the one given (also after an automatic fallback from ICMP to UDP:
     * {@link PingRequest#payloadSize(PingKind)}), else for ICMP iputils' 56 data bytes where the
     * transport takes a size, else the transport's default.
     */
    private int payloadSize(PingKind kind, ProbeTransport transport) {
        if (request.payloadSize().isPresent()) {
            return request.payloadSize().getAsInt();
        }
        int size = request.payloadSize(kind);
        return size >= 0 && transport.capabilities().contains(io.pathprobe.spi.TransportCapability.PAYLOAD_SIZE)
                ? size : SessionSpec.DEFAULT_PAYLOAD;
    }

    /** On the loop: a DNS or HTTP target resolved; its probes go through the tracer's application probe loop. */
    private void beginApplication(Target t, InetAddress dest) {
        lookups.seen(dest);
        PingKind kind = request.kind();
        int port = request.destinationPort(kind);
        ApplicationProbe probe;
        String transport;
        if (kind == PingKind.DNS) {
            int type = org.xbill.DNS.Type.value(request.dnsType());
            if (type < 0) {
                throw new IllegalArgumentException("unknown DNS record type " + request.dnsType());
            }
            org.xbill.DNS.Name name;
            try {
                name = org.xbill.DNS.Name.fromString(request.dnsName(), org.xbill.DNS.Name.root);
            } catch (org.xbill.DNS.TextParseException e) {
                throw new IllegalArgumentException("not a DNS name: " + request.dnsName(), e);
            }
            probe = new DnsProbe(appLoop.get(), new DnsProbe.Config(new java.net.InetSocketAddress(dest, port), name,
                    type, request.probeTimeout()));
            transport = "dns-udp";
        } else {
            String host = request.address(t.index).isPresent() || Targets.literal(t.name) != null
                    ? io.pathprobe.probe.AddressText.host(dest)
                    : t.name;
            java.net.URI url = java.net.URI.create((request.https() ? "https" : "http") + "://" + host + ":" + port
                    + request.httpPath());
            probe = new HttpProbe(appLoop.get(), new HttpProbe.Config(url, dest, request.probeTimeout(), null));
            transport = request.https() ? "https" : "http";
        }
        start(t, dest, kind, transport, Optional.empty(),
                new AppProbeSession(probe, dest, kind == PingKind.HTTP, t.part.run().listener()));
    }

    /** A target that could not start: its error as data (unknown name, no transport, ...). */
    private PingTargetResult setUpFailed(Target t, Throwable e) {
        PingError error;
        if (e instanceof UnknownTargetException u) {
            error = PingError.of(PingError.Type.UNKNOWN_TARGET,
                    u.getMessage() == null ? "unknown target" : u.getMessage());
        } else if (e instanceof NoTransportAvailableException n) {
            error = PingError.of(PingError.Type.NO_TRANSPORT, String.valueOf(n.getMessage()));
        } else {
            error = PingError.of(PingError.Type.FAILED, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
            if (!(e instanceof UnsupportedOperationException) && !(e instanceof IllegalArgumentException)) {
                LOG.log(Level.WARNING, "ping of " + t.name + " failed to start", e);
            }
        }
        return errorResult(t, error);
    }

    private PingTargetResult errorResult(Target t, PingError error) {
        PingStrategy s = t.strategy;
        if (s != null) {
            PingTargetResult r = s.snapshot(rt.ticker().read());
            return new PingTargetResult(r.index(), r.target(), r.address(), r.kind(), r.transport(), r.kindNote(),
                    Optional.of(error), r.statistics(), r.recent());
        }
        return new PingTargetResult(t.index, t.name, t.address(), request.kind(), "",
                Optional.empty(), Optional.of(error), io.pathprobe.ping.PingStatistics.EMPTY, List.of());
    }

    private PingTargetResult notStarted(Target t) {
        return new PingTargetResult(t.index, t.name, t.address(), request.kind(), "",
                Optional.empty(), Optional.empty(), io.pathprobe.ping.PingStatistics.EMPTY, List.of());
    }

    // ---- the measurement's spec -----------------------------------------------------------------

    @Override
    public PingResult result(@Nullable Stop end) {
        List<PingTargetResult> out = new ArrayList<>(targets.length);
        for (Target t : targets) {
            PingTargetResult r = t.result;
            if (r == null) {
                r = t.part.running() ? t.part.run().snapshot() : notStarted(t);
            }
            out.add(enriched(r));
        }
        PingStatus status = end == null ? PingStatus.RUNNING : switch (end) {
            case COMPLETED -> nothingSent(out);
            case CANCELLED -> PingStatus.CANCELLED;
            case DEADLINE -> PingStatus.DEADLINE_EXCEEDED;
        };
        return new PingResult(out, status, measurement.createdAt(),
                Duration.ofNanos(rt.ticker().read() - measurement.createdTick()), request);
    }

    /**
     * COMPLETED, unless no probe could be sent to any target: then NO_ROUTE when every target found
     * no route, else SEND_FAILED (the targets' errors say why).
     */
    private static PingStatus nothingSent(List<PingTargetResult> results) {
        boolean allNoRoute = true;
        for (PingTargetResult r : results) {
            PingError.Type type = r.error().map(PingError::type).orElse(null);
            if (r.statistics().sent() > 0 || (type != PingError.Type.NO_ROUTE && type != PingError.Type.SEND_FAILED)) {
                return PingStatus.COMPLETED;
            }
            allNoRoute &= type == PingError.Type.NO_ROUTE;
        }
        return results.isEmpty() ? PingStatus.COMPLETED : allNoRoute ? PingStatus.NO_ROUTE : PingStatus.SEND_FAILED;
    }

    private PingTargetResult enriched(PingTargetResult r) {
        if (!lookups.on() || r.address().isEmpty()) {
            return r;
        }
        return lookups.label(r.address().get(), r::withLookups);
    }

    @Override
    public java.time.Duration awaitLimit() {
        return awaitLimit;
    }

    @Override
    public CompletableFuture<?> awaitBeforeResult() {
        return request.enrich() == EnrichMode.AWAIT && lookups.on() ? lookups.allDone()
                : CompletableFuture.completedFuture(null);
    }

    // ---- Ping --------------------------------------------------------------------------------

    @Override
    public PingRequest request() {
        return request;
    }

    /** The strategy of target {@code i}, once started (tests). */
    public @Nullable PingStrategy strategy(int i) {
        return targets[i].strategy;
    }

    /** The strategy's per-probe events, to the listener (dropped beyond the bound when it is slow). */
    private final class Events implements PingStrategy.Events {
        private final Target t;

        Events(Target t) {
            this.t = t;
        }

        @Override
        public void probeCompleted(PingProbe probe) {
            measurement.probeEvent(l -> l.probeCompleted(t.index, t.name, probe));
        }

        @Override
        public void duplicate(PingProbe probe) {
            measurement.probeEvent(l -> l.duplicate(t.index, t.name, probe));
        }

        @Override
        public void late(PingProbe probe) {
            measurement.probeEvent(l -> l.late(t.index, t.name, probe));
        }
    }

    @Override
    public String toString() {
        return measurement.describe("Measurement<PingRequest, PingResult>", request.toString());
    }
}
