package io.pathprobe.core.internal.runtime;

import io.pathprobe.MeasurementType;
import io.pathprobe.PathProbeException;
import io.pathprobe.core.internal.probe.WaitPolicy;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.internal.Awaiting;
import io.pathprobe.probe.IpVersion;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle of one measurement, the same for every kind (trace, multipath discovery, ping, and
 * whatever comes next): the engine's result ({@code done}) and the caller's ({@link #result()}), the
 * deadline (which covers set-up), the listener's events, ending (completed, {@link #stop stopped},
 * {@link #forceEnd forced} when the tracer closes), the wait for lookups before the result
 * (EnrichMode.AWAIT), {@link #snapshot()} and the blocking {@link #await()}. The measurement is made of
 * {@link MeasurementPart}s, one {@link ProbeRun} each with its set-up (a trace has one, a ping one per target);
 * a measurement that probes otherwise may have none and end itself ({@link #complete()}, {@link #fail}).
 * What differs between kinds is said by a {@link Spec} (the result now) and the listener's last event.
 *
 * <p><b>Threads.</b> State changes run on the engine loop; once the loop has stopped (tracer closed),
 * {@link #forceEnd()} ends what is left on the caller's thread, under this object's lock. Name
 * resolution and transport choice that may block run on the tracer's set-up pool. Listener events run
 * on a serial view of the tracer's callback executor, in the order they were queued, after one another:
 * user code never runs on the engine loop or a set-up thread, and a slow listener delays only its own
 * later events. Per-probe events ({@link #probeEvent}) beyond a bound are dropped and counted (logged
 * once at the end); the others ({@link #event}) never are. A listener that throws is logged once per
 * measurement and ignored. The caller's future completes on the executor after the listener's last
 * event; {@link #await()} waits for the engine only (never for the executor).
 *
 * <p><b>One error policy.</b> A measurement ends normally for every reason it can end (completed,
 * cancelled, deadline, tracer closed): its result says how, and per-part problems a kind treats as data
 * stay data. It fails only when it cannot start (or a kind says a part's failure fails it): the caller's
 * future completes exceptionally with the cause, and {@link #await()} and {@link #snapshot()} throw it:
 * a {@link RuntimeException} as is (the typed {@link PathProbeException}s, e.g. UnknownTargetException
 * and NoTransportAvailableException; IllegalStateException for a closed tracer; IllegalArgumentException
 * for a request the transport cannot serve), an {@link Error} as is, anything else wrapped in a
 * {@link PathProbeException} that names the measurement.
 *
 * @param <R> the result
 * @param <L> the listener
 */
public final class Lifecycle<R, L> {
    private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());
    /**
     * Cancels, for the caller's future and an interrupted wait. On a first trace's path, as the other tasks here, a
     * class rather than a lambda: a lambda is generated at its first use (docs/startup.md).
     */
    private final Runnable cancelTask = new Runnable() {
        @Override
        public void run() {
            requestCancel();
        }
    };
    private static final CompletableFuture<Void> NOTHING = CompletableFuture.completedFuture(null);

    /** What a kind of measurement says. Called on the engine loop (or, the loop stopped, under the lock). */
    public interface Spec<R, L> {
        /**
         * The result now; must not block. {@code end} is null for a snapshot of a running measurement,
         * else how it ended: {@link Stop#COMPLETED} (every part ended on its own, or {@link #complete()}),
         * {@link Stop#CANCELLED} (cancel, or the tracer closed) or {@link Stop#DEADLINE}. Every part has
         * ended before an end's result is asked for.
         */
        R result(@Nullable Stop end);

        /**
         * What a completed result waits for (the lookups still running, EnrichMode.AWAIT), at most the
         * lookups' await limit; asked once, on the loop. Default: nothing.
         */
        default CompletableFuture<?> awaitBeforeResult() {
            return NOTHING;
        }

        /** The longest {@link #awaitBeforeResult()} is waited for. Default: zero. */
        default Duration awaitLimit() {
            return Duration.ZERO;
        }

        /**
         * It has ended (its result made, or failed), once, on the loop (or under the lock once the loop
         * stopped), before the listener's last event: release what it holds besides its parts (which
         * are closed already), e.g. connections of a measurement that probes otherwise. Must not block.
         */
        default void release() {}
    }

    private final TracerRuntime rt;
    private final Measurements owner;
    private final MeasurementType<?, ?> kind;
    private final String what;
    private final Optional<Duration> deadlineAfter;
    private final ListenerEvents<L> events;
    private final Spec<R, L> spec;
    private final BiConsumer<L, R> completed;
    private final CompletableFuture<R> done = new CompletableFuture<>();
    private final CompletableFuture<R> published = new CompletableFuture<>();
    /** The callers' futures not complete yet, for {@link #cancel()} to complete before it returns. */
    private final Publication.Callers<R> callers = new Publication.Callers<>();
    private final Instant createdAt;
    private final long createdTick;
    private final List<MeasurementPart<?>> parts = new ArrayList<>();
    /** The measurement's own probe rate, shared by its parts' runs; null for none (the tracer's budget only). */
    private @Nullable RateBudget ownRate;
    private volatile boolean launched;
    private volatile boolean resultRequested;

    // engine loop (or, the loop stopped, under this object's lock)
    private boolean stopping;
    private boolean awaiting;
    private Scheduler.Timer deadline = Scheduler.NO_TIMER;
    private Scheduler.Timer awaitTimer = Scheduler.NO_TIMER;

    /**
     * @param owner the tracer's measurements: it is in them from {@link #launch()} until it ends
     * @param what what it is, for messages: "trace of example.org"
     * @param deadline the time limit from now, set-up included; empty for none
     * @param listener the listener
     * @param none the listener that does nothing (no executor task is spent on it)
     * @param completed the listener's last event, with the result ({@code TraceListener::completed})
     * @param maxQueuedProbeEvents the most events queued for the listener beyond which
     *     {@link #probeEvent}s are dropped ({@link Integer#MAX_VALUE}: never)
     */
    public Lifecycle(TracerRuntime rt, Measurements owner, MeasurementType<?, ?> kind, String what,
            Optional<Duration> deadline, L listener, L none, BiConsumer<L, R> completed, int maxQueuedProbeEvents,
            Spec<R, L> spec) {
        this.rt = rt;
        this.owner = owner;
        this.kind = kind;
        this.what = what;
        this.deadlineAfter = deadline;
        this.events = new ListenerEvents<>(listener, none, rt.callbacks(), maxQueuedProbeEvents, what, kind);
        this.spec = spec;
        this.completed = completed;
        this.createdTick = rt.ticker().read();
        this.createdAt = rt.wallClock().now();
    }

    // ---- parts and set-up -----------------------------------------------------------------------

    /**
     * Adds a part (before {@link #launch()}): one target, set up and probed by one {@link ProbeRun}.
     *
     * @param target the target as given (a name or a literal)
     * @param address the address, if the request was built from one
     * @param ipVersion the family a name resolves to
     * @param chooser the transport's choice; null when the part needs none ({@code begin} gets null)
     */
    public <T> MeasurementPart<T> part(String target, Optional<InetAddress> address, IpVersion ipVersion,
            MeasurementPart.@Nullable Chooser chooser, MeasurementPart.Begin begin, MeasurementPart.Ending<T> ending) {
        if (launched) {
            throw new IllegalStateException("parts are added before launch");
        }
        MeasurementPart<T> p = new MeasurementPart<>(this, rt, target, address, ipVersion, chooser, begin, ending);
        parts.add(p);
        if (ownRate != null) {
            p.run().limitRate(ownRate);
        }
        return p;
    }

    /**
     * Paces every part's probes, all together, at {@code perSecond} from the first probe (burst 1), on top of the
     * tracer's budget; 0 leaves the tracer's budget alone. Before {@link #launch()}.
     */
    public void limitRate(int perSecond) {
        if (launched) {
            throw new IllegalStateException("the rate is set before launch");
        }
        if (perSecond == 0) {
            return;
        }
        RateBudget rate = new RateBudget(perSecond, 1, rt.ticker().read());
        ownRate = rate;
        for (MeasurementPart<?> p : parts) {
            p.run().limitRate(rate);
        }
    }

    /**
     * Starts: joins the tracer's measurements (throws IllegalStateException if the tracer is closed),
     * arms the deadline and sets up every part (literals with a known transport at once on the loop,
     * the rest on the set-up pool).
     */
    public void launch() {
        if (launched) {
            throw new IllegalStateException(what + " was launched already");
        }
        launched = true;
        owner.add(this);
        if (!rt.scheduler().execute(new Runnable() {
            @Override
            public void run() {
                armDeadline();
            }
        })) {
            forceEnd();
            return;
        }
        for (MeasurementPart<?> p : parts) {
            p.launch();
        }
    }

    private void armDeadline() {
        if (done.isDone() || deadlineAfter.isEmpty()) {
            return;
        }
        long left = WaitPolicy.nanos(deadlineAfter.get()) - (rt.ticker().read() - createdTick);
        deadline = rt.scheduler().schedule(new Runnable() {
            @Override
            public void run() {
                stop(Stop.DEADLINE);
            }
        }, Math.max(0, left));
    }

    /**
     * Whether it has ended or is being stopped (a part that resolves now does not begin; a measurement
     * that starts its parts' runs itself, as traceAll's admission does, starts none either).
     */
    public boolean over() {
        return stopping || done.isDone();
    }

    /** Whether the engine has ended it (for its parts' set-up threads). */
    boolean isDone() {
        return done.isDone();
    }

    /** A part ended: the measurement completes once every part has, unless it is being stopped. */
    void partEnded() {
        if (stopping || done.isDone()) {
            return;
        }
        for (MeasurementPart<?> p : parts) {
            if (!p.ended()) {
                return;
            }
        }
        finish(Stop.COMPLETED);
    }

    // ---- ending ---------------------------------------------------------------------------------

    /**
     * On the loop: stops with {@code reason} (CANCELLED or DEADLINE) and what it has: running parts
     * give their strategy's outcome, the others end before their start. While it waits for lookups, it
     * completes at once with what they found so far.
     */
    public void stop(Stop reason) {
        if (done.isDone()) {
            return;
        }
        if (awaiting) {
            endAwait();
            return;
        }
        end(reason);
    }

    /**
     * On the loop: completes now, for a measurement whose end is not its parts' end: parts still
     * running are stopped (COMPLETED) and the result waits for lookups like any completed one.
     */
    public void complete() {
        if (done.isDone() || awaiting) {
            return;
        }
        end(Stop.COMPLETED);
    }

    private void end(Stop reason) {
        stopping = true;
        for (MeasurementPart<?> p : parts) {
            p.stop(reason);
        }
        finish(reason);
    }

    /**
     * Ends from outside the loop once the loop has stopped (tracer closed): one that has not ended ends
     * CANCELLED with what it has (COMPLETED if it was waiting for lookups).
     */
    public void forceEnd() {
        if (done.isDone()) {
            return;
        }
        synchronized (this) {
            stop(Stop.CANCELLED);
        }
    }

    private void finish(Stop end) {
        if (done.isDone() || awaiting) {
            return;
        }
        if (end == Stop.COMPLETED && rt.scheduler().inLoop()) {
            CompletableFuture<?> wait = spec.awaitBeforeResult();
            if (!wait.isDone()) {
                awaiting = true;
                awaitTimer = rt.scheduler().schedule(this::endAwait, WaitPolicy.nanos(spec.awaitLimit()));
                wait.whenComplete((v, e) -> {
                    if (!rt.scheduler().execute(this::endAwait)) {
                        forceEnd();
                    }
                });
                return;
            }
        }
        complete(end);
    }

    /** On the loop: the wait for lookups is over (they ended, the wait expired, or it was stopped). */
    private void endAwait() {
        if (!awaiting || done.isDone()) {
            return;
        }
        awaitTimer.cancel();
        complete(Stop.COMPLETED);
    }

    private void complete(Stop end) {
        R result;
        try {
            result = spec.result(end);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "pathprobe " + what + " failed while ending", e);
            fail(e);
            return;
        }
        if (!done.complete(result)) {
            return;
        }
        closeDown();
        long dropped = events.dropped();
        if (dropped > 0) {
            LOG.log(Level.WARNING, "a slow listener missed " + dropped + " probe events of the " + what);
        }
        if (listening()) {
            event(l -> completed.accept(l, result));
        }
        publish();
    }

    /** Fails the measurement with {@code error} (a set-up error): every part abandoned, no result. */
    public void fail(Throwable error) {
        if (!done.completeExceptionally(error)) {
            return;
        }
        for (MeasurementPart<?> p : parts) {
            p.run().abandon();
        }
        closeDown();
        publish();
    }

    private void closeDown() {
        deadline.cancel();
        awaitTimer.cancel();
        for (MeasurementPart<?> p : parts) {
            p.cancelSetUp();
        }
        owner.remove(this);
        try {
            spec.release();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "releasing the " + what + " failed", e);
        }
    }

    /**
     * Completes the published future on the executor (its continuations never run on the loop), after
     * the listener's events; only once someone asked for {@link #result()}: a blocking call costs no
     * executor task and does not wait for the listener.
     */
    private void publish() {
        if (!resultRequested || published.isDone() || !done.isDone()) {
            return;
        }
        Publication.publish(done, published, events.executor(), rt.callbacks());
    }

    // ---- the user's handle --------------------------------------------------------------------

    /** Runs {@code action} when the engine's result is made (on the loop), see {@link Ended}. */
    public void whenEnded(java.util.function.BiConsumer<Object, Throwable> action) {
        done.whenComplete(action::accept);
    }

    /**
     * A new future for the result, completed on the executor after the listener's last event.
     * Completing it from outside (cancel, orTimeout, complete) stops the measurement; it never
     * detaches the engine's result.
     */
    public CompletableFuture<R> result() {
        if (!resultRequested) {
            resultRequested = true;
            publish(); // ended before anyone asked
        }
        return callers.add(Publication.callersFuture(published, done, cancelTask));
    }

    /** Stops it (on the loop) with what it has; does nothing once ended. Returns at once. */
    public void requestCancel() {
        rt.scheduler().execute(new Ended.Cancel(this));
    }

    /**
     * Stops it with what it has and returns that result, or the final one once ended: waits for the loop to
     * close it (at most 10 s, then what is known; a loop its caller drives runs the stop at once). Before it
     * returns, every future {@link #result()} gave is complete with that result ({@link Publication#now}).
     * A failed measurement throws its failure.
     */
    public R cancel() {
        try {
            return stopAndTake();
        } finally {
            resultRequested = true;
            publish(); // queued behind the listener's events, if it ended and was not yet
            Publication.now(done, published, callers, rt.scheduler());
        }
    }

    private R stopAndTake() {
        R end = finalResult();
        if (end != null) {
            return end;
        }
        if (rt.scheduler().inLoop()) {
            stop(Stop.CANCELLED);
            return snapshotNow();
        }
        if (rt.scheduler().execute(new Ended.Cancel(this)) && !rt.scheduler().runQueued()) {
            try {
                done.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the failure, or what is known: below
            }
        }
        return snapshot();
    }

    /**
     * What is known now: taken on the loop (waiting for it, at most 10 s), the final result once
     * ended. A failed measurement throws its failure, as {@link #await()} does.
     */
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
        if (snap.isDone() && !snap.isCompletedExceptionally()) {
            return snap.join();
        }
        synchronized (this) {
            return spec.result(null); // the loop has stopped (or is stuck): taken here
        }
    }

    private R snapshotNow() {
        R end = finalResult();
        return end != null ? end : spec.result(null);
    }

    private @Nullable R finalResult() {
        if (!done.isDone()) {
            return null;
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            throw Awaiting.unchecked(e.getCause(), this::failed);
        }
    }

    /**
     * Blocks until the engine ends the measurement (never waits for the executor). On interrupt,
     * cancels and returns the partial result with the interrupt flag kept. Throws as the class says.
     */
    public R await() {
        if (rt.scheduler().runUntil(new java.util.function.BooleanSupplier() {
            @Override
            public boolean getAsBoolean() {
                return done.isDone();
            }
        }) && !done.isDone()) {
            throw new IllegalStateException(what + " cannot end: the scheduler it runs on has nothing left to run");
        }
        return Awaiting.await(done, cancelTask, this::failed);
    }

    /** The one error policy: a failed measurement whose cause is checked (a blocking call throws it). */
    private PathProbeException failed(@Nullable Throwable cause) {
        return new PathProbeException(what + " failed: " + cause, cause);
    }

    /** Whether the engine has ended it. */
    public boolean ended() {
        return done.isDone();
    }

    /** What kind of measurement it is (the tracer's active counts). */
    public MeasurementType<?, ?> kind() {
        return kind;
    }

    /** When it was made (wall clock). */
    public Instant createdAt() {
        return createdAt;
    }

    /** When it was made (engine ticks). */
    public long createdTick() {
        return createdTick;
    }

    // ---- listener events ------------------------------------------------------------------------

    /** Queues an event for the listener, behind every earlier one; never dropped. */
    public void event(Consumer<L> e) {
        events.queue(false, e);
    }

    /** Queues a per-probe event; dropped (and counted) when the listener is that far behind. */
    public void probeEvent(Consumer<L> e) {
        events.queue(true, e);
    }

    /** Whether events go anywhere (a listener other than the no-op one). */
    public boolean listening() {
        return events.executor() != null;
    }

    /** "Name{target, running}" or "Name{target, ended}". */
    public String describe(String name, String target) {
        return name + "{" + target + ", " + (done.isDone() ? "ended" : "running") + "}";
    }

    @Override
    public String toString() {
        return "Lifecycle{" + what + ", " + (done.isDone() ? "ended" : "running") + "}";
    }
}
