/**
 * The bufferbloat / responsiveness test (draft-ietf-ippm-responsiveness-09): the maths
 * ({@link io.pathprobe.core.internal.bufferbloat.Draft09}, pure), the server configuration
 * ({@link io.pathprobe.core.internal.bufferbloat.NqConfig}), the Netty HTTP/2 (HTTP/1.1 fallback)
 * client that makes load and HTTP probes, and the handle that runs the phases. Not API.
 *
 * <p>Threading: load connections live on the tracer's load event loops ({@code pathprobe-load-*}),
 * foreign HTTP probes on a loop of their own ({@code pathprobe-nqprobe-*}), pings on the tracer's
 * engine (the shared probe runtime), the phase logic on one controller thread per test
 * ({@code pathprobe-bufferbloat-*}) and the listener on the tracer's executor. Nothing the load does
 * can delay a ping send or a listener event.
 */
@NullMarked
package io.pathprobe.core.internal.bufferbloat;

import org.jspecify.annotations.NullMarked;
