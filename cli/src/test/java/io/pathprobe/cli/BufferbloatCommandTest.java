package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.bufferbloat.RpmCategory;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BufferbloatCommandTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    @Test
    void jsonFieldNamesAreExactlySo() {
        DirectionResult d = new DirectionResult(BufferbloatPhase.DOWNLOAD, Duration.ofMillis(50), Duration.ofMillis(70),
                19e6, 4, Optional.of(1200.0), MeasurementConfidence.HIGH, MeasurementConfidence.MEDIUM);
        BufferbloatResult r = new BufferbloatResult(BufferbloatRequest.builder("https://127.0.0.1:4043").build(),
                URI.create("https://127.0.0.1:4043/.well-known/nq"), BufferbloatStatus.COMPLETED, Instant.EPOCH,
                Duration.ofSeconds(20), Duration.ofMillis(1), Optional.of(d), Optional.empty(), Duration.ofMillis(49),
                Optional.of(BufferbloatGrade.B), Optional.of(1200.0), Optional.of(RpmCategory.GOOD), MeasurementConfidence.MEDIUM,
                List.of(new LatencySample(Duration.ofMillis(5), BufferbloatPhase.IDLE, LatencySample.Kind.PING,
                        Duration.ofMillis(1))), List.of("a note"));
        Map<String, Object> m = BufferbloatCommand.report(r);
        assertThat(m).containsKeys("schemaVersion", "status", "notes", "idleLatencyMs", "loadedLatencyMs",
                "latencyIncreaseMs", "grade", "rpm", "rpmCategory", "confidence", "downloadMbps", "uploadMbps",
                "downloadFlows", "uploadFlows", "samples");
        assertThat(String.valueOf(((Map<?, ?>) m.get("loadedLatencyMs")).keySet())).isEqualTo("[download, upload]");
        assertThat(m.get("grade")).isEqualTo("B");
        assertThat(m.get("downloadMbps")).isEqualTo(19.0);
        assertThat(m.get("downloadFlows")).isEqualTo(4);
        assertThat(m.get("rpm")).isEqualTo(1200L);
        assertThat(m.get("rpmCategory")).isEqualTo("GOOD");
        assertThat(BufferbloatCommand.toJson(r)).contains("\"latencyIncreaseMs\" : 49.0", "\"kind\" : \"PING\"");
    }

    @JarTest
    @Test
    void badArgumentsExitTwo() throws Exception {
        assertThat(CLI.run("bufferbloat").exitCode()).isEqualTo(2); // --url missing
        assertThat(CLI.run("bufferbloat", "--url", "ftp://x").exitCode()).isEqualTo(2);
        assertThat(CLI.run("bufferbloat", "--url", "http://127.0.0.1:1", "--download", "--upload").exitCode()).isEqualTo(2);
        assertThat(CLI.run("bufferbloat", "--url", "http://127.0.0.1:1", "--duration", "1s").exitCode()).isEqualTo(2);
        assertThat(CLI.run("bufferbloat", "--url", "http://127.0.0.1:1", "--quick", "--precise").exitCode()).isEqualTo(2);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(CLI.run("bufferbloat", "--url", "http://127.0.0.1:" + port, "--quick").exitCode()).isEqualTo(2); // refused
    }
}
