package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.observe.ProbeObserver;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One measurement as pure logic: which probe to send next, what each answer and each timeout means,
 * when it is done and what it found. No threads, no clock reads, no I/O: every method gets the time
 * from its caller ({@link ProbeRun}), so a strategy is tested with plain calls on made-up times.
 * Traceroute is one ({@code TraceStrategy}); ping, multipath discovery and bufferbloat probes are
 * others, on the same runtime. Times are engine ticks ({@link Ticker}) unless said otherwise.
 *
 * <p>Protocol with the runtime: {@link #next} is called only when a probe may leave now (the rate
 * budget allowed one); when it returns a probe, exactly one of {@link #onSent} or
 * {@link #onSendFailed} follows at once. After every call the runtime asks {@link #done()} and
 * {@link #nextWakeup}.
 *
 * @param <R> the result
 */
public interface ProbingStrategy<R> {
    /**
     * A strategy whose probes the runtime may send on a sender thread ({@link SendLanes}) and report later, on
     * the loop, in order: {@link #next} has taken every decision a send changes (the probe is in the ledger, its
     * sequence taken), so {@link #onSent} and {@link #onSendFailed} only record the send's time or failure. Until
     * every send it handed out is reported back, the runtime holds the answers and the wake-ups it gets for the
     * strategy, so no answer meets a probe whose send time is not yet known. Others send on the engine loop.
     */
    interface SendsLater {}

    /** {@link #nextWakeup} when nothing is waited for. */
    long NO_WAKEUP = Long.MAX_VALUE;

    /** How a run ends: on its own, or stopped from outside. */
    enum Stop {
        /** {@link #done()} became true. */
        COMPLETED,
        /** Cancelled (by the user or by closing the tracer). */
        CANCELLED,
        /** The measurement's deadline passed. */
        DEADLINE
    }

    /**
     * The probe to send now, or null if none may leave now (waiting for answers, in-flight limit,
     * no free sequence number). The returned probe counts as outstanding from here on.
     */
    @Nullable ProbeSpec next(long now);

    /** The probe {@link #next} returned was sent; {@code sentNanos} is the transport's send time. */
    void onSent(ProbeSpec probe, long sentNanos, long now);

    /**
     * The probe {@link #next} returned could not be sent.
     *
     * @param noRoute this host has no route to the destination
     * @param permanent no send to the destination can succeed from this host as it is now (no route,
     *     no source address of its family: {@link io.pathprobe.spi.SendFailedException#permanent()}):
     *     the measurement ends at once, with that cause as its status; a transient failure (a full
     *     buffer, an error an earlier ICMP message left pending) ends nothing
     */
    void onSendFailed(ProbeSpec probe, String reason, boolean noRoute, boolean permanent, long now);

    /**
     * The probe {@link #next} returned was refused by the transport: by default
     * {@link #onSendFailed(ProbeSpec, String, boolean, boolean, long)} with the failure's message and flags; a
     * strategy that needs more of it (the first link's MTU of a path MTU probe,
     * {@link io.pathprobe.spi.SendFailedException#mtu()}) overrides this.
     */
    default void onSendFailed(ProbeSpec probe, io.pathprobe.spi.SendFailedException failure, long now) {
        onSendFailed(probe, String.valueOf(failure.getMessage()), failure.noRoute(), failure.permanent(), now);
    }

    /**
     * An answer the session delivered (it may match no outstanding probe). Also called after
     * {@link #outcome} for answers that were read before the session closed: they change nothing.
     */
    void onAnswer(ProbeResponse response, long now);

    /**
     * The time asked for by {@link #nextWakeup} has come, and every answer the transport had already
     * received has been handed to {@link #onAnswer}: give up on what has waited long enough.
     */
    void onWakeup(long now);

    /** Nanoseconds from {@code now} until {@link #onWakeup} should run (0 = at once), or {@link #NO_WAKEUP}. */
    long nextWakeup(long now);

    /**
     * Whether {@link #onWakeup} at {@code now} would give something up. When it would not, the
     * wake-up was only for a send (a ping's next slot): the runtime sends at once instead of first
     * letting the transport hand over its pending answers (a round trip through its I/O thread that
     * only giving up needs). Default true: every wake-up takes the full path.
     */
    default boolean expiryDue(long now) {
        return true;
    }

    /** Whether the measurement has finished on its own. */
    boolean done();

    /**
     * The final result. Called once, when the run ends for {@code reason}; after it only
     * {@link #onAnswer} may still be called. Probes still outstanding are abandoned.
     */
    R outcome(Stop reason, long now);

    /** What is known so far, outstanding probes included. */
    R snapshot(long now);

    // ---- observability (defaults: a strategy that reports nothing) ----------------------------

    /**
     * Where the strategy reports what became of its probes and answers (the tracer's stats, JFR
     * events): called by the runtime before the first {@link #next}. Sends and send failures are
     * reported by the runtime itself; the strategy reports answers, timeouts, abandoned probes, late
     * and unmatched answers.
     */
    default void observe(ProbeObserver observer) {}

    /** {@return what it probes: its kind, destination and transport, and how its end is told} */
    Subject<R> subject();

    /**
     * What a strategy probes, for stats, events and log lines.
     *
     * @param kind what kind of probing it is (a traceAll's or a bufferbloat test's traces are
     *     {@link io.pathprobe.MeasurementType#TRACE TRACE}, its latency pings
     *     {@link io.pathprobe.MeasurementType#PING PING})
     * @param target the destination it probes, as text
     * @param transport the name of the transport it probes with
     * @param statusOf the status of a run's result, for the end event; null: the end event names why the run ended
     * @param <R> the result
     */
    record Subject<R>(io.pathprobe.MeasurementType<?, ?> kind, String target, String transport,
            @Nullable Function<R, ? extends Enum<?>> statusOf) {
        /** A subject whose end event names why the run ended ({@link Stop}). */
        public Subject(io.pathprobe.MeasurementType<?, ?> kind, String target, String transport) {
            this(kind, target, transport, null);
        }

        /** {@return how a run that ended for {@code reason} with {@code result} ended, for the end event} */
        public String status(R result, Stop reason) {
            Function<R, ? extends Enum<?>> of = statusOf;
            return of == null ? reason.name() : of.apply(result).name();
        }
    }

    /**
     * A strategy that wraps another and is observed as it: its subject and observer are
     * {@link #observed()}'s.
     *
     * @param <R> the result
     */
    interface ObservedAs<R> extends ProbingStrategy<R> {
        /** {@return the strategy whose subject and observer this one reports} */
        ProbingStrategy<R> observed();

        @Override
        default void observe(ProbeObserver o) {
            observed().observe(o);
        }

        @Override
        default Subject<R> subject() {
            return observed().subject();
        }
    }
}
