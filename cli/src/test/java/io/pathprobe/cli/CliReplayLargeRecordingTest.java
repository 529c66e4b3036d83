package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.ping.PingRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording of a ping far longer than the probes it keeps, and far larger than the heap, replays in bounded memory
 * (its per-probe lines indexed by where they are in the file, read back when asked; the ping's own state at most its
 * window of recent probes), to the same verdict and output as with the default heap; a recording command that
 * printed more than a recording keeps has its text not kept, and replay says it does not compare it; a line longer
 * than a recording's cap is one line and exit 2. (A 1 GiB recording measured by hand: docs/evidence.md.)
 */
class CliReplayLargeRecordingTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.OFF);

    /** {@code java -jar}: what these runs measure is the JVM's default heap, without the launcher's options. */
    private static CliRuns.Call jar() {
        return CLI.call().via(CliRuns.Via.JAR);
    }

    @JarTest
    @Test
    @Timeout(300)
    void aRecordingSeveralTimesTheHeapReplaysAsWithTheDefaultHeap(@TempDir Path dir) throws Exception {
        // sized by count: ten times the most probes a target keeps (-c keeps min(count, PingRequest.MAX_RECENT_PROBES)
        // of them), so a ping that kept every probe (as -c did up to 100,000, about 28 MB of them) would not replay in
        // this heap; about 500 bytes a probe make the recording about 50 MB, several times the heap, and the replay's
        // index of its lines (8 bytes a probe line) about 3 MB
        long count = 10L * PingRequest.MAX_RECENT_PROBES;
        Path big = dir.resolve("big.ndjson");
        CliRuns.Run recorded = jar().timeout(Duration.ofMinutes(3)).run("ping", "127.0.0.1", "-q", "-c",
                String.valueOf(count), "-i", "0.00002", "--fast", "--pps", "0", "--json",
                "--record", big.toString(), "--record-max-bytes", String.valueOf(1L << 32));
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(Files.size(big)).isGreaterThan(20L << 20); // above the bounded heap
        JsonNode target = new ObjectMapper().readTree(recorded.out()).get("results").get(0);
        assertThat(target.get("sent").asLong()).isEqualTo(count);
        assertThat(target.get("received").asLong() + target.get("lost").asLong()).isEqualTo(count); // every probe
        assertThat(target.get("kept").asInt()).isEqualTo(PingRequest.MAX_RECENT_PROBES);
        assertThat(target.get("rtts")).hasSize(PingRequest.MAX_RECENT_PROBES);

        CliRuns.Run normal = jar().timeout(Duration.ofMinutes(2)).run("replay", big.toString());
        CliRuns.Run bounded = jar().jvmOptions("-Xmx20m").timeout(Duration.ofMinutes(2))
                .run("replay", big.toString());
        assertThat(normal.exitCode()).as(normal.err()).isZero();
        assertThat(normal.err()).contains("ping of 127.0.0.1: identical to the recorded result");
        assertThat(normal.out()).isEqualTo(recorded.out());
        assertThat(bounded.exitCode()).as(bounded.err()).isZero();
        assertThat(bounded.err()).isEqualTo(normal.err());
        assertThat(bounded.out()).isEqualTo(normal.out());
    }

    @JarTest
    @Test
    @Timeout(300)
    void printedTextLongerThanARecordingKeepsIsNotComparedAndSaidSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("long-text.ndjson");
        CliRuns.Run recorded = jar().timeout(Duration.ofMinutes(2)).run("ping", "127.0.0.1", "-c", "90000",
                "-i", "0.00002", "--fast", "--pps", "0", "--record", file.toString());
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        assertThat(recorded.out().length()).isGreaterThan(CopiedOutput.TEXT_CAP);
        assertThat(lastLine(file)).startsWith("{\"type\":\"output\"").contains("\"textOver\":")
                .doesNotContain("\"text\":");
        CliRuns.Run replayed = jar().timeout(Duration.ofMinutes(2)).run("replay", file.toString());
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.err()).contains("ping of 127.0.0.1: identical to the recorded result")
                .contains("the replayed output is not compared with it");
        assertThat(replayed.out()).isEqualTo(recorded.out()); // past ReplayCapture.MEMORY: from its temporary file
    }

    @JarTest
    @Test
    void aLineLongerThanTheCapIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small.ndjson");
        CliRuns.Run ok = CLI.run("ping", "127.0.0.1", "-c", "2", "-i", "0.01", "--record", small.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        Path long_ = dir.resolve("long.ndjson");
        String header = Files.readAllLines(small).get(0);
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(long_), 1 << 20)) {
            out.write((header + "\n{\"type\":\"note\",\"x\":\"").getBytes(StandardCharsets.UTF_8));
            byte[] a = new byte[1 << 20];
            java.util.Arrays.fill(a, (byte) 'a');
            for (int i = 0; i < 17; i++) {
                out.write(a);
            }
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        CliRuns.Run r = jar().jvmOptions("-Xmx64m").run("replay", long_.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("pathprobe replay: ").contains("line 2 is longer than 16 MiB")
                .doesNotContain("Exception");
    }

    private static String lastLine(Path file) throws java.io.IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long end = f.length() - 1;
            long at = Math.max(0, end - (1 << 16));
            byte[] tail = new byte[(int) (end - at)];
            f.seek(at);
            f.readFully(tail);
            String s = new String(tail, StandardCharsets.UTF_8);
            return s.substring(s.lastIndexOf('\n') + 1);
        }
    }
}
