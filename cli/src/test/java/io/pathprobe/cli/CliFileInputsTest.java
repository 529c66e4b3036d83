package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code diff} and {@code replay} read: regular files only. A directory, a FIFO and a device are each refused
 * with one line naming what they are, exit 2, without being opened (a FIFO would block, /dev/zero never ends); a
 * deeply nested JSON document is one line and exit 2.
 */
class CliFileInputsTest {
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    private static void refused(CliRuns.Run r, String what, String... args) {
        String run = String.join(" ", args);
        assertThat(r.exitCode()).as(run).isEqualTo(2);
        assertThat(r.out()).as(run).isEmpty();
        assertThat(r.err().lines().toList()).as(run).hasSize(1);
        assertThat(r.err()).as(run).startsWith("pathprobe " + args[0] + ": ").contains(what)
                .doesNotContain("no such file").doesNotContain("Exception");
    }

    @JarTest
    @Test
    void aDirectoryAFifoAndADeviceAreRefusedAtOnce(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        Path file = dir.resolve("trace.json");
        Files.writeString(file, "{}\n");
        for (String command : List.of("diff", "replay")) {
            for (String[] args : List.of(new String[] {command, dir.toString(), file.toString()},
                    new String[] {command, fifo.toString(), file.toString()},
                    new String[] {command, "/dev/zero", file.toString()})) {
                String[] given = command.equals("replay") ? new String[] {args[0], args[1]} : args;
                String what = args[1].equals(dir.toString()) ? "is a directory" : "not a regular file";
                refused(CLI.run(given), what, given);
            }
        }
    }

    @JarTest
    @Test
    void aDeeplyNestedDocumentIsOneLine(@TempDir Path dir) throws Exception {
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "[".repeat(100_000) + "]".repeat(100_000) + "\n");
        CliRuns.Run r = CLI.run("diff", deep.toString(), deep.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("nesting deeper than").doesNotContain("NullPointer");
    }

    @JarTest
    @Test
    void aRecordingThatCannotBeWrittenFailsTheCommand(@TempDir Path dir) throws Exception {
        CliRuns.Run full = CLI.run("trace", "-n", "-q", "1", "-m", "2", "127.0.0.1", "--record", "/dev/full");
        assertThat(full.exitCode()).isNotZero();
        assertThat(full.err()).contains("pathprobe: the recording /dev/full could not be written");
        // the library's warning that the recording stopped is one line too, not the JDK's date line and message line
        assertThat(full.err().lines()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("(WARNING: )?pathprobe.*"));
        Path kept = dir.resolve("kept.ndjson");
        CliRuns.Run ok = CLI.run("trace", "-n", "-q", "1", "-m", "2", "127.0.0.1", "--record", kept.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
                .isEqualTo("rw-------");
    }

    /** A recording far larger than the heap is diffed line by line: 256 MiB under -Xmx200m (1 GiB measured by hand). */
    @JarTest
    @Test
    void aLargeRecordingIsDiffedInABoundedHeap(@TempDir Path dir) throws Exception {
        Path kept = dir.resolve("kept.ndjson");
        CliRuns.Run ok = CLI.run("trace", "-n", "-q", "1", "-m", "2", "127.0.0.1", "--record", kept.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        List<String> lines = Files.readAllLines(kept);
        byte[] body = (String.join("\n", lines.subList(1, lines.size()).stream()
                .filter(l -> !l.startsWith("{\"type\":\"output\"")).toList()) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path big = dir.resolve("big.ndjson");
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(big), 1 << 20)) {
            out.write((lines.get(0) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (long written = 0; written < 256L << 20; written += body.length) {
                out.write(body);
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx200m",
                "-jar", CliRuns.JAR.toString(), "diff", big.toString(), big.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("no change");
    }
}
