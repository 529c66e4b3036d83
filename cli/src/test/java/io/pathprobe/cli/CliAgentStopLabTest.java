package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.AddressText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pathprobe agent} as a process (the shipped jar) stopped with SIGTERM while a ping of 100 probes a second
 * apart runs: it exits 0 long before the ping would have ended (a liveness bound of 20 s against the ping's 100 s,
 * so the stop cancels rather than waits out the run), and its file sink holds the ping's partial result
 * ({@code CANCELLED}, the probes it sent) besides the trace that had ended: a run the stop cancels is recorded.
 */
@LabTest
@Timeout(180)
class CliAgentStopLabTest {
    @Test
    void sigtermCancelsTheRunningPingAndWritesItsPartialResult(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.chain(2).inCurrentNamespace().build()) {
            String dst = AddressText.of(lab.destination());
            Path records = dir.resolve("records.ndjson");
            Path file = Files.writeString(dir.resolve("agent.yaml"), "sinks:\n  - {type: file, path: " + records
                    + "}\ndefaults: {enrich: off, probeTimeout: 500ms}\n"
                    + "jobs:\n  - {name: path, kind: trace, target: " + dst + ", interval: 10m, options: {maxTtl: 4}}\n"
                    + "  - {name: long, kind: ping, target: " + dst + ", interval: 10m, count: 100,"
                    + " probeInterval: 1s}\n");
            Path err = dir.resolve("stderr.txt");
            Process p = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call().command("agent", "--config", file.toString())
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long stop;
            try {
                while (!(Files.exists(records) && Files.readString(records).contains("\"job\":\"path\""))) {
                    assertThat(p.isAlive()).as("the agent runs (stderr: %s)", read(err)).isTrue();
                    Thread.sleep(200); // the test's timeout bounds the wait
                }
                Thread.sleep(2000); // the ping has sent a few of its probes
            } finally {
                stop = System.nanoTime();
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
            }
            double seconds = (System.nanoTime() - stop) / 1e9;
            System.out.printf("pathprobe agent: stopped %.2f s after SIGTERM, a ping of 100 s running%n", seconds);
            assertThat(seconds).as("stopped without waiting out the ping (a liveness bound)").isLessThan(20);
            assertThat(p.exitValue()).as("stderr: %s", read(err)).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(records)) {
                lines.add(new ObjectMapper().readTree(line));
            }
            assertThat(lines).as("the trace that ended, then the ping the stop cancelled")
                    .extracting(r -> r.path("job").asText()).containsExactly("path", "long");
            JsonNode ping = lines.get(1).path("result");
            assertThat(ping.path("status").asText()).as("%s", ping).isEqualTo("CANCELLED");
            assertThat(ping.path("results").get(0).path("sent").asInt()).as("%s", ping).isPositive();
            assertThat(read(err)).contains("pathprobe agent: stopped:");
        }
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
