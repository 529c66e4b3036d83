package io.pathprobe.core.internal;

import io.pathprobe.Hop;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.ProbeStatus;
import io.pathprobe.Trace;
import io.pathprobe.TraceListener;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.TraceStatus;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One trace: what to send next, what each answer means, when to give up. All methods but
 * {@link #cancel()}, {@link #result()}, {@link #request()} and {@link #snapshot()} run on the engine
 * thread.
 *
 * <p>Strategy, in brief: the first probe of every TTL goes out at once (bounded by maxInFlight and
 * the tracer's rate budget). A further attempt at a TTL is sent once a router at that TTL or beyond
 * has answered (the path certainly goes on), or otherwise once the previous attempt at that TTL has
 * completed, so TTLs beyond an unknown destination are not flooded. The first answer from the
 * destination (or an unreachable from a router) fixes the horizon: nothing beyond it is sent again
 * nor reported. Probes are given up after the adaptive wait of Linux traceroute 2.1.
 */
final class TraceRun implements Trace {
    /** Adaptive waits never go below this, so an answer read a little late is not taken for a loss. */
    static final long MIN_ADAPTIVE_WAIT_NANOS = 2_000_000;
    static final int HERE_FACTOR = 3;
    static final int NEAR_FACTOR = 10;
    private static final int NONE = Integer.MAX_VALUE;

    private final DefaultPathTracer tracer;
    private final Engine engine;
    private final TraceRequest request;
    private final TraceListener listener;
    private final CompletableFuture<TraceResult> future = new CompletableFuture<>();
    private final int firstTtl;
    private final int perHop;
    private final int maxInFlight;
    private final long timeoutNanos;
    private final ProbeState[] probes;
    private final int[] nextAttempt;
    private final boolean[] hopReported;

    // engine-thread state
    private @Nullable InetAddress destination;
    private @Nullable ProbeSession session;
    private String transportName = "";
    private @Nullable Instant startedAt;
    private long startTick;
    private long endTick;
    private int horizon;
    private int destinationTtl = NONE;
    private int unreachableTtl = NONE;
    private int highestRouterTtl;
    private int maxSentTtl;
    private int inFlight;
    private int unmatched;
    private boolean noRoute;
    private boolean finished;
    private @Nullable TraceResult finalResult;
    private @Nullable ScheduledFuture<?> timer;
    private long timerAt;
    /** A timeout check waits for the transport to hand over the answers it already has. */
    private boolean expiryPending;
    private @Nullable ScheduledFuture<?> deadlineTimer;
    /** In the tracer's send queue. */
    boolean queued;
    /** Sent something during the current pump. */
    boolean touched;

    TraceRun(DefaultPathTracer tracer, Engine engine, TraceRequest request) {
        this.tracer = tracer;
        this.engine = engine;
        this.request = request;
        this.listener = request.listener();
        this.firstTtl = request.firstTtl();
        this.perHop = request.probesPerHop();
        this.maxInFlight = request.maxInFlight();
        this.timeoutNanos = request.probeTimeout().toNanos();
        int ttls = request.maxHops() - firstTtl + 1;
        this.probes = new ProbeState[ttls * perHop];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new ProbeState(firstTtl + i / perHop, i % perHop, i);
        }
        this.nextAttempt = new int[ttls];
        this.hopReported = new boolean[ttls];
        this.horizon = request.maxHops();
        // Cancelling the future (traceAsync's cancel) stops the trace.
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                engine.execute(() -> finish(TraceStatus.CANCELLED));
            }
        });
    }

    // ---- Trace -------------------------------------------------------------------------------

    @Override
    public TraceRequest request() {
        return request;
    }

    @Override
    public CompletableFuture<TraceResult> result() {
        return future;
    }

    @Override
    public void cancel() {
        engine.execute(() -> finish(TraceStatus.CANCELLED));
    }

    @Override
    public TraceResult snapshot() {
        if (engine.inEngineThread()) {
            return snapshotNow();
        }
        CompletableFuture<TraceResult> snap = new CompletableFuture<>();
        engine.execute(() -> {
            try {
                snap.complete(snapshotNow());
            } catch (RuntimeException e) {
                snap.completeExceptionally(e);
            }
        });
        TraceResult done = future.getNow(null);
        return done != null ? done : snap.join();
    }

    private TraceResult snapshotNow() {
        if (finalResult != null) {
            return finalResult;
        }
        if (destination == null) {
            throw new IllegalStateException("the trace has not started yet (target not resolved)");
        }
        return buildResult(TraceStatus.RUNNING);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Starts probing toward {@code destination}. */
    void begin(InetAddress dest) {
        if (finished) {
            return;
        }
        ProbeSession s;
        try {
            var transport = tracer.registry().transportFor(request.protocol(), dest);
            transportName = transport.name();
            s = transport.openSession(
                    new SessionSpec(request.protocol(), dest, request.destinationPort()),
                    response -> engine.execute(() -> onResponse(response)));
        } catch (RuntimeException e) {
            failSetup(e);
            return;
        }
        if (probes.length - 1 > s.maxSequence()) {
            s.close();
            failSetup(new IllegalArgumentException("this trace needs " + probes.length + " probe numbers but "
                    + transportName + " offers " + (s.maxSequence() + 1)
                    + (request.protocol() == ProbeProtocol.UDP
                            ? " from destination port " + request.destinationPort() + ": use a lower port"
                            : "")));
            return;
        }
        this.session = s;
        this.destination = dest;
        this.startedAt = Instant.now();
        this.startTick = engine.now();
        this.deadlineTimer = engine.schedule(() -> finish(TraceStatus.DEADLINE_EXCEEDED), request.deadline().toNanos());
        notify(l -> l.traceStarted(request, dest, transportName));
        tracer.markReady(this);
        tracer.pump();
        settle();
    }

    /** The trace could not start. */
    void failSetup(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        future.completeExceptionally(error);
        tracer.onFinished(this);
    }

    /** Ends the trace: stops sending, frees the session and completes the future. */
    void finish(TraceStatus status) {
        if (finished) {
            return;
        }
        if (destination == null) {
            // not started yet (the name is still being resolved): there is nothing to report
            finished = true;
            future.cancel(false);
            tracer.onFinished(this);
            return;
        }
        finished = true;
        endTick = engine.now();
        cancelTimer();
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        closeSession();
        TraceResult result = buildResult(status);
        finalResult = result;
        notify(l -> l.traceCompleted(result));
        future.complete(result);
        tracer.onFinished(this);
    }

    private void closeSession() {
        ProbeSession s = session;
        session = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // nothing more can be done; the transport is still closed with the tracer
            }
        }
    }

    boolean finished() {
        return finished;
    }

    // ---- sending -----------------------------------------------------------------------------

    /** The next probe to send now, or null. */
    @Nullable ProbeState nextEligible() {
        if (finished || noRoute || session == null || inFlight >= maxInFlight) {
            return null;
        }
        if (request.sequential()) {
            for (int ttl = firstTtl; ttl <= horizon; ttl++) {
                int base = (ttl - firstTtl) * perHop;
                boolean incomplete = false;
                for (int a = 0; a < perHop; a++) {
                    ProbeState p = probes[base + a];
                    if (!p.sent()) {
                        return p;
                    }
                    incomplete |= p.pending();
                }
                if (incomplete) {
                    return null;
                }
            }
            return null;
        }
        for (int ttl = firstTtl; ttl <= horizon; ttl++) {
            int i = ttl - firstTtl;
            int a = nextAttempt[i];
            if (a >= perHop) {
                continue;
            }
            if (a == 0 || ttl <= highestRouterTtl || probes[i * perHop + a - 1].completed()) {
                return probes[i * perHop + a];
            }
        }
        return null;
    }

    void send(ProbeState p) {
        ProbeSession s = session;
        if (s == null) {
            return;
        }
        p.status = ProbeStatus.PENDING;
        p.sentTick = engine.now();
        nextAttempt[p.ttl - firstTtl] = p.attempt + 1;
        maxSentTtl = Math.max(maxSentTtl, p.ttl);
        inFlight++;
        try {
            p.sentTransportNanos = s.send(p.sequence, p.ttl);
            notify(l -> l.probeSent(p.ttl, p.attempt));
        } catch (SendFailedException e) {
            sendFailed(p, e.getMessage(), e.noRoute());
        } catch (RuntimeException e) {
            sendFailed(p, e.toString(), false);
        }
    }

    private void sendFailed(ProbeState p, @Nullable String message, boolean noRouteToHost) {
        inFlight--;
        p.status = ProbeStatus.SEND_FAILED;
        p.failure = message == null ? "send failed" : message;
        if (noRouteToHost) {
            noRoute = true;
        }
        completed(p);
    }

    // ---- answers and timeouts ----------------------------------------------------------------

    void onResponse(ProbeResponse r) {
        if (finished || destination == null) {
            return;
        }
        int seq = r.sequence();
        if (seq < 0 || seq >= probes.length || !probes[seq].sent()) {
            unmatched++;
            return;
        }
        ProbeState p = probes[seq];
        if (p.ttl > horizon) {
            return; // beyond the destination: a real answer to a probe we no longer care about
        }
        long rtt = r.receivedNanos() - p.sentTransportNanos;
        if (rtt < 0) {
            rtt = Math.max(0, engine.now() - p.sentTick);
        }
        if (p.pending()) {
            inFlight--;
        } else if (p.status == ProbeStatus.TIMEOUT && rtt <= p.waitApplied) {
            // The answer arrived within the wait (kernel timestamp) but was read after the wait
            // expired: it is a reply, not a loss.
        } else {
            unmatched++; // a duplicate, or an answer after the probe was given up
            return;
        }
        p.responder = r.responder();
        p.icmpType = r.icmpType();
        p.icmpCode = r.icmpCode();
        p.rttNanos = rtt;
        p.answeredTick = engine.now();
        boolean fromDestination = r.responder().equals(destination);
        if (r.kind() == ResponseKind.TIME_EXCEEDED) {
            p.status = ProbeStatus.REPLY;
            highestRouterTtl = Math.max(highestRouterTtl, p.ttl);
        } else if (r.kind() == ResponseKind.ECHO_REPLY
                || (request.protocol() == ProbeProtocol.UDP && r.portUnreachable())) {
            p.status = ProbeStatus.REPLY;
            p.destination = true;
        } else {
            p.status = ProbeStatus.UNREACHABLE;
            p.destination = fromDestination;
        }
        if (p.destination) {
            destinationTtl = Math.min(destinationTtl, p.ttl);
            shrinkHorizon(p.ttl);
        } else if (p.status == ProbeStatus.UNREACHABLE) {
            unreachableTtl = Math.min(unreachableTtl, p.ttl);
            shrinkHorizon(p.ttl);
        }
        completed(p);
        tracer.markReady(this);
        tracer.pump();
        settle();
    }

    private void shrinkHorizon(int ttl) {
        if (ttl >= horizon) {
            return;
        }
        for (int i = (ttl + 1 - firstTtl) * perHop; i < probes.length; i++) {
            if (probes[i].pending()) {
                inFlight--; // abandoned: beyond the end of the path
            }
        }
        horizon = ttl;
    }

    private void onTimer() {
        timer = null;
        if (finished || expiryPending) {
            return;
        }
        ProbeSession s = session;
        if (s == null) {
            return;
        }
        // Before giving up on anything, let the transport hand over answers it already has: they
        // are queued to this thread ahead of expire().
        expiryPending = true;
        s.afterPendingAnswers(() -> engine.execute(this::expire));
    }

    /** Gives up on every probe whose wait has passed. */
    private void expire() {
        expiryPending = false;
        if (finished) {
            return;
        }
        long now = engine.now();
        long[] near = nearRtts();
        for (ProbeState p : probes) {
            if (p.ttl > horizon) {
                break;
            }
            if (p.pending()) {
                long wait = waitFor(p, near);
                if (now - p.sentTick >= wait) {
                    inFlight--;
                    p.status = ProbeStatus.TIMEOUT;
                    p.waitApplied = wait;
                    completed(p);
                }
            }
        }
        tracer.markReady(this);
        tracer.pump();
        settle();
    }

    /** For each TTL, the RTT of an answer from the nearest later TTL, or -1. */
    private long[] nearRtts() {
        long[] near = new long[horizon - firstTtl + 2];
        long nearest = -1;
        near[near.length - 1] = -1;
        for (int ttl = horizon; ttl >= firstTtl; ttl--) {
            near[ttl - firstTtl] = nearest;
            long here = hereRtt(ttl);
            if (here >= 0) {
                nearest = here;
            }
        }
        return near;
    }

    private long hereRtt(int ttl) {
        int base = (ttl - firstTtl) * perHop;
        for (int a = 0; a < perHop; a++) {
            ProbeState q = probes[base + a];
            if (q.answered() && q.rttNanos >= 0) {
                return q.rttNanos;
            }
        }
        return -1;
    }

    private long waitFor(ProbeState p, long[] near) {
        long wait = timeoutNanos;
        if (request.adaptiveWait()) {
            long here = hereRtt(p.ttl);
            if (here >= 0) {
                wait = Math.min(wait, Math.max(MIN_ADAPTIVE_WAIT_NANOS, HERE_FACTOR * here));
            }
            long later = near[p.ttl - firstTtl];
            if (later >= 0) {
                wait = Math.min(wait, Math.max(MIN_ADAPTIVE_WAIT_NANOS, NEAR_FACTOR * later));
            }
        }
        return wait;
    }

    /** Called after each change: finishes the trace when nothing is left, else arms the timer. */
    void settle() {
        if (finished) {
            return;
        }
        if (done()) {
            finish(naturalEnd());
            return;
        }
        long earliest = Long.MAX_VALUE;
        long[] near = null;
        for (ProbeState p : probes) {
            if (p.ttl > horizon) {
                break;
            }
            if (p.pending()) {
                if (near == null) {
                    near = nearRtts();
                }
                earliest = Math.min(earliest, p.sentTick + waitFor(p, near));
            }
        }
        if (earliest == Long.MAX_VALUE) {
            cancelTimer();
            return;
        }
        if (expiryPending) {
            return; // expire() re-arms when it has run
        }
        if (timer != null && timerAt <= earliest) {
            return; // an earlier check is armed; it re-arms as needed
        }
        cancelTimer();
        timerAt = earliest;
        timer = engine.schedule(this::onTimer, earliest - engine.now());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private boolean done() {
        if (noRoute) {
            return inFlight == 0;
        }
        int end = (horizon - firstTtl + 1) * perHop;
        for (int i = 0; i < end; i++) {
            if (!probes[i].completed()) {
                return false;
            }
        }
        return true;
    }

    private TraceStatus naturalEnd() {
        if (destinationTtl != NONE) {
            return TraceStatus.DESTINATION_REACHED;
        }
        if (unreachableTtl != NONE) {
            return TraceStatus.UNREACHABLE;
        }
        if (noRoute) {
            return TraceStatus.NO_ROUTE;
        }
        return TraceStatus.MAX_HOPS_EXCEEDED;
    }

    private void completed(ProbeState p) {
        notify(l -> l.probeCompleted(p.toResult()));
        int i = p.ttl - firstTtl;
        if (listener == TraceListener.NONE || p.ttl > horizon || hopReported[i]) {
            return; // hopReported only serves hopCompleted
        }
        for (int a = 0; a < perHop; a++) {
            if (!probes[i * perHop + a].completed()) {
                return;
            }
        }
        hopReported[i] = true;
        Hop hop = Results.hop(p.ttl, Arrays.asList(probes).subList(i * perHop, (i + 1) * perHop));
        notify(l -> l.hopCompleted(hop));
    }

    // ---- results -----------------------------------------------------------------------------

    private TraceResult buildResult(TraceStatus status) {
        InetAddress dest = destination;
        Instant started = startedAt;
        if (dest == null || started == null) {
            throw new IllegalStateException("trace not started");
        }
        List<Hop> hops = new ArrayList<>();
        int last = Math.min(horizon, maxSentTtl);
        for (int ttl = firstTtl; ttl <= last; ttl++) {
            int i = ttl - firstTtl;
            List<ProbeState> hopProbes = Arrays.asList(probes).subList(i * perHop, (i + 1) * perHop);
            if (hopProbes.stream().anyMatch(ProbeState::sent)) {
                hops.add(Results.hop(ttl, hopProbes));
            }
        }
        long end = finished ? endTick : engine.now();
        return new TraceResult(request.target(), dest, request.protocol(), transportName, status, hops, started,
                Duration.ofNanos(end - startTick), unmatched);
    }

    private void notify(Consumer<TraceListener> event) {
        if (listener == TraceListener.NONE) {
            return;
        }
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            // a listener must not change the trace (documented on TraceListener)
        }
    }
}
