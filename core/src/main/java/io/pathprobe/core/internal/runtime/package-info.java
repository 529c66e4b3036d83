/**
 * The runtime shared by every measurement of one tracer: the engine loop ({@link Scheduler}, {@link Ticker}),
 * the send scheduler with the tracer's rate budget, the transport registry, the generic glue that runs
 * one {@link ProbingStrategy} ({@link ProbeRun}), and the serial view of the user's executor.
 * Not API.
 */
@NullMarked
package io.pathprobe.core.internal.runtime;

import org.jspecify.annotations.NullMarked;
