package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;

/**
 * The bufferbloat load generator, as {@link BufferbloatHandle} opens it: the Netty HTTP/2 and TLS session of
 * {@code io.pathprobe.bufferbloat.internal} ({@code NettyLoadSession}), or a test's fake.
 */
@FunctionalInterface
public interface LoadProvider {
    /** A session for {@code request}, reporting to {@code events}; nothing is sent before the first command. */
    LoadSession open(BufferbloatRequest request, BufferbloatProvider.Loads context, LoadEvents events);
}
