/**
 * The bufferbloat / responsiveness test (draft-ietf-ippm-responsiveness-09): the maths
 * ({@link io.pathprobe.bufferbloat.internal.strategy.Draft09},
 * {@link io.pathprobe.bufferbloat.internal.strategy.DeliveryCurve}, pure), the server configuration
 * ({@link io.pathprobe.bufferbloat.internal.strategy.NqConfig}), the phases as a pure state machine
 * ({@link io.pathprobe.bufferbloat.internal.strategy.BufferbloatStrategy}: events in,
 * {@link io.pathprobe.bufferbloat.internal.strategy.LoadCommand}s out, handed the time) and the handle that runs it.
 * Not API.
 *
 * <p>Threading: the strategy runs on the tracer's engine loop, driven by the handle; the load and the
 * HTTP probes are a {@link io.pathprobe.bufferbloat.internal.strategy.LoadSession} of the
 * {@code pathprobe-bufferbloat} artifact (Netty loops of its own use), whose events are queued to the
 * engine loop; pings run on the engine as any ping; the listener on the tracer's executor. Nothing the
 * load does can delay a ping send or a listener event.
 */
@NullMarked
package io.pathprobe.bufferbloat.internal.strategy;

import org.jspecify.annotations.NullMarked;
