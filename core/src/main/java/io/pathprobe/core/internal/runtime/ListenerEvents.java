package io.pathprobe.core.internal.runtime;

import io.pathprobe.MeasurementType;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A measurement's listener events ({@link Lifecycle#event}, {@link Lifecycle#probeEvent}): queued on a serial view
 * of the tracer's callback executor, run one at a time in the order they were queued. Per-probe events beyond a
 * bound are dropped and counted; a listener that throws is logged once per measurement and ignored. A measurement
 * whose listener is the kind's no-op one has no executor: nothing is queued.
 *
 * @param <L> the listener
 */
final class ListenerEvents<L> {
    private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());

    private final L listener;
    private final @Nullable SerialExecutor executor;
    private final int maxQueuedProbeEvents;
    private final String what;
    private final MeasurementType<?, ?> kind;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * @param none the listener that does nothing (no executor task is spent on it)
     * @param maxQueuedProbeEvents the most events queued beyond which per-probe events are dropped
     * @param what the measurement, for the log: "trace of example.org"
     */
    ListenerEvents(L listener, L none, Executor callbacks, int maxQueuedProbeEvents, String what,
            MeasurementType<?, ?> kind) {
        this.listener = listener;
        this.executor = listener == none ? null : new SerialExecutor(callbacks);
        this.maxQueuedProbeEvents = maxQueuedProbeEvents;
        this.what = what;
        this.kind = kind;
    }

    /** Where the events run; null when the listener is the no-op one. */
    @Nullable SerialExecutor executor() {
        return executor;
    }

    /** Per-probe events dropped so far (the listener was that far behind). */
    long dropped() {
        return dropped.get();
    }

    void queue(boolean droppable, Consumer<L> e) {
        SerialExecutor ex = executor;
        if (ex == null) {
            return;
        }
        if (droppable && queued.get() >= maxQueuedProbeEvents) {
            dropped.incrementAndGet();
            return;
        }
        queued.incrementAndGet();
        if (!ex.tryExecute(() -> {
            queued.decrementAndGet();
            try {
                e.accept(listener);
            } catch (RuntimeException | StackOverflowError t) {
                if (failureLogged.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "the listener of the " + what + " threw (ignored; logged once per "
                            + kind.name().toLowerCase(Locale.ROOT) + ")", t);
                }
            }
        })) {
            queued.decrementAndGet(); // the executor refused it (shut down)
        }
    }
}
