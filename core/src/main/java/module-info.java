/**
 * pathprobe's engine: scheduling, matching, statistics and enrichment, found by
 * {@code PathTracer.builder()} through {@link java.util.ServiceLoader}. Everything under
 * {@code io.pathprobe.core.internal} is not exported, but for two feature modules' seams, each exported to that
 * module only: the bufferbloat test's to {@code io.pathprobe.bufferbloat} (artifact pathprobe-bufferbloat: the test's
 * strategy, its handle on the engine's runtime and its load generator, found through
 * {@link java.util.ServiceLoader}, and the public responsiveness server), and recording's to
 * {@code io.pathprobe.evidence} (artifact pathprobe-evidence: the recorder and the replayer, found through
 * {@link java.util.ServiceLoader}, and the engine's loop, clocks, transports and lookups they wrap).
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
    // PeeringDB dumps (io.pathprobe.core.internal.enrich): optional
    requires static com.fasterxml.jackson.databind;
    // io.pathprobe.micrometer.PathProbeMetrics: optional
    requires static transitive micrometer.core;
    requires static transitive micrometer.commons; // io.pathprobe.micrometer.PathProbeMeters's tag keys

    // the bufferbloat test's seam, and the engine's runtime its handle runs on (lifecycle, measurements, loop,
    // clock): for pathprobe-bufferbloat only
    exports io.pathprobe.core.internal.bufferbloat.spi to io.pathprobe.bufferbloat;
    exports io.pathprobe.core.internal.logging to io.pathprobe.bufferbloat;
    // the recorder's and the replayer's seam, and what they wrap (the engine's loop, clocks, transports, lookups, and
    // the address ranges a masked recording keeps): for pathprobe-evidence only
    exports io.pathprobe.core.internal.record.spi to io.pathprobe.evidence;
    exports io.pathprobe.core.internal.runtime
            to io.pathprobe.evidence, io.pathprobe.agent, io.pathprobe.testing, io.pathprobe.bufferbloat;
    exports io.pathprobe.core.internal.lookup to io.pathprobe.evidence;
    exports io.pathprobe.core.internal.enrich to io.pathprobe.evidence;
    // the runtime's fake-time loop (VirtualLoop) is also pathprobe-testing's, under its FakeTime
    // the runtime's target parsing (Targets.literal) is also pathprobe-agent's, so that a schedule's targets are
    // refused when it is read exactly as the CLI's commands refuse them
    // optional integrations: their users have the library themselves (pathprobe never brings it in)
    exports io.pathprobe.micrometer;

    provides io.pathprobe.internal.TracerFactory with io.pathprobe.core.internal.DefaultTracerFactory;

    uses io.pathprobe.spi.ProbeTransportProvider;
    uses io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
    uses io.pathprobe.core.internal.record.spi.Evidence;
}
