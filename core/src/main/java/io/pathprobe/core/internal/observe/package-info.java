/**
 * Observability of the engine: the tracer's counters ({@link EngineStats}, read by
 * {@code PathTracer.stats()}), the per-measurement hook the strategies report to
 * ({@link ProbeObserver}), the JFR events ({@code io.pathprobe.*}) and the rate-limited log lines of
 * decisions. Not API.
 */
@NullMarked
package io.pathprobe.core.internal.observe;

import org.jspecify.annotations.NullMarked;
