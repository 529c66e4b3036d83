package io.pathprobe.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pathprobe.Measurement;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.trace.TraceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One vocabulary: what the binders register is what {@link PathProbeMeters} documents, and the docs list it all. */
class PathProbeMetersTest {
    @Test
    void everyMeterTheBindersRegisterIsDocumentedWithItsTypeUnitAndTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeTracer ft = new FakeTracer(Scenario.named("meters", 3))) {
            new PathProbeMetrics(ft.tracer, Tags.of("tracer", "t")).bindTo(registry);
            Measurement<MonitorRequest, MonitorResult> m = ft.tracer.start(MonitorRequest.builder(
                    TraceRequest.builder("192.0.2.1").probesPerTtl(1).maxTtl(4).build()).rounds(1).build());
            new MonitorMetrics(m, Tags.of("site", "lab"), Duration.ZERO, ft.clock::read).bindTo(registry);
            assertThat(registry.getMeters()).isNotEmpty();
            Set<PathProbeMeters> seen = new HashSet<>();
            for (Meter meter : registry.getMeters()) {
                Meter.Id id = meter.getId();
                PathProbeMeters doc = Arrays.stream(PathProbeMeters.values())
                        .filter(d -> d.getName().equals(id.getName())).findFirst().orElse(null);
                assertThat(doc).as("%s is one of PathProbeMeters", id.getName()).isNotNull();
                assertThat(id.getType()).as(id.getName()).isEqualTo(doc.getType() == Meter.Type.COUNTER
                        ? Meter.Type.COUNTER : Meter.Type.GAUGE);
                assertThat(id.getBaseUnit()).as(id.getName()).isEqualTo(doc.getBaseUnit());
                assertThat(id.getDescription()).as(id.getName()).isEqualTo(doc.description());
                Set<String> keys = new HashSet<>();
                id.getTags().forEach(t -> keys.add(t.getKey()));
                keys.removeAll(List.of("tracer", "site", PathProbeMeters.Tag.TARGET.asString()));
                assertThat(keys).as(id.getName()).containsExactlyInAnyOrderElementsOf(doc.tags().stream()
                        .map(PathProbeMeters.Tag::asString).toList());
                seen.add(doc);
            }
            assertThat(seen).contains(PathProbeMeters.PROBES_SENT, PathProbeMeters.ANSWERS_DROPPED,
                    PathProbeMeters.MONITOR_HOP_LOSS, PathProbeMeters.PATH_HOPS, PathProbeMeters.MONITOR_ROUNDS);
        }
    }

    @Test
    void namesAreUniqueAndTheDocsListEachAsPrometheusShowsIt() throws Exception {
        Set<String> names = new HashSet<>();
        for (PathProbeMeters m : PathProbeMeters.values()) {
            assertThat(names.add(m.getName())).as(m.getName()).isTrue();
        }
        assertThat(PathProbeMeters.HOP_RTT_AVG.prometheusName()).isEqualTo("pathprobe_hop_rtt_avg_seconds");
        assertThat(PathProbeMeters.PROBES_SENT.prometheusName()).isEqualTo("pathprobe_probes_sent_total");
        String docs = Files.readString(Path.of("..", "docs", "observability.md"), StandardCharsets.UTF_8);
        for (PathProbeMeters m : PathProbeMeters.values()) {
            assertThat(docs).as("docs/observability.md lists %s", m).contains("`" + m.prometheusName() + "`");
        }
    }
}
