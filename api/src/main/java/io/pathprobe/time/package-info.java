/**
 * The tracer's time, as a seam: a {@link io.pathprobe.time.Ticker} (the clock every time of the engine is
 * read from) and a {@link io.pathprobe.time.Scheduler} (the loop every state change and timer of the engine
 * runs on), given together to {@link io.pathprobe.PathTracerBuilder#ticker} and
 * {@link io.pathprobe.PathTracerBuilder#scheduler}. Without them a tracer runs on the system's monotonic
 * clock and an engine thread of its own.
 *
 * <p>Tests use them to run whole measurements on fake time, with no threads and no waiting: the
 * {@code pathprobe-testing} artifact's {@code FakeTime} implements both.
 */
@NullMarked
package io.pathprobe.time;

import org.jspecify.annotations.NullMarked;
