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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build leaves beside the shaded jar ({@code target/pathprobe}; {@code src/main/sh/make-launcher}):
 * a trace through it names every hop of the lab's path and prints nothing on stderr, with the JVM that made its
 * class-data sharing archive (which then loads the command's classes from that archive and jffi's stub from beside
 * the jar), with another JVM (JDK 25, where these machines have it: its own AOT cache, made by the first run and used
 * by the next, remade when truncated, left unused when made for another jar; a trace with names finds its lookups'
 * classes in it), through a symbolic link to it, and from a copy that has neither the archive nor the stub. Short
 * commands run on the client compiler (on JDK 25 with raised compile thresholds), long ones as the JVM would. The
 * JVM's own logs (class loading, native libraries) go to a file through {@code JAVA_OPTS}, which the launcher passes
 * on.
 */
@LabTest
@Timeout(180)
class CliLauncherLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(4).icmpUnlimited("the launcher's trace is compared "
            + "byte for byte (times masked) with java -jar's right after it: a router drained by the traces before "
            + "would answer one and refuse the other").inCurrentNamespace());

    private static final Path TARGET = CliRuns.LAUNCHER.getParent();
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err, String jvmLog) {}

    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    private Result launch(Path launcher, Path javaHome, Map<String, String> env) throws Exception {
        return launch(launcher, javaHome, env, "--no-enrich");
    }

    /** A trace of the lab's path through {@code launcher} with {@code options} before its destination. */
    private Result launch(Path launcher, Path javaHome, Map<String, String> env, String... options)
            throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        Path log = Files.createTempFile(tmp, "jvm", ".log");
        CliRuns.Call call = CLI.call().launcher(launcher).env("JAVA_HOME", javaHome.toString())
                .env("JAVA_OPTS", "-Xlog:class+load=info,library=info,exceptions=info"
                        + (javaHome.equals(JDK25) ? ",aot=info" : "")
                        + ":file=" + log);
        env.forEach(call::env);
        List<String> args = new java.util.ArrayList<>(List.of("trace"));
        args.addAll(List.of(options));
        args.add(dest);
        CliRuns.Run run = call.timeout(java.time.Duration.ofSeconds(60)).run(args.toArray(String[]::new));
        Result r = new Result(run.exitCode(), run.out(), run.err(), Files.readString(log));
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.err()).as("stderr with %s", javaHome).isEmpty();
        for (Optional<InetAddress> hop : LAB.lab().expectedPath()) {
            hop.ifPresent(a -> assertThat(r.out()).contains(a.getHostAddress()));
        }
        return r;
    }

    /** Where the JVM took the trace command's class from: the archive ("shared objects file") or the jar. */
    private static String traceCommandSource(Result r) {
        return classSource(r, "io.pathprobe.cli.TraceCommand");
    }

    /** Where the JVM took {@code className} from: the archive ("shared objects file") or the jar. */
    private static String classSource(Result r, String className) {
        return r.jvmLog().lines().filter(l -> l.contains(" " + className + " source: ")).findFirst()
                .orElseThrow(() -> new AssertionError(className + " was not loaded:\n" + r.jvmLog()));
    }

    private static Path stubDir() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        return TARGET.resolve("jni").resolve(arch + "-Linux");
    }

    @Test
    void theLauncherItsArchiveAndJffisStubAreBesideTheJar() {
        assertThat(TARGET.resolve("pathprobe")).isExecutable();
        assertThat(TARGET.resolve("pathprobe.jar")).isNotEmptyFile();
        assertThat(TARGET.resolve("pathprobe.jsa")).isNotEmptyFile();
        assertThat(TARGET.resolve("pathprobe.jsa.jvm")).content(StandardCharsets.UTF_8)
                .startsWith(TARGET.resolve("pathprobe.jar").toString());
        assertThat(stubDir().resolve("libjffi-1.2.so")).isNotEmptyFile();
    }

    @Test
    void withTheJvmThatMadeItsArchiveTheCommandComesFromTheArchiveAndJffiFromBesideTheJar() throws Exception {
        Result r = launch(TARGET.resolve("pathprobe"), Path.of(System.getProperty("java.home")), Map.of());
        assertThat(traceCommandSource(r)).contains("source: shared objects file");
        assertThat(r.jvmLog()).contains("Loaded library " + stubDir().resolve("libjffi-1.2.so"));
    }

    /**
     * A trace, with names and without, makes no Jackson {@code ObjectMapper} (only a recording, a replay and a diff
     * read JSON with Jackson: the mixin of {@code --record} and the replay's lookups check made one in every start,
     * about 370 classes loaded and initialised), and picocli makes the CLI's commands, mixins and converters without
     * first failing to (an {@link IllegalAccessException} for each package-private class, 17 in a trace's start).
     */
    @Test
    void aTraceMakesNoObjectMapperAndPicocliMakesTheCommandsClassesWithoutAFailedTry() throws Exception {
        for (String[] options : List.of(new String[] {"--no-enrich"},
                new String[] {"--dns-server", "127.0.0.1:9", "--lookup-timeout", "300ms"})) {
            Result r = launch(TARGET.resolve("pathprobe"), Path.of(System.getProperty("java.home")), Map.of(), options);
            assertThat(classSource(r, "io.pathprobe.cli.RecordOptions")).as("the log names what loads").isNotEmpty();
            assertThat(r.jvmLog()).as("classes loaded by trace %s", List.of(options))
                    .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper source: ");
            assertThat(r.jvmLog()).as("exceptions thrown by trace %s", List.of(options))
                    .contains("Exception <a 'java/lang/NumberFormatException'") // picocli's own: the log has them
                    .doesNotContain("cannot access a member of class io.pathprobe.cli.");
        }
    }

    @Test
    void throughASymbolicLinkElsewhereItFindsItsJarArchiveAndStub() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("pathprobe"), TARGET.resolve("pathprobe"));
        Result r = launch(link, Path.of(System.getProperty("java.home")), Map.of());
        assertThat(traceCommandSource(r)).contains("source: shared objects file");
        assertThat(r.jvmLog()).contains("Loaded library " + stubDir().resolve("libjffi-1.2.so"));
    }

    @Test
    void jdk25MakesAnAotCacheOfItsOwnSilentlyUsesItNextTimeAndPrintsWhatJavaJarPrints() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 under /usr/lib/jvm here");
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        launch(TARGET.resolve("pathprobe"), JDK25, cache);
        Path made = cacheFile(tmp.resolve("cache").resolve("pathprobe"));
        assertThat(made.getFileName().toString()).endsWith("-" + Files.size(made) + ".aot");
        Result again = launch(TARGET.resolve("pathprobe"), JDK25, cache);
        assertThat(traceCommandSource(again)).contains("source: shared objects file");
        assertThat(again.jvmLog()).contains("Opened AOT cache " + made + ".");
        // its training looked names up (at a closed port): a trace with names finds its DNS client in the cache too
        Result names = launch(TARGET.resolve("pathprobe"), JDK25, cache, "--dns-server", "127.0.0.1:9",
                "--lookup-timeout", "300ms");
        assertThat(names.jvmLog()).contains("Opened AOT cache " + made + ".");
        assertThat(classSource(names, "io.pathprobe.core.internal.enrich.DnsClient"))
                .contains("source: shared objects file");

        Process p = new ProcessBuilder(JDK25.resolve("bin/java").toString(), "-jar", TARGET.resolve("pathprobe.jar")
                .toString(), "trace", "--no-enrich", LAB.lab().destination().getHostAddress()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(timesMasked(again.out())).isEqualTo(timesMasked(out));
    }

    /** A trace's output with its round-trip times and durations, the only bytes that differ run to run, masked. */
    private static String timesMasked(String out) {
        return out.replaceAll("\\d+(\\.\\d+)? ms", "T ms");
    }

    @Test
    void aTruncatedAotCacheIsNotUsedTheRunSucceedsAndItIsMadeAgain() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 under /usr/lib/jvm here");
        Path dir = tmp.resolve("cache").resolve("pathprobe");
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        launch(TARGET.resolve("pathprobe"), JDK25, cache);
        Path made = cacheFile(dir);
        long size = Files.size(made);
        try (var ch = java.nio.channels.FileChannel.open(made, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        Result r = launch(TARGET.resolve("pathprobe"), JDK25, cache);
        assertThat(r.jvmLog()).doesNotContain("truncated");
        Path remade = cacheFile(dir);
        assertThat(remade.getFileName().toString()).endsWith("-" + Files.size(remade) + ".aot");
        assertThat(r.jvmLog()).contains("Opened AOT cache " + remade + ".");
        assertThat(traceCommandSource(r)).contains("source: shared objects file");
    }

    @Test
    void aChangedJarGetsANewCacheInPlaceOfTheOldAndTheOldOneDoesNotFitIt() throws Exception {
        // the JVM does not remake a cache whose jar changed: without a new name an upgrade would start uncached
        Assumptions.assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 under /usr/lib/jvm here");
        Path copy = Files.createDirectory(tmp.resolve("copy"));
        for (String f : List.of("pathprobe", "pathprobe.jar")) {
            Files.copy(TARGET.resolve(f), copy.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path dir = tmp.resolve("cache").resolve("pathprobe");
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        launch(copy.resolve("pathprobe"), JDK25, cache);
        Path first = cacheFile(dir);
        Path old = Files.copy(first, tmp.resolve("old.aot"));
        Files.setLastModifiedTime(copy.resolve("pathprobe.jar"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));

        launch(copy.resolve("pathprobe"), JDK25, cache);
        Path second = cacheFile(dir);
        assertThat(second).as("the old cache removed, a new one made").isNotEqualTo(first);
        Result third = launch(copy.resolve("pathprobe"), JDK25, cache);
        assertThat(traceCommandSource(third)).contains("source: shared objects file");

        // the old jar's cache under the new jar's name, whole: the JVM leaves it unused, silently
        String name = second.getFileName().toString();
        Files.delete(second);
        Path misfit = dir.resolve(name.substring(0, name.lastIndexOf('-') + 1) + Files.size(old) + ".aot");
        Files.move(old, misfit);
        Result fourth = launch(copy.resolve("pathprobe"), JDK25, cache);
        assertThat(fourth.jvmLog()).contains("Opened AOT cache " + misfit + ".");
        assertThat(traceCommandSource(fourth)).contains("source: file:");
        assertThat(cacheFile(dir)).as("left in place: it is whole").isEqualTo(misfit);
    }

    /** The one AOT cache in {@code dir}, and no class-data sharing archive beside it. */
    private static Path cacheFile(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> caches = files.filter(f -> f.getFileName().toString().matches("pathprobe-.*\\.(aot|jsa|tmp)"))
                    .toList();
            assertThat(caches).singleElement().matches(f -> f.getFileName().toString()
                    .matches("pathprobe-\\d+-\\d+-\\d+\\.aot"), "one AOT cache for this JVM and jar");
            return caches.get(0);
        }
    }

    /** The flags the JVM of {@code pathprobe ARGS} ran with, as -XX:+PrintCommandLineFlags prints them. */
    private String jvmFlags(Path javaHome, String javaOpts, String... args) {
        CliRuns.Run run = CLI.call().launcher(TARGET.resolve("pathprobe")).env("JAVA_HOME", javaHome.toString())
                .env("XDG_CACHE_HOME", tmp.resolve("cache").toString()).env("JAVA_OPTS", javaOpts).run(args);
        assertThat(run.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isZero();
        return run.out().lines().findFirst().orElseThrow();
    }

    @Test
    void shortCommandsRunOnTheClientCompilerLongOnesKeepC2AndJavaOptsOverrides() {
        String print = "-XX:+PrintCommandLineFlags";
        Path jdk = Path.of(System.getProperty("java.home"));
        assertThat(jvmFlags(jdk, print, "transports")).contains("-XX:TieredStopAtLevel=1")
                .doesNotContain("CompileThresholdScaling");
        assertThat(jvmFlags(jdk, print, "ping", "--help")).doesNotContain("TieredStopAtLevel");
        assertThat(jvmFlags(jdk, print + " -XX:TieredStopAtLevel=4", "transports"))
                .contains("-XX:TieredStopAtLevel=4");
    }

    @Test
    void onJdk25ShortCommandsRunWithRaisedCompileThresholdsToo() {
        Assumptions.assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 under /usr/lib/jvm here");
        String print = "-XX:+PrintCommandLineFlags";
        assertThat(jvmFlags(JDK25, print, "transports")).contains("-XX:TieredStopAtLevel=1",
                "-XX:CompileThresholdScaling=20.000000");
        assertThat(jvmFlags(JDK25, print, "ping", "--help")).doesNotContain("TieredStopAtLevel",
                "CompileThresholdScaling");
        assertThat(jvmFlags(JDK25, print + " -XX:CompileThresholdScaling=1", "transports"))
                .contains("-XX:CompileThresholdScaling=1.000000");
    }

    @Test
    void withoutTheArchiveAndTheStubItStartsAsJavaJarDoes() throws Exception {
        Path bare = Files.createDirectory(tmp.resolve("bare"));
        for (String f : List.of("pathprobe", "pathprobe.jar")) {
            Files.copy(TARGET.resolve(f), bare.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Result r = launch(bare.resolve("pathprobe"), Path.of(System.getProperty("java.home")),
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()));
        assertThat(traceCommandSource(r)).contains("source: file:");
        assertThat(r.jvmLog()).doesNotContain(stubDir().toString());
    }
}
