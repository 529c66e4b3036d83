/**
 * pathprobe's engine: scheduling, matching, statistics, enrichment and the bufferbloat test's phases, found by
 * {@code PathTracer.builder()} through {@link java.util.ServiceLoader}. Everything under
 * {@code io.pathprobe.core.internal} is not exported, but for the bufferbloat load's seam, exported to the
 * {@code io.pathprobe.bufferbloat} module only (artifact pathprobe-bufferbloat: the load generator, found through
 * {@link java.util.ServiceLoader}, and the public responsiveness server).
 *
 * <p>The OS transports ({@code io.pathprobe.linux}, {@code io.pathprobe.macos}, {@code io.pathprobe.windows})
 * are not required: they provide {@code io.pathprobe.spi.ProbeTransportProvider}, which this module uses, so the
 * JVM binds whichever of them is on the module path.
 */
// HdrHistogram has no Automatic-Module-Name (its module name comes from its file name); micrometer-core is an
// automatic module named by its manifest
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.pathprobe.core {
    requires transitive io.pathprobe.api;
    requires static org.jspecify;

    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires org.dnsjava;
    // GeoIP databases (PathTracerBuilder.geoDatabase): optional, read only by a tracer given one
    requires static com.maxmind.db;
    requires org.slf4j;
    requires com.github.benmanes.caffeine;
    requires HdrHistogram;
    // JFR events (io.pathprobe.core.internal.observe); jlink then keeps jdk.jfr in the image
    requires jdk.jfr;
    // io.pathprobe.jackson.PathProbeJacksonModule and io.pathprobe.micrometer.PathProbeMetrics: optional
    requires static transitive com.fasterxml.jackson.databind;
    requires static transitive micrometer.core;

    // the bufferbloat load generator's seam: for pathprobe-bufferbloat only
    exports io.pathprobe.core.internal.bufferbloat.spi to io.pathprobe.bufferbloat;
    exports io.pathprobe.core.internal.bufferbloat to io.pathprobe.bufferbloat;
    exports io.pathprobe.core.internal.logging to io.pathprobe.bufferbloat;
    // optional integrations: their users have the library themselves (pathprobe never brings it in)
    exports io.pathprobe.jackson;
    exports io.pathprobe.micrometer;

    provides io.pathprobe.internal.TracerFactory with io.pathprobe.core.internal.DefaultTracerFactory;

    uses io.pathprobe.spi.ProbeTransportProvider;
    uses io.pathprobe.core.internal.bufferbloat.spi.LoadProvider;
}
