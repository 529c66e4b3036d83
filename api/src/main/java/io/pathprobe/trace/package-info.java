/**
 * Tracing a path: {@link io.pathprobe.trace.TraceRequest} and its result, hops and probes; many targets at once
 * with {@link io.pathprobe.trace.TraceAllRequest}.
 */
@NullMarked
package io.pathprobe.trace;

import org.jspecify.annotations.NullMarked;
