package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.linux.privilege.Privileges;
import io.pathprobe.linux.privilege.User;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --user NAME} and the agent's {@code user:} (issue 69), the shipped jar run as root on a lab: while the
 * command runs, its process (every thread of it, read in /proc) has nobody's four user and group IDs and no permitted
 * or effective capability, and the raw socket it opened as root still sends and receives (every ping answered). A bad
 * user, in-connection probes with {@code --user}, or another user than itself for a process that is not root are
 * refused in one line (and the usage hint), exit 2, before anything is opened.
 */
@LabTest
@Timeout(300)
class CliUserLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2)
            .icmpUnlimited("every ping of a run answered, through a raw socket opened before the switch")
            .inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    private static final User NOBODY = Privileges.user("nobody");

    @Test
    void pingRunsAsTheUserThroughTheRawSocketOpenedAsRoot(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = CLI.call().command("ping", "--user", "nobody", "--transport", "linux-raw-icmp", "-c", "20", "-i",
                "0.2", dest(LAB)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertSwitched(p, () -> read(err));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("a liveness bound").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(read(err)).isZero();
        assertThat(Path.of("/tmp", "hsperfdata_root", Long.toString(p.pid()))).as("nothing left behind").doesNotExist();
        assertThat(read(out)).contains("icmp via linux-raw-icmp")
                .contains("20 packets transmitted, 20 received, 0% packet loss");
    }

    @Test
    void mtrTraceAndMtuReachTheDestinationAsTheUser() {
        Run mtr = CLI.run("mtr", "--user", "nobody", "-r", "-c", "2", "-i", "0.5", dest(LAB));
        assertThat(mtr.exitCode()).as(mtr.err()).isZero();
        assertThat(mtr.out()).contains(dest(LAB)).contains("2 rounds");
        Run trace = CLI.run("trace", "--user", "nobody", "-U", "-w", "1", dest(LAB));
        assertThat(trace.exitCode()).as(trace.err()).isZero();
        assertThat(trace.out()).contains(dest(LAB));
        Run mtu = CLI.run("mtu", "--user", "nobody", dest(LAB));
        assertThat(mtu.exitCode()).as(mtu.err()).isZero();
    }

    @Test
    void aRecordingIsGivenToTheUserAndReplays() throws Exception {
        Path dir = nobodysDirectory();
        try {
            Path file = dir.resolve("trace.ndjson");
            Run r = CLI.run("trace", "--user", "nobody", "-w", "1", "--record", file.toString(), dest(LAB));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY.uid());
            // the command's output, appended after the switch when it ended
            assertThat(Files.readAllLines(file).get(Files.readAllLines(file).size() - 1))
                    .startsWith("{\"type\":\"output\"");
            Run replay = CLI.run("replay", file.toString());
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).isEqualTo(r.out());
        } finally {
            deleteAll(dir);
        }
    }

    @Test
    void aBadUserRootOrInConnectionProbesAreRefusedBeforeAnythingOpens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("never.ndjson");
        Run unknown = CLI.run("ping", "--user", "pathprobe-no-such-user", "-c", "1", "--record", file.toString(),
                dest(LAB));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errLines()).containsExactly("pathprobe ping: Invalid value for option '--user': unknown "
                + "user 'pathprobe-no-such-user': not in this host's user database", "see 'pathprobe ping --help'");
        assertThat(file).doesNotExist();
        Run root = CLI.run("ping", "--user", "root", "-c", "1", dest(LAB));
        assertThat(root.exitCode()).isEqualTo(2);
        assertThat(root.errLines().get(0)).isEqualTo("pathprobe ping: Invalid value for option '--user': user root "
                + "has uid 0: running as it gives up nothing; name an unprivileged user");
        Run malformed = CLI.run("mtr", "--user", "a:b", "-r", "-c", "1", dest(LAB));
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.errLines().get(0)).isEqualTo("pathprobe mtr: Invalid value for option '--user': 'a:b' "
                + "is not a user name");
        Run inConnection = CLI.run("trace", "--user", "nobody", "--tcp-mode", "in-connection", "-p", "80", dest(LAB));
        assertThat(inConnection.exitCode()).isEqualTo(2);
        assertThat(inConnection.errLines()).hasSize(2).first().asString()
                .startsWith("pathprobe trace: --tcp-mode in-connection opens a raw socket per connection");
    }

    @Test
    void aProcessThatIsNotRootMayNameOnlyItself() throws Exception {
        try (Nobody nobody = Nobody.start()) {
            User daemon = Privileges.user("daemon"); // another user than nobody, in every Linux's user database
            Run other = CLI.asNobody(nobody, "ping", "--user", "daemon", "-c", "1", dest(LAB));
            assertThat(other.exitCode()).isEqualTo(2);
            assertThat(other.errLines()).hasSize(2).first().asString().isEqualTo("pathprobe ping: Invalid value for "
                    + "option '--user': cannot switch to user " + daemon + ": this process is not root (uid "
                    + NOBODY.uid() + ")");
            Run itself = CLI.asNobody(nobody, "ping", "--user", "nobody", "-c", "2", "-i", "0.2", dest(LAB));
            assertThat(itself.exitCode()).as(itself.err()).isZero();
            assertThat(itself.out()).contains("2 packets transmitted, 2 received");
        }
    }

    @Test
    void theAgentRunsItsScheduleAsTheUserAndRotatesItsFileThere() throws Exception {
        Path dir = nobodysDirectory();
        try {
            Path records = dir.resolve("records.ndjson");
            int port = freePort();
            Path file = Files.writeString(dir.resolve("agent.yaml"), "user: nobody\n"
                    + "sinks:\n  - {type: file, path: " + records + ", maxBytes: 300, files: 2}\n"
                    + "metrics: {host: 127.0.0.1, port: " + port + "}\n"
                    + "defaults: {enrich: off, probeTimeout: 500ms}\n"
                    + "jobs:\n  - {name: p, kind: ping, target: " + dest(LAB) + ", interval: 1s, count: 2, "
                    + "probeInterval: 100ms}\n");
            Path err = dir.resolve("stderr.txt");
            Process p = CLI.call().command("agent", "-c", file.toString()).redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                assertSwitched(p, () -> read(err));
                HttpClient http = HttpClient.newHttpClient();
                String metrics = "";
                String answered = "ping_loss_ratio{pathprobe_job=\"p\",target=\"" + dest(LAB) + "\"} 0.0";
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a liveness bound
                while (System.nanoTime() < end && !(metrics.contains(answered)
                        && Files.exists(records.resolveSibling("records.ndjson.2")))) {
                    Thread.sleep(300);
                    assertThat(p.isAlive()).as("the agent runs (stderr: %s)", read(err)).isTrue();
                    try {
                        metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                    } catch (IOException e) {
                        metrics = ""; // not listening yet
                    }
                }
                assertThat(metrics).as("the ping's answers, through the raw socket opened as root").contains(answered);
                // rotated twice: the file now written was made after the switch, by the user
                assertThat(records.resolveSibling("records.ndjson.2")).exists();
                assertThat(Files.getAttribute(records, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY.uid());
                assertThat(Files.readString(records)).contains("\"job\":\"p\"");
            } finally {
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("it stops on SIGTERM").isTrue();
            }
            assertThat(p.exitValue()).as(read(err)).isZero();
            assertThat(read(err)).contains("0 failed writes");
        } finally {
            deleteAll(dir);
        }
    }

    @Test
    void theAgentRefusesASinkDirectoryTheUserDoesNotOwnBeforeOpeningAnything(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("records.ndjson");
        Path file = Files.writeString(dir.resolve("agent.yaml"), "user: nobody\nsinks:\n  - {type: file, path: "
                + records + "}\njobs:\n  - {name: p, kind: ping, target: " + dest(LAB) + ", interval: 1s}\n");
        Run start = CLI.run("agent", "-c", file.toString());
        assertThat(start.exitCode()).isEqualTo(2);
        assertThat(start.errLines()).containsExactly("pathprobe agent: " + file + ": user: the directory " + dir
                + " of sink file is not user nobody's (uid 0), who makes the rotated files there: chown it to nobody");
        assertThat(records).doesNotExist();
    }

    /**
     * Waits until the process has switched (its main thread's Uid line is nobody's), then asserts every thread's
     * IDs and capability sets.
     */
    private static void assertSwitched(Process p, java.util.function.Supplier<String> stderr) throws Exception {
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        String want = ids(NOBODY.uid());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a liveness bound
        while (System.nanoTime() < end && !field(Files.readString(proc.resolve("status")), "Uid").equals(want)) {
            assertThat(p.isAlive()).as("the process runs (stderr: %s)", stderr.get()).isTrue();
            Thread.sleep(50);
        }
        List<Path> tasks;
        try (Stream<Path> s = Files.list(proc.resolve("task"))) {
            tasks = s.toList();
        }
        assertThat(tasks).hasSizeGreaterThan(5); // a JVM's threads, every one of them switched
        for (Path t : tasks) {
            String status;
            try {
                status = Files.readString(t.resolve("status"));
            } catch (IOException e) {
                continue; // a thread that ended meanwhile
            }
            assertThat(field(status, "Uid")).as(t.toString()).isEqualTo(want);
            assertThat(field(status, "Gid")).as(t.toString()).isEqualTo(ids(NOBODY.gid()));
            assertThat(field(status, "CapEff")).as(t.toString()).matches("0+");
            assertThat(field(status, "CapPrm")).as(t.toString()).matches("0+");
            assertThat(field(status, "CapAmb")).as(t.toString()).matches("0+");
        }
    }

    /** A status field's values, tabs as single spaces. */
    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElse("")
                .substring(name.length() + 1).strip().replaceAll("\\s+", " ");
    }

    private static String ids(int id) {
        return String.join(" ", java.util.Collections.nCopies(4, Integer.toUnsignedString(id)));
    }

    /** A directory nobody owns and may enter, under /tmp (a JUnit TempDir is root's alone). */
    private static Path nobodysDirectory() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pathprobe-user-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setAttribute(dir, "unix:uid", NOBODY.uid());
        Files.setAttribute(dir, "unix:gid", NOBODY.gid());
        return dir;
    }

    private static void deleteAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
