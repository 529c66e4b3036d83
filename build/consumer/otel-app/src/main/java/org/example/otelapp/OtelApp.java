package org.example.otelapp;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.pathprobe.PathTracer;
import io.pathprobe.otel.PathSpans;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Traces and exports the spans as docs/otel.md shows, with only the dependencies it names (pathprobe-core,
 * pathprobe-otel, opentelemetry-sdk, opentelemetry-exporter-otlp with the JDK sender): {@code OtelApp <destination>
 * <expected path>}. Its own loopback HTTP server takes the OTLP/HTTP request; the protobuf body must name the trace's
 * span once and a hop span per hop. Exits 0 when so.
 */
public final class OtelApp {
    public static void main(String[] args) throws Exception {
        InetAddress destination = InetAddress.getByName(args[0]); // a literal: no resolver involved
        Module module = OtelApp.class.getModule();
        System.out.println("otel-app on JDK " + Runtime.version() + ", "
                + (module.isNamed() ? "module " + module.getName() + " (module path)" : "class path"));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        StringBuilder contentType = new StringBuilder();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            synchronized (received) {
                received.writeBytes(exchange.getRequestBody().readAllBytes());
                contentType.append(exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            export(destination, collector, received, contentType);
        } finally {
            collector.stop(0); // its thread would keep the JVM alive after a failure
        }
    }

    private static void export(InetAddress destination, HttpServer collector, ByteArrayOutputStream received,
            StringBuilder contentType) throws Exception {
        TraceResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.trace(TraceRequest.builder(destination).build());
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces").build())
                        .build())
                .build();
        new PathSpans(OpenTelemetrySdk.builder().setTracerProvider(provider).build()).trace(r);
        provider.close(); // flushes
        String body;
        synchronized (received) {
            body = received.toString(StandardCharsets.ISO_8859_1); // protobuf: the names are their UTF-8 bytes
        }
        int hops = body.split("pathprobe hop", -1).length - 1;
        int traces = body.split("pathprobe trace", -1).length - 1;
        System.out.println("  " + r.hops().size() + " hops; received " + body.length() + " bytes ("
                + contentType + "): " + traces + " trace span, " + hops + " hop spans");
        boolean ok = traces == 1 && hops == r.hops().size() && contentType.toString().equals("application/x-protobuf")
                && r.destinationReached();
        System.out.println(ok ? "OK" : "FAILED: one trace span and a hop span per hop should have arrived");
        System.exit(ok ? 0 : 1);
    }
}
