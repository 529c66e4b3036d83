package io.pathprobe.otel;

import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static io.pathprobe.testing.Samples.rtt;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.pathprobe.MeasurementType;
import io.pathprobe.check.Assertion;
import io.pathprobe.check.Assertions;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 72: a result as spans, read back from the SDK's in-memory exporter. */
class PathSpansTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider =
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final PathSpans spans = new PathSpans(OpenTelemetrySdk.builder().setTracerProvider(provider).build());

    @AfterEach
    void close() {
        provider.close();
    }

    private List<SpanData> children(SpanData parent) {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .sorted(Comparator.comparing(s -> s.getAttributes().get(PathAttributes.TTL))).toList();
    }

    private List<SpanData> named(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    @Test
    void aTraceIsOneMeasurementSpanWithAChildPerHopInTtlOrderAndExactAttributes() {
        TraceResult t = Samples.trace();
        spans.trace(t);

        List<SpanData> measurement = named("pathprobe trace");
        assertThat(measurement).hasSize(1);
        SpanData m = measurement.get(0);
        assertThat(m.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(m.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(m.getStartEpochNanos()).isEqualTo(epochNanos(Samples.START));
        assertThat(m.getEndEpochNanos()).isEqualTo(epochNanos(Samples.START.plus(t.duration())));
        assertThat(m.getAttributes().asMap()).isEqualTo(Attributes.builder()
                .put("pathprobe.measurement", "trace").put("server.address", Samples.ODD_NAME)
                .put("pathprobe.status", "DESTINATION_REACHED").put("pathprobe.destination.reached", true)
                .put("network.peer.address", "198.51.100.10").put("network.type", "ipv4")
                .put("network.transport", "icmp").put("pathprobe.hop_count", 4L)
                .put(PathAttributes.PATH_ID, Assertions.pathIds(t)).build().asMap());

        List<SpanData> hops = children(m);
        assertThat(hops).hasSize(4);
        assertThat(named("pathprobe hop")).hasSize(4);
        assertThat(hops).extracting(s -> s.getAttributes().get(PathAttributes.TTL)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(hops).allSatisfy(h -> {
            assertThat(h.getTraceId()).isEqualTo(m.getTraceId());
            assertThat(h.getStartEpochNanos()).isEqualTo(m.getStartEpochNanos());
            assertThat(h.getEndEpochNanos()).isEqualTo(m.getEndEpochNanos());
        });
        // hop 2: 3 sent, 2 answered, 1 lost on the way back (claimed), MPLS, AS and a name
        assertThat(hops.get(1).getAttributes().asMap()).isEqualTo(Attributes.builder()
                .put("pathprobe.hop.ttl", 2L).put("network.peer.address", "198.18.1.1")
                .put(PathAttributes.RESPONDERS, List.of("198.18.1.1"))
                .put(PathAttributes.NAMES, List.of("core1.isp.lab.example"))
                .put("pathprobe.hop.as.number", 64500L).put("pathprobe.hop.as.name", "LAB-ISP, \"ZZ\"")
                .put("pathprobe.probes.sent", 3L).put("pathprobe.probes.answered", 2L)
                .put("pathprobe.loss", 1 / 3.0).put("pathprobe.rate_limited.share", 0.0)
                .put("pathprobe.rtt.min_ms", 1.0001).put("pathprobe.rtt.avg_ms", 1.75005)
                .put("pathprobe.rtt.max_ms", 2.5).put("pathprobe.rtt.stddev_ms", 0.0125)
                .put(PathAttributes.MPLS_LABELS, List.of(24001L, 16L)).build().asMap());
        // the destination: its hop says so
        assertThat(hops.get(3).getAttributes().get(PathAttributes.DESTINATION)).isTrue();
        assertThat(hops.get(0).getAttributes().get(PathAttributes.DESTINATION)).isNull();
    }

    @Test
    void aRateLimitedRouterIsNeverLossButItsShare() {
        // 10 sent: 4 answered, 4 refused by a router shown to limit, 2 timed out that a refusal may explain
        HopStatistics s = new HopStatistics(10, 4, 2, 0, 2, 0, Optional.of(rtt(1, 1, 1)), 4, 2);
        Hop limited = new Hop(1, List.of(Samples.status(1, 0, ProbeStatus.RATE_LIMITED, Optional.empty())),
                List.of(new Responder(ip("198.18.0.1"), 4)), s);
        Attributes a = PathSpans.hopAttributes(limited);
        assertThat(a.get(PathAttributes.LOSS)).isEqualTo(0.0);
        assertThat(a.get(PathAttributes.RATE_LIMITED)).isEqualTo(0.4);

        spans.ping(Samples.udpPing()); // 4 sent, 2 answered, 1 rate-limited, 1 lost a refusal may explain
        SpanData p = named("pathprobe ping").get(0);
        assertThat(p.getAttributes().get(PathAttributes.LOSS)).isEqualTo(0.0);
        assertThat(p.getAttributes().get(PathAttributes.RATE_LIMITED)).isEqualTo(0.25);
        assertThat(p.getAttributes().get(PathAttributes.NETWORK_TRANSPORT)).isEqualTo("udp");
    }

    @Test
    void aTraceThatDidNotReachItsDestinationIsAnError() {
        TraceResult full = Samples.trace();
        TraceResult cut = new TraceResult(full.target(), full.destination(), ProbeProtocol.ICMP, full.transport(),
                TraceStatus.MAX_HOPS_EXCEEDED, full.hops().subList(0, 2), full.startedAt(), full.duration(), 0,
                Optional.empty(), FlowMode.PARIS, 1, full.context());
        spans.trace(cut);
        SpanData m = named("pathprobe trace").get(0);
        assertThat(m.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(m.getAttributes().get(PathAttributes.REACHED)).isFalse();
        assertThat(children(m)).hasSize(2);
    }

    @Test
    void theKindIsDispatchedThroughMeasurementType() {
        assertThat(spans.record(MeasurementType.PING, Samples.ping())).isTrue();
        // two targets: one answered 3 of 5 (1 lost), one that never resolved (an error, no address)
        List<SpanData> pings = named("pathprobe ping");
        assertThat(pings).hasSize(2);
        assertThat(pings.get(0).getAttributes().get(PathAttributes.LOSS)).isEqualTo(2 / 5.0);
        assertThat(pings.get(0).getAttributes().get(PathAttributes.RTT_STDDEV)).isEqualTo(0.816497);
        assertThat(pings.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(pings.get(1).getAttributes().get(PathAttributes.NETWORK_PEER_ADDRESS)).isNull();

        assertThat(spans.record(MeasurementType.MULTIPATH, Samples.multipath())).isTrue();
        List<SpanData> paths = named("pathprobe multipath");
        assertThat(paths).hasSize(2);
        assertThat(paths).allSatisfy(p -> assertThat(children(p)).extracting(
                s -> s.getAttributes().get(PathAttributes.TTL)).containsExactly(1L, 2L, 3L));
        assertThat(paths.get(1).getAttributes().get(PathAttributes.PATH_ID)).containsExactly(Assertion.PathId.idOf(
                List.of(Optional.of(ip("198.18.0.1")), Optional.of(ip("198.18.2.1")), Optional.of(ip("198.18.10.1")))));

        assertThat(spans.record(MeasurementType.TRACE_ALL, new io.pathprobe.trace.TraceAllResult(
                List.of(Samples.trace(), Samples.trace6()), io.pathprobe.trace.TraceAllStatus.COMPLETED,
                Samples.START, ms(10), 0, 0, io.pathprobe.trace.TraceAllRequest.of("a", "b")))).isTrue();
        assertThat(named("pathprobe traceAll")).hasSize(2);

        assertThat(spans.record(MeasurementType.MTU, Samples.mtu())).isFalse();
        assertThat(spans.record(MeasurementType.MONITOR, Samples.monitor())).isFalse(); // no round kept
        assertThat(named("pathprobe monitor")).isEmpty();
    }

    private static long epochNanos(java.time.Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
