package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.trace.v1.Span;
import io.pathprobe.agent.sink.AgentRecord;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.otel.OtlpReceiver;
import io.pathprobe.probe.AddressText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent stopped right as a result completes: the trace's record is being delivered (its sink took it, its
 * spans are next) when another thread closes the agent, a long ping still running. Every record the sink took has its
 * spans at a real OTLP/HTTP receiver on loopback once the close returns (the close waits for the record under way,
 * then flushes and shuts the OTLP export down), and the ping the stop cancelled is recorded as one: its partial
 * result ({@code CANCELLED}) in the sink and as spans.
 */
@LabTest
@Timeout(120)
class AgentOtlpStopLabTest {
    @Test
    void everyRecordTheSinkTookAtTheStopHasItsSpansAtTheCollector() throws Exception {
        try (Lab lab = Lab.chain(2).inCurrentNamespace().build(); OtlpReceiver receiver = OtlpReceiver.start()) {
            String dst = AddressText.of(lab.destination());
            String schedule = "otlp: {endpoint: '" + receiver.endpoint() + "', timeout: 10s}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms}\n"
                    + "jobs:\n"
                    + "  - {name: path, kind: trace, target: " + dst + ", interval: 10m, options: {maxTtl: 4}}\n"
                    + "  - {name: long, kind: ping, target: " + dst + ", interval: 10m, count: 100,"
                    + " probeInterval: 1s}\n";
            AgentFixture.Kept sink = new AgentFixture.Kept();
            AtomicReference<PathProbeAgent> agent = new AtomicReference<>();
            CompletableFuture<Thread> closer = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            // runs before the OTLP export's observer (start() adds it after the builder's): the trace's record is in
            // the sink's queue, its spans not yet made, when the close starts
            PathProbeAgent a = AgentFixture.builder(schedule, RecordFormat.PATHPROBE, sink)
                    .observer((AgentRecord r) -> {
                        if (first.compareAndSet(true, false)) {
                            Thread t = new Thread(() -> agent.get().close(), "test-close");
                            t.start();
                            closer.complete(t);
                            try { // until the close is done, or 2 s: it must wait for this record, not close under it
                                t.join(2000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build();
            agent.set(a);
            a.start();
            Thread t = closer.get(60, TimeUnit.SECONDS); // liveness: the trace of two hops takes about a second
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).as("the close ended").isFalse();

            List<JsonNode> records = new ArrayList<>();
            for (String line : sink.lines()) {
                records.add(new ObjectMapper().readTree(line));
            }
            assertThat(records).as("the sink took the trace's record, then the cancelled ping's")
                    .extracting(r -> r.path("job").asText()).containsExactly("path", "long");
            assertThat(records.get(1).path("result").path("status").asText()).isEqualTo("CANCELLED");
            int expected = 0;
            for (JsonNode r : records) { // a trace: its span and one per hop; a ping: one per target
                JsonNode result = r.path("result");
                expected += r.path("kind").asText().equals("trace") ? 1 + result.path("hops").size()
                        : result.path("results").size();
            }
            // the close flushed the export before it returned: the spans are there now (1 s is for the receiver's
            // handler to have decoded what the exporter sent and was answered for)
            List<Span> spans = receiver.await(expected + 1, Duration.ofSeconds(1));
            assertThat(spans).as("a root span and a span per hop of each record the sink took, nothing more")
                    .hasSize(expected);
            assertThat(spans).filteredOn(s -> s.getParentSpanId().isEmpty()).extracting(Span::getName)
                    .containsExactlyInAnyOrder("pathprobe trace", "pathprobe ping");
            assertThat(a.statistics().records()).isEqualTo(records.size());
            assertThat(sink.afterClose()).as("nothing written after the close").isZero();
        }
    }
}
