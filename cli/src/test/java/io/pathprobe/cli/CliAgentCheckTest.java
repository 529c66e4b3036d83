package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pathprobe agent --check -c FILE} refuses a bad schedule with one line and exit 2, as {@code pathprobe agent
 * -c FILE} refuses to start with: the same line. Special files are refused before they are read.
 */
@JarTest
class CliAgentCheckTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);
    private static final String JOB = "jobs:\n  - {name: a, kind: trace, target: 198.18.4.1, interval: 10s}\n";

    @Test
    void checkAndStartRefuseABadScheduleWithTheSameOneLine(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        String[] bad = {
            "sinks:\n  - {type: s3, path: x}\n" + JOB,
            "sinks:\n  - {type: kafka, topic: t}\n" + JOB,
            "sinks:\n  - {type: file, path: " + dir.resolve("r.ndjson") + ", maxBytes: 1XB}\n" + JOB,
            JOB.replace("198.18.4.1", "999.1.1.1"),
            JOB.replace("198.18.4.1", "198.19.0.1:80"),
            JOB.replace("10s", "1ms"),
            JOB + "jobs: []\n",
            "user: pathprobe-no-such-user\n" + JOB,
            "user: 'a b'\n" + JOB,
        };
        for (int i = 0; i < bad.length; i++) {
            files.add(Files.writeString(dir.resolve("bad-" + i + ".yaml"), bad[i]));
        }
        Path fifo = dir.resolve("fifo.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
        files.add(fifo);
        files.add(Path.of("/dev/zero"));
        files.add(dir);
        for (Path f : files) {
            CliRuns.Run check = CLI.run("agent", "--check", "-c", f.toString());
            String what = f + "\nstdout: " + check.out() + "\nstderr: " + check.err();
            assertThat(check.exitCode()).as(what).isEqualTo(2);
            assertThat(check.out()).as(what).isEmpty();
            assertThat(check.err().lines().toList()).as(what).hasSize(1).first().asString()
                    .startsWith("pathprobe agent: " + f + ":").doesNotContain("Exception").doesNotContain("\tat ");
            CliRuns.Run start = CLI.run("agent", "-c", f.toString());
            assertThat(start.exitCode()).as(what).isEqualTo(2);
            assertThat(start.err()).as(what).isEqualTo(check.err());
        }
        assertThat(Files.exists(dir.resolve("r.ndjson"))).isFalse();
    }

    @Test
    void checkPrintsTheMetricsAddressStartWouldBind(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("agent.yaml"), "metrics: {host: '::1', port: 9464}\n" + JOB);
        CliRuns.Run r = CLI.run("agent", "--check", "-c", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("metrics on [::1]:9464/metrics");
    }

    @Test
    void checkNamesTheUserStartWouldSwitchTo(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("agent.yaml"), "user: nobody\n" + JOB);
        CliRuns.Run r = CLI.run("agent", "--check", "-c", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).endsWith(", then as user nobody (uid 65534, gid 65534)");
    }
}
