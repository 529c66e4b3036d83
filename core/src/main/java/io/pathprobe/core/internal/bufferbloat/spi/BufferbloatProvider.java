package io.pathprobe.core.internal.bufferbloat.spi;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.pathprobe.BufferbloatUnavailableException;
import io.pathprobe.Measurement;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * The bufferbloat test, found through {@link java.util.ServiceLoader} (module path: {@code provides}; class path:
 * {@code META-INF/services}): the {@code pathprobe-bufferbloat} artifact provides it (the test's strategy, the handle
 * that runs it on the tracer's engine and lifecycle, and the load generator); without it {@code testBufferbloat}
 * throws {@link BufferbloatUnavailableException}. Internal: exported to {@code io.pathprobe.bufferbloat} only.
 */
public interface BufferbloatProvider {
    /** What a bufferbloat test needs of the tracer besides its runtime: its pings and traces, and the load's loops. */
    interface Tracing {
        Measurement<PingRequest, PingResult> start(PingRequest request);

        CompletableFuture<TraceResult> traceAsync(TraceRequest request);

        /** The load's Netty loops and the resolver. */
        Loads loads();
    }

    /** What the load runs on: the tracer's Netty loops and resolver. */
    interface Loads {
        /** The load connections' group (and their self probes). */
        EventLoopGroup loadGroup();

        /** The foreign probes' group (a busy load loop never delays a probe's connect or handshake). */
        EventLoopGroup probeGroup();

        /** The socket channel class matching the groups (epoll or NIO). */
        Class<? extends SocketChannel> channelClass();

        HostResolver resolver();
    }

    /**
     * Starts a bufferbloat test of {@code request} on the tracer's runtime, joined to {@code owner} (the tracer's
     * measurements), and returns it launched.
     */
    Measurement<BufferbloatRequest, BufferbloatResult> launch(TracerRuntime rt, Measurements owner, Tracing tracing,
            BufferbloatRequest request);

    /**
     * The bufferbloat test on the class path or module path.
     *
     * @throws BufferbloatUnavailableException when pathprobe-bufferbloat is absent
     */
    static BufferbloatProvider find() {
        Optional<BufferbloatProvider> p = ServiceLoader.load(BufferbloatProvider.class,
                BufferbloatProvider.class.getClassLoader()).findFirst();
        if (p.isEmpty()) {
            p = ServiceLoader.load(BufferbloatProvider.class).findFirst();
        }
        return p.orElseThrow(() -> new BufferbloatUnavailableException("bufferbloat needs its load generator: add the "
                + BufferbloatUnavailableException.ARTIFACT
                + " artifact (same version as pathprobe-core) to the class path or module path"));
    }
}
