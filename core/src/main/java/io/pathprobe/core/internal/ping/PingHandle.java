package io.pathprobe.core.internal.ping;

import io.pathprobe.EnrichMode;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.core.internal.lookup.PathLookups;
import io.pathprobe.Ping;
import io.pathprobe.PingError;
import io.pathprobe.PingKind;
import io.pathprobe.PingListener;
import io.pathprobe.PingProbe;
import io.pathprobe.PingRequest;
import io.pathprobe.PingResult;
import io.pathprobe.PingStatus;
import io.pathprobe.PingTargetResult;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.core.internal.runtime.Targets;
import io.pathprobe.core.internal.ping.app.AppProbeLoop;
import io.pathprobe.core.internal.ping.app.ApplicationProbe;
import io.pathprobe.core.internal.ping.app.DnsProbe;
import io.pathprobe.core.internal.ping.app.HttpProbe;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.runtime.ProbeRun;
import io.pathprobe.core.internal.runtime.Publication;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.SerialExecutor;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Ping} a user holds: one {@link ProbeRun} with a {@link PingStrategy} and its own session
 * per target, sharing one {@link PingPacer}; set-up (resolution, transport choice) per target off the
 * engine loop; per-target errors as data; the optional deadline; listener events on a serial view of
 * the tracer's executor, bounded; the futures. State changes run on the engine loop.
 */
public final class PingHandle implements Ping {
    private static final System.Logger LOG = System.getLogger(PingHandle.class.getName());

    private final TracerRuntime rt;
    private final PingRequest request;
    private final PingListener listener;
    private final @Nullable SerialExecutor events;
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();
    private final Consumer<PingHandle> onEnd;
    private final CompletableFuture<PingResult> done = new CompletableFuture<>();
    private final CompletableFuture<PingResult> published = new CompletableFuture<>();
    private final Instant createdAt = Instant.now();
    private final long createdTick;
    private volatile boolean resultRequested;

    // engine loop only (set-up threads hand over through onLoop)
    private final Target[] targets;
    private final PingPacer pacer;
    private int remaining;
    private volatile boolean stopping;
    private Scheduler.Timer deadline = Scheduler.NO_TIMER;

    /** One target: its run, and its result once ended. */
    private final class Target {
        final int index;
        final String name;
        final ProbeRun<PingTargetResult> run;
        volatile @Nullable InetAddress address;
        @Nullable PingTargetResult result;
        volatile @Nullable PingStrategy strategy;

        Target(int index, String name) {
            this.index = index;
            this.name = name;
            this.run = new ProbeRun<>(rt.scheduler(), rt.ticker(), rt.sends(), new ProbeRun.Completion<>() {
                @Override
                public void completed(PingTargetResult r) {
                    targetEnded(Target.this, r);
                }

                @Override
                public void failed(Throwable error) {
                    targetEnded(Target.this, errorResult(Target.this,
                            PingError.of(PingError.Type.FAILED, "failed: " + error)));
                }
            });
        }
    }

    private final java.util.function.Supplier<AppProbeLoop> appLoop;
    private final PathLookups lookups;
    /** All targets ended; the result waits for lookups (EnrichMode.AWAIT). Loop only. */
    private boolean awaitingLookups;
    private Scheduler.Timer awaitTimer = Scheduler.NO_TIMER;

    /**
     * @param appLoop the tracer's loop of application probes (DNS, HTTP), made on first use
     */
    public PingHandle(TracerRuntime rt, PingRequest request, Consumer<PingHandle> onEnd,
            java.util.function.Supplier<AppProbeLoop> appLoop) {
        this.rt = rt;
        this.appLoop = appLoop;
        this.request = request;
        this.listener = request.listener();
        this.events = listener == PingListener.NONE ? null : new SerialExecutor(rt.callbacks());
        this.onEnd = onEnd;
        this.createdTick = rt.ticker().read();
        this.pacer = new PingPacer(request.gap().toNanos());
        List<String> names = request.targets();
        this.targets = new Target[names.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = new Target(i, names.get(i));
        }
        this.remaining = targets.length;
        this.lookups = request.enrich() == EnrichMode.OFF || !rt.lookups().enabled() ? PathLookups.OFF
                : new PathLookups(rt.lookups(), rt.enrichment(), a -> {}, () -> {});
    }

    // ---- set-up ------------------------------------------------------------------------------

    /** Starts every target: literals with a known transport at once, the rest on the set-up pool. */
    public void launch() {
        if (!rt.scheduler().execute(this::armDeadline)) {
            forceEnd();
            return;
        }
        for (Target t : targets) {
            launch(t);
        }
    }

