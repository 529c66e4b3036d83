package io.pathprobe.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets the agent's close wait for the records being delivered, and ends delivery: each record (to the metrics, the
 * sinks and the observers, the OTLP export among them) is delivered whole through {@link #deliver}, on the tracer's
 * callback thread, until the gate is sealed; {@link #drain} seals it and waits for those under way. The agent's close
 * seals it once the runs the stop cancelled have handed their partial results over, so a record a sink took has its
 * spans queued before the OTLP export is flushed and shut down, and nothing is delivered to a closed sink or export.
 */
final class DeliveryGate {
    /** Held (read) by each record being delivered; {@link #drain} takes it (write) to wait for them. */
    private final ReentrantReadWriteLock delivering = new ReentrantReadWriteLock();
    private volatile boolean sealed;

    /**
     * Runs {@code delivery} unless the gate is sealed. The flag is read with the gate held, so a delivery either sees
     * it or is waited for by {@link #drain}.
     */
    void deliver(Runnable delivery) {
        delivering.readLock().lock();
        try {
            if (!sealed) {
                delivery.run();
            }
        } finally {
            delivering.readLock().unlock();
        }
    }

    /**
     * Seals the gate (no delivery starts after) and waits (up to {@code patience}) for the deliveries under way.
     *
     * @return whether they all ended in time
     */
    boolean drain(Duration patience) {
        sealed = true;
        try {
            if (delivering.writeLock().tryLock(Math.max(0, patience.toNanos()), TimeUnit.NANOSECONDS)) {
                delivering.writeLock().unlock();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
