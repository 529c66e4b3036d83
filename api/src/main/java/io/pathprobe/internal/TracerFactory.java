package io.pathprobe.internal;


/**
 * The engine behind {@link io.pathprobe.PathTracer#builder()}, found through {@link java.util.ServiceLoader}.
 * Not API: pathprobe-core provides it; applications neither implement nor call it.
 */
public interface TracerFactory {
    /**
     * Makes a tracer.
     *
     * @param settings the options of the {@link io.pathprobe.PathTracerBuilder}
     * @return the tracer, a {@link io.pathprobe.PathTracer} (typed {@code Object} so that this package
     *     depends on nothing above it: the API's packages have no cycle)
     */
    Object create(TracerSettings settings);
}
