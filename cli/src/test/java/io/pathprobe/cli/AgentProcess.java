package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code pathprobe agent --config FILE} as a process, the shipped jar run as {@link CliRuns} runs it: how the
 * command line's agent tests start it. The schedule is written to {@code agent.yaml} in the test's directory, the
 * agent's standard error to {@code stderr.txt} beside it (for the tests' messages), its standard output discarded.
 */
final class AgentProcess {
    final Path file;
    final Process process;
    private final Path err;

    private AgentProcess(Path file, Process process, Path err) {
        this.file = file;
        this.process = process;
        this.err = err;
    }

    /**
     * {@return the agent, started on {@code schedule}}
     *
     * @param dir the test's directory
     * @param schedule the schedule's text
     */
    static AgentProcess start(Path dir, String schedule) throws IOException {
        Path file = Files.writeString(dir.resolve("agent.yaml"), schedule);
        Path err = dir.resolve("stderr.txt");
        Process p = new CliRuns(CliRuns.Enrichment.AS_GIVEN).call().command("agent", "--config", file.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new AgentProcess(file, p, err);
    }

    /**
     * {@return the first line of {@code records} that holds {@code text}, once there} The test's timeout bounds the
     * wait; an agent that exits meanwhile fails the test, naming what it said.
     */
    String awaitLine(Path records, String text) throws IOException, InterruptedException {
        while (true) {
            if (Files.exists(records)) {
                for (String line : Files.readAllLines(records)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            assertThat(process.isAlive()).as("the agent runs (stderr: %s)", stderr()).isTrue();
            Thread.sleep(200);
        }
    }

    /**
     * SIGTERM, as Kubernetes stops a pod, and waits for the exit (a liveness bound of 60 s).
     *
     * @return the seconds from the signal to the exit
     */
    double stop() throws InterruptedException {
        long sent = System.nanoTime();
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
        return (System.nanoTime() - sent) / 1e9;
    }

    /** {@return what the agent wrote to standard error so far} */
    String stderr() throws IOException {
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }
}
