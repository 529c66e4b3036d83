/**
 * An optional Micrometer binder for a tracer's {@link io.pathprobe.PathTracer#stats() stats}:
 * {@link PathProbeMetrics}. Needs {@code io.micrometer:micrometer-core} on the class path (an optional
 * dependency of pathprobe-core: add it yourself).
 */
@NullMarked
package io.pathprobe.micrometer;

import org.jspecify.annotations.NullMarked;
