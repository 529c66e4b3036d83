package io.pathprobe.core.internal;

import io.pathprobe.IpVersion;
import io.pathprobe.PathProbeException;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.runtime.ProbeRun;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.core.internal.runtime.Publication;
import io.pathprobe.core.internal.runtime.Scheduler;
import io.pathprobe.core.internal.runtime.SerialExecutor;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.Targets;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
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
 * The handle of a measurement of one target by one {@link ProbeRun} (a trace, a multipath
 * discovery): set-up (resolution and transport choice off the engine loop when they may block), the
 * deadline (which covers set-up), listener events on a serial view of the tracer's executor, ending
 * (stop, forced end when the tracer closes), snapshots, the futures and the blocking wait. State
 * changes run on the engine loop; {@link #done} is the engine's own completion (a blocking call
 * waits on it, never on the executor). Subclasses say how a transport is chosen, how the run starts
 * and what a result without a run is.
 *
 * @param <R> the result
 * @param <L> the listener
 */
public abstract class SingleTargetHandle<R, L> {
    private static final System.Logger LOG = System.getLogger(SingleTargetHandle.class.getName());

    protected final TracerRuntime rt;
    private final String kind;
    private final String target;
    private final Optional<InetAddress> address;
    private final IpVersion ipVersion;
    private final Duration deadlineAfter;
    private final L listener;
    private final @Nullable SerialExecutor events;
    private final Consumer<? super SingleTargetHandle<R, L>> onEnd;
    private final CompletableFuture<R> done = new CompletableFuture<>();
    private final CompletableFuture<R> published = new CompletableFuture<>();
    private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();
    private final Instant createdAt = Instant.now();
    private final long createdTick;
    private volatile @Nullable FutureTask<?> setup;
    private volatile @Nullable InetAddress destination;
    private volatile boolean resultRequested;

    // engine loop only
    private final ProbeRun<R> run;
    private Scheduler.Timer deadline = Scheduler.NO_TIMER;
    /** Probing ended; the result waits for lookups (EnrichMode.AWAIT). Written on the loop. */
    private volatile @Nullable R awaiting;
    private Scheduler.Timer awaitTimer = Scheduler.NO_TIMER;

    /**
     * @param kind what it is, for messages ("trace")
     * @param target the target as given
     * @param address the address, if the request was built from one
     * @param ipVersion the address family a name resolves to
     * @param deadline the time limit, set-up included
     * @param listener the listener
     * @param none the listener that does nothing (no executor task is spent on it)
     * @param onEnd told once the measurement ended (the tracer's bookkeeping)
     */
    protected SingleTargetHandle(TracerRuntime rt, String kind, String target, Optional<InetAddress> address,
            IpVersion ipVersion, Duration deadline, L listener, L none,
            Consumer<? super SingleTargetHandle<R, L>> onEnd) {
        this.rt = rt;
        this.kind = kind;
        this.target = target;
        this.address = address;
        this.ipVersion = ipVersion;
        this.deadlineAfter = deadline;
        this.listener = listener;
        this.events = listener == none ? null : new SerialExecutor(rt.callbacks());
        this.onEnd = onEnd;
        this.createdTick = rt.ticker().read();
        this.run = new ProbeRun<>(rt.scheduler(), rt.ticker(), rt.sends(), new ProbeRun.Completion<>() {
            @Override
            public void completed(R result) {
                complete(result);
            }

            @Override
            public void failed(Throwable error) {
                fail(error);
            }
        });
    }

    // ---- what subclasses say ------------------------------------------------------------------

