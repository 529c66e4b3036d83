package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pathprobe bufferbloat --url ... --insecure --json} on the deep-queue lab (20 Mbit/s, 500 ms, both ways). */
@LabTest
class CliBufferbloatLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2).icmpUnlimited()
            .bottleneckBothWays(1, 20_000_000, Duration.ofMillis(500)).inCurrentNamespace());

    @Test
    @Timeout(60)
    void jsonHasEveryField() throws Exception {
        URI url = LAB.lab().responsivenessServer(4443, true);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            code = PathProbeCli.run(new String[] {"bufferbloat", "--url", url.toString(), "--insecure", "--quick", "--json"});
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = o.toString(StandardCharsets.UTF_8);
        System.out.println("exit " + code + ", stderr: " + e.toString(StandardCharsets.UTF_8).strip());
        System.out.println(text.length() > 1500 ? text.substring(0, 1500) + " ..." : text);
        JsonNode json = new ObjectMapper().readTree(text);
        for (String field : List.of("idleLatencyMs", "loadedLatencyMs", "latencyIncreaseMs", "grade", "rpm", "rpmCategory",
                "confidence", "downloadMbps", "uploadMbps", "downloadFlows", "uploadFlows", "samples")) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.get("loadedLatencyMs").has("download")).isTrue();
        assertThat(json.get("loadedLatencyMs").has("upload")).isTrue();
        assertThat(json.get("samples").isArray()).isTrue();
        assertThat(json.get("samples").size()).isPositive();
        // the default is download then upload: both ran on the deep queue, graded B or worse
        assertThat(json.get("downloadMbps").asDouble()).isGreaterThan(10);
        assertThat(json.get("uploadMbps").asDouble()).isGreaterThan(10);
        assertThat(json.get("downloadFlows").asInt()).isPositive();
        assertThat(json.get("grade").asText()).isIn("B", "C", "D", "F");
        assertThat(code).isIn(0, 1);
    }
}
