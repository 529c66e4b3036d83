package io.pathprobe.agent.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file sink on a filling tmpfs (64 KiB, mounted in a user and mount namespace of its own, so nothing of the
 * machine's is touched): every line in the file parses, and {@code written} equals the lines.
 */
@Timeout(180)
class FileSinkFullDiskLabTest {
    static boolean unshares() {
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aSinkOnAFullTmpfsKeepsEveryLineWholeAndCountsOnlyThem(@TempDir Path dir) throws Exception {
        assumeTrue(unshares(), "needs unshare -rm (user and mount namespaces)");
        Path mount = Files.createDirectory(dir.resolve("tmpfs"));
        Path out = Files.createDirectory(dir.resolve("out"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=64k tmpfs \"$1\" && \"$2\" -cp \"$3\" " + FullDiskWriter.class.getName()
                        + " \"$1/records.ndjson\" > \"$4/written\" && cp \"$1/records.ndjson\" \"$4/\"",
                "sh", mount.toString(), java, System.getProperty("java.class.path"), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("log"))).isZero();
        String[] counts = Files.readString(out.resolve("written")).strip().split(" ");
        long written = Long.parseLong(counts[0]);
        assertThat(Long.parseLong(counts[1])).as("the tmpfs filled").isGreaterThanOrEqualTo(3);
        assertThat(counts[2]).isEqualTo("0"); // tmpfs truncates
        List<String> lines = Files.readAllLines(out.resolve("records.ndjson"));
        ObjectMapper json = new ObjectMapper();
        for (String l : lines) {
            assertThat(json.readTree(l).has("n")).as(l.substring(0, Math.min(40, l.length()))).isTrue();
        }
        assertThat(written).isPositive().isEqualTo(lines.size());
    }
}
