package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The launcher the build leaves beside the shaded jar ({@code target/pathprobe}, with its class-data
 * sharing archive {@code target/pathprobe.jsa}; {@code src/main/sh/make-launcher}): a trace through it
 * names every hop of the lab's path and prints nothing on stderr, with the JVM that made the archive and
 * with another one (JDK 25, where these machines have it), which ignores the archive silently.
 */
@LabTest
@Timeout(120)
class CliLauncherLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(4).inCurrentNamespace());

    private static final Path LAUNCHER = Path.of("target", "pathprobe");

    private record Result(int exit, String out, String err) {}

    private static Result launch(Path javaHome, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher's trace ended").isTrue();
        return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }

    private static void tracesTheLab(Path javaHome) throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        Result r = launch(javaHome, "trace", "--no-enrich", dest);
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.err()).as("stderr with %s", javaHome).isEmpty();
        for (Optional<InetAddress> hop : LAB.lab().expectedPath()) {
            hop.ifPresent(a -> assertThat(r.out()).contains(a.getHostAddress()));
        }
    }

    @Test
    void theLauncherAndItsArchiveAreBesideTheJar() {
        assertThat(LAUNCHER).isExecutable();
        assertThat(Path.of("target", "pathprobe.jsa")).isNotEmptyFile();
        assertThat(Path.of("target", "pathprobe.jar")).isNotEmptyFile();
    }

    @Test
    void aTraceThroughTheLauncherWithTheJvmThatMadeItsArchive() throws Exception {
        tracesTheLab(Path.of(System.getProperty("java.home")));
    }

    @Test
    void anotherJvmIgnoresTheArchiveSilently() throws Exception {
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")),
                "no JDK 25 under /usr/lib/jvm here");
        tracesTheLab(jdk25);
    }
}
