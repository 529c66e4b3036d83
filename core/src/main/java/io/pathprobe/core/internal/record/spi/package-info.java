/**
 * The seam between the engine in core (its tracer factory and tracer) and the recorder and replayer in the
 * {@code pathprobe-evidence} artifact ({@link io.pathprobe.core.internal.record.spi.Evidence}, found through
 * {@link java.util.ServiceLoader}): core builds a recorded tracer on what a
 * {@link io.pathprobe.core.internal.record.spi.Recording} wraps, and a replayed one when the replayer asks
 * ({@link io.pathprobe.core.internal.record.spi.ReplayEngine}); both launch their measurements through a
 * {@link io.pathprobe.core.internal.record.spi.Launcher}. Not API: exported to {@code io.pathprobe.evidence} only.
 */
@NullMarked
package io.pathprobe.core.internal.record.spi;

import org.jspecify.annotations.NullMarked;
