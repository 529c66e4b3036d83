package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.AddressText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            AgentProcess agent = AgentProcess.start(dir, "sinks:\n  - {type: file, path: " + records + "}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms}\n"
                    + "jobs:\n  - {name: path, kind: trace, target: " + dst + ", interval: 10m, options: {maxTtl: 4}}\n"
                    + "  - {name: long, kind: ping, target: " + dst + ", interval: 10m, count: 100,"
                    + " probeInterval: 1s}\n");
            double seconds;
            try {
                agent.awaitLine(records, "\"job\":\"path\"");
                Thread.sleep(2000); // the ping has sent a few of its probes
            } finally {
                seconds = agent.stop();
            }
            System.out.printf("pathprobe agent: stopped %.2f s after SIGTERM, a ping of 100 s running%n", seconds);
            assertThat(seconds).as("stopped without waiting out the ping (a liveness bound)").isLessThan(20);
            assertThat(agent.process.exitValue()).as("stderr: %s", agent.stderr()).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(records)) {
                lines.add(new ObjectMapper().readTree(line));
            }
            assertThat(lines).as("the trace that ended, then the ping the stop cancelled")
                    .extracting(r -> r.path("job").asText()).containsExactly("path", "long");
            JsonNode ping = lines.get(1).path("result");
            assertThat(ping.path("status").asText()).as("%s", ping).isEqualTo("CANCELLED");
            assertThat(ping.path("results").get(0).path("sent").asInt()).as("%s", ping).isPositive();
            assertThat(agent.stderr()).contains("pathprobe agent: stopped:");
        }
    }

}
