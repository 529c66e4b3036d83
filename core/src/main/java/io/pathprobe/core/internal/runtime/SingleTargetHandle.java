package io.pathprobe.core.internal.runtime;

import io.pathprobe.MeasurementType;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a trace and a multipath discovery add to their {@link Lifecycle} (which owns the lifecycle):
 * one target probed by one {@link ProbeRun} on a transport of its own choice, whose failure (a set-up
 * error) fails the measurement; a result that is the run's (or, before it started, one that says so),
 * enriched with what the lookups found so far. Subclasses say how a transport is chosen, how the run
 * starts, what a result without a run is and what enrichment adds.
 *
 * @param <R> the result
 * @param <L> the listener
 */
public abstract class SingleTargetHandle<R, L> extends LifecycleHandle<R, L> implements Lifecycle.Spec<R, L>, Ended {
    protected final TracerRuntime rt;
    private final Duration awaitLimit;
    private final String target;
    private final Lifecycle<R, L> measurement;
    private final MeasurementPart<R> part;
    private volatile @Nullable R raw; // the run's outcome, written on the loop

    /**
     * @param awaitLimit the longest a completed result waits for its lookups (EnrichMode.AWAIT)
     * @param kind what it is, for messages ("trace")
     * @param deadline the time limit, set-up included
     * @param none the listener that does nothing (no executor task is spent on it)
     * @param completed the listener's last event, with the result ({@code TraceListener::completed})
     */
    protected SingleTargetHandle(TracerRuntime rt, Duration awaitLimit, Measurements owner,
            MeasurementType<?, ?> measurementKind, String kind,
            String target, Optional<InetAddress> address, IpVersion ipVersion, Duration deadline, L listener, L none,
            BiConsumer<L, R> completed) {
        this(rt, awaitLimit, owner, measurementKind, kind, target, address, ipVersion,
                Optional.of(deadline), listener, none, completed);
    }

    /** As above, with a deadline that may be absent (a monitor runs until cancelled). */
    protected SingleTargetHandle(TracerRuntime rt, Duration awaitLimit, Measurements owner,
            MeasurementType<?, ?> measurementKind, String kind,
            String target, Optional<InetAddress> address, IpVersion ipVersion, Optional<Duration> deadline, L listener,
            L none, BiConsumer<L, R> completed) {
        this.rt = rt;
        this.awaitLimit = awaitLimit;
        this.target = target;
        this.measurement = new Lifecycle<>(rt, owner, measurementKind, kind + " of " + target, deadline,
                listener, none, completed, Integer.MAX_VALUE, this);
        Hooks hooks = new Hooks();
        this.part = measurement.part(target, address, ipVersion, hooks, hooks, hooks);
    }

    /** What the part asks of this handle: one class, not two lambdas and a class (docs/startup.md). */
    private final class Hooks implements MeasurementPart.Chooser, MeasurementPart.Begin, MeasurementPart.Ending<R> {
        @Override
        public TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode) {
            return SingleTargetHandle.this.choose(dest, mode);
        }

        @Override
        public void begin(InetAddress dest, TransportRegistry.@Nullable Choice choice) {
            SingleTargetHandle.this.begin(dest, Objects.requireNonNull(choice));
        }

        @Override
        public void completed(R result) {
            raw = result;
        }

        @Override
        public void failed(Throwable error) {
            measurement.fail(error);
        }
    }

    /** Paces its probes at the request's own rate ({@link Lifecycle#limitRate}); in the constructor. */
    protected final void limitRate(int perSecond) {
        measurement.limitRate(perSecond);
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

    /** {@code raw} with what the lookups found so far (on the loop; must not block). Default: as is. */
    protected R enriched(R raw) {
        return raw;
    }

    /** What the result of the run's outcome {@code raw} waits for (EnrichMode.AWAIT: the lookups running). */
    protected CompletableFuture<?> lookupsToAwait(R raw) {
        return CompletableFuture.completedFuture(null);
    }

    // ---- the measurement's spec -----------------------------------------------------------------

    @Override
    public final R result(@Nullable Stop end) {
        R r = raw;
        if (r == null) {
            r = part.running() ? part.run().snapshot() : notStarted(end, part.destination(), measurement.createdAt());
        }
        return enriched(r);
    }

    @Override
    public final Duration awaitLimit() {
        return awaitLimit;
    }

    @Override
    public final CompletableFuture<?> awaitBeforeResult() {
        R r = raw;
        return r == null ? CompletableFuture.completedFuture(null) : lookupsToAwait(r);
    }

    // ---- for subclasses -------------------------------------------------------------------------

    /** The run: its listener opens the session, {@link ProbeRun#start} starts it. */
    protected final ProbeRun<R> run() {
        return part.run();
    }

    /** The chosen transport, opened. */
    protected static ProbeTransport transport(TransportRegistry.Choice choice) {
        ProbeTransport transport = choice.transport();
        if (transport == null) {
            throw new IllegalStateException("no transport opened for " + choice.name());
        }
        return transport;
    }

    /**
     * The destination port for the chosen protocol: the request's, none for ICMP.
     *
     * @param requested the request's port for {@code choice}'s protocol
     */
    protected static int port(TransportRegistry.Choice choice, int requested) {
        return choice.protocol() == ProbeProtocol.ICMP ? SessionSpec.DEFAULT_PORT : requested;
    }

    /** Queues an event for the listener, behind every earlier one; a listener that throws is logged once. */
    protected final void event(Consumer<L> e) {
        measurement.event(e);
    }

    /** Whether events go anywhere (a listener other than the no-op one). */
    protected final boolean listening() {
        return measurement.listening();
    }

    /** "Name{target, running}" or "Name{target, ended}". */
    protected final String describe(String name) {
        return measurement.describe(name, target);
    }

    @Override
    protected final Lifecycle<R, L> measurement() {
        return measurement;
    }
}
