package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.json.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The trace documents of the recordings kept here read back ({@link TraceJson#read(String)}) into results that write
 * them again byte for byte, compared as recordings compare documents ({@link Documents#compact(JsonNode)}, the
 * {@code cost} these recordings predate left out: {@link Documents#asRecorded}).
 */
class RecordedTraceDocumentsTest {
    @Test
    void everyRecordedTraceDocumentReadsBackToItself() throws IOException {
        List<String> recorded = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/io/pathprobe/evidence/internal"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = Codec.JSON.readTree(line);
                    if (n.path("type").asText().equals("result") && n.path("measurement").asText().equals("trace")) {
                        recorded.add(Documents.compact(n.get("result")));
                    }
                }
            }
        }
        assertThat(recorded.size()).isEqualTo(6);
        for (String json : recorded) {
            JsonNode written = Codec.JSON.readTree(TraceJson.write(TraceJson.read(json)));
            assertThat(written.has("cost")).as("the writer adds the cost these recordings predate").isTrue();
            String again = Documents.compact(Documents.asRecorded(written, Codec.JSON.readTree(json)));
            assertThat(again).isEqualTo(json);
        }
    }
}
