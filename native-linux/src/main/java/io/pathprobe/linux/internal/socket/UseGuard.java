package io.pathprobe.linux.internal.socket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * Keeps a file descriptor (and the native memory that goes with it) alive while any thread uses
 * it, and releases it exactly once, after it was closed and the last user left.
 *
 * <p>Without this, a send racing with close could pass a file descriptor number that was closed
 * and already reused by another socket: the probe would leave through the wrong socket. Cost: one
 * uncontended CAS per use.
 */
public final class UseGuard {
    private static final int CLOSED = 1;
    private static final int ONE_USER = 2;

    private final AtomicInteger state = new AtomicInteger();
    private final Runnable release;

    /** @param release runs once, on the thread that closes the guard or that leaves it last */
    public UseGuard(Runnable release) {
        this.release = release;
    }

    /** Registers a user; false when the guard is closed (the caller must not touch the resource). */
    public boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + ONE_USER)) {
                return true;
            }
        }
    }

    /** Ends a use begun by a successful {@link #enter()}. */
    public void exit() {
        if (state.addAndGet(-ONE_USER) == CLOSED) {
            release.run();
        }
    }

    /**
     * Applies {@code action} to {@code argument} as a user (between {@link #enter()} and {@link #exit()}):
     * its result, or 0 when the guard is closed or when the action throws, which goes to {@code failures}
     * (for work run as a task of the I/O loop, from which nothing may escape).
     */
    public int applyAsUser(IntUnaryOperator action, int argument, Consumer<Throwable> failures) {
        if (!enter()) {
            return 0;
        }
        try {
            return action.applyAsInt(argument);
        } catch (Throwable t) {
            failures.accept(t);
            return 0;
        } finally {
            exit();
        }
    }

    /** Closes the guard; true for the call that closed it. Releases now if nobody uses it. */
    public boolean close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    release.run();
                }
                return true;
            }
        }
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }
}
