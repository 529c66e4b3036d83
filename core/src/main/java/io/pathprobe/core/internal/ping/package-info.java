/**
 * Ping's statistics: per target, an accumulator of probe events in bounded memory
 * ({@link PingAccumulator}) and its immutable snapshot ({@link PingSnapshot}, {@link PingSample}),
 * shaped to map field for field onto the public result. Pure: no threads, no clock reads. Not API.
 */
@NullMarked
package io.pathprobe.core.internal.ping;

import org.jspecify.annotations.NullMarked;
