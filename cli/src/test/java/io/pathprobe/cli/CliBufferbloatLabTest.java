package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe bufferbloat --url ... --insecure --json} on the deep-queue lab (20 Mbit/s, 500 ms, both ways).
 * The lab keeps the machine's congestion control (BBR here), unlike {@code BufferbloatLabTest}'s Reno,
 * which compares with iperf3: this test checks the CLI's document (every field, both directions
 * loaded, a bufferbloat grade), not figures: what the load's goodput comes to is the benchmark's.
 */
@LabTest
class CliBufferbloatLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2).icmpUnlimited()
            .bottleneckBothWays(1, 20_000_000, Duration.ofMillis(500)).inCurrentNamespace());

    @Test
    @Timeout(60)
    void jsonHasEveryField() throws Exception {
        URI url = LAB.lab().responsivenessServer(4443, true);
        Run run = new CliRuns(Enrichment.AS_GIVEN).inProcess("bufferbloat", "--url", url.toString(), "--insecure", "--quick",
                "--json");
        int code = run.exitCode();
        String text = run.out();
        System.out.println("exit " + code + ", stderr: " + run.err().strip());
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
        assertThat(json.get("downloadMbps").asDouble()).isPositive();
        assertThat(json.get("uploadMbps").asDouble()).isPositive();
        assertThat(json.get("downloadFlows").asInt()).isPositive();
        assertThat(json.get("grade").asText()).isIn("B", "C", "D", "F");
        assertThat(code).isIn(0, 1);
    }
}
