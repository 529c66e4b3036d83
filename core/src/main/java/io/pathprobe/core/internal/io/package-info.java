/**
 * The tracer's own Netty event loops: every socket the engine opens that is not a probe transport's
 * (enrichment lookups, application probes, the bufferbloat load) runs on them, made on first use and
 * closed with the tracer.
 */
@NullMarked
package io.pathprobe.core.internal.io;

import org.jspecify.annotations.NullMarked;
