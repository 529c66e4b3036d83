package io.pathprobe.spi;

import io.pathprobe.PathTracer;

/**
 * The engine behind {@link PathTracer#builder()}, found through {@link java.util.ServiceLoader}.
 * pathprobe-core provides it; applications do not implement it.
 */
public interface TracerFactory {
    PathTracer create(TracerSettings settings);
}
