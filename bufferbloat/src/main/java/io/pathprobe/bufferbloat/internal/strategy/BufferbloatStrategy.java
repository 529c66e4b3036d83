package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.ResponsivenessServerException.Reason;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.CloseAll;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.CloseConnection;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.Fail;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.FetchConfig;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.Finish;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.OpenConnection;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.PhaseStarted;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.Probe;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.Progress;
import io.pathprobe.bufferbloat.internal.strategy.LoadCommand.StartPings;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A bufferbloat test (draft-ietf-ippm-responsiveness-09) as pure logic: a state machine over events
 * (configuration read, load connection opened / failed, bytes delivered, probe and ping answers, a
 * tick, cancel) that returns {@link LoadCommand}s for its adapter to carry out. No threads, no
 * locks, no clock: every event is handed {@code now} (engine ticks), so it runs on made-up times.
 *
 * <p>Stages: CONFIG (fetch the configuration, at most until the time limit), IDLE (pings and foreign
 * probes, a tenth of the time limit, 1 to 2 s), then each planned load phase, then ended. A load phase
 * gets an equal share of the time left (less a teardown margin); a share under MAD intervals is cut
 * (TIME_LIMIT), one under one interval is not run. Ramp-up: one connection per direction (draft INP);
 * after each interval, while the goodput is not stable, they double if it grew by at least 10 %, else
 * one is added (INC), up to maxConnections; the phase ends early once throughput and responsiveness are
 * both stable. A load connection that delivers nothing for {@link #stallNanos} is replaced (noted); one
 * that fails ends the test LOAD_FAILED (draft-09: abort), with what was measured so far.
 */
public final class BufferbloatStrategy {
    /** Samples of the delivery curve per interval: {@link DeliveryCurve}. */
    static final int CURVE_SAMPLES_PER_INTERVAL = 20;
    /** Foreign probes per second in the idle phase (capacity is not known yet). */
    static final double IDLE_PROBE_RATE = 10;
    /** Foreign probes outstanding at once, at most (Apple: 25). */
    static final int MAX_FOREIGN_OUTSTANDING = 25;
    /** The share of a load phase the ramp may take at most, before its flows are reopened together. */
    static final double RAMP_SHARE = 0.25;
    /** The most connections any phase opens, stalled ones replaced included. */
    static final int MAX_OPENED_PER_PHASE = 256;

    private enum Stage { CONFIG, IDLE, LOAD, ENDED }

    private final BufferbloatRequest request;
    private final Instant startedAt;
    private final long t0;
    private final long deadline;
    private final long teardown;
    private final long interval;
    private final long stallNanos;
    /** The longest the queue is given to drain between the ramp and the load that is measured. */
    private final long drainMax;
    private final List<BufferbloatPhase> plan;
    private final BufferbloatRecord record;
    private final List<LoadCommand> out = new ArrayList<>();
    private final ProbeRing sent = new ProbeRing();

    private Stage stage = Stage.CONFIG;
    private int planIndex;
    private long idleEnd;
    private long nextProgress;
    private @Nullable LoadPhase load;
    private int nextConn;
    private int nextProbe;
    private long nextProbeAt = Long.MAX_VALUE;
    private double probeRate = IDLE_PROBE_RATE;
    private int foreignOutstanding;
    private boolean selfProbes = true;
    private boolean cancelled;
    private @Nullable String loadFailure;
    private boolean timeCut;

    /**
     * @param startedAt the wall-clock start, for the result only
     * @param now the engine's time at the start
     */
    public BufferbloatStrategy(BufferbloatRequest request, Instant startedAt, long now) {
        this.request = request;
        this.startedAt = startedAt;
        this.t0 = now;
        long limit = request.deadline().toNanos();
        this.deadline = now + limit;
        this.teardown = Math.max(300_000_000L, Math.min(1_000_000_000L, limit / 10));
        this.interval = request.interval().toNanos();
        this.stallNanos = Math.max(4 * interval, 4_000_000_000L);
        this.drainMax = Math.max(500_000_000L, Math.min(2_000_000_000L, interval));
        this.plan = switch (request.direction()) {
            case DOWNLOAD -> List.of(BufferbloatPhase.DOWNLOAD);
            case UPLOAD -> List.of(BufferbloatPhase.UPLOAD);
            case SEQUENTIAL -> List.of(BufferbloatPhase.DOWNLOAD, BufferbloatPhase.UPLOAD);
            case CONCURRENT -> List.of(BufferbloatPhase.CONCURRENT);
        };
        this.record = new BufferbloatRecord(request, t0);
    }

    // ------------------------------------------------------------------ events

    /** The test starts: fetch the configuration. */
    public List<LoadCommand> start(long now) {
        out.add(new FetchConfig(connectTimeoutMillis(now)));
        return drain();
    }

    /** The configuration was read: the idle phase starts. */
    public List<LoadCommand> onConfigured(URI server, InetAddress endpoint, boolean tls, long now) {
        if (stage != Stage.CONFIG) {
            return drain();
        }
        record.configured(server, tls);
        stage = Stage.IDLE;
        enter(BufferbloatPhase.IDLE, now);
        out.add(new StartPings(endpoint));
        long total = request.deadline().toNanos();
        idleEnd = now + Math.max(1_000_000_000L, Math.min(2_000_000_000L, total / 10));
        nextProgress = Math.min(idleEnd, now + interval);
        probeRate = Math.min(request.probesPerSecond(), IDLE_PROBE_RATE);
        nextProbeAt = now + (long) (1e9 / probeRate);
        return drain();
    }

    /** The server cannot be used: the test fails with {@code error}. */
    public List<LoadCommand> onSetupFailed(ResponsivenessServerException error, long now) {
        if (stage == Stage.CONFIG) {
            stage = Stage.ENDED;
            out.add(new Fail(error));
        }
        return drain();
    }

    /** Load connection {@code id} is up. */
    public List<LoadCommand> onOpened(int id, boolean h2, long now) {
        LoadPhase l = load;
        LoadPhase.Conn c = l == null ? null : l.get(id);
        if (l == null || c == null || c.closing || stage != Stage.LOAD) {
            out.add(new CloseConnection(id)); // of a phase that ended
            return drain();
        }
        c.open = true;
        c.h2 = h2;
        c.progressAt = now;
        l.flows++;
        if (!h2 && selfProbes) {
            selfProbes = false;
            record.note("the server speaks HTTP/1.1 only: no self probes (no multiplexing); RPM = "
                    + "foreign responsiveness");
        }
        return drain();
    }

    /** The congestion control that sends load connection {@code id}'s data (the result names its load's). */
    public List<LoadCommand> onCongestionControl(int id, String name) {
        LoadPhase l = load;
        LoadPhase.Conn c = l == null ? null : l.get(id);
        if (c != null) {
            c.congestionControl = name;
        }
        return drain();
    }

    /**
     * Load connection {@code id} failed (connect, TLS, an error status, a reset, a close): the test ends
     * LOAD_FAILED, except for a connection added to a phase whose load already flows that could not be
     * opened: through the very queue being measured (500 ms deep, dropping), a new connection's SYN
     * and handshake can take longer than its connect timeout, so the phase goes on with the
     * connections that are open (the ramp-up may add more) and the notes say so (seen in the lab beside a CPU
     * hog: "handshake timed out after 1794ms" had ended whole tests).
     */
    public List<LoadCommand> onConnectionFailed(int id, String reason, long now) {
        LoadPhase l = load;
        LoadPhase.Conn c = l == null ? null : l.get(id);
        if (l == null || c == null || c.closing || stage != Stage.LOAD) {
            return drain();
        }
        if (!c.open && l.flows > 0) {
            c.closing = true;
            l.openFailures++;
            if (l.openFailures == 1) {
                record.note(l.phase.name().toLowerCase(java.util.Locale.ROOT)
                        + ": a load connection could not be opened ("
                        + reason + "); the phase went on with the open ones");
            }
            return drain();
        }
        loadFailure = "a load connection failed: " + reason;
        endLoad(now, true);
        finish(now);
        return drain();
    }

    /** Load connection {@code id} has delivered {@code total} bytes so far. */
    public void onDelivered(int id, long total, long now) {
        LoadPhase l = load;
        LoadPhase.Conn c = l == null ? null : l.get(id);
        if (c != null && total > c.bytes) {
            c.bytes = total;
            c.progressAt = now;
        }
    }

    /** The load connections whose delivered bytes the adapter reports before each tick. */
    public List<Integer> counting() {
        LoadPhase l = load;
        return l == null ? List.of() : l.live().stream().map(c -> c.id).toList();
    }

    /** Foreign probe {@code id} connected. */
    public List<LoadCommand> onProbeConnected(int id, long tcpNanos, long tlsNanos, @Nullable String tlsProtocol,
            long now) {
        long at = sent.sentAt(id);
        if (at >= 0) {
            sample(at, LatencySample.Kind.TCP_FOREIGN, tcpNanos / 1e6);
            if (tlsProtocol != null) {
                sample(at, LatencySample.Kind.TLS_FOREIGN, tlsNanos / 1e6 / Draft09.tlsRoundTrips(tlsProtocol));
            }
        }
        return drain();
    }

    /** Probe {@code id}'s GET completed. */
    public List<LoadCommand> onProbeAnswered(int id, boolean self, long httpNanos, long now) {
        long at = sent.sentAt(id);
        if (!self) {
            foreignOutstanding = Math.max(0, foreignOutstanding - 1);
        }
        if (at >= 0) {
            sample(at, self ? LatencySample.Kind.HTTP_SELF : LatencySample.Kind.HTTP_FOREIGN, httpNanos / 1e6);
        }
        return drain();
    }

    /** Probe {@code id} failed: no sample (a foreign one frees its slot). */
    public List<LoadCommand> onProbeFailed(int id, boolean self, long now) {
        if (!self) {
            foreignOutstanding = Math.max(0, foreignOutstanding - 1);
        }
        return drain();
    }

    /** A ping answered: sent at {@code sentAt} (engine ticks), round trip {@code ms}. */
    public List<LoadCommand> onPing(LatencySample.Kind kind, long sentAt, double ms, long now) {
        if (stage != Stage.ENDED) {
            sample(sentAt - t0, kind, ms);
        }
        LoadPhase l = load;
        if (stage == Stage.LOAD && l != null && l.draining() && kind == LatencySample.Kind.PING
                && sentAt - l.drainFrom > 0
                && !Double.isNaN(record.idleMs()) && ms <= 2 * record.idleMs() + 5) {
            startMeasured(l, now); // the queue drained: a ping sent after the close came back at idle
        }
        return drain();
    }

    /** A note for the result (a ping that is unavailable, the first hop not found). */
    public void note(String note) {
        record.note(note);
    }

    /** The user cancelled: the test ends CANCELLED with what it has. */
    public List<LoadCommand> cancel(long now) {
        if (stage != Stage.ENDED) {
            cancelled = true;
            endLoad(now, true);
            finish(now);
        }
        return drain();
    }

    /** The time {@link #nextWakeup} asked for has come (the adapter first reported the delivered bytes). */
    public List<LoadCommand> onTick(long now) {
        switch (stage) {
            case CONFIG -> {
                if (now - deadline >= 0) {
                    stage = Stage.ENDED;
                    URI u = request.url();
                    out.add(new Fail(new ResponsivenessServerException(Reason.UNREACHABLE, u,
                            "no configuration from " + u + " within the time limit",
                            new java.util.concurrent.TimeoutException("time limit"))));
                }
            }
            case IDLE -> {
                probes(now);
                if (now - nextProgress >= 0) {
                    progress(now, BufferbloatPhase.IDLE, 0, 0);
                    nextProgress = Math.min(idleEnd, now + interval);
                }
                if (now - idleEnd >= 0) {
                    record.idleEnded();
                    nextPhase(now);
                } else if (now - (deadline - teardown) >= 0) {
                    timeCut = true;
                    record.idleEnded();
                    finish(now);
                }
            }
            case LOAD -> loadTick(now);
            case ENDED -> { }
        }
        return drain();
    }

    /** Nanoseconds from {@code now} to the next tick wanted, or {@link Long#MAX_VALUE}. */
    public long nextWakeup(long now) {
        long at = switch (stage) {
            case CONFIG -> deadline;
            case IDLE -> Math.min(Math.min(nextProgress, idleEnd), Math.min(nextProbeAt, deadline - teardown));
            case LOAD -> {
                LoadPhase l = java.util.Objects.requireNonNull(load);
                if (l.draining()) {
                    yield Math.min(l.drainFrom + drainMax, Math.min(nextProbeAt, deadline - teardown));
                }
                long sample = l.curve.due(now) ? now : l.curve.lastAt() + l.curve.period();
                yield Math.min(Math.min(sample, l.last + interval), Math.min(nextProbeAt, deadline - teardown));
            }
            case ENDED -> Long.MAX_VALUE;
        };
        return at == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, at - now);
    }

    /** Whether the test has ended (a Finish or Fail command was returned). */
    public boolean done() {
        return stage == Stage.ENDED;
    }

    /** The result so far (status RUNNING). */
    public BufferbloatResult snapshot(long now) {
        return record.result(BufferbloatStatus.RUNNING, startedAt, now, loadFailure, probeCapped());
    }

    // ------------------------------------------------------------------ phases

    private void enter(BufferbloatPhase p, long now) {
        record.phaseStarted(p, now);
        out.add(new PhaseStarted(p));
    }

    private void nextPhase(long now) {
        while (planIndex < plan.size()) {
            long left = deadline - teardown - now;
            long share = left / (plan.size() - planIndex);
            if (share < interval * Draft09.MAD) {
                timeCut = true;
                if (share < interval) {
                    break;
                }
            }
            startLoad(plan.get(planIndex++), now, now + share);
            return;
        }
        finish(now);
    }

    private void startLoad(BufferbloatPhase p, long now, long end) {
        stage = Stage.LOAD;
        enter(p, now);
        LoadPhase l = new LoadPhase(p, now, end, interval / CURVE_SAMPLES_PER_INTERVAL);
        long share = end - now;
        l.rampUntil = now + Math.max(2 * interval, Math.min((long) (share * RAMP_SHARE),
                share - drainMax - (Draft09.MAD + 1) * interval));
        load = l;
        addLoad(l, 1, now);
    }

    private void addLoad(LoadPhase l, int n, long now) {
        for (int i = 0; i < n; i++) {
            if (l.downloads()) {
                openConn(l, false, now);
            }
            if (l.uploads()) {
                openConn(l, true, now);
            }
        }
    }

    private void openConn(LoadPhase l, boolean upload, long now) {
        if (l.opened >= MAX_OPENED_PER_PHASE) {
            return;
        }
        int id = nextConn++;
        l.add(id, upload, now);
        out.add(new OpenConnection(id, upload, connectTimeoutMillis(now)));
    }

    private void loadTick(long now) {
        LoadPhase l = java.util.Objects.requireNonNull(load);
        probes(now);
        if (l.draining()) {
            if (now - (deadline - teardown) >= 0) {
                timeCut = true;
                endLoad(now, false);
                finish(now);
            } else if (now - (l.drainFrom + drainMax) >= 0) {
                record.note(l.phase.name().toLowerCase(java.util.Locale.ROOT) + ": the queue had not drained "
                        + drainMax / 1_000_000 + " ms after the ramp's flows closed (no ping back at idle)");
                startMeasured(l, now);
            }
            return;
        }
        if (l.curve.due(now)) {
            l.curve.add(now, l.counted());
        }
        if (now - (deadline - teardown) >= 0 && now - (l.last + interval) < 0) {
            timeCut = true; // the hard end: only reached when something ran late
            endLoad(now, false);
            finish(now);
            return;
        }
        if (now - (l.last + interval) < 0) {
            return;
        }
        intervalEnded(l, now);
        if (stage != Stage.LOAD || load != l || l.draining()) {
            return;
        }
        if (l.measured && l.tputStable && l.rpmStable || l.last + interval - l.end > 0) {
            endLoad(now, false); // draft-09: both stable; or no room for another interval
            nextPhase(now);
        }
    }

    private void intervalEnded(LoadPhase l, long now) {
        long bytes = l.counted();
        l.curve.add(now, bytes);
        double g = (bytes - l.lastBytes) * 8e9 / Math.max(1, now - l.last);
        long from = l.last - t0;
        l.lastBytes = bytes;
        l.last = now;
        double prev = l.goodput.isEmpty() ? 0 : l.goodput.get(l.goodput.size() - 1);
        l.goodput.add(g);
        // responsiveness of this interval: self probes if any, else foreign GETs
        List<Double> self = record.values(l.phase, LatencySample.Kind.HTTP_SELF, from, now - t0);
        List<Double> use = self.isEmpty()
                ? record.values(l.phase, LatencySample.Kind.HTTP_FOREIGN, from, now - t0) : self;
        if (!use.isEmpty()) {
            l.responsiveness.add(Draft09.trimmedMean(use));
        }
        probeRate = Draft09.probeRate(request.probesPerSecond(), g, selfProbes);
        l.tputStable = l.tputStable || Draft09.stable(l.goodput);
        l.rpmStable = Draft09.stable(l.responsiveness);
        replaceStalled(l, now);
        if (!l.measured && (l.tputStable || now - l.rampUntil >= 0)) {
            endRamp(l, now, g);
            return;
        }
        if (!l.tputStable && !l.measured) {
            int max = request.maxConnections();
            int want = LoadPhase.rampTo(g, prev, l.perDirection, max);
            if (want > l.perDirection) {
                addLoad(l, want - l.perDirection, now);
                l.perDirection = want;
                l.curve.settled(now); // the next interval is the first with these connections
            }
        }
        progress(now, l.phase, g, l.flows);
    }

    /**
     * The ramp ends: with the connections it added, they are closed and, once the queue drained, as many
     * opened together; without (one per direction from the start), or with no room left for MAD + 1
     * intervals after a drain, the ramp's own load goes on as the measured one.
     */
    private void endRamp(LoadPhase l, long now, double g) {
        boolean room = l.end - now - drainMax - (Draft09.MAD + 1) * interval >= 0;
        // as many as carried the ramp's load at its end (those that could not be opened do not count)
        int open = (int) Math.max(l.live().stream().filter(c -> c.upload).count(),
                l.live().stream().filter(c -> !c.upload).count());
        if (open <= 1 || !room) {
            l.measured = true;
            progress(now, l.phase, g, l.flows);
            return;
        }
        l.perDirection = open;
        // the capacity estimate the measured load is held against: the ramp's goodput with its final flows
        l.rampGoodput = l.curve.goodput(interval * Draft09.MAD, interval * 2);
        for (LoadPhase.Conn c : l.endRamp(now)) {
            out.add(new CloseConnection(c.id));
        }
        progress(now, l.phase, g, 0);
    }

    /** The queue drained (or the drain's time is up): the ramp's number of connections opens together. */
    private void startMeasured(LoadPhase l, long now) {
        l.startMeasured(now);
        addLoad(l, l.perDirection, now);
        l.curve.settled(now + interval); // the flows' first interval is their start-up
    }

    /** Closes and replaces the open load connections that delivered nothing for {@link #stallNanos}. */
    private void replaceStalled(LoadPhase l, long now) {
        for (LoadPhase.Conn c : l.stalled(now, stallNanos)) {
            c.closing = true;
            l.flows--;
            out.add(new CloseConnection(c.id));
            record.note(l.phase.name().toLowerCase() + ": a load connection delivered nothing for "
                    + stallNanos / 1_000_000 + " ms: replaced");
            openConn(l, c.upload, now);
        }
    }

    /** Ends the running load phase (if any): its connections closed, its direction recorded. */
    private void endLoad(long now, boolean stopped) {
        LoadPhase l = load;
        if (l == null) {
            return;
        }
        load = null;
        if (l.goodput.size() < Draft09.MAD && !stopped) {
            timeCut = true;
        }
        l.closing();
        out.add(new CloseAll());
        long window = interval * Draft09.MAD;
        double tput = l.draining() ? 0 : l.curve.goodput(window, interval * 2);
        record.direction(l.phase, new BufferbloatRecord.Measured(l.goodput, tput, l.responsiveness, l.tputStable,
                l.rpmStable, l.flows, l.measureStart, now, window, l.generation > 0, l.rampGoodput,
                l.congestionControl()));
    }

    private void finish(long now) {
        if (stage == Stage.ENDED) {
            return;
        }
        stage = Stage.ENDED;
        nextProbeAt = Long.MAX_VALUE;
        BufferbloatStatus status;
        if (cancelled) {
            status = BufferbloatStatus.CANCELLED;
        } else if (loadFailure != null) {
            status = BufferbloatStatus.LOAD_FAILED;
        } else {
            int planned = request.direction() == LoadDirection.SEQUENTIAL ? 2 : 1;
            status = timeCut || record.directions() < planned ? BufferbloatStatus.DEADLINE_EXCEEDED
                    : BufferbloatStatus.COMPLETED;
        }
        out.add(new Finish(record.result(status, startedAt, now, loadFailure, probeCapped())));
    }

    // ------------------------------------------------------------------ probes and samples

    private void probes(long now) {
        if (now - nextProbeAt < 0) {
            return;
        }
        nextProbeAt = now + (long) (1e9 / probeRate);
        if (foreignOutstanding >= MAX_FOREIGN_OUTSTANDING) {
            return;
        }
        foreignOutstanding++;
        int id = nextProbe++;
        sent.sent(id, now - t0);
        LoadPhase l = load; // a self probe rides the load's open HTTP/2 connections in turn
        out.add(new Probe(id, l == null || !selfProbes ? -1 : l.selfTarget()));
    }

    private void sample(long at, LatencySample.Kind kind, double ms) {
        LatencySample s = record.add(at, kind, ms);
        if (s != null) {
            out.add(new LoadCommand.Sample(s));
        }
    }

    private void progress(long now, BufferbloatPhase p, double bps, int flows) {
        out.add(new Progress(p, now - t0, bps, flows, record.lastPingMs()));
    }

    private boolean probeCapped() {
        return probeRate < request.probesPerSecond() && record.directions() > 0;
    }

    private int connectTimeoutMillis(long now) {
        long left = (deadline - now) / 1_000_000;
        return (int) Math.max(100, Math.min(3000, left / 2));
    }

    private List<LoadCommand> drain() {
        if (out.isEmpty()) {
            return List.of();
        }
        List<LoadCommand> c = List.copyOf(out);
        out.clear();
        return c;
    }
}
