package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.diff.PathDiff;
import io.pathprobe.diff.PathSnapshot;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The readers beside the writers: a trace document read back is written again byte for byte; a monitor document
 * written and read back is the snapshot of the result it was written from; what is not such a document is a
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
        assertThat(PathDiff.of(PathSnapshot.of(t), DiffJson.read(v1).paths().get(0)).none()).isTrue();
    }

    @Test
    void aMonitorDocumentReadBackIsTheSnapshotOfItsResult() {
        assertThat(MonitorJson.read(MonitorJson.write(Samples.monitor())))
                .usingRecursiveComparison().ignoringFields("hops.rttMin", "hops.rttStdDev")
                .isEqualTo(PathSnapshot.of(Samples.monitor()));
        String both = "[" + TraceJson.write(Samples.trace()) + "," + TraceJson.write(Samples.trace6()) + "]";
        DiffJson.Measured all = DiffJson.read("\uFEFF" + both);
        assertThat(all.monitor()).isFalse();
        assertThat(all.what()).isEqualTo("a traceAll");
        assertThat(all.paths()).extracting(PathSnapshot::target)
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
