package io.pathprobe.tck;

import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link ResponseListener} that keeps what it is given, with the thread it came on, and lets a
 * test wait (bounded) until a condition holds. After {@link #sessionClosed()} every further call is
 * recorded as a violation.
 */
final class Recorder implements ResponseListener {
    private final List<ProbeResponse> responses = new ArrayList<>();
    private final List<ProbeResponse> afterClose = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private boolean closed;
    private final boolean throwing;

    Recorder() {
        this(false);
    }

    /** @param throwing whether every call throws (to check the transport survives it) */
    Recorder(boolean throwing) {
        this.throwing = throwing;
    }

    @Override
    public void onResponse(ProbeResponse response) {
        synchronized (this) {
            if (closed) {
                afterClose.add(response);
            }
            responses.add(response);
            threads.add(Thread.currentThread().getName());
            notifyAll();
        }
        if (throwing) {
            throw new IllegalStateException(
                    "thrown by the compatibility kit's listener: the transport must survive it");
        }
    }

    /** From now on, any response is a violation (call right after the session's close() returned). */
    synchronized void sessionClosed() {
        closed = true;
    }

    synchronized List<ProbeResponse> responses() {
        return List.copyOf(responses);
    }

    synchronized List<ProbeResponse> responsesAfterClose() {
        return List.copyOf(afterClose);
    }

    synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    /** The responses carrying {@code sequence}. */
    synchronized List<ProbeResponse> forSequence(int sequence) {
        List<ProbeResponse> out = new ArrayList<>();
        for (ProbeResponse r : responses) {
            if (r.sequence() == sequence) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Waits until {@code condition} holds for the responses so far, or {@code timeout} passed; returns whether it held.
     */
    synchronized boolean awaitUntil(Predicate<List<ProbeResponse>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (!condition.test(responses)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until at least {@code count} responses arrived, or the timeout passed. */
    boolean awaitCount(int count, Duration timeout) {
        return awaitUntil(r -> r.size() >= count, timeout);
    }
}
