package io.pathprobe.evidence.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How an application's own threads reach a replay's loop while the application runs on the replay
 * ({@link io.pathprobe.ReplayApplication}): the loop runs in a thread of its own, and what the application asks of
 * the engine (a start, a snapshot, a result) is handed to that thread and run there between the loop's pieces, as
 * the engine takes an application's calls between its loop's tasks while recording. Without an application, the
 * caller's thread runs the loop and nothing is handed over.
 */
final class Handover {
    /** The thread that runs the loop while an application runs on the replay; null: the caller's. */
    private volatile @Nullable Thread owner;
    /** Whether an application runs on the replay and may still call it. */
    private volatile boolean running;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();

    /** {@return whether the caller is not the loop's thread: an application's own thread, while it runs} */
    boolean foreign() {
        Thread o = owner;
        return o != null && o != Thread.currentThread();
    }

    /** An application runs on the replay; {@code loopThread} runs the loop from now on. */
    void started(Thread loopThread) {
        owner = loopThread;
        running = true;
    }

    /** The application has returned: it calls nothing more (the loop's thread is woken to see it). */
    void ended() {
        running = false;
        inbox.add(() -> { });
    }

    /** The loop's thread has stopped: the caller's thread runs the loop again (the tracer's close). */
    void loopThreadEnded() {
        owner = null;
    }

    /** {@return whether an application runs on the replay and may still call it} */
    boolean running() {
        return running;
    }

    /** Hands {@code call} to the loop's thread. */
    void add(Runnable call) {
        inbox.add(call);
    }

    /** {@return the next call handed over, or null} */
    @Nullable Runnable poll() {
        return inbox.poll();
    }

    /** {@return the next call handed over, waiting a little for one; null if none came (or interrupted)} */
    @Nullable Runnable await() {
        try {
            return inbox.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }

    /**
     * Calls {@code call} on the loop's thread (handed over, run between pieces) and returns what it returns; on
     * the loop's thread itself, or with no application running, at once.
     *
     * @throws RuntimeException what {@code call} throws
     */
    <T> T call(Supplier<T> call) {
        if (!foreign()) {
            return call.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                f.complete(call.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
