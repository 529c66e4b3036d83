/**
 * The macOS transport's internals, split so that all but a thin native layer runs (and is tested)
 * anywhere: {@link io.pathprobe.macos.internal.Darwin} (constants), the pure-Java codecs
 * ({@link io.pathprobe.macos.internal.DarwinStructs}, {@link io.pathprobe.macos.internal.IcmpCodec}),
 * the OS seam ({@link io.pathprobe.macos.internal.MacSockets}, {@link io.pathprobe.macos.internal.EventLoop})
 * whose real implementations ({@link io.pathprobe.macos.internal.JnrMacSockets},
 * {@link io.pathprobe.macos.internal.KqueueEventLoop}) load only on macOS, and the transport written
 * against the seam ({@link io.pathprobe.macos.internal.MacIcmpTransport}). Not an API.
 */
@NullMarked
package io.pathprobe.macos.internal;

import org.jspecify.annotations.NullMarked;
