package io.pathprobe.core.internal.runtime;

/**
 * A new thread's tuning by the transports ({@link TransportRegistry#configureEngineThread()} or
 * {@link TransportRegistry#configureBackgroundThread()}), as a task run first on the thread. A class, not a method
 * reference: a lambda is generated at its first use, here in a fresh JVM's first {@code build()} (docs/startup.md).
 */
public final class ThreadSetup implements Runnable {
    private final TransportRegistry registry;
    private final boolean engine;

    private ThreadSetup(TransportRegistry registry, boolean engine) {
        this.registry = registry;
        this.engine = engine;
    }

    /** For an engine or sender thread. */
    public static ThreadSetup engine(TransportRegistry registry) {
        return new ThreadSetup(registry, true);
    }

    /** For a background (load) thread. */
    public static ThreadSetup background(TransportRegistry registry) {
        return new ThreadSetup(registry, false);
    }

    @Override
    public void run() {
        if (engine) {
            registry.configureEngineThread();
        } else {
            registry.configureBackgroundThread();
        }
    }
}
