package io.pathprobe.bufferbloat.internal;

import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.core.internal.bufferbloat.spi.LoadEvents;
import io.pathprobe.core.internal.bufferbloat.spi.LoadProvider;
import io.pathprobe.core.internal.bufferbloat.spi.LoadSession;

/** The Netty HTTP/2 + TLS load generator, found by pathprobe-core through {@link java.util.ServiceLoader}. */
public final class NettyLoadProvider implements LoadProvider {
    /** For the ServiceLoader. */
    public NettyLoadProvider() {}

    @Override
    public LoadSession open(BufferbloatRequest request, Context context, LoadEvents events) {
        return new NettyLoadSession(request, context, events);
    }
}
