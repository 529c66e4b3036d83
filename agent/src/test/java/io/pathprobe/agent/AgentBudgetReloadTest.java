package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.TracerBudget;
import io.pathprobe.options.ProbeBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 73: a reload that changes {@code limits} (the overall rate, {@code limits.budget}) sets the new budget on the
 * agent's running tracer, the same one (no restart); a reload that removes it removes it. The engine's side (the
 * budget holds from the change on for the measurements running) is core's ProbeBudgetChangeTest.
 */
class AgentBudgetReloadTest {
    /** A loopback trace every hour: the schedule never sends beyond this host. */
    private static final String JOB = "jobs:\n  - {name: a, kind: trace, target: 127.0.0.1, interval: 1h}\n";

    @Test
    void aReloadSetsTheChangedBudgetOnTheRunningTracer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "limits: {packetsPerSecond: 500}\n" + JOB);
        try (PathProbeAgent agent = PathProbeAgent.builder().configFile(file).build()) {
            agent.start();
            PathTracer tracer = agent.tracer();
            assertThat(TracerBudget.of(tracer).get()).isEqualTo(new ProbeBudget(500, 0, 0, 0, 1));

            Files.writeString(file, "limits:\n  packetsPerSecond: 200\n  budget: {perRouter: 20, perDestination: 5}\n"
                    + JOB);
            assertThat(agent.reloadNow()).isTrue();
            assertThat(agent.tracer()).as("the same tracer").isSameAs(tracer);
            assertThat(TracerBudget.of(tracer).get()).isEqualTo(new ProbeBudget(200, 5, 20, 0, 1));

            Files.writeString(file, "limits: {packetsPerSecond: 0}\n" + JOB); // the budget removed
            assertThat(agent.reloadNow()).isTrue();
            assertThat(TracerBudget.of(tracer).get()).isEqualTo(new ProbeBudget(0, 0, 0, 0, 1));
            AgentStatistics s = agent.statistics();
            assertThat(s.reloads()).isEqualTo(2);
            assertThat(s.reloadFailures()).isZero();
            assertThat(s.jobs()).isEqualTo(1);
        }
    }
}
