/** An application that exports a trace's spans over OTLP: the API, pathprobe-otel and the OpenTelemetry SDK. */
module org.example.otelapp {
    requires io.pathprobe.api;
    requires io.pathprobe.otel;
    requires io.opentelemetry.sdk;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.exporter.otlp;
    // the exporter's JDK sender (an automatic module, which brings no JDK module into the graph) uses it
    requires java.net.http;
    requires jdk.httpserver;
}
