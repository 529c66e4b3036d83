package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.PathTracer;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The schedule's file is read bounded (regular files, 1 MiB), keys once, and a reload that fails stays armed. */
class AgentConfigFileTest {
    private static final String GOOD = "jobs:\n  - {name: a, kind: trace, target: 198.18.4.1, interval: 10s}\n";

    @Test
    @Timeout(10) // liveness: a file opened before its check (a FIFO, /dev/zero) would never return
    void onlyARegularFileOfAtMostTheCapIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L << 20); // 50 MB, sparse: refused by its size, nothing read
        }
        Path grown = dir.resolve("grown.yaml");
        Files.writeString(grown, GOOD + "#" + "x".repeat(AgentConfig.MAX_FILE_BYTES) + "\n");
        Path zero = dir.resolve("zero.yaml");
        Files.createSymbolicLink(zero, Path.of("/dev/zero"));
        Path fifo = dir.resolve("fifo.yaml");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS);
        assertRefused(big, "is larger than 1048576 bytes (1 MiB), the most a schedule may be");
        assertRefused(grown, "is larger than 1048576 bytes (1 MiB), the most a schedule may be");
        String only = ": the schedule is read from a regular file only";
        assertRefused(zero, "is not a regular file (a FIFO, socket or device)" + only);
        assertRefused(fifo, "is not a regular file (a FIFO, socket or device)" + only);
        assertRefused(dir, "is not a regular file (a directory)" + only);
        assertRefused(dir.resolve("none.yaml"), "cannot be read: no such file");
        Files.writeString(grown, GOOD);
        assertThat(AgentConfig.read(grown).jobs()).hasSize(1);
    }

    private static void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> AgentConfig.read(file)).isInstanceOf(AgentConfigException.class)
                .hasMessage(file + ": " + message);
    }

    @Test
    void aKeyGivenTwiceIsRefusedByName() {
        assertThatThrownBy(() -> AgentConfig.parse(GOOD + "jobs:\n  - {name: b, kind: trace, target: 198.18.4.2,"
                + " interval: 10s}\n", "agent.yaml")).hasMessage("agent.yaml:3:1: the schedule: the key 'jobs' is"
                + " given twice");
        assertThatThrownBy(() -> AgentConfig.parse("{\"jobs\": [{\"name\": \"a\", \"kind\": \"trace\", \"target\":"
                + " \"198.18.4.1\", \"interval\": \"10s\", \"interval\": \"1m\"}]}", "agent.json"))
                .hasMessageContaining("jobs[0]: the key 'interval' is given twice");
        assertThatThrownBy(() -> AgentConfig.parse(GOOD.replace("{name: a,", "{name: a, labels: {x: 1, x: 2},"),
                "agent.yaml")).hasMessageContaining("jobs[0].labels: the key 'x' is given twice");
    }

    @Test
    @Timeout(60) // liveness: each condition awaited comes true, or the reload is stuck
    void aReloadThatFailsIsCountedAndALaterGoodFileIsApplied(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, GOOD);
        FakeTime time = new FakeTime(); // the tracer's: its measurements never end, the agent's loop is real
        ScriptedTransport path = ScriptedTransport.builder(time)
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(10))).build();
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build();
                PathProbeAgent agent = PathProbeAgent.builder().configFile(file).tracer(tracer)
                        .reloadInterval(Duration.ofMillis(50)).build()) {
            agent.start();
            Path zero = dir.resolve("zero");
            Files.createSymbolicLink(zero, Path.of("/dev/zero"));
            Files.move(zero, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await(() -> agent.statistics().reloadFailures() == 1);
            Files.delete(file);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(50L << 20);
            }
            await(() -> agent.statistics().reloadFailures() == 2); // each refusal counted once, the reload stays armed
            Path fifo = dir.resolve("fifo");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
            Files.move(fifo, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await(() -> agent.statistics().reloadFailures() == 3);
            Files.delete(file); // not written through: a writer of a FIFO waits for its reader
            Files.writeString(file, GOOD.replace("interval: 10s", "interval: 1ms"));
            await(() -> agent.statistics().reloadFailures() == 4);
            Thread.sleep(300); // six more reload intervals: refused once, not every interval
            assertThat(agent.statistics().reloadFailures()).isEqualTo(4);
            assertThat(agent.config().jobs()).hasSize(1);
            Files.delete(file);
            Files.writeString(file, GOOD + "  - {name: b, kind: trace, target: 198.18.4.2, interval: 10s}\n");
            await(() -> agent.config().jobs().size() == 2);
            assertThat(agent.statistics().reloads()).isEqualTo(1);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(20);
        }
    }
}
