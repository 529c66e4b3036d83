package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.trace.v1.Span;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.otel.OtlpReceiver;
import io.pathprobe.probe.AddressText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 72's done-when, the agent's side: {@code pathprobe agent --config FILE} as a process (the shipped jar) with
 * {@code otlp:} traces a lab chain; its spans arrive at a real OTLP/HTTP receiver on loopback (decoded with
 * OpenTelemetry's own protobuf classes) as one measurement span with a child per hop, whose attributes are the values
 * of the trace's record the agent's file sink wrote. The agent is stopped with SIGTERM as soon as the record is
 * written: the spans arrive because the stop delivers and flushes them before the process exits.
 */
@LabTest
@Timeout(180)
class CliAgentOtlpLabTest {
    @Test
    void theAgentsTraceArrivesAtAnOtlpReceiverAsASpanWithAChildPerHop(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.chain(3).inCurrentNamespace().build(); OtlpReceiver receiver = OtlpReceiver.start()) {
            String dst = AddressText.of(lab.destination());
            Path records = dir.resolve("records.ndjson");
            AgentProcess agent = AgentProcess.start(dir, "sinks:\n  - {type: file, path: " + records + "}\n"
                    + "otlp: {endpoint: '" + receiver.endpoint() + "'}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms}\n"
                    + "jobs:\n  - {name: path, kind: trace, target: " + dst + ", interval: 10m,"
                    + " options: {maxTtl: 6}}\n");
            JsonNode trace;
            List<Span> spans;
            try {
                trace = new ObjectMapper().readTree(agent.awaitLine(records, "\"job\":\"path\"")).path("result");
            } finally {
                // SIGTERM as soon as the sink wrote the record: its spans are still in the batch processor's queue
                // (exported every 5 s) or not yet made; the stop must deliver and flush them before the process exits
                agent.stop();
            }
            // the process flushed them before it exited: they are at the receiver now (1 s: a liveness bound for the
            // receiver's handler, which stores a request's spans before it answers the exporter)
            spans = receiver.await(1 + trace.path("hops").size(), Duration.ofSeconds(1));
            assertThat(agent.process.exitValue()).as("stderr: %s", agent.stderr()).isZero();
            JsonNode hops = trace.path("hops");
            assertThat(trace.path("destinationReached").asBoolean()).as("%s", trace).isTrue();
            assertThat(spans).as("the spans received (the agent's stderr: %s)", agent.stderr())
                    .hasSize(1 + hops.size());
            List<Span> roots = spans.stream().filter(s -> s.getName().equals("pathprobe trace")).toList();
            assertThat(roots).hasSize(1);
            Span root = roots.get(0);
            assertThat(OtlpReceiver.map(root.getAttributesList())).containsEntry("pathprobe.measurement", "trace")
                    .containsEntry("server.address", dst).containsEntry("network.peer.address", dst)
                    .containsEntry("network.type", "ipv4")
                    .containsEntry("network.transport", trace.path("protocol").asText())
                    .containsEntry("pathprobe.destination.reached", true)
                    .containsEntry("pathprobe.hop_count", (long) hops.size());
            List<Map<String, Object>> children = spans.stream()
                    .filter(s -> s.getParentSpanId().equals(root.getSpanId()))
                    .map(s -> OtlpReceiver.map(s.getAttributesList()))
                    .sorted(java.util.Comparator.comparing(a -> (Long) a.get("pathprobe.hop.ttl"))).toList();
            assertThat(children).hasSize(hops.size());
            for (int i = 0; i < hops.size(); i++) {
                JsonNode h = hops.get(i);
                Map<String, Object> a = children.get(i);
                assertThat(a).as("hop %s", h).containsEntry("pathprobe.hop.ttl", h.path("ttl").asLong())
                        .containsEntry("pathprobe.probes.sent", h.path("sent").asLong())
                        .containsEntry("pathprobe.probes.answered", h.path("received").asLong());
                if (!h.path("address").isNull()) {
                    assertThat(a).containsEntry("network.peer.address", h.path("address").asText());
                }
                if (h.path("avgMs").isNumber()) { // the record writes milliseconds rounded to the microsecond
                    assertThat((Double) a.get("pathprobe.rtt.avg_ms")).isCloseTo(h.path("avgMs").asDouble(),
                            Offset.offset(0.0005));
                    assertThat((Double) a.get("pathprobe.rtt.min_ms")).isCloseTo(h.path("minMs").asDouble(),
                            Offset.offset(0.0005));
                    assertThat((Double) a.get("pathprobe.rtt.max_ms")).isCloseTo(h.path("maxMs").asDouble(),
                            Offset.offset(0.0005));
                    assertThat(a).containsKey("pathprobe.rtt.stddev_ms");
                }
                if (h.path("sent").asLong() > 0) {
                    assertThat((Double) a.get("pathprobe.rate_limited.share"))
                            .isEqualTo(h.path("rateLimited").asDouble() / h.path("sent").asDouble());
                }
                if (h.path("received").asLong() + h.path("lost").asLong() - h.path("undecided").asLong() > 0) {
                    assertThat((Double) a.get("pathprobe.loss")).isEqualTo(h.path("lossLow").asDouble());
                }
            }
            assertThat(children.get(hops.size() - 1)).containsEntry("pathprobe.hop.destination", true);
        }
    }

}