    /**
     * The transport toward {@code dest}; with {@link TransportRegistry.Mode#CACHED}, null when finding
     * out would block. May throw the typed set-up errors.
     */
    protected abstract TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode);

    /**
     * On the loop: opens the session with {@link #run()}'s listener, makes the strategy, sends the
     * started event and calls {@code run().start(...)}. An exception fails the measurement.
     */
    protected abstract void begin(InetAddress dest, TransportRegistry.Choice choice);

    /**
     * The result of a measurement whose run never started.
     *
     * @param reason why it ended, or null for a snapshot while it is still setting up
     * @param destination the destination, if it resolved
     * @param createdAt when the handle was made
     */
    protected abstract R notStarted(@Nullable Stop reason, Optional<InetAddress> destination, Instant createdAt);

    /** The listener's last event. */
    protected abstract void completedEvent(L listener, R result);

    /** {@code raw} with what the lookups found so far (on the loop; must not block). Default: as is. */
    protected R enriched(R raw) {
        return raw;
    }

    /**
     * What the result of {@code raw} waits for before it is made (EnrichMode.AWAIT: the lookups still
     * running), at most {@link #lookupWait()}; a done future makes it at once (the default).
     */
    protected CompletableFuture<?> lookupsToAwait(R raw) {
        return CompletableFuture.completedFuture(null);
    }

    /** The longest a result waits for {@link #lookupsToAwait}. */
    protected Duration lookupWait() {
        return Duration.ZERO;
    }

    // ---- set-up ------------------------------------------------------------------------------

    /** Starts: arms the deadline, resolves and chooses a transport (off the loop when that may block). */
    public void launch() {
        if (!rt.scheduler().execute(this::armDeadline)) {
            forceEnd();
            return;
        }
        InetAddress literal;
        try {
            literal = address.map(a -> Targets.checked(target, a)).orElseGet(() -> Targets.literal(target));
            if (literal != null) {
                Targets.checkVersion(target, literal, ipVersion);
                TransportRegistry.Choice choice = choose(literal, TransportRegistry.Mode.CACHED);
                if (choice != null) {
                    InetAddress dest = literal;
                    onLoop(() -> begun(dest, choice));
                    return;
                }
            }
        } catch (RuntimeException e) {
            onLoop(() -> fail(e));
            return;
        }
        FutureTask<?> task = new FutureTask<>(() -> {
            try {
                InetAddress dest = literal != null ? literal : Targets.resolve(target, rt.resolver(), ipVersion);
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
                if (choice == null) {
                    throw new IllegalStateException("no transport choice for " + dest);
                }
                onLoop(() -> begun(dest, choice));
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

    private void onLoop(Runnable action) {
        if (!rt.scheduler().execute(() -> {
            try {
                action.run();
            } catch (RuntimeException | LinkageError e) {
                fail(e); // e.g. openSession failed: a set-up error of this measurement only
            }
        })) {
            forceEnd(); // the engine has stopped: the tracer was closed
        }
    }

    private void armDeadline() {
        if (done.isDone()) {
            return;
        }
        long left = WaitPolicy.nanos(deadlineAfter) - (rt.ticker().read() - createdTick);
        deadline = rt.scheduler().schedule(() -> stop(Stop.DEADLINE), Math.max(0, left));
    }

    private void begun(InetAddress dest, TransportRegistry.Choice choice) {
        if (done.isDone()) {
            return;
        }
        destination = dest;
        begin(dest, choice);
    }

    /** The run: its listener opens the session, {@link ProbeRun#start} starts it. */
    protected final ProbeRun<R> run() {
        return run;
    }

    // ---- ending ------------------------------------------------------------------------------

    /** On the loop: stops with {@code reason} (CANCELLED or DEADLINE) and what it has. */
    public final void stop(Stop reason) {
        if (done.isDone()) {
            return;
        }
        if (awaiting != null) {
            endAwait(); // cancelled or out of time while waiting for lookups: what they found so far
            return;
        }
        if (run.started()) {
            run.stop(reason);
            return;
        }
        run.abandon(); // a session opened later is closed at once
        FutureTask<?> s = setup;
        if (s != null) {
            s.cancel(true); // a resolver that hangs is interrupted (if it listens)
        }
        complete0(enriched(notStarted(reason, Optional.ofNullable(destination), createdAt)));
    }

    /**
     * Ends from outside the loop, once the loop has stopped (tracer closed): one that has not ended
     * ends CANCELLED with what it has.
     */
    public final void forceEnd() {
        if (done.isDone()) {
            return;
        }
        FutureTask<?> s = setup;
        if (s != null) {
            s.cancel(true);
        }
        synchronized (this) {
            R waiting = awaiting;
            if (waiting != null) {
                complete0(enriched(waiting));
            } else if (run.started() && !run.finished()) {
                run.stop(Stop.CANCELLED);
            } else {
                complete0(enriched(notStarted(Stop.CANCELLED, Optional.ofNullable(destination), createdAt)));
            }
        }
    }

    /**
     * Probing ended with {@code raw}: the result is made now, or (on the loop, when lookups are to be
     * awaited) once they have ended, the wait has expired or the measurement is stopped.
     */
    private void complete(R raw) {
        if (done.isDone() || awaiting != null) {
            return;
        }
        CompletableFuture<?> wait = rt.scheduler().inLoop() ? lookupsToAwait(raw) : CompletableFuture.completedFuture(null);
        if (wait.isDone()) {
            complete0(enriched(raw));
            return;
        }
        awaiting = raw;
        awaitTimer = rt.scheduler().schedule(this::endAwait, WaitPolicy.nanos(lookupWait()));
        wait.whenComplete((v, e) -> {
            if (!rt.scheduler().execute(this::endAwait)) {
                forceEnd();
            }
        });
    }

    /** On the loop: the wait for lookups is over. */
    private void endAwait() {
        R raw = awaiting;
        if (raw == null || done.isDone()) {
            return;
        }
        awaitTimer.cancel();
        complete0(enriched(raw));
    }

    private void complete0(R result) {
        if (!done.complete(result)) {
            return;
        }
        deadline.cancel();
        onEnd.accept(this);
        event(l -> completedEvent(l, result));
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
     * after the listener's events; only once someone asked for {@link #result()}: a blocking call
     * costs no executor task and does not wait for the listener.
     */
    private void publish() {
        if (!resultRequested || published.isDone()) {
            return;
        }
        Publication.publish(done, published, events, rt.callbacks());
    }

    // ---- the user's handle ---------------------------------------------------------------------

    /**
     * A new future for the result, completed on the executor. Completing it from outside (cancel,
     * orTimeout, complete) stops the measurement; it never detaches the engine's result.
     */
    public CompletableFuture<R> result() {
        if (!resultRequested) {
            resultRequested = true;
            if (done.isDone()) {
                publish(); // ended before anyone asked
            }
        }
        return Publication.callersFuture(published, done, this::cancel);
    }

    public void cancel() {
        rt.scheduler().execute(() -> stop(Stop.CANCELLED));
    }

    /** What is known now: taken on the loop (waiting for it), the final result once ended. */
    public R snapshot() {
        R end = finalResult();
        if (end != null) {
            return end;
        }
        if (rt.scheduler().inLoop()) {
            return snapshotNow();
        }
        CompletableFuture<R> snap = new CompletableFuture<>();
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
        R s = snap.getNow(null);
        return s != null ? s : notStarted(null, Optional.ofNullable(destination), createdAt);
    }

    private @Nullable R finalResult() {
        if (!done.isDone()) {
            return null;
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        }
    }

    private R snapshotNow() {
        R end = finalResult();
        if (end != null) {
            return end;
        }
        R waiting = awaiting;
        if (waiting != null) {
            return enriched(waiting);
        }
        return run.started() && !run.finished() ? enriched(run.snapshot())
                : notStarted(null, Optional.ofNullable(destination), createdAt);
    }

    /**
     * Blocks until the engine ends the measurement (never waits for the executor). On interrupt,
     * cancels and returns the partial result with the interrupt flag kept.
     */
    public R await() {
        return Publication.awaitCancellingOnInterrupt(done, this::cancel, this::unwrap);
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
        return new PathProbeException(kind + " of " + target + " failed: " + cause, cause);
    }

    /** Whether the engine has ended it. */
    public final boolean ended() {
        return done.isDone();
    }

    // ---- listener events ---------------------------------------------------------------------

    /** Queues an event for the listener, behind every earlier one; a listener that throws is logged once. */
    protected final void event(Consumer<L> e) {
        SerialExecutor ex = events;
        if (ex == null) {
            return;
        }
        ex.execute(() -> {
            try {
                e.accept(listener);
            } catch (RuntimeException | StackOverflowError t) {
                if (listenerFailureLogged.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "the listener of the " + kind + " of " + target
                            + " threw (ignored; logged once per " + kind + ")", t);
                }
            }
        });
    }

    /** Whether events go anywhere (a listener other than the no-op one). */
    protected final boolean listening() {
        return events != null;
    }

    /** "Name{target, running}" or "Name{target, ended}". */
    protected final String describe(String name) {
        return name + "{" + target + ", " + (done.isDone() ? "ended" : "running") + "}";
    }
}
