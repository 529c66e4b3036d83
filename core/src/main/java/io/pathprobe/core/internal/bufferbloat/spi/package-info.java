/**
 * The seam between core's engine and the bufferbloat test in the {@code pathprobe-bufferbloat} artifact (its
 * strategy, its handle and its load generator): core finds the test through {@link java.util.ServiceLoader} and
 * lends it its runtime, measurements, pings, traces and Netty loops. Not API: exported to that module only.
 */
@NullMarked
package io.pathprobe.core.internal.bufferbloat.spi;

import org.jspecify.annotations.NullMarked;
