package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import io.pathprobe.probe.IpVersion;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One target of a {@link Lifecycle}: its set-up (the name resolved and the transport chosen off the
 * engine loop when that may block; literals with a known transport at once) and its {@link ProbeRun}.
 * Its end (the run's outcome, a failure, or a stop before its run started) is told once, on the loop,
 * to its {@link Ending}, then to the measurement, which completes when every part has ended.
 *
 * @param <T> the run's result
 */
public final class MeasurementPart<T> {
    /** The transport toward {@code dest}; with {@link TransportRegistry.Mode#CACHED}, null if that would block. */
    @FunctionalInterface
    public interface Chooser {
        TransportRegistry.@Nullable Choice choose(InetAddress dest, TransportRegistry.Mode mode);
    }

    /**
     * On the loop: the part's target resolved (and its transport was chosen, unless it has no
     * {@link Chooser}): open the session with the part's {@code run().listener()}, make the strategy,
     * queue the started event, {@code run().start(...)}. An exception ends the part as failed (set-up).
     */
    @FunctionalInterface
    public interface Begin {
        void begin(InetAddress dest, TransportRegistry.@Nullable Choice choice);
    }

    /** How a part ended, told once, on the loop; then the measurement completes if every part has ended. */
    public interface Ending<T> {
        /** Its run ended with the strategy's outcome (on its own, stopped or at the deadline). */
        void completed(T result);

        /** Set-up or its run failed ({@link MeasurementPart#started()} says which). */
        void failed(Throwable error);

        /** Stopped before its run started (cancelled, deadline, tracer closed). */
        default void stoppedBeforeStart(Stop reason) {}
    }

    private final Lifecycle<?, ?> measurement;
    private final TracerRuntime rt;
    private final String target;
    private final Optional<InetAddress> address;
    private final IpVersion ipVersion;
    private final @Nullable Chooser chooser;
    private final Begin begin;
    private final Ending<T> ending;
    private final ProbeRun<T> run;
    private volatile @Nullable InetAddress destination;
    private volatile @Nullable FutureTask<?> setup;
    private boolean ended; // loop

    MeasurementPart(Lifecycle<?, ?> measurement, TracerRuntime rt, String target, Optional<InetAddress> address,
            IpVersion ipVersion, @Nullable Chooser chooser, Begin begin, Ending<T> ending) {
        this.measurement = measurement;
        this.rt = rt;
        this.target = target;
        this.address = address;
        this.ipVersion = ipVersion;
        this.chooser = chooser;
        this.begin = begin;
        this.ending = ending;
        this.run = new ProbeRun<>(rt.scheduler(), rt.ticker(), rt.sends(), new ProbeRun.Completion<>() {
            @Override
            public void completed(T result) {
                if (!ended) {
                    ended = true;
                    ending.completed(result);
                    measurement.partEnded();
                }
            }

            @Override
            public void failed(Throwable error) {
                if (!ended) {
                    ended = true;
                    ending.failed(error);
                    measurement.partEnded();
                }
            }
        });
    }

    /** The target as given. */
    public String target() {
        return target;
    }

    /** The destination once resolved (a literal at once). */
    public Optional<InetAddress> destination() {
        return Optional.ofNullable(destination);
    }

    /** Its run: {@link Begin} opens the session with its listener and starts it. */
    public ProbeRun<T> run() {
        return run;
    }

    /** Whether its run started. */
    public boolean started() {
        return run.started();
    }

    /** Whether its run is probing now (started, not ended). */
    public boolean running() {
        return run.started() && !run.finished();
    }

    /** Whether it has ended (on the loop). */
    public boolean ended() {
        return ended;
    }

    void launch() {
        InetAddress literal;
        try {
            literal = address.isPresent() ? Targets.checked(target, address.get()) : Targets.literal(target);
            if (literal != null) {
                Targets.checkVersion(target, literal, ipVersion);
                destination = literal;
                TransportRegistry.Choice choice = chooser == null ? null
                        : chooser.choose(literal, TransportRegistry.Mode.CACHED);
                if (chooser == null || choice != null) {
                    begunOnLoop(literal, choice);
                    return;
                }
            }
        } catch (RuntimeException e) {
            onLoop(() -> setUpFailed(e));
            return;
        }
        FutureTask<?> task = new FutureTask<>(() -> {
            try {
                if (measurement.isDone()) {
                    return;
                }
                InetAddress dest = literal != null ? literal : Targets.resolve(target, rt.resolver(), ipVersion);
                if (measurement.isDone()) {
                    return;
                }
                // loop state: a deadline while the transport opens reports the destination
                onLoop(() -> {
                    if (!measurement.isDone() && !ended) {
                        destination = dest;
                    }
                });
                TransportRegistry.Choice choice = chooser == null ? null
                        : chooser.choose(dest, TransportRegistry.Mode.OPEN);
                if (chooser != null && choice == null) {
                    throw new IllegalStateException("no transport choice for " + dest);
                }
                begunOnLoop(dest, choice);
            } catch (RuntimeException | LinkageError e) {
                onLoop(() -> setUpFailed(e));
            }
        }, null);
        setup = task;
        try {
            rt.setup().execute(task);
        } catch (RejectedExecutionException e) {
            onLoop(() -> setUpFailed(new IllegalStateException("tracer is closed")));
        }
    }

    /** {@link #begun} on the loop. The tasks here are classes, not lambdas: see docs/startup.md. */
    private void begunOnLoop(InetAddress dest, TransportRegistry.@Nullable Choice choice) {
        onLoop(new Runnable() {
            @Override
            public void run() {
                begun(dest, choice);
            }
        });
    }

    private void onLoop(Runnable action) {
        if (!rt.scheduler().execute(new Runnable() {
            @Override
            public void run() {
                try {
                    action.run();
                } catch (RuntimeException | LinkageError e) {
                    setUpFailed(e); // e.g. openSession failed: a set-up error of this part only
                }
            }
        })) {
            measurement.forceEnd(); // the engine has stopped: the tracer was closed
        }
    }

    private void begun(InetAddress dest, TransportRegistry.@Nullable Choice choice) {
        if (measurement.over() || ended) {
            return;
        }
        destination = dest;
        run.aimAt(dest);
        begin.begin(dest, choice);
    }

    private void setUpFailed(Throwable e) {
        if (measurement.isDone() || ended) {
            return;
        }
        run.abandon();
        ended = true;
        ending.failed(e);
        measurement.partEnded();
    }

    /** Stops it: its run's outcome if it runs, else abandoned before start. */
    void stop(Stop reason) {
        if (ended) {
            return;
        }
        cancelSetUp();
        if (running()) {
            run.stop(reason); // ends through its completion
            if (ended) {
                return;
            }
        }
        run.abandon(); // a session opened later is closed at once
        ended = true;
        ending.stoppedBeforeStart(reason);
    }

    void cancelSetUp() {
        FutureTask<?> s = setup;
        if (s != null) {
            s.cancel(true); // a resolver that hangs is interrupted (if it listens)
        }
    }
}
