/**
 * pathprobe's engine: scheduling, matching, statistics, enrichment and the bufferbloat client, found by
 * {@code PathTracer.builder()} through {@link java.util.ServiceLoader}; and the public responsiveness server
 * ({@code io.pathprobe.server}). Everything under {@code io.pathprobe.core.internal} is not exported.
 *
 * <p>The OS transports ({@code io.pathprobe.linux}, {@code io.pathprobe.macos}, {@code io.pathprobe.windows})
 * are not required: they provide {@code io.pathprobe.spi.ProbeTransportProvider}, which this module uses, so the
 * JVM binds whichever of them is on the module path.
 */
@SuppressWarnings("requires-automatic") // HdrHistogram has no Automatic-Module-Name: its module name comes from its file name
module io.pathprobe.core {
    requires transitive io.pathprobe.api;
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
    requires org.dnsjava;
    requires com.github.benmanes.caffeine;
    requires HdrHistogram;

    exports io.pathprobe.server;
    // TODO(merge, packaging): exports io.pathprobe.jackson; requires static com.fasterxml.jackson.databind; (another branch)
    // TODO(merge, packaging): exports io.pathprobe.micrometer; requires static micrometer.core; (another branch)

    provides io.pathprobe.internal.TracerFactory with io.pathprobe.core.internal.DefaultTracerFactory;

    uses io.pathprobe.spi.ProbeTransportProvider;
}
