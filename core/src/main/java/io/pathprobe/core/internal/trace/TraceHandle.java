package io.pathprobe.core.internal.trace;

import io.pathprobe.FlowMode;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.Hop;
import io.pathprobe.PathProbeException;
import io.pathprobe.ProbeResult;
import io.pathprobe.Trace;
import io.pathprobe.TraceListener;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.TraceStatus;
import io.pathprobe.core.internal.Targets;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.runtime.ProbeRun;
import io.pathprobe.core.internal.runtime.Publication;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.SerialExecutor;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Trace} a user holds: set-up (resolution and transport choice off the engine loop), the
 * deadline (which covers set-up), the {@link TraceStrategy} run, listener events on a serial view of
 * the tracer's executor, and the futures. State changes run on the engine loop; {@link #done} is the
 * engine's own completion (blocking {@code trace()} waits on it, never on the executor).
 */
public final class TraceHandle implements Trace {
    private static final System.Logger LOG = System.getLogger(TraceHandle.class.getName());

    private final TracerRuntime rt;
    private final TraceRequest request;
    private final TraceListener listener;
    private final @Nullable SerialExecutor events;
    private final Consumer<TraceHandle> onEnd;
    private final CompletableFuture<TraceResult> done = new CompletableFuture<>();
    private final CompletableFuture<TraceResult> published = new CompletableFuture<>();
    private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();
    private final Instant createdAt = Instant.now();
    private final long createdTick;
    private volatile @Nullable FutureTask<?> setup;
    private volatile @Nullable InetAddress destination;
    private volatile boolean resultRequested;

    // engine loop only
    private final ProbeRun<TraceResult> run;
    private Scheduler.Timer deadline = Scheduler.NO_TIMER;
    private volatile @Nullable TraceStrategy strategy;

    public TraceHandle(TracerRuntime rt, TraceRequest request, Consumer<TraceHandle> onEnd) {
        this.rt = rt;
        this.request = request;
        this.listener = request.listener();
        this.events = listener == TraceListener.NONE ? null : new SerialExecutor(rt.callbacks());
        this.onEnd = onEnd;
        this.createdTick = rt.ticker().read();
        this.run = new ProbeRun<>(rt.scheduler(), rt.ticker(), rt.sends(), new ProbeRun.Completion<>() {
            @Override
            public void completed(TraceResult result) {
                complete(result);
            }

            @Override
            public void failed(Throwable error) {
                fail(error);
            }
        });
    }

    // ---- set-up ------------------------------------------------------------------------------

    /** Starts the trace: arms the deadline, resolves and chooses a transport (off the loop when that may block). */
    public void launch() {
        if (!rt.scheduler().execute(this::armDeadline)) {
            forceEnd(TraceStatus.CANCELLED);
            return;
        }
        InetAddress literal;
        try {
            literal = request.address().map(a -> Targets.checked(request.target(), a))
                    .orElseGet(() -> Targets.literal(request.target()));
            if (literal != null) {
                Targets.checkVersion(request.target(), literal, request.ipVersion());
                TransportRegistry.Choice choice = choose(literal, TransportRegistry.Mode.CACHED);
                if (choice != null) {
                    InetAddress dest = literal;
                    onLoop(() -> begin(dest, choice));
                    return;
                }
            }
        } catch (RuntimeException e) {
            onLoop(() -> fail(e));
            return;
        }
        FutureTask<?> task = new FutureTask<>(() -> {
            try {
                InetAddress dest = literal != null ? literal
                        : Targets.resolve(request.target(), rt.resolver(), request.ipVersion());
                if (done.isDone()) {
                    return;
                }
                // engine-thread state: a deadline while the transport opens reports the destination
                onLoop(() -> {
                    if (!done.isDone()) {
                        destination = dest;
                    }
                });
                TransportRegistry.Choice choice = choose(dest, TransportRegistry.Mode.OPEN);
                onLoop(() -> begin(dest, choice));
            } catch (RuntimeException | LinkageError e) {
                onLoop(() -> fail(e));
            }
        }, null);
        setup = task;
        try {
            rt.setup().execute(task);
        } catch (RejectedExecutionException e) {
            onLoop(() -> fail(new IllegalStateException("tracer is closed")));
        }
    }

