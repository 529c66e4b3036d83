package io.pathprobe.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.AddressText;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 72's done-when: a lab trace's spans, exported by the SDK's OTLP/HTTP exporter as an application exports them
 * (batched), arrive at a real OTLP receiver on loopback as one measurement span with a child per hop, each with the
 * attributes docs/otel.md lists and the values of the result.
 */
@LabTest
@Timeout(120)
class OtlpExportLabTest {
    @Test
    void aLabTracesSpansArriveAtAnOtlpReceiverWithAChildPerHop() throws Exception {
        try (Lab lab = Lab.chain(4).inCurrentNamespace().build();
                OtlpReceiver receiver = OtlpReceiver.start()) {
            TraceResult trace;
            try (PathTracer tracer = PathTracer.builder().packetsPerSecond(0).offline().build()) {
                trace = tracer.trace(TraceRequest.of(lab.destination()));
            }
            assertThat(trace.destinationReached()).as("%s", trace).isTrue();
            SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(
                    OtlpHttpSpanExporter.builder().setEndpoint(receiver.endpoint() + "/v1/traces").build()).build())
                    .build();
            new PathSpans(OpenTelemetrySdk.builder().setTracerProvider(provider).build()).trace(trace);
            assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
            provider.close();

            assertSpans(receiver.await(1 + trace.hops().size()), trace, "trace");
            assertThat(receiver.contentTypes()).containsOnly("application/x-protobuf");
        }
    }

    /** One measurement span, a child per hop in TTL order with the hop's attributes as PathSpans makes them. */
    static void assertSpans(List<Span> spans, TraceResult trace, String kind) {
        List<Span> roots = spans.stream().filter(s -> s.getName().equals("pathprobe " + kind)).toList();
        assertThat(roots).hasSize(1);
        Span root = roots.get(0);
        assertThat(root.getParentSpanId().isEmpty()).isTrue();
        assertThat(OtlpReceiver.map(root.getAttributesList())).containsEntry("pathprobe.measurement", kind)
                .containsEntry("server.address", trace.target()).containsEntry("network.type", "ipv4")
                .containsEntry("pathprobe.destination.reached", true)
                .containsEntry("pathprobe.hop_count", (long) trace.hops().size());
        assertThat(root.getStartTimeUnixNano()).isEqualTo(nanos(trace.startedAt()));
        assertThat(root.getEndTimeUnixNano() - root.getStartTimeUnixNano()).isEqualTo(trace.duration().toNanos());

        List<Span> hops = spans.stream().filter(s -> s.getParentSpanId().equals(root.getSpanId()))
                .sorted(Comparator.comparing(s -> (Long) OtlpReceiver.map(s.getAttributesList())
                        .get("pathprobe.hop.ttl"))).toList();
        assertThat(spans).hasSize(1 + trace.hops().size());
        assertThat(hops).hasSize(trace.hops().size());
        for (int i = 0; i < hops.size(); i++) {
            Hop h = trace.hops().get(i);
            assertThat(hops.get(i).getTraceId()).isEqualTo(root.getTraceId());
            assertThat(OtlpReceiver.map(hops.get(i).getAttributesList())).as("hop %s", h.ttl())
                    .isEqualTo(OtlpReceiver.map(PathSpans.hopAttributes(h)))
                    .containsEntry("pathprobe.probes.sent", (long) h.statistics().sent())
                    .containsEntry("pathprobe.probes.answered", (long) h.statistics().received());
            Map<String, Object> got = OtlpReceiver.map(hops.get(i).getAttributesList());
            h.address().ifPresent(a -> assertThat(got).containsEntry("network.peer.address", AddressText.of(a)));
            h.statistics().rtt().ifPresent(r -> assertThat(got).containsEntry("pathprobe.rtt.avg_ms",
                    r.avg().toNanos() / 1e6).containsKeys("pathprobe.rtt.min_ms", "pathprobe.rtt.max_ms",
                    "pathprobe.rtt.stddev_ms"));
        }
        assertThat(OtlpReceiver.map(hops.get(hops.size() - 1).getAttributesList()))
                .containsEntry("pathprobe.hop.destination", true);
    }

    private static long nanos(java.time.Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
