package io.pathprobe.core.internal.bufferbloat;

import io.pathprobe.core.internal.io.NettyLoops;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.pathprobe.BufferbloatGrade;
import io.pathprobe.BufferbloatListener;
import io.pathprobe.BufferbloatPhase;
import io.pathprobe.BufferbloatRequest;
import io.pathprobe.BufferbloatResult;
import io.pathprobe.BufferbloatStatus;
import io.pathprobe.BufferbloatTest;
import io.pathprobe.DirectionResult;
import io.pathprobe.EnrichMode;
import io.pathprobe.HostResolver;
import io.pathprobe.LatencySample;
import io.pathprobe.LoadDirection;
import io.pathprobe.MeasurementConfidence;
import io.pathprobe.Ping;
import io.pathprobe.PingListener;
import io.pathprobe.PingProbe;
import io.pathprobe.PingRequest;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.ResponsivenessServerException.Reason;
import io.pathprobe.RpmCategory;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.core.internal.runtime.Publication;
import io.pathprobe.core.internal.runtime.SerialExecutor;
import io.pathprobe.core.internal.runtime.Ticker;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * A running bufferbloat test. One controller thread ({@code pathprobe-bufferbloat-N}) runs the
 * phases: fetch the configuration, idle (ping + foreign probes), then each load phase (add load
 * connections on the Netty load loops, measure goodput per interval, probe), and builds the
 * result. Pings run on the tracer's engine through {@link Tracing#startPing}; foreign probes on the
 * probe loop; listener events on a serial view of the tracer's executor.
 *
 * <p>Ramp: one connection at first (draft INP); after each interval, while the throughput is not
 * stable, the connections double if the goodput grew by at least 10 % over the previous interval
 * (a fast start that fits a 20 s test), else one is added (draft INC), up to maxConnections; once
 * the throughput is stable no more are added, and the phase ends early when the responsiveness is
 * stable too.
 *
 * <p>Status: COMPLETE when every planned phase ran at least MAD intervals (stable or not: the
 * confidences say); TIME_LIMIT when the time limit left a planned phase out or shorter than MAD
 * intervals; CANCELLED; LOAD_FAILED when a load connection failed (draft-09: abort).
 */
