package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span;
import io.pathprobe.MeasurementType;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.otel.OtlpReceiver;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 72: the schedule's otlp: and the agent's export of a result's spans to a real OTLP receiver on loopback. */
class OtlpExportTest {
    private static final String JOB = "jobs:\n  - {name: a, kind: trace, target: 198.18.1.1, interval: 1m}\n";

    @Test
    void otlpReadsAsWrittenWithItsDefaults() {
        OtlpSettings s = AgentConfig.parse("otlp: {endpoint: 'http://127.0.0.1:4318'}\n" + JOB, "a.yaml").otlp()
                .orElseThrow();
        assertThat(s).isEqualTo(new OtlpSettings(URI.create("http://127.0.0.1:4318"), Duration.ofSeconds(10), 2048));
        assertThat(s.tracesUrl()).isEqualTo("http://127.0.0.1:4318/v1/traces");
        assertThat(AgentConfig.parse("otlp: {endpoint: 'https://c.example/', timeout: 2s, queue: 10}\n" + JOB, "a")
                .otlp()).contains(new OtlpSettings(URI.create("https://c.example/"), Duration.ofSeconds(2), 10));
        assertThat(AgentConfig.parse(JOB, "a.yaml").otlp()).isEmpty();
        assertThat(AgentConfig.parse("otlp: {endpoint: 'http://h:1'}\n" + JOB, "a")
                .startsAs(AgentConfig.parse(JOB, "a"))).as("a reload that changes it needs a restart").isFalse();
    }

    @Test
    void aWrongOtlpIsRefusedNamingItsLine() {
        for (String[] bad : List.of(new String[] {"otlp: {endpoint: 'ftp://h'}\n", "must be an http(s) URL"},
                new String[] {"otlp: {endpoint: 'http://h', queue: 0}\n", "otlp.queue must be 1..1000000"},
                new String[] {"otlp: {endpoint: 'http://h', batch: 1}\n", "batch"},
                new String[] {"otlp: {timeout: 1s}\n", "otlp.endpoint is missing"})) {
            assertThatThrownBy(() -> AgentConfig.parse(bad[0] + JOB, "agent.yaml"))
                    .isInstanceOf(AgentConfigException.class).hasMessageStartingWith("agent.yaml:1:")
                    .hasMessageContaining(bad[1]);
        }
    }

    @Test
    void eachRecordsSpansArriveAtTheCollectorWhenTheExportCloses() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtlpExport export = OtlpExport.open("a.yaml",
                    new OtlpSettings(URI.create(receiver.endpoint()), Duration.ofSeconds(10), 16));
            TraceResult t = Samples.trace();
            export.accept(new AgentRecord("path", MeasurementType.TRACE, t.target(), Map.of(), Instant.now(), t));
            export.close(); // flushes the batch
            List<Span> spans = receiver.await(1 + t.hops().size());
            assertThat(spans).hasSize(1 + t.hops().size());
            Span root = spans.stream().filter(s -> s.getName().equals("pathprobe trace")).findFirst().orElseThrow();
            assertThat(spans).filteredOn(s -> s.getParentSpanId().equals(root.getSpanId()))
                    .extracting(s -> OtlpReceiver.map(s.getAttributesList()).get("pathprobe.hop.ttl"))
                    .containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            assertThat(receiver.contentTypes()).containsOnly("application/x-protobuf");
        }
    }
}
