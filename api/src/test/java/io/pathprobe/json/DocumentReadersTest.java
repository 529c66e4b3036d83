package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.diff.PathDiff;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The readers beside the writers: a trace or monitor document read back is written again byte for byte; what is not
 * such a document is a
 * {@link JsonReadException} saying what is wrong and where.
 */
class DocumentReadersTest {
    private static final Path MASKED = Path.of("src/test/resources/io/pathprobe/json/masked");

    @Test
    void aTraceDocumentReadBackIsWrittenAgainByteForByte() throws IOException {
        List<String> documents = new ArrayList<>();
        for (TraceResult t : List.of(Samples.trace(), Samples.trace6(), MaskedOutputsGoldenTest.revisited(),
                PathProbeJsonSchemaTest.enrichedOtherwise(), PathProbeJsonSchemaTest.silentTrace(),
                PathProbeJsonSchemaTest.emptyTrace(), GeoJsonTest.placed())) {
            documents.add(TraceJson.write(t));
        }
        for (String name : List.of("trace", "trace6", "revisited", "enrichedOtherwise")) {
            // the golden masked documents: one section "=== masking" per masking
            for (String section : Files.readString(MASKED.resolve(name + ".json")).split("(?m)^=== .*\\n")) {
                if (!section.isEmpty()) {
                    documents.add(section.substring(0, section.length() - 1));
                }
            }
        }
        assertThat(documents).hasSize(7 + 4 * 6);
        for (String json : documents) {
            assertThat(TraceJson.write(TraceJson.read(json))).isEqualTo(json);
        }
    }

    @Test
    void anOlderTraceDocumentReadsWithItsMissingFieldsDefaulted() {
        String v1 = "{\"schemaVersion\":1,\"target\":\"t\",\"destination\":\"192.0.2.1\",\"protocol\":\"tcp\","
                + "\"status\":\"DESTINATION_REACHED\",\"destinationReached\":true,"
                + "\"hops\":[{\"ttl\":1,\"address\":\"192.0.2.1\",\"rtts\":[1.5],"
                + "\"sent\":2,\"received\":1}]}";
        TraceResult t = TraceJson.read(v1);
        assertThat(t.tcpMode()).contains(io.pathprobe.trace.TcpMode.SYN);
        assertThat(t.hops().get(0).statistics().forwardLost()).isEqualTo(1);
        assertThat(t.hops().get(0).rtts()).containsExactly(java.time.Duration.ofNanos(1_500_000));
        assertThat(t.destinationHop()).contains(t.hops().get(0));
        assertThat(t.context()).isEqualTo(io.pathprobe.enrich.PathContext.OFF);
        assertThat(PathDiff.of(t, DiffJson.read(v1).traces().get(0)).none()).isTrue();
    }

    @Test
    void aMonitorDocumentReadBackIsWrittenAgainByteForByte() throws IOException {
        MonitorResult m = Samples.monitor();
        MonitorResult empty = new MonitorResult("no.such.name.lab.example", Optional.empty(), ProbeProtocol.ICMP, "",
                MonitorStatus.RUNNING, 0, Samples.START, Duration.ZERO, List.of(), MonitorStatistics.NONE, 0,
                Double.NaN, 0, MonitorPath.NONE, 0, Optional.empty(), m.request(), MaskStatement.NONE);
        List<String> documents = new ArrayList<>(List.of(MonitorJson.write(m), MonitorJson.write(empty)));
        List<String> lines = new ArrayList<>(List.of(MonitorJson.line(m), MonitorJson.line(empty)));
        for (String name : List.of("monitor.json", "monitor.line.json")) {
            // the golden masked documents: one section "=== masking" per masking
            for (String section : Files.readString(MASKED.resolve(name)).split("(?m)^=== .*\\n")) {
                if (!section.isEmpty()) {
                    (name.equals("monitor.json") ? documents : lines).add(section.substring(0, section.length() - 1));
                }
            }
        }
        assertThat(documents).hasSize(2 + 6);
        assertThat(lines).hasSize(2 + 6);
        for (String json : documents) {
            assertThat(MonitorJson.write(MonitorJson.read(json))).isEqualTo(json);
        }
        for (String json : lines) {
            assertThat(MonitorJson.line(MonitorJson.read(json))).isEqualTo(json);
        }
        MonitorResult read = MonitorJson.read(MonitorJson.write(m));
        assertThat(read.toString()).isEqualTo(m.toString());
        assertThat(PathDiff.of(m, read).none()).isTrue();
        String both = "[" + TraceJson.write(Samples.trace()) + "," + TraceJson.write(Samples.trace6()) + "]";
        DiffJson.Measured all = DiffJson.read("\uFEFF" + both);
        assertThat(all.monitor()).isFalse();
        assertThat(all.what()).isEqualTo("a traceAll");
        assertThat(all.traces()).extracting(TraceResult::target)
                .containsExactly(Samples.trace().target(), Samples.trace6().target());
    }

    @Test
    void whatIsNotSuchADocumentSaysWhatIsWrongAndWhere() {
        String trace = TraceJson.write(Samples.trace());
        assertThatThrownBy(() -> MonitorJson.read(trace)).isInstanceOf(JsonReadException.class)
                .hasMessage("a trace document, not a monitor document");
        assertThatThrownBy(() -> TraceJson.read("{\n  \"target\" : x")).isInstanceOf(JsonReadException.class)
                .hasMessage("not JSON (expected a value, found 'x' at line 2, column 14)");
        assertThatThrownBy(() -> DiffJson.read("[" + trace + ",{\"target\":\"t\",\"hops\":[{\"ttl\":\"1\"}]}]"))
                .hasMessage("element 2: a hop without a ttl");
        assertThatThrownBy(() -> DiffJson.read("[" + trace + "," + MonitorJson.write(Samples.monitor()) + "]"))
                .hasMessage("a list of traces and monitor documents mixed");
        assertThatThrownBy(() -> DiffJson.read("{\"target\":\"t\",\"hops\":[{\"ttl\":300}]}"))
                .hasMessageStartingWith("a value out of range: ");
        assertThatThrownBy(() -> DiffJson.read(PingJson.write(Samples.ping())))
                .hasMessage("not a trace, traceAll or monitor document (it has no hops; another document)");
        assertThatThrownBy(() -> DiffJson.readResultLine("{\"type\":\"result\",\"measurement\":\"monitor\","
                + "\"result\":" + trace.replace('\n', ' ') + "}"))
                .hasMessage("a recording whose monitor result is not a monitor document");
        assertThat(DiffJson.recordingLineType("{\"type\":\"recording\"}")).isEqualTo("recording");
        assertThat(DiffJson.recordingLineType("[1]")).isEmpty();
        assertThat(DiffJson.recordingLineType("{\"type\":")).isNull();
    }
}
