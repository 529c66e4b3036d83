/**
 * Traceroute: the pure {@link TraceStrategy} and the {@link TraceHandle} users hold. Not API.
 */
@NullMarked
package io.pathprobe.core.internal.trace;

import org.jspecify.annotations.NullMarked;
