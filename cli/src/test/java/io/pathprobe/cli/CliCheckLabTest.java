package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 72: {@code pathprobe check} (the launcher, as a process) on a 5-hop chain whose routers keep the kernel's
 * ICMP limits. The path meets its assertions (exit 0, nothing printed); a router whose ICMP errors are limited hard
 * fails no loss assertion, the destination's or its own hop's; 30 % loss at the destination (the chaos tools' random
 * drop on the last router) fails {@code --max-loss 5%} with exit 1 and the one line naming it; bad input exits 2.
 */
@LabTest
class CliCheckLabTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    private static String args(Run run) {
        return "exit " + run.exitCode() + "\nstdout: " + run.out() + "\nstderr: " + run.err();
    }

    @Test
    void aPathMeetsItsAssertionsThenBreaksThemAndARateLimitedRouterIsNeverLoss() throws Exception {
        try (Lab lab = Lab.chain(5).inCurrentNamespace().build(); Chaos chaos = Chaos.on(lab)) {
            String dest = lab.destination().getHostAddress();
            String router2 = lab.expectedPath().get(1).orElseThrow().getHostAddress();
            Run met = CLI.run("check", "-P", "icmp", "-q", "10", "--must-reach", "--max-loss", "0%", "--max-hops",
                    String.valueOf(lab.hops()), "--must-traverse", router2, "--must-not-traverse", "203.0.113.0/24",
                    dest);
            assertThat(met.exitCode()).as(args(met)).isZero();
            assertThat(met.out()).as(args(met)).isEmpty();

            // router 2 answers at most one ICMP error a second: its silence is refusal, never the path's loss
            chaos.icmpRateLimit(2, Duration.ofSeconds(1), 1, 1);
            Run limited = CLI.run("check", "-P", "icmp", "-q", "10", "--verbose", "--max-loss", "0%", "--max-loss",
                    "0%@hop2", "--must-reach", dest);
            assertThat(limited.exitCode()).as(args(limited)).isZero();
            assertThat(limited.out().lines().toList()).as(args(limited)).hasSize(3)
                    .allSatisfy(l -> assertThat(l).startsWith("HELD "));
            chaos.restore();

            // 30 % of what the last router forwards is dropped: the destination's loss, claimed
            chaos.loss(lab.hops() - 1, 30);
            Run lossy = CLI.run("check", "-P", "icmp", "-q", "30", "--max-loss", "5%", "--must-reach", dest);
            assertThat(lossy.exitCode()).as(args(lossy)).isEqualTo(1);
            List<String> lines = lossy.out().lines().toList();
            assertThat(lines).as(args(lossy)).hasSize(1);
            assertThat(lines.get(0)).startsWith("FAILED --max-loss 5%: ").contains(" loss at the destination " + dest)
                    .endsWith(", above 5%");
            assertThat(chaos.lost()).isPositive();

            Run json = CLI.run("check", "--json", "-P", "icmp", "-q", "30", "--max-loss", "5%", dest);
            assertThat(json.exitCode()).as(args(json)).isEqualTo(1);
            JsonNode doc = CliRuns.JSON.readTree(json.out());
            assertThat(doc.get("schemaVersion").asInt()).isEqualTo(CheckCommand.SCHEMA_VERSION);
            assertThat(doc.get("request").get("measurement").asText()).isEqualTo("trace");
            assertThat(doc.get("held").asBoolean()).isFalse();
            assertThat(doc.get("verdicts").get(0).get("state").asText()).isEqualTo("failed");
            assertThat(doc.get("result").get("destination").asText()).isEqualTo(dest);
        }
    }

    @Test
    void badInputExits2WithOneLineOnStderr() {
        Run run = CLI.run("check", "--max-loss", "200%", "198.18.0.1");
        assertThat(run.exitCode()).as(args(run)).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().findFirst().orElse("")).startsWith("pathprobe check: --max-loss 200");
    }
}
