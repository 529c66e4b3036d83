package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording far larger than the heap replays in bounded memory (its per-probe lines indexed by where they are in
 * the file, read back when asked), to the same verdict and output as with the default heap; a recording command that
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
        // no count: the ping keeps its last 100 probes, not every one (its own state stays small)
        Path big = dir.resolve("big.ndjson");
        // 40 to 120 MB: several times the bounded heap, and below what its index of the lines fits in (a replay holds
        // 8 bytes a probe line: 8 s once made 175 MB, too much). How fast the ping runs depends on the machine's
        // load (5 s made 26 MB to 110 MB), so a recording out of that range is made again, for as long as the last
        // one's rate says 70 MB takes. Never rotated (a recording over 256 MiB, after a retry on a machine less loaded
        // than in the last try, left its last segment, which does not replay): one that large is made again.
        CliRuns.Run recorded = null;
        long seconds = 5;
        for (int attempt = 0; attempt < 4; attempt++) {
            recorded = jar().timeout(Duration.ofMinutes(2)).run("ping", "127.0.0.1", "-q", "-w",
                    String.valueOf(seconds), "-i", "0.00002", "--fast", "--pps", "0",
                    "--record", big.toString(), "--record-max-bytes", String.valueOf(1L << 32));
            assertThat(recorded.exitCode()).as(recorded.err()).isZero();
            long size = Files.size(big);
            if (size > 40L << 20 && size < 120L << 20) {
                break;
            }
            seconds = Math.max(1, Math.min(30, Math.round(seconds * (70.0 * (1 << 20)) / Math.max(1, size))));
        }
        assertThat(Files.size(big)).isBetween(40L << 20, 120L << 20); // several times the heap

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
