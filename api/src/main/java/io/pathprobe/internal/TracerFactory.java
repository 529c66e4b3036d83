package io.pathprobe.internal;

import io.pathprobe.PathTracer;

/**
 * The engine behind {@link PathTracer#builder()}, found through {@link java.util.ServiceLoader}.
 * Not API: pathprobe-core provides it; applications neither implement nor call it.
 */
public interface TracerFactory {
    /**
     * Makes a tracer.
     *
     * @param settings the options of the {@link io.pathprobe.PathTracerBuilder}
     * @return the tracer
     */
    PathTracer create(TracerSettings settings);
}
