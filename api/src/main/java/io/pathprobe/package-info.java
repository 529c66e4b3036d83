/**
 * The pathprobe public API: {@link io.pathprobe.PathTracer} traces the path to a host and returns
 * immutable results ({@link io.pathprobe.trace.TraceResult}, {@link io.pathprobe.trace.Hop},
 * {@link io.pathprobe.trace.ProbeResult}).
 *
 * <p>Per-probe outcomes (reply, timeout, unreachable, send failure) are data; exceptions are thrown
 * only for setup and lifecycle errors (an unknown host, no usable transport, a closed tracer).
 */
@NullMarked
package io.pathprobe;

import org.jspecify.annotations.NullMarked;

