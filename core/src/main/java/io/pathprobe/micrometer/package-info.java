/**
 * Optional Micrometer binders: {@link PathProbeMetrics} for a tracer's {@link io.pathprobe.PathTracer#stats() stats},
 * {@link MonitorMetrics} for one monitor, and {@link PathProbeMeters}, every meter pathprobe publishes (the agent's
 * too) in one documented vocabulary. Needs {@code io.micrometer:micrometer-core} on the class path (an optional
 * dependency of pathprobe-core: add it yourself).
 */
@NullMarked
package io.pathprobe.micrometer;

import org.jspecify.annotations.NullMarked;
