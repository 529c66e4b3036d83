package io.pathprobe.agent;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.otel.PathSpans;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's OTLP export ({@code otlp:} in the schedule): each result's spans ({@link PathSpans}) through the SDK's
 * batch processor (a bounded queue, exported on its own thread: a slow or absent collector never delays a
 * measurement) to the OTLP/HTTP exporter (protobuf, the JDK's HTTP client). Flushed and shut down when the agent
 * closes ({@link #close()}). Loaded only when the schedule asks for it: pathprobe-otel and the SDK are optional
 * dependencies of the agent (docs/agent.md).
 */
final class OtlpExport implements Consumer<AgentRecord>, AutoCloseable {
    private final SdkTracerProvider provider;
    private final PathSpans spans;
    private final java.time.Duration timeout;

    private OtlpExport(OtlpSettings s) {
        timeout = s.timeout();
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(s.tracesUrl())
                .setTimeout(s.timeout()).build();
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), "pathprobe-agent"))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(s.queue())
                        .setMaxExportBatchSize(Math.min(512, s.queue())).build())
                .build();
        spans = new PathSpans(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
    }

    /**
     * {@return the export the settings describe}
     *
     * @param source the schedule's file (or "config"), which a refusal names
     * @param s the schedule's {@code otlp:}
     * @throws AgentConfigException if pathprobe-otel or the OpenTelemetry SDK is not on the class path
     */
    static OtlpExport open(String source, OtlpSettings s) {
        try {
            return new OtlpExport(s);
        } catch (NoClassDefFoundError e) {
            throw new AgentConfigException(source, 0, 0, "otlp: needs pathprobe-otel, opentelemetry-sdk, "
                    + "opentelemetry-exporter-otlp and opentelemetry-exporter-sender-jdk on the class path "
                    + "(docs/agent.md); missing " + e.getMessage());
        }
    }

    /** A result's spans, to the queue; a failed run has none. On the tracer's callback thread. */
    @Override
    public void accept(AgentRecord r) {
        if (r.kind() == MeasurementType.MONITOR) { // the agent's monitor records are its rounds
            spans.monitorRound((MonitorRound) r.result());
        } else {
            spans.record(r.kind(), r.result());
        }
    }

    /**
     * Exports what the queue holds ({@code forceFlush}), then shuts the processor and the exporter down, waiting up
     * to the settings' {@code timeout} for both together. The agent calls it once no record is being delivered, so
     * every span of a record its sinks took is in the queue.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableResultCode flushed = provider.forceFlush().join(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (!flushed.isSuccess()) {
            System.getLogger(PathProbeAgent.class.getName()).log(System.Logger.Level.WARNING, "pathprobe agent: "
                    + "the OTLP export did not flush within " + timeout + " at stop: spans may be lost");
        }
        provider.shutdown().join(Math.max(1, Jobs.left(deadline)), TimeUnit.NANOSECONDS);
    }
}
