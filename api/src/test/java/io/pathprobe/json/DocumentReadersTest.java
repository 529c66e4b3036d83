package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.diff.PathDiff;
import io.pathprobe.diff.PathSnapshot;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The readers beside the writers: a document written and read back is the snapshot of the result it was written
 * from; what is not such a document is a {@link JsonReadException} saying what is wrong and where.
 */
class DocumentReadersTest {
    @Test
    void aDocumentReadBackIsTheSnapshotOfItsResult() {
        for (TraceResult t : List.of(Samples.trace(), Samples.trace6())) {
            PathSnapshot read = TraceJson.read(TraceJson.write(t));
            assertThat(read).usingRecursiveComparison().ignoringFields("hops.rtts", "hops.rttMin", "hops.rttStdDev")
                    .isEqualTo(PathSnapshot.of(t));
            assertThat(PathDiff.of(read, PathSnapshot.of(t)).none()).isTrue();
        }
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