    private void launch(Target t) {
        InetAddress literal;
        try {
            literal = request.address(t.index).map(a -> Targets.checked(t.name, a))
                    .orElseGet(() -> Targets.literal(t.name));
            if (literal != null) {
                Targets.checkVersion(t.name, literal, request.ipVersion());
                t.address = literal;
                if (request.kind().application()) {
                    InetAddress dest = literal;
                    onLoop(t, () -> beginApplication(t, dest));
                    return;
                }
                TransportRegistry.Choice choice = choose(literal, TransportRegistry.Mode.CACHED);
                if (choice != null) {
                    InetAddress dest = literal;
                    onLoop(t, () -> begin(t, dest, choice));
                    return;
                }
            }
        } catch (RuntimeException e) {
            onLoop(t, () -> setupFailed(t, e));
            return;
        }
        try {
            rt.setup().execute(() -> {
                try {
                    if (done.isDone()) {
                        return;
                    }
                    InetAddress dest = literal != null ? literal
                            : Targets.resolve(t.name, rt.resolver(), request.ipVersion());
                    t.address = dest;
                    if (request.kind().application()) {
                        onLoop(t, () -> beginApplication(t, dest));
                        return;
                    }
                    TransportRegistry.Choice choice = choose(dest, TransportRegistry.Mode.OPEN);
                    onLoop(t, () -> begin(t, dest, choice));
                } catch (RuntimeException | LinkageError e) {
                    onLoop(t, () -> setupFailed(t, e));
                }
            });
        } catch (RejectedExecutionException e) {
            onLoop(t, () -> setupFailed(t, new IllegalStateException("tracer is closed")));
        }
    }

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
                FlowPolicy.FIXED, false, mode);
    }

    private void onLoop(Target t, Runnable action) {
        if (!rt.scheduler().execute(() -> {
            try {
                action.run();
            } catch (RuntimeException | LinkageError e) {
                setupFailed(t, e); // e.g. openSession failed: this target only
            }
        })) {
            forceEnd(); // the engine has stopped: the tracer was closed
        }
    }

    private void armDeadline() {
        if (done.isDone() || request.deadline().isEmpty()) {
            return;
        }
        long left = WaitPolicy.nanos(request.deadline().get()) - (rt.ticker().read() - createdTick);
        deadline = rt.scheduler().schedule(() -> stop(PingStatus.DEADLINE_EXCEEDED), Math.max(0, left));
    }

    /** On the loop: the target resolved and a transport was chosen. */
    private void begin(Target t, InetAddress dest, TransportRegistry.Choice choice) {
        if (done.isDone() || t.result != null) {
            return;
        }
        t.address = dest;
        lookups.seen(dest); // hands over: the host name and AS, while the probes run
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        PingKind kind = kindOf(choice.protocol());
        int port = kind == PingKind.ICMP ? SessionSpec.DEFAULT_PORT : request.port(kind);
        ProbeSession session = transport.openSession(new SessionSpec(choice.protocol(), dest, port,
                choice.flowPolicy(), 0, payloadSize(kind, transport)), t.run.listener());
        long now = rt.ticker().read();
        PingStrategy.Setup setup = new PingStrategy.Setup(t.index, t.name, dest, kind, choice.name(), choice.note(),
                request.ttl(), request.count(), request.interval().toNanos(), request.timeout().toNanos(),
                request.recentProbes(), createdTick);
        PingStrategy s = new PingStrategy(setup, pacer, session.maxSequence(), session.maxInFlight(), now,
                events == null ? null : new Events(t), () -> rt.sends().isQueued(t.run));
        t.strategy = s;
        event(false, l -> l.targetStarted(t.index, t.name, dest, kind, choice.name()));
        t.run.start(session, s);
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
        if (done.isDone() || t.result != null) {
            return;
        }
        t.address = dest;
        lookups.seen(dest);
        PingKind kind = request.kind();
        int port = request.port(kind);
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
                    type, request.timeout()));
            transport = "dns-udp";
        } else {
            String host = request.address(t.index).isPresent() || Targets.literal(t.name) != null
                    ? (dest instanceof Inet6Address ? "[" + io.pathprobe.AddressText.of(dest) + "]" : dest.getHostAddress())
                    : t.name;
            java.net.URI url = java.net.URI.create((request.https() ? "https" : "http") + "://" + host + ":" + port
                    + request.httpPath());
            probe = new HttpProbe(appLoop.get(), new HttpProbe.Config(url, dest, request.timeout(), null));
            transport = request.https() ? "https" : "http";
        }
        AppProbeSession session = new AppProbeSession(probe, dest, kind == PingKind.HTTP, t.run.listener());
        long now = rt.ticker().read();
        PingStrategy.Setup setup = new PingStrategy.Setup(t.index, t.name, dest, kind, transport, Optional.empty(),
                request.ttl(), request.count(), request.interval().toNanos(), request.timeout().toNanos(),
                request.recentProbes(), createdTick);
        PingStrategy s = new PingStrategy(setup, pacer, session.maxSequence(), session.maxInFlight(), now,
                events == null ? null : new Events(t), () -> rt.sends().isQueued(t.run));
        t.strategy = s;
        event(false, l -> l.targetStarted(t.index, t.name, dest, kind, transport));
        t.run.start(session, s);
    }

    private void setupFailed(Target t, Throwable e) {
        if (done.isDone() || t.result != null) {
            return;
        }
        t.run.abandon();
        PingError error;
        if (e instanceof UnknownTargetException u) {
            error = PingError.of(PingError.Type.UNKNOWN_TARGET, u.getMessage() == null ? "unknown target" : u.getMessage());
        } else if (e instanceof NoTransportAvailableException n) {
            error = PingError.of(PingError.Type.NO_TRANSPORT, String.valueOf(n.getMessage()));
        } else {
            error = PingError.of(PingError.Type.FAILED, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
            if (!(e instanceof UnsupportedOperationException) && !(e instanceof IllegalArgumentException)) {
                LOG.log(Level.WARNING, "ping of " + t.name + " failed to start", e);
            }
        }
        targetEnded(t, errorResult(t, error));
    }

    private PingTargetResult errorResult(Target t, PingError error) {
        PingStrategy s = t.strategy;
        if (s != null) {
            PingTargetResult r = s.snapshot(rt.ticker().read());
            return new PingTargetResult(r.index(), r.target(), r.address(), r.kind(), r.transport(), r.kindNote(),
                    Optional.of(error), r.statistics(), r.recent());
        }
        return new PingTargetResult(t.index, t.name, Optional.ofNullable(t.address), request.kind(), "",
                Optional.empty(), Optional.of(error), io.pathprobe.PingStatistics.EMPTY, List.of());
    }

    private PingTargetResult notStarted(Target t) {
        return new PingTargetResult(t.index, t.name, Optional.ofNullable(t.address), request.kind(), "",
                Optional.empty(), Optional.empty(), io.pathprobe.PingStatistics.EMPTY, List.of());
    }

    // ---- ending ------------------------------------------------------------------------------

    private void targetEnded(Target t, PingTargetResult r) {
        if (t.result != null) {
            return;
        }
        t.result = r;
        event(false, l -> l.targetCompleted(r));
        if (--remaining == 0 && !stopping && !done.isDone()) {
            complete(PingStatus.COMPLETED);
        }
    }

    /** On the loop: stops the ping with {@code status} (CANCELLED or DEADLINE_EXCEEDED). */
    public void stop(PingStatus status) {
        if (done.isDone()) {
            return;
        }
        Stop reason = status == PingStatus.DEADLINE_EXCEEDED ? Stop.DEADLINE : Stop.CANCELLED;
        stopping = true;
        for (Target t : targets) {
            if (t.result != null) {
                continue;
            }
            if (t.run.started()) {
                t.run.stop(reason); // completes the target through its run
            } else {
                t.run.abandon();
                targetEnded(t, notStarted(t));
            }
        }
        complete(status);
    }

    /** Ends the ping from outside the loop once the loop has stopped (tracer closed). */
    public void forceEnd() {
        if (done.isDone()) {
            return;
        }
        synchronized (this) {
            stopping = true;
            for (Target t : targets) {
                if (t.result == null && t.run.started() && !t.run.finished()) {
                    t.run.stop(Stop.CANCELLED);
                } else if (t.result == null) {
                    t.run.abandon();
                    t.result = notStarted(t);
                }
            }
            complete(PingStatus.CANCELLED);
        }
    }

    private PingResult resultNow(PingStatus status) {
        List<PingTargetResult> out = new ArrayList<>(targets.length);
        for (Target t : targets) {
            PingTargetResult r = t.result;
            if (r == null) {
                r = t.run.started() && !t.run.finished() ? t.run.snapshot() : notStarted(t);
            }
            out.add(enriched(r));
        }
        return new PingResult(out, status, createdAt, Duration.ofNanos(rt.ticker().read() - createdTick));
    }

    private PingTargetResult enriched(PingTargetResult r) {
        if (!lookups.on() || r.address().isEmpty()) {
            return r;
        }
        InetAddress a = r.address().get();
        return r.withLookups(lookups.hostname(a), lookups.asn(a));
    }

    private void complete(PingStatus status) {
        if (done.isDone()) {
            return;
        }
        if (awaitingLookups) {
            awaitTimer.cancel();
            status = PingStatus.COMPLETED; // every target had ended; stopped while waiting for lookups
        } else if (status == PingStatus.COMPLETED && request.enrich() == EnrichMode.AWAIT && lookups.on()
                && rt.scheduler().inLoop() && !lookups.allSettled()) {
            awaitingLookups = true;
            awaitTimer = rt.scheduler().schedule(() -> complete(PingStatus.COMPLETED),
                    WaitPolicy.nanos(rt.lookups().awaitLimit()));
            lookups.allDone().whenComplete((v, e) -> {
                if (!rt.scheduler().execute(() -> complete(PingStatus.COMPLETED))) {
                    forceEnd();
                }
            });
            return;
        }
        PingResult result = resultNow(status);
        if (!done.complete(result)) {
            return;
        }
        deadline.cancel();
        onEnd.accept(this);
        long dropped = droppedEvents.get();
        if (dropped > 0) {
            LOG.log(Level.WARNING, "a slow PingListener missed " + dropped + " probe events of this ping");
        }
        event(false, l -> l.pingCompleted(result));
        publish();
    }

    private void publish() {
        if (!resultRequested || published.isDone()) {
            return;
        }
        Publication.publish(done, published, events, rt.callbacks());
    }

    // ---- Ping --------------------------------------------------------------------------------

    @Override
    public PingRequest request() {
        return request;
    }

    @Override
    public CompletableFuture<PingResult> result() {
        if (!resultRequested) {
            resultRequested = true;
            if (done.isDone()) {
                publish();
            }
        }
        return Publication.callersFuture(published, done, this::cancel);
    }

    @Override
    public void cancel() {
        rt.scheduler().execute(() -> stop(PingStatus.CANCELLED));
    }

    @Override
    public PingResult snapshot() {
        if (done.isDone()) {
            return done.join();
        }
        if (rt.scheduler().inLoop()) {
            return resultNow(PingStatus.RUNNING);
        }
        CompletableFuture<PingResult> snap = new CompletableFuture<>();
        if (rt.scheduler().execute(() -> {
            try {
                snap.complete(done.isDone() ? done.join() : resultNow(PingStatus.RUNNING));
            } catch (RuntimeException e) {
                snap.completeExceptionally(e);
            }
        })) {
            try {
                CompletableFuture.anyOf(snap, done).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // below
            }
        }
        if (done.isDone()) {
            return done.join();
        }
        PingResult s = snap.getNow(null);
        if (s != null) {
            return s;
        }
        List<PingTargetResult> none = new ArrayList<>();
        for (Target t : targets) {
            none.add(notStarted(t));
        }
        return new PingResult(none, PingStatus.RUNNING, createdAt, Duration.ZERO);
    }

    /** Blocks until the engine ends the ping (never waits for the executor); on interrupt, cancels and returns the partial result. */
    public PingResult await() {
        return Publication.awaitCancellingOnInterrupt(done, this::cancel,
                c -> c instanceof RuntimeException re ? re : new IllegalStateException(c));
    }

    /** Whether the engine has ended the ping. */
    public boolean ended() {
        return done.isDone();
    }

    /** The strategy of target {@code i}, once started (tests). */
    public @Nullable PingStrategy strategy(int i) {
        return targets[i].strategy;
    }

    // ---- listener events ---------------------------------------------------------------------

    /** Queues an event for the listener; per-probe events beyond the bound are dropped and counted. */
    private void event(boolean droppable, Consumer<PingListener> e) {
        SerialExecutor ex = events;
        if (ex == null) {
            return;
        }
        if (droppable && queuedEvents.get() >= PingListener.MAX_QUEUED_EVENTS) {
            droppedEvents.incrementAndGet();
            return;
        }
        queuedEvents.incrementAndGet();
        ex.execute(() -> {
            queuedEvents.decrementAndGet();
            try {
                e.accept(listener);
            } catch (RuntimeException | StackOverflowError t) {
                if (listenerFailureLogged.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "a PingListener threw (ignored; logged once per ping)", t);
                }
            }
        });
    }

    private final class Events implements PingStrategy.Events {
        private final Target t;

        Events(Target t) {
            this.t = t;
        }

        @Override
        public void probeCompleted(PingProbe probe) {
            event(true, l -> l.probeCompleted(t.index, t.name, probe));
        }

        @Override
        public void duplicate(PingProbe probe) {
            event(true, l -> l.duplicate(t.index, t.name, probe));
        }

        @Override
        public void late(PingProbe probe) {
            event(true, l -> l.late(t.index, t.name, probe));
        }
    }

    @Override
    public String toString() {
        return "Ping{" + request + ", " + (done.isDone() ? "ended" : "running") + "}";
    }
}
