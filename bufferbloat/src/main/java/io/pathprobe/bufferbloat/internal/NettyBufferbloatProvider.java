package io.pathprobe.bufferbloat.internal;

import io.pathprobe.Measurement;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.internal.strategy.BufferbloatHandle;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.TracerRuntime;

/**
 * The bufferbloat test, found by pathprobe-core through {@link java.util.ServiceLoader}: the strategy's handle on the
 * tracer's engine, its load the Netty HTTP/2 + TLS session ({@link NettyLoadSession}).
 */
public final class NettyBufferbloatProvider implements BufferbloatProvider {
    /** For the ServiceLoader. */
    public NettyBufferbloatProvider() {}

    @Override
    public Measurement<BufferbloatRequest, BufferbloatResult> launch(TracerRuntime rt, Measurements owner,
            Tracing tracing, BufferbloatRequest request) {
        BufferbloatHandle handle = new BufferbloatHandle(rt, owner, tracing, request, NettyLoadSession::new);
        handle.launch();
        return handle;
    }
}
