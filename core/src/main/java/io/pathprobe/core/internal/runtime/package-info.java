/**
 * The runtime shared by every measurement of one tracer: the engine loop ({@link Scheduler}, {@link Ticker}) and
 * the one loop on fake time ({@link VirtualLoop}), the send scheduler with the tracer's rate budget, the transport
 * registry, the generic glue that runs one {@link ProbingStrategy} ({@link ProbeRun}), the serial view of the
 * user's executor, and the one lifecycle of a measurement ({@link Lifecycle}: futures, deadline, listener events,
 * cancel, snapshot, await; made of one or more ProbeRuns) with the tracer's set of them ({@link Measurements}).
 * Not API.
 */
@NullMarked
package io.pathprobe.core.internal.runtime;

import org.jspecify.annotations.NullMarked;
