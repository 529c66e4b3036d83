package io.pathprobe.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * Lets the agent's close wait for the records being delivered: each record (to the metrics, the sinks and the
 * observers, the OTLP export among them) is delivered whole through {@link #deliver}, on the tracer's callback
 * thread, unless the agent is closing; {@link #drain} waits for those under way. So a record a sink took has its
 * spans queued before the OTLP export is flushed and shut down, and nothing is delivered to a closed sink or export.
 */
final class DeliveryGate {
    /** Held (read) by each record being delivered; {@link #drain} takes it (write) to wait for them. */
    private final ReentrantReadWriteLock delivering = new ReentrantReadWriteLock();
    private final BooleanSupplier closing;

    /** @param closing whether the agent is closing: true from the start of its close on, never false again */
    DeliveryGate(BooleanSupplier closing) {
        this.closing = closing;
    }

    /**
     * Runs {@code delivery} unless the agent is closing. The closing flag is read with the gate held, so a delivery
     * either sees it or is waited for by {@link #drain}.
     */
    void deliver(Runnable delivery) {
        delivering.readLock().lock();
        try {
            if (!closing.getAsBoolean()) {
                delivery.run();
            }
        } finally {
            delivering.readLock().unlock();
        }
    }

    /**
     * Waits (up to {@code patience}) for the deliveries under way; called once the closing flag is set, after which
     * none starts.
     *
     * @return whether they all ended in time
     */
    boolean drain(Duration patience) {
        try {
            if (delivering.writeLock().tryLock(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                delivering.writeLock().unlock();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