    /** The transport for this request's protocols and flow mode toward {@code dest}. */
    private TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
        FlowPolicy policy = request.flowMode() == FlowMode.CLASSIC ? FlowPolicy.PER_PROBE
                : request.flows() > 1 ? FlowPolicy.EXPLICIT : FlowPolicy.FIXED;
        return rt.registry().choose(request.protocols(), request.automaticProtocol(), dest instanceof Inet6Address,
                policy, request.flowModeGiven() || policy != FlowPolicy.FIXED, mode);
    }

    private void onLoop(Runnable action) {
        if (!rt.scheduler().execute(() -> {
            try {
                action.run();
            } catch (RuntimeException | LinkageError e) {
                fail(e); // e.g. openSession failed: a set-up error of this trace only
            }
        })) {
            forceEnd(TraceStatus.CANCELLED); // the engine has stopped: the tracer was closed
        }
    }

    private void armDeadline() {
        if (done.isDone()) {
            return;
        }
        long left = WaitPolicy.nanos(request.deadline()) - (rt.ticker().read() - createdTick);
        deadline = rt.scheduler().schedule(() -> stop(TraceStatus.DEADLINE_EXCEEDED), Math.max(0, left));
    }

    /** On the loop: the target resolved and a transport was chosen. */
    private void begin(InetAddress dest, TransportRegistry.Choice choice) {
        if (done.isDone()) {
            return;
        }
        destination = dest;
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        int port = choice.protocol() == ProbeProtocol.ICMP ? SessionSpec.DEFAULT_PORT
                : request.destinationPort(choice.protocol());
        ProbeSession session = transport.openSession(
                new SessionSpec(choice.protocol(), dest, port, choice.flowPolicy(), 0), run.listener());
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
                events == null ? null : new Events());
        this.strategy = strategy;
        event(l -> l.traceStarted(request, dest, choice.name()));
        run.start(session, strategy);
    }

    // ---- ending ------------------------------------------------------------------------------

    /** On the loop: stops the trace with {@code status} (CANCELLED or DEADLINE_EXCEEDED). */
    public void stop(TraceStatus status) {
        if (done.isDone()) {
            return;
        }
        if (run.started()) {
            run.stop(status == TraceStatus.DEADLINE_EXCEEDED ? Stop.DEADLINE : Stop.CANCELLED);
            return;
        }
        run.abandon(); // a session opened later is closed at once
        FutureTask<?> s = setup;
        if (s != null) {
            s.cancel(true); // a resolver that hangs is interrupted (if it listens)
        }
        complete(notStarted(status));
    }

    private TraceResult notStarted(TraceStatus status) {
        return new TraceResult(request.target(), Optional.ofNullable(destination), request.protocol(), "", status,
                List.of(), createdAt, Duration.ZERO, 0, Optional.empty());
    }

    /**
     * Ends the trace from outside the loop, once the loop has stopped (tracer closed): a trace
     * that has not ended ends with {@code status} and what it has.
     */
    public void forceEnd(TraceStatus status) {
        if (done.isDone()) {
            return;
        }
        FutureTask<?> s = setup;
        if (s != null) {
            s.cancel(true);
        }
        synchronized (this) {
            if (run.started() && !run.finished()) {
                run.stop(Stop.CANCELLED);
            } else {
                complete(notStarted(status));
            }
        }
    }

    private void complete(TraceResult result) {
        if (!done.complete(result)) {
            return;
        }
        deadline.cancel();
        onEnd.accept(this);
        event(l -> l.traceCompleted(result));
        publish();
    }

    private void fail(Throwable error) {
        if (!done.completeExceptionally(error)) {
            return;
        }
        run.abandon();
        deadline.cancel();
        onEnd.accept(this);
        publish();
    }

    /**
     * Completes the published future on the executor (its continuations never run on the loop),
     * after the listener's events; only once someone asked for {@link #result()}: a blocking
     * trace() costs no executor task and does not wait for the listener.
     */
    private void publish() {
        if (!resultRequested || published.isDone()) {
            return;
        }
        Publication.publish(done, published, events, rt.callbacks());
    }

    // ---- Trace -------------------------------------------------------------------------------

    @Override
    public TraceRequest request() {
        return request;
    }

    /**
     * A new future for the result, completed on the executor. Completing it from outside (cancel,
     * orTimeout, complete) stops the trace; it never detaches the engine's result.
     */
    @Override
    public CompletableFuture<TraceResult> result() {
        if (!resultRequested) {
            resultRequested = true;
            if (done.isDone()) {
                publish(); // ended before anyone asked
            }
        }
        return Publication.callersFuture(published, done, this::cancel);
    }

    @Override
    public void cancel() {
        rt.scheduler().execute(() -> stop(TraceStatus.CANCELLED));
    }

    @Override
    public TraceResult snapshot() {
        TraceResult end = finalResult();
        if (end != null) {
            return end;
        }
        if (rt.scheduler().inLoop()) {
            return snapshotNow();
        }
        CompletableFuture<TraceResult> snap = new CompletableFuture<>();
        if (rt.scheduler().execute(() -> {
            try {
                snap.complete(snapshotNow());
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
        end = finalResult();
        if (end != null) {
            return end;
        }
        TraceResult s = snap.getNow(null);
        return s != null ? s : notStarted(TraceStatus.RUNNING);
    }

    private @Nullable TraceResult finalResult() {
        if (!done.isDone()) {
            return null;
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        }
    }

    private TraceResult snapshotNow() {
        TraceResult end = finalResult();
        if (end != null) {
            return end;
        }
        return run.started() && !run.finished() ? run.snapshot() : notStarted(TraceStatus.RUNNING);
    }

    /**
     * Blocks until the engine ends the trace (never waits for the executor). On interrupt, cancels
     * and returns the partial result with the interrupt flag kept.
     */
    public TraceResult await() {
        try {
            return done.get();
        } catch (InterruptedException e) {
            cancel();
            try {
                while (true) {
                    try {
                        return done.get();
                    } catch (InterruptedException again) {
                        // keep waiting for the cancelled trace's partial result
                    }
                }
            } catch (ExecutionException ee) {
                throw unwrap(ee.getCause());
            } finally {
                Thread.currentThread().interrupt(); // the caller was interrupted: keep the flag
            }
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private RuntimeException unwrap(@Nullable Throwable cause) {
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        if (cause instanceof CancellationException ce) {
            return ce;
        }
        return new PathProbeException("trace of " + request.target() + " failed: " + cause, cause);
    }

    /** The running strategy, once started (tests check its accounting). */
    public @Nullable TraceStrategy strategy() {
        return strategy;
    }

    /** Whether the engine has ended the trace. */
    public boolean ended() {
        return done.isDone();
    }

    // ---- listener events ---------------------------------------------------------------------

    private void event(Consumer<TraceListener> e) {
        SerialExecutor ex = events;
        if (ex == null) {
            return;
        }
        ex.execute(() -> {
            try {
                e.accept(listener);
            } catch (RuntimeException | StackOverflowError t) {
                if (listenerFailureLogged.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "a TraceListener of the trace of " + request.target()
                            + " threw (ignored; logged once per trace)", t);
                }
            }
        });
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

    @Override
    public String toString() {
        return "Trace{" + request.target() + ", " + (done.isDone() ? "ended" : "running") + "}";
    }
}
