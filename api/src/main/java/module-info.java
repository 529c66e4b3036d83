/**
 * pathprobe's public API ({@code io.pathprobe}) and its probe transport SPI ({@code io.pathprobe.spi}).
 *
 * <p>An application needs only {@code requires io.pathprobe.api;}: the engine ({@code io.pathprobe.core}) is
 * found through {@link java.util.ServiceLoader} and, with it, the OS transports, so with the artifacts on the
 * module path the JVM resolves them by service binding, without {@code --add-modules}.
 */
@SuppressWarnings("module") // the qualified export names modules compiled after this one
module io.pathprobe.api {
    // the API's types carry JSpecify nullness annotations; optional at run time
    requires static transitive org.jspecify;

    exports io.pathprobe;
    exports io.pathprobe.trace;
    exports io.pathprobe.ping;
    exports io.pathprobe.multipath;
    exports io.pathprobe.monitor;
    exports io.pathprobe.mtu;
    exports io.pathprobe.bufferbloat;
    exports io.pathprobe.compare;
    exports io.pathprobe.diff;
    exports io.pathprobe.enrich;
    exports io.pathprobe.probe;
    exports io.pathprobe.options;
    exports io.pathprobe.spi;
    exports io.pathprobe.time;
    exports io.pathprobe.json;
    exports io.pathprobe.evidence;

    // Not API: how PathTracer.builder() finds the engine, and the settings it gets (which a recording writes and a
    // replay makes: pathprobe-evidence's recorder and replayer).
    exports io.pathprobe.internal to io.pathprobe.core, io.pathprobe.evidence;
    // Not API: the house's number and duration texts, which the report's drawings print as every output does, and the
    // JSON reader its document readers read with.
    exports io.pathprobe.util to io.pathprobe.report;

    uses io.pathprobe.internal.TracerFactory;
}