public final class BufferbloatHandle implements BufferbloatTest {
    private static final System.Logger LOG = System.getLogger(BufferbloatHandle.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Time between two pings of one target. */
    static final Duration PING_INTERVAL = Duration.ofMillis(100);
    /** Samples of the delivery curve per interval (every 50 ms at draft-09's 1 s): {@link DeliveryCurve}. */
    static final int CURVE_SAMPLES_PER_INTERVAL = 20;
    /** Foreign probes per second in the idle phase (capacity is not known yet). */
    static final double IDLE_PROBE_RATE = 10;
    /** Foreign probes outstanding at once, at most (Apple: 25). */
    static final int MAX_FOREIGN_OUTSTANDING = 25;
    /** Kept free at the end of the time limit to close everything: a tenth of it, 300 ms to 1 s. */
    private final long teardownNanos;

    /** What the handle needs of the tracer: its pings, traces, resolver, loops and executor. */
    public interface Tracing {
        Ping startPing(PingRequest request);

        CompletableFuture<TraceResult> traceAsync(TraceRequest request);

        HostResolver resolver();

        NettyLoops loops();

        Executor callbacks();
    }

    private final Tracing tracing;
    private final BufferbloatRequest request;
    private final Consumer<BufferbloatHandle> onEnd;
    private final BufferbloatListener listener;
    private final SerialExecutor events;
    private final CompletableFuture<BufferbloatResult> done = new CompletableFuture<>();
    private final CompletableFuture<BufferbloatResult> published = new CompletableFuture<>();
    private final Ticker ticker;
    private final Waiter waiter;
    private final long t0;
    private final Instant startedAt = Instant.now();
    private final long deadline;
    private final Object lock = new Object();
    private final Thread controller;

    // state shared with the loops and the executor: guarded by lock
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<DirectionResult> directions = new ArrayList<>();
    private final List<NqConnection> load = new ArrayList<>();
    private final List<Ping> pings = new ArrayList<>();
    private BufferbloatPhase phase = BufferbloatPhase.IDLE;
    private boolean cancelled;
    private @Nullable String loadFailure;
    private URI server;
    private double probeRate = IDLE_PROBE_RATE;
    private boolean measuring;
    private int foreignOutstanding;
    /**
     * Every connection the test opens, from its first moment (foreign probes still connecting or in
     * their TLS handshake behind a deep queue take seconds): closed when the test ends, and any opened
     * after that closed at once.
     */
    private final io.netty.channel.group.ChannelGroup channels = new io.netty.channel.group.DefaultChannelGroup(
            "pathprobe-bufferbloat", io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE, true);
    private final int maxSamples;
    private boolean samplesCapped;
    private double lastPingMs = Double.NaN;
    private @Nullable Duration idle;
    private boolean tls;
    private boolean selfProbes = true;
    private boolean timeCut;

    // fixed after set-up (controller thread, then read by the loops)
    private volatile NqConnection.@Nullable Endpoint endpoint;
    private volatile @Nullable SslContext ssl;
    private volatile @Nullable NqConfig config;

    /** One sample with its absolute time (nanos from the start). */
    private record Sample(long at, BufferbloatPhase phase, LatencySample.Kind kind, double ms) {
        LatencySample api() {
            return new LatencySample(Duration.ofNanos(at), phase, kind, Draft09.millis(ms));
        }
    }

    /**
     * How the controller waits for a time: on the lock it holds, so that a cancel or a load failure
     * ({@code notifyAll}) wakes it early. {@link #SYSTEM} waits on the system clock; a test's waiter
     * moves its fake {@link Ticker} instead.
     */
    @FunctionalInterface
    interface Waiter {
        /** {@link TimeUnit#timedWait} in nanoseconds. */
        Waiter SYSTEM = TimeUnit.NANOSECONDS::timedWait;

        /** Waits on {@code lock} (held by the caller) for at most {@code nanos}, or until it is notified. */
        void timedWait(Object lock, long nanos) throws InterruptedException;
    }

    public BufferbloatHandle(Tracing tracing, BufferbloatRequest request, Consumer<BufferbloatHandle> onEnd) {
        this(tracing, request, onEnd, Ticker.SYSTEM, Waiter.SYSTEM);
    }

    /** With the clock and the controller's waits injected: {@link Ticker#SYSTEM} and {@link Waiter#SYSTEM} in production. */
    BufferbloatHandle(Tracing tracing, BufferbloatRequest request, Consumer<BufferbloatHandle> onEnd, Ticker ticker,
            Waiter waiter) {
        this.ticker = ticker;
        this.waiter = waiter;
        this.t0 = ticker.read();
        this.tracing = tracing;
        this.request = request;
        this.onEnd = onEnd;
        this.listener = request.listener();
        this.events = new SerialExecutor(tracing.callbacks());
        this.deadline = t0 + request.timeLimit().toNanos();
        this.teardownNanos = Math.max(300_000_000L, Math.min(1_000_000_000L, request.timeLimit().toNanos() / 10));
        this.server = request.url();
        // ping of two targets + two probe kinds per probe slot, for the whole test
        long perSecond = 2L * (1000 / PING_INTERVAL.toMillis()) + 3L * request.probesPerSecond() + 1;
        this.maxSamples = (int) Math.min(2_000_000, perSecond * Math.max(1, request.timeLimit().toSeconds() + 1));
        this.controller = new Thread(this::run, "pathprobe-bufferbloat-" + THREADS.incrementAndGet());
        this.controller.setDaemon(true);
    }

    /** Starts the controller. */
    public void launch() {
        controller.start();
    }

    // ------------------------------------------------------------------ controller

    private void run() {
        BufferbloatResult result;
        try {
            setUp();
            startPings();
            idlePhase();
            List<BufferbloatPhase> plan = switch (request.direction()) {
                case DOWNLOAD -> List.of(BufferbloatPhase.DOWNLOAD);
                case UPLOAD -> List.of(BufferbloatPhase.UPLOAD);
                case SEQUENTIAL -> List.of(BufferbloatPhase.DOWNLOAD, BufferbloatPhase.UPLOAD);
                case CONCURRENT -> List.of(BufferbloatPhase.CONCURRENT);
            };
            for (int i = 0; i < plan.size(); i++) {
                if (stopped()) {
                    break;
                }
                long now = ticker.read();
                long left = deadline - teardownNanos - now;
                long share = left / (plan.size() - i);
                if (share < request.interval().toNanos() * Draft09.MAD) {
                    synchronized (lock) {
                        timeCut = true;
                    }
                    if (share < request.interval().toNanos()) {
                        break;
                    }
                }
                loadPhase(plan.get(i), now + share);
            }
            result = finish();
        } catch (ResponsivenessServerException e) {
            cleanUp();
            fail(e);
            return;
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "bufferbloat test failed", e);
            cleanUp();
            fail(e);
            return;
        }
        complete(result);
    }

    private boolean stopped() {
        synchronized (lock) {
            return cancelled || loadFailure != null;
        }
    }

