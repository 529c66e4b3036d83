package io.pathprobe.otel;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver on loopback: a JDK {@link HttpServer} on 127.0.0.1 that takes {@code POST /v1/traces}
 * with a protobuf body (gzip or not), decodes it as an {@link ExportTraceServiceRequest} with OpenTelemetry's own
 * protobuf classes and answers as a collector does. Not a mock exporter: what arrives went through the SDK's OTLP
 * exporter and over HTTP.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Span> spans = new ArrayList<>();
    private final List<String> contentTypes = new ArrayList<>();
    private Throwable failure;

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            int status = 200;
            try (InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                synchronized (this) {
                    contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                    for (ResourceSpans r : request.getResourceSpansList()) {
                        for (ScopeSpans s : r.getScopeSpansList()) {
                            spans.addAll(s.getSpansList());
                        }
                    }
                    notifyAll();
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                status = 400;
                synchronized (this) {
                    failure = e; // await() fails with it
                    notifyAll();
                }
            }
            byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, ok.length == 0 ? -1 : ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
    }

    /** {@return a receiver listening on 127.0.0.1 on a port of the kernel's choice} */
    public static OtlpReceiver start() throws IOException {
        return new OtlpReceiver();
    }

    /** {@return its OTLP/HTTP base endpoint: {@code http://127.0.0.1:PORT}} */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * {@return the spans received, once there are at least {@code n} (the test's timeout bounds the wait)}
     *
     * @param n how many to wait for
     * @throws InterruptedException if interrupted
     * @throws AssertionError if a request could not be read
     */
    public synchronized List<Span> await(int n) throws InterruptedException {
        while (spans.size() < n && failure == null) {
            wait();
        }
        if (failure != null) {
            throw new AssertionError("a request the receiver could not read", failure);
        }
        return List.copyOf(spans);
    }

    /**
     * {@return the spans received once there are at least {@code n}, or those there are after {@code patience} (a
     * liveness bound: the caller asserts how many)}
     *
     * @param n how many to wait for
     * @param patience how long to wait at most
     * @throws InterruptedException if interrupted
     * @throws AssertionError if a request could not be read
     */
    public synchronized List<Span> await(int n, java.time.Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        for (long left = patience.toNanos(); spans.size() < n && failure == null && left > 0;
                left = end - System.nanoTime()) {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (failure != null) {
            throw new AssertionError("a request the receiver could not read", failure);
        }
        return List.copyOf(spans);
    }

    /** {@return the Content-Type of each request received} */
    public synchronized List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    /**
     * {@return a decoded span's attributes as key to value: strings, booleans, longs, doubles and lists of them}
     *
     * @param attributes the span's attributes, as OTLP carries them
     */
    public static Map<String, Object> map(List<KeyValue> attributes) {
        Map<String, Object> m = new LinkedHashMap<>();
        attributes.forEach(kv -> m.put(kv.getKey(), value(kv.getValue())));
        return m;
    }

    /**
     * {@return the API's attributes as {@link #map(List)} gives a decoded span's}
     *
     * @param attributes attributes made through the API
     */
    public static Map<String, Object> map(Attributes attributes) {
        Map<String, Object> m = new LinkedHashMap<>();
        attributes.forEach((AttributeKey<?> k, Object v) -> m.put(k.getKey(), v));
        return m;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value).toList();
            default -> throw new AssertionError("an attribute pathprobe does not make: " + v);
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
