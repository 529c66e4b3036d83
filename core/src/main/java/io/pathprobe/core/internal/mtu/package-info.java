/**
 * Path MTU discovery ({@code PathTracer.measure(MtuRequest)}): the pure
 * {@link io.pathprobe.core.internal.mtu.MtuStrategy} (tracepath's walk with DF probes of decreasing size, plus the
 * MTU black-hole search) and its handle.
 */
@org.jspecify.annotations.NullMarked
package io.pathprobe.core.internal.mtu;