    /** Fetches the configuration and makes the endpoint; throws ResponsivenessServerException. */
    private void setUp() throws ResponsivenessServerException {
        URI url = request.url();
        boolean explicit = url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/");
        List<URI> tries = explicit ? List.of(url) : List.of(url.resolve("/.well-known/nq"), url.resolve("/config"));
        ResponsivenessServerException last = null;
        for (URI u : tries) {
            server = u;
            try {
                NqConnection.Body body = fetchOnce(endpointFor(u, Optional.empty()), NqConfig.pathOf(u));
                NqConfig c = NqConfig.parse(body.text(), u);
                config = c;
                endpoint = endpointFor(c.large(), c.testEndpoint());
                tls = endpoint.tls();
                return;
            } catch (NqConfig.BadConfig e) {
                throw new ResponsivenessServerException(Reason.BAD_CONFIGURATION, u, "bad configuration at " + u + ": "
                        + e.getMessage(), e);
            } catch (ResponsivenessServerException e) {
                last = e;
                if (!(e.getCause() instanceof NqConnection.HttpStatusException hs && hs.status() == 404)) {
                    throw e;
                }
            }
        }
        throw java.util.Objects.requireNonNull(last);
    }

    private NqConnection.Endpoint endpointFor(URI u, Optional<String> testEndpoint) throws ResponsivenessServerException {
        boolean https = "https".equalsIgnoreCase(u.getScheme());
        if (https && ssl == null) {
            ssl = Tls.clientContext(request.insecure());
        }
        String host = testEndpoint.orElse(u.getHost());
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress a;
        try {
            a = tracing.resolver().resolve(host).get(0);
        } catch (UnknownHostException | IndexOutOfBoundsException e) {
            throw new ResponsivenessServerException(Reason.UNREACHABLE, u, "unknown host " + host, e);
        }
        return new NqConnection.Endpoint(u, new InetSocketAddress(a, NqConfig.port(u)), https);
    }

    private int connectTimeoutMillis() {
        long left = (deadline - ticker.read()) / 1_000_000;
        return (int) Math.max(100, Math.min(3000, left / 2));
    }

