package io.pathprobe.core.internal.bufferbloat.spi;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.enrich.HostResolver;

/**
 * The bufferbloat load generator, found through {@link java.util.ServiceLoader} (module path:
 * {@code provides}; class path: {@code META-INF/services}). The {@code pathprobe-bufferbloat} artifact
 * provides it; without it {@code testBufferbloat} throws {@code BufferbloatUnavailableException}.
 * Internal: exported to {@code io.pathprobe.bufferbloat} only.
 */
public interface LoadProvider {
    /** What a session runs on: the tracer's Netty loops and resolver. */
    interface Context {
        /** The load connections' group (and their self probes). */
        EventLoopGroup loadGroup();

        /** The foreign probes' group (a busy load loop never delays a probe's connect or handshake). */
        EventLoopGroup probeGroup();

        /** The socket channel class matching the groups (epoll or NIO). */
        Class<? extends SocketChannel> channelClass();

        HostResolver resolver();
    }

    /** A session for {@code request}, reporting to {@code events}; nothing is sent before the first command. */
    LoadSession open(BufferbloatRequest request, Context context, LoadEvents events);
}
