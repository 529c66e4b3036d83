package io.pathprobe.lab.namespace;

import io.pathprobe.lab.LabException;
import java.util.function.Supplier;

/**
 * The teardown of a lab resource, run once: by its {@code close()}, or, where that did not run, by a JVM shutdown
 * hook that calls it (what it throws there goes to standard error).
 */
public final class Teardown {
    private final Thread hook;
    private boolean begun; // guarded by this

    /**
     * @param thread the hook thread's name
     * @param what the resource, for the message at exit ("pathprobe lab NAME")
     * @param close the resource's {@code close()}
     */
    public Teardown(String thread, Supplier<String> what, Runnable close) {
        this.hook = new Thread(() -> {
            try {
                close.run();
            } catch (RuntimeException e) {
                System.err.println(what.get() + ": teardown at JVM exit failed: " + e.getMessage());
            }
        }, thread);
    }

    /**
     * Registers the shutdown hook.
     *
     * @throws LabException if the JVM is shutting down
     */
    public void register() {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (RuntimeException e) {
            throw new LabException("cannot register the teardown hook (JVM shutting down?)", e);
        }
    }

    /** {@return true the first time only: the caller tears down} The hook is removed (unless it is what runs). */
    public synchronized boolean begin() {
        if (begun) {
            return false;
        }
        begun = true;
        Exec.removeShutdownHook(hook);
        return true;
    }
}
