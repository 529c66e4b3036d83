/**
 * The seam between the bufferbloat test in core (its pure strategy and its handle) and the load
 * generator in the {@code pathprobe-bufferbloat} artifact. Not API: exported to that module only.
 */
@NullMarked
package io.pathprobe.core.internal.bufferbloat.spi;

import org.jspecify.annotations.NullMarked;
