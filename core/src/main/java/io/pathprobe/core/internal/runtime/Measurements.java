package io.pathprobe.core.internal.runtime;

import io.pathprobe.MeasurementType;
import io.pathprobe.core.internal.runtime.ProbingStrategy.Stop;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The measurements running on one tracer, whatever their kind: a {@link Lifecycle} is in it from its
 * launch until it ends. Closing refuses new ones and ends those running.
 */
public final class Measurements {
    private final Scheduler scheduler;
    private final Set<Lifecycle<?, ?>> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    public Measurements(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Adds a measurement being launched; IllegalStateException once closed. */
    void add(Lifecycle<?, ?> m) {
        running.add(m);
        if (closed.get()) {
            running.remove(m);
            throw new IllegalStateException("tracer is closed");
        }
    }

    void remove(Lifecycle<?, ?> m) {
        running.remove(m);
    }

    /** Measurements not yet ended, per type (every type present). */
    public Map<MeasurementType<?, ?>, Integer> active() {
        Map<MeasurementType<?, ?>, Integer> out = new java.util.LinkedHashMap<>();
        for (MeasurementType<?, ?> k : MeasurementType.all()) {
            out.put(k, 0);
        }
        for (Lifecycle<?, ?> m : running) {
            if (!m.ended()) {
                out.merge(m.kind(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** How many are in it (one that ended leaves just after its result is made). */
    public int size() {
        return running.size();
    }

    public boolean closed() {
        return closed.get();
    }

    /** Refuses new measurements from now on; false if it did already. */
    public boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /**
     * Ends every measurement (after {@link #markClosed()}): those running are stopped CANCELLED on the
     * loop, {@code stopLoop} runs what is queued there and stops it, and those left (started after
     * that, or still setting up) are ended here.
     */
    public void endAll(Runnable stopLoop) {
        scheduler.execute(new Runnable() { // a class: the engine's warm-up closes a tracer in build()
            @Override
            public void run() {
                for (Lifecycle<?, ?> m : List.copyOf(running)) {
                    m.stop(Stop.CANCELLED);
                }
            }
        });
        stopLoop.run();
        for (Lifecycle<?, ?> m : List.copyOf(running)) {
            m.forceEnd();
        }
    }
}
