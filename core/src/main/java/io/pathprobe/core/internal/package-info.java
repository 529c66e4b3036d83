/**
 * The trace engine. Not API: nothing here is stable, and applications should use
 * {@link io.pathprobe.PathTracer} only.
 *
 * <p>Threading: all trace state is confined to one engine thread per tracer ({@link Engine}).
 * Transports deliver responses on their I/O threads; the engine hands each to its own thread, so
 * no trace state is ever locked.
 */
@NullMarked
package io.pathprobe.core.internal;

import org.jspecify.annotations.NullMarked;
