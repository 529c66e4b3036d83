package io.pathprobe.macos.internal;

/**
 * The I/O thread seam: one thread on which readiness callbacks and tasks run. The real one,
 * {@link KqueueEventLoop}, is a Netty kqueue loop with the sockets registered as raw descriptors
 * (macOS only); tests use a plain thread fed by a fake kernel.
 */
public interface EventLoop {

    /**
     * Registers {@code fd} for readability, level-triggered: {@code onReadable} runs on the loop thread
     * whenever the socket has something to read (again after each run while it still has).
     */
    Registration register(int fd, Runnable onReadable);

    /** Whether the calling thread is the loop's. */
    boolean inLoop();

    /** Runs {@code task} on the loop thread; false if the loop no longer accepts tasks. */
    boolean execute(Runnable task);

    /** Stops the loop and waits (bounded) for its thread to end, unless called on it; returns whether it ended. */
    boolean shutdown();

    /** A socket's registration. */
    interface Registration {
        /** Stops the callbacks (on the loop thread, before the descriptor is closed). */
        void cancel();
    }
}
