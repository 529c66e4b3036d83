/**
 * The bufferbloat load generator: the Netty HTTP/2 (HTTP/1.1 fallback) client over TLS or plain TCP
 * ({@link io.pathprobe.bufferbloat.internal.NqConnection}) and the session the bufferbloat strategy
 * ({@link io.pathprobe.bufferbloat.internal.strategy}) commands
 * ({@link io.pathprobe.bufferbloat.internal.NettyLoadSession}); and the test as pathprobe-core finds it
 * ({@link io.pathprobe.bufferbloat.internal.NettyBufferbloatProvider}). Not API.
 *
 * <p>Threading: load connections live on the tracer's load event loops ({@code pathprobe-load-*}),
 * foreign HTTP probes on a loop of their own ({@code pathprobe-nqprobe-*}); their events go to the
 * tracer's engine loop, where the strategy runs.
 */
@NullMarked
package io.pathprobe.bufferbloat.internal;

import org.jspecify.annotations.NullMarked;
