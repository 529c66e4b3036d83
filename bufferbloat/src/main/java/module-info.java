/**
 * pathprobe's bufferbloat test: its strategy (draft-ietf-ippm-responsiveness-09's phases, pure), the handle that runs
 * it on core's engine, and its load generator (Netty HTTP/2 and HTTP/1.1 over TLS or TCP), found by
 * {@code io.pathprobe.core} through {@link java.util.ServiceLoader}; and the public responsiveness server
 * ({@code io.pathprobe.server}). Without this module, {@code PathTracer.testBufferbloat} throws
 * {@code io.pathprobe.BufferbloatUnavailableException}.
 *
 * <p>TLS goes through BoringSSL (netty-tcnative, an optional dependency) when its native library loads, else
 * through the JDK's SSLEngine.
 */
module io.pathprobe.bufferbloat {
    requires io.pathprobe.core;
    requires static org.jspecify;

    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.http2;
    requires io.netty.handler;

    exports io.pathprobe.server;

    provides io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider
            with io.pathprobe.bufferbloat.internal.NettyBufferbloatProvider;
}