    private NqConnection.Body fetchOnce(NqConnection.Endpoint ep, String path) throws ResponsivenessServerException {
        NqConnection c = null;
        try {
            c = NqConnection.open(tracing.loops().probes(), tracing.loops().channelClass(), ep, ssl,
                    connectTimeoutMillis(), channels, ticker).get(connectTimeoutMillis() + 1000L, TimeUnit.MILLISECONDS);
            return c.fetch(path).get(Math.max(500, (deadline - ticker.read()) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw classify(ep.origin(), e.getCause());
        } catch (TimeoutException e) {
            throw new ResponsivenessServerException(Reason.UNREACHABLE, ep.origin(), "no answer from " + ep.address(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResponsivenessServerException(Reason.UNREACHABLE, ep.origin(), "interrupted", e);
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Maps a connection or request failure to the reason the server cannot be used. */
    static ResponsivenessServerException classify(URI u, @Nullable Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String m = e == null ? "unknown error" : e.getMessage() == null ? e.toString() : e.getMessage();
        Reason r = Reason.UNREACHABLE;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NotSslRecordException
                    || (c instanceof SSLException && String.valueOf(c.getMessage()).contains("not an SSL/TLS record"))
                    || (c instanceof java.nio.channels.ClosedChannelException && "https".equalsIgnoreCase(u.getScheme()))) {
                r = Reason.NOT_TLS;
                m = "the server at " + u.getHost() + ":" + NqConfig.port(u) + " does not speak TLS (" + m + ")";
                break;
            }
            if (c instanceof CertificateException || c instanceof java.security.cert.CertPathValidatorException
                    || (c instanceof SSLHandshakeException && String.valueOf(c.getMessage()).matches(
                            "(?s).*(PKIX|certificate|No subject alternative|No name matching).*"))) {
                r = Reason.CERTIFICATE_REJECTED;
                m = "the server's certificate was rejected (" + m + "); for a self-signed server you control, use --insecure";
                break;
            }
            if (c instanceof NqConnection.HttpStatusException) {
                r = Reason.BAD_CONFIGURATION;
                m = "no configuration at " + u + " (" + m + ")";
                break;
            }
            if (c instanceof ConnectException && String.valueOf(c.getMessage()).toLowerCase().contains("refused")) {
                r = Reason.REFUSED;
                m = "connection refused by " + u.getHost() + ":" + NqConfig.port(u);
                break;
            }
        }
        if (r == Reason.UNREACHABLE && e != null) {
            m = "cannot reach " + u.getHost() + ":" + NqConfig.port(u) + " (" + detail(e) + ")";
        }
        return new ResponsivenessServerException(r, u, m, e);
    }

    /**
     * A failure's words for a message: its message without the "null: " that Netty's annotated
     * connect exceptions put before the address when the OS gave no text, else its class name.
     */
    static String detail(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.startsWith("null: ") ? e.getClass().getSimpleName() + ": " + m.substring(6) : m;
        return m;
    }

    private void startPings() {
        NqConnection.Endpoint ep = java.util.Objects.requireNonNull(endpoint);
        InetAddress target = ep.address().getAddress();
        startPing(target, LatencySample.Kind.PING);
        if (request.pingFirstHop()) {
            TraceRequest tr = TraceRequest.builder(target).maxHops(1).probesPerHop(1).probeTimeout(Duration.ofMillis(500))
                    .enrich(EnrichMode.OFF).build();
            tracing.traceAsync(tr).whenComplete((r, e) -> {
                if (e != null || r == null || r.hops().isEmpty()) {
                    note("first hop not found: no first-hop ping");
                    return;
                }
                Optional<InetAddress> hop = r.hops().get(0).address();
                if (hop.isEmpty()) {
                    note("the first hop did not answer: no first-hop ping");
                } else if (hop.get().equals(target)) {
                    note("the server is the first hop: no separate first-hop ping");
                } else if (!stopped()) {
                    startPing(hop.get(), LatencySample.Kind.PING_FIRST_HOP);
                }
            });
        }
    }

    private void startPing(InetAddress target, LatencySample.Kind kind) {
        long base = ticker.read() - t0;
        PingRequest pr = PingRequest.builder().target(target).untilCancelled().interval(PING_INTERVAL)
                .timeout(Duration.ofSeconds(2)).enrich(EnrichMode.OFF).recentProbes(1)
                .listener(new PingListener() {
                    @Override
                    public void probeCompleted(int index, String t, PingProbe probe) {
                        if (probe.received() && probe.rtt().isPresent()) {
                            long at = base + probe.sentAt().toNanos();
                            double ms = probe.rtt().get().toNanos() / 1e6;
                            if (kind == LatencySample.Kind.PING) {
                                synchronized (lock) {
                                    lastPingMs = ms;
                                }
                            }
                            addSample(at, kind, ms);
                        }
                    }
                }).build();
        try {
            Ping p = tracing.startPing(pr);
            synchronized (lock) {
                if (cancelled || phase == BufferbloatPhase.DONE) {
                    p.cancel();
                    return;
                }
                pings.add(p);
            }
            p.result().whenComplete((r, e) -> {
                if (e == null && r != null && !r.targets().isEmpty() && r.targets().get(0).error().isPresent()) {
                    note(kind + " failed: " + r.targets().get(0).error().get().message());
                }
            });
        } catch (RuntimeException e) {
            note((kind == LatencySample.Kind.PING ? "ping" : "first-hop ping") + " unavailable: " + e.getMessage());
        }
    }

    private void addSample(long at, LatencySample.Kind kind, double ms) {
        Sample s;
        synchronized (lock) {
            if (samples.size() >= maxSamples) {
                samplesCapped = true;
                return;
            }
            s = new Sample(at, phaseAt(at), kind, ms);
            samples.add(s);
        }
        LatencySample api = s.api();
        events.execute(() -> safely(() -> listener.sample(api)));
    }

    private final List<long[]> timeline = new ArrayList<>(); // {start nanos, phase ordinal}

    private BufferbloatPhase phaseAt(long at) {
        BufferbloatPhase p = BufferbloatPhase.IDLE;
        for (long[] t : timeline) {
            if (t[0] <= at) {
                p = BufferbloatPhase.values()[(int) t[1]];
            }
        }
        return p;
    }

    private void enterPhase(BufferbloatPhase p) {
        synchronized (lock) {
            phase = p;
            timeline.add(new long[] {ticker.read() - t0, p.ordinal()});
        }
        events.execute(() -> safely(() -> listener.phaseStarted(p)));
    }

    private void idlePhase() throws InterruptedException {
        enterPhase(BufferbloatPhase.IDLE);
        long total = request.timeLimit().toNanos();
        long idleNanos = Math.max(1_000_000_000L, Math.min(2_000_000_000L, total / 10));
        long end = ticker.read() + idleNanos;
        synchronized (lock) {
            probeRate = Math.min(request.probesPerSecond(), IDLE_PROBE_RATE);
        }
        scheduleProbe();
        long interval = request.interval().toNanos();
        while (!stopped() && ticker.read() < end) {
            sleepUntil(Math.min(end, ticker.read() + interval));
            progress(0, 0);
        }
        synchronized (lock) {
            List<Double> ping = values(BufferbloatPhase.IDLE, LatencySample.Kind.PING, 0);
            if (!ping.isEmpty()) {
                idle = Draft09.millis(Draft09.median(ping));
            } else {
                List<Double> tcp = values(BufferbloatPhase.IDLE, LatencySample.Kind.TCP_FOREIGN, 0);
                if (!tcp.isEmpty()) {
                    idle = Draft09.millis(Draft09.median(tcp));
                    notes.add("no ping answers: latencies are TCP connect times of the foreign probes");
                }
            }
        }
    }

    private void sleepUntil(long until) throws InterruptedException {
        synchronized (lock) {
            while (!cancelled && loadFailure == null) {
                long wait = until - ticker.read();
                if (wait <= 0) {
                    return;
                }
                waiter.timedWait(lock, wait);
            }
        }
    }

    // ------------------------------------------------------------------ probes

    /** Schedules the next probe pair on the probe loop at the current rate. */
    private void scheduleProbe() {
        double rate;
        synchronized (lock) {
            if (cancelled || loadFailure != null || phase == BufferbloatPhase.DONE) {
                return;
            }
            rate = probeRate;
        }
        long delay = (long) (1e9 / rate);
        try {
            tracing.loops().probes().schedule(() -> {
                probePair();
                scheduleProbe();
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            // loops closed: the tracer is closing
        }
    }

    private void probePair() {
        NqConnection.Endpoint ep = endpoint;
        NqConfig c = config;
        if (ep == null || c == null) {
            return;
        }
        String small = NqConfig.pathOf(c.small());
        synchronized (lock) {
            if (foreignOutstanding >= MAX_FOREIGN_OUTSTANDING) {
                return;
            }
            foreignOutstanding++;
        }
        long start = ticker.read() - t0;
        NqConnection.open(tracing.loops().probes(), tracing.loops().channelClass(), ep, ssl, 3000, channels, ticker)
                .thenCompose(conn -> {
                    addSample(start, LatencySample.Kind.TCP_FOREIGN, conn.connectNanos() / 1e6);
                    if (conn.tlsProtocol() != null) {
                        addSample(start, LatencySample.Kind.TLS_FOREIGN,
                                conn.tlsNanos() / 1e6 / Draft09.tlsRoundTrips(conn.tlsProtocol()));
                    }
                    return conn.fetch(small).whenComplete((b, e) -> conn.close());
                })
                .whenComplete((b, e) -> {
                    synchronized (lock) {
                        foreignOutstanding--;
                    }
                    if (b != null) {
                        addSample(start, LatencySample.Kind.HTTP_FOREIGN, b.nanos() / 1e6);
                    }
                });
        // self probe: on a uniformly random loaded HTTP/2 connection
        NqConnection self = null;
        synchronized (lock) {
            List<NqConnection> open = load.stream().filter(x -> x.h2() && x.isOpen()).toList();
            if (!open.isEmpty()) {
                self = open.get(ThreadLocalRandom.current().nextInt(open.size()));
            }
        }
        if (self != null) {
            self.fetch(small).whenComplete((b, e) -> {
                if (b != null) {
                    addSample(start, LatencySample.Kind.HTTP_SELF, b.nanos() / 1e6);
                }
            });
        }
    }

    // ------------------------------------------------------------------ load

    private void loadPhase(BufferbloatPhase p, long end) throws InterruptedException {
        enterPhase(p);
        NqConfig c = java.util.Objects.requireNonNull(config);
        boolean down = p != BufferbloatPhase.UPLOAD;
        boolean up = p != BufferbloatPhase.DOWNLOAD;
        LongAdder dl = new LongAdder();
        LongAdder ul = new LongAdder();
        AtomicInteger flows = new AtomicInteger();
        int perDirection = 1; // INP
        addLoad(c, down, up, dl, ul, flows, perDirection);
        long intervalNanos = request.interval().toNanos();
        List<Double> goodput = new ArrayList<>();
        List<Double> responsiveness = new ArrayList<>();
        long phaseStart = ticker.read();
        long last = phaseStart;
        long lastBytes = 0;
        DeliveryCurve curve = new DeliveryCurve(phaseStart, Math.max(1, intervalNanos / CURVE_SAMPLES_PER_INTERVAL));
        boolean tputStable = false;
        boolean rpmStable = false;
        int targetPerDirection = 1;
        while (!stopped()) {
            long next = last + intervalNanos;
            if (next > end) {
                break;
            }
            // the delivery curve between interval ends, for the phase's goodput (DeliveryCurve)
            for (long t = ticker.read(); t < next && !stopped(); t = ticker.read()) {
                if (curve.due(t)) {
                    curve.add(t, counted(dl, ul, up));
                }
                sleepUntil(Math.min(next, t + curve.period()));
            }
            if (stopped()) {
                break;
            }
            long now = ticker.read();
            long bytes = counted(dl, ul, up);
            curve.add(now, bytes);
            double g = (bytes - lastBytes) * 8e9 / (now - last);
            long from = last - t0;
            lastBytes = bytes;
            last = now;
            double prev = goodput.isEmpty() ? 0 : goodput.get(goodput.size() - 1);
            goodput.add(g);
            // responsiveness of this interval: self probes if any, else foreign GETs
            synchronized (lock) {
                List<Double> self = valuesBetween(p, LatencySample.Kind.HTTP_SELF, from, now - t0);
                List<Double> foreign = valuesBetween(p, LatencySample.Kind.HTTP_FOREIGN, from, now - t0);
                List<Double> use = self.isEmpty() ? foreign : self;
                if (!use.isEmpty()) {
                    responsiveness.add(Draft09.trimmedMean(use));
                }
                probeRate = Draft09.probeRate(request.probesPerSecond(), g, selfProbes);
            }
            tputStable = tputStable || Draft09.stable(goodput);
            rpmStable = Draft09.stable(responsiveness);
            if (!tputStable) {
                int max = request.maxConnections();
                int want = g >= prev * 1.10 && prev > 0 ? Math.min(max, targetPerDirection * 2)
                        : Math.min(max, targetPerDirection + 1);
                if (want > targetPerDirection) {
                    addLoad(c, down, up, dl, ul, flows, want - targetPerDirection);
                    targetPerDirection = want;
                    curve.settled(now); // the next interval is the first with these connections
                }
            } else if (rpmStable) {
                break; // draft-09: both stable, the phase is done
            }
            progress(g, flows.get());
        }
        if (goodput.size() < Draft09.MAD && !stopped()) {
            synchronized (lock) {
                timeCut = true;
            }
        }
        closeLoad();
        long phaseEnd = ticker.read() - t0;
        directions.add(direction(p, goodput, curve.goodput(intervalNanos * Draft09.MAD, intervalNanos * 2), responsiveness,
                tputStable, rpmStable, flows.get(), phaseStart - t0, phaseEnd));
    }

    /** Bytes the phase's load moved: an upload's bytes written less what TCP_INFO says is still unacknowledged (epoll only). */
    private long counted(LongAdder dl, LongAdder ul, boolean up) {
        return dl.sum() + ul.sum() - (up ? unackedUploadBytes() : 0);
    }

    private long unackedUploadBytes() {
        List<NqConnection> all;
        synchronized (lock) {
            all = List.copyOf(load);
        }
        long sum = 0;
        for (NqConnection c : all) {
            if (c.uploading()) {
                sum += c.unackedBytes();
            }
        }
        return sum;
    }

    private void addLoad(NqConfig c, boolean down, boolean up, LongAdder dl, LongAdder ul, AtomicInteger flows, int n) {
        NqConnection.Endpoint ep = java.util.Objects.requireNonNull(endpoint);
        for (int i = 0; i < n; i++) {
            if (down) {
                openLoad(ep, conn -> conn.download(NqConfig.pathOf(c.large()), dl, this::loadFailed), flows);
            }
            if (up) {
                openLoad(ep, conn -> conn.upload(NqConfig.pathOf(c.upload()), ul, this::loadFailed), flows);
            }
        }
    }

    private void openLoad(NqConnection.Endpoint ep, Consumer<NqConnection> use, AtomicInteger flows) {
        NqConnection.open(tracing.loops().load(), tracing.loops().channelClass(), ep, ssl, connectTimeoutMillis(),
                channels, ticker)
                .whenComplete((conn, e) -> {
                    if (e != null) {
                        loadFailed(e);
                        return;
                    }
                    synchronized (lock) {
                        if (cancelled || loadFailure != null || phase == BufferbloatPhase.DONE) {
                            conn.close();
                            return;
                        }
                        load.add(conn);
                        if (!conn.h2() && selfProbes) {
                            selfProbes = false;
                            notes.add("the server speaks HTTP/1.1 only: no self probes (no multiplexing); RPM = foreign responsiveness");
                        }
                    }
                    flows.incrementAndGet();
                    conn.channel().closeFuture().addListener(f -> {
                        if (!conn.closing()) {
                            loadFailed(new java.io.IOException("a load connection closed"));
                        }
                    });
                    use.accept(conn);
                });
    }

    private void loadFailed(Throwable e) {
        synchronized (lock) {
            if (cancelled || loadFailure != null || phase == BufferbloatPhase.DONE || measuringClosed) {
                return;
            }
            loadFailure = "a load connection failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
            lock.notifyAll();
        }
    }

    private boolean measuringClosed;

    private void closeLoad() {
        List<NqConnection> all;
        synchronized (lock) {
            measuringClosed = true;
            all = List.copyOf(load);
            load.clear();
        }
        for (NqConnection c : all) {
            c.close();
        }
        long until = ticker.read() + 300_000_000L; // bounded: TLS close_notify is not waited for long
        for (NqConnection c : all) {
            long left = (until - ticker.read()) / 1_000_000;
            if (left <= 0 || !c.channel().closeFuture().awaitUninterruptibly(left)) {
                break;
            }
        }
        synchronized (lock) {
            measuringClosed = false;
        }
    }

    private DirectionResult direction(BufferbloatPhase p, List<Double> goodput, double tput, List<Double> responsiveness,
            boolean tputStable, boolean rpmStable, int flows, long from, long to) {
        long window = request.interval().toNanos() * Draft09.MAD;
        long measuredFrom = Math.max(from + (to - from) / 2 > to - window ? from : to - window, from);
        synchronized (lock) {
            List<Double> ping = valuesBetween(p, LatencySample.Kind.PING, measuredFrom, to);
            if (ping.isEmpty()) {
                ping = valuesBetween(p, LatencySample.Kind.HTTP_FOREIGN, measuredFrom, to);
            }
            double loaded = Draft09.trimmedMean(ping);
            double p90 = Draft09.percentile(ping, 90);
            Draft09.Probes probes = new Draft09.Probes(valuesBetween(p, LatencySample.Kind.TCP_FOREIGN, measuredFrom, to),
                    valuesBetween(p, LatencySample.Kind.TLS_FOREIGN, measuredFrom, to),
                    valuesBetween(p, LatencySample.Kind.HTTP_FOREIGN, measuredFrom, to),
                    valuesBetween(p, LatencySample.Kind.HTTP_SELF, measuredFrom, to));
            OptionalDouble rpm = Draft09.rpm(probes, tls);
            if (!tputStable && goodput.size() >= Draft09.MAD) {
                notes.add(p.name().toLowerCase() + ": throughput did not become stable");
            }
            return new DirectionResult(p, Double.isNaN(loaded) ? Duration.ZERO : Draft09.millis(loaded),
                    Double.isNaN(p90) ? Duration.ZERO : Draft09.millis(p90), tput, flows,
                    rpm.isPresent() ? Optional.of(rpm.getAsDouble()) : Optional.empty(),
                    Draft09.confidence(goodput.size(), tputStable),
                    Draft09.confidence(responsiveness.size(), rpmStable));
        }
    }

    private List<Double> values(BufferbloatPhase p, LatencySample.Kind k, long from) {
        return valuesBetween(p, k, from, Long.MAX_VALUE);
    }

    private List<Double> valuesBetween(BufferbloatPhase p, LatencySample.Kind k, long from, long to) {
        List<Double> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.phase() == p && s.kind() == k && s.at() >= from && s.at() < to) {
                out.add(s.ms());
            }
        }
        return out;
    }

    private void progress(double goodput, int flows) {
        BufferbloatPhase p;
        double ms;
        synchronized (lock) {
            p = phase;
            ms = lastPingMs;
        }
        long elapsed = ticker.read() - t0;
        events.execute(() -> safely(() -> listener.progress(p, elapsed, goodput, flows, ms)));
    }

    private void note(String n) {
        synchronized (lock) {
            if (!notes.contains(n)) {
                notes.add(n);
            }
        }
    }

    // ------------------------------------------------------------------ end

    private BufferbloatResult finish() {
        cleanUp();
        return build(statusNow());
    }

    private BufferbloatStatus statusNow() {
        synchronized (lock) {
            if (cancelled) {
                return BufferbloatStatus.CANCELLED;
            }
            if (loadFailure != null) {
                return BufferbloatStatus.LOAD_FAILED;
            }
            int planned = request.direction() == LoadDirection.SEQUENTIAL ? 2 : 1;
            return timeCut || directions.size() < planned ? BufferbloatStatus.TIME_LIMIT : BufferbloatStatus.COMPLETE;
        }
    }

    /** Stops probing, pings and load. */
    private void cleanUp() {
        List<Ping> ps;
        synchronized (lock) {
            phase = BufferbloatPhase.DONE;
            ps = List.copyOf(pings);
            pings.clear();
        }
        for (Ping p : ps) {
            p.cancel();
        }
        closeLoad();
        // what is left: foreign probes under way, a connection still being set up
        channels.close().awaitUninterruptibly(300);
    }

    private BufferbloatResult build(BufferbloatStatus status) {
        synchronized (lock) {
            List<String> n = new ArrayList<>(notes);
            if (loadFailure != null) {
                n.add(0, loadFailure);
            }
            if (samplesCapped) {
                n.add("samples capped at " + maxSamples);
            }
            Duration idleLatency = idle == null ? Duration.ZERO : idle;
            Optional<DirectionResult> down = directions.stream()
                    .filter(d -> d.phase() == BufferbloatPhase.DOWNLOAD || d.phase() == BufferbloatPhase.CONCURRENT).findFirst();
            Optional<DirectionResult> up = directions.stream().filter(d -> d.phase() == BufferbloatPhase.UPLOAD).findFirst();
            List<Duration> loaded = directions.stream().map(DirectionResult::loadedLatency).toList();
            Duration increase = Draft09.averageIncrease(idleLatency, loaded);
            BufferbloatGrade grade = BufferbloatGrade.of(increase);
            OptionalDouble rpm = directions.stream().filter(d -> d.rpm().isPresent())
                    .mapToDouble(d -> d.rpm().get()).average();
            List<MeasurementConfidence> cs = new ArrayList<>();
            for (DirectionResult d : directions) {
                cs.add(d.throughputConfidence());
                cs.add(d.rpmConfidence());
            }
            MeasurementConfidence conf = directions.isEmpty() ? MeasurementConfidence.LOW : Draft09.lowest(cs);
            if (probeCapNoted()) {
                n.add("probes capped to 5 % of the measured capacity");
            }
            return new BufferbloatResult(request, server, status, startedAt, Duration.ofNanos(ticker.read() - t0),
                    idleLatency, down, up, increase, grade,
                    rpm.isPresent() ? Optional.of(rpm.getAsDouble()) : Optional.empty(),
                    rpm.isPresent() ? Optional.of(RpmCategory.of(rpm.getAsDouble())) : Optional.empty(), conf,
                    samples.stream().map(Sample::api).toList(), n);
        }
    }

    private boolean probeCapNoted() {
        return probeRate < request.probesPerSecond() && !directions.isEmpty();
    }

    private void complete(BufferbloatResult r) {
        events.execute(() -> safely(() -> listener.completed(r)));
        done.complete(r);
        Publication.publish(done, published, events, tracing.callbacks());
        onEnd.accept(this);
    }

    private void fail(Throwable e) {
        done.completeExceptionally(e);
        Publication.publish(done, published, events, tracing.callbacks());
        onEnd.accept(this);
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a bufferbloat listener threw", e);
        }
    }

    // ------------------------------------------------------------------ API

    @Override
    public BufferbloatRequest request() {
        return request;
    }

    @Override
    public CompletableFuture<BufferbloatResult> result() {
        return Publication.callersFuture(published, done, this::cancel);
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            cancelled = true;
            lock.notifyAll();
        }
    }

    @Override
    public BufferbloatResult snapshot() {
        if (done.isDone() && !done.isCompletedExceptionally()) {
            return done.join();
        }
        return build(BufferbloatStatus.RUNNING);
    }

    /** Whether the test ended. */
    public boolean ended() {
        return done.isDone();
    }

    /** Waits (bounded) for the controller to end, after {@link #cancel()}. */
    public void awaitEnd(Duration max) {
        try {
            controller.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks until the result; an interrupt cancels and returns the partial result (flag kept).
     *
     * @throws ResponsivenessServerException when the server cannot be used
     */
    public BufferbloatResult await() {
        return io.pathprobe.core.internal.runtime.Publication.awaitCancellingOnInterrupt(published, this::cancel, c -> {
            if (c instanceof ResponsivenessServerException rse) {
                return new ResponsivenessServerException(rse.reason(), rse.server(), rse.getMessage(), rse);
            }
            return new IllegalStateException("bufferbloat test failed: " + c, c);
        });
    }

    @Override
    public String toString() {
        return "BufferbloatTest{" + request.url() + ", " + phase + "}";
    }

    static Function<Throwable, Throwable> unwrap() {
        return t -> t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    static EnumSet<BufferbloatPhase> loadPhases() {
        return EnumSet.of(BufferbloatPhase.DOWNLOAD, BufferbloatPhase.UPLOAD, BufferbloatPhase.CONCURRENT);
    }
}
