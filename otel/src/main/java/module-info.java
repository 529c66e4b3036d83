/**
 * pathprobe's OpenTelemetry traces ({@code io.pathprobe.otel}): a measurement's result as a span tree, a span per
 * measurement and a child per hop, made through the OpenTelemetry API alone so that the application's own SDK exports
 * it ({@link io.pathprobe.otel.PathSpans}). Reads the results of {@code io.pathprobe.api}; measures nothing.
 */
module io.pathprobe.otel {
    requires transitive io.pathprobe.api;
    requires io.pathprobe.check;
    requires transitive io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires static org.jspecify;

    exports io.pathprobe.otel;
}
