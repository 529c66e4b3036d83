package io.pathprobe.core.internal.runtime;

/** A measurement's handle whose caller may block for its result (the tracer's blocking calls). */
public interface Awaitable<R> {
    /** Blocks until the engine ends it (never waits for the executor); an interrupt cancels it. */
    R await();
}
