package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar holds what its main code loads: {@code jdeps} over {@code target/pathprobe.jar} finds no class
 * that pathprobe's own classes refer to missing from it (the agent's Micrometer was: cli declared micrometer-core
 * with test scope, which won over the agent's compile scope, and {@code pathprobe agent} failed with
 * NoClassDefFoundError while the tests, on the test class path, passed); no class that any class of the jar refers
 * to and the jar lacks is in a jar only the tests have (a test-scoped dependency reachable from main code); and
 * every class of Maven's runtime class path of this module ({@code target/runtime-classpath.txt}) is in the jar.
 * The container image's class path (profile {@code image}) is checked the same way by {@code build/image-check}.
 */
@JarTest
class CliClassPathTest {
    /** jdeps' {@code -verbose:class} lines "FROM -> TO not found", FROM matching {@code include}: TO by FROM. */
    private static Map<String, Set<String>> notFound(Path jar, @org.jspecify.annotations.Nullable String include) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException(
                "no jdeps in this JDK (" + System.getProperty("java.home") + ")"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--multi-release", String.valueOf(Runtime.version().feature()),
                "-verbose:class"));
        if (include != null) {
            args.addAll(List.of("-include", include));
        }
        args.add(jar.toString());
        int rc = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertThat(rc).as("jdeps %s: %s", args, err).isZero();
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 5 && f[1].equals("->") && f[3].equals("not") && f[4].equals("found")) {
                missing.computeIfAbsent(f[2], k -> new TreeSet<>()).add(f[0]);
            }
        }
        assertThat(out.toString()).as("jdeps analysed the jar").contains("->");
        return missing;
    }

    private static List<Path> runtimeClassPath() throws IOException {
        Path file = Path.of(System.getProperty("pathprobe.cli.runtimeClassPath", "target/runtime-classpath.txt"));
        List<Path> jars = new ArrayList<>();
        for (String entry : Files.readString(file).strip().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                jars.add(Path.of(entry));
            }
        }
        assertThat(jars).as("Maven's runtime class path of the cli module (%s)", file).isNotEmpty();
        return jars;
    }

    /** The jars of this test's class path that are not on the runtime class path: the test-scoped ones. */
    private static List<Path> testOnlyJars() throws IOException {
        Set<Path> runtime = new LinkedHashSet<>();
        for (Path p : runtimeClassPath()) {
            runtime.add(p.toAbsolutePath().normalize());
        }
        List<Path> testOnly = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar") && !runtime.contains(p)) {
                testOnly.add(p);
            }
        }
        return testOnly;
    }

    @Test
    void pathprobesClassesReferToNothingTheJarLacks() {
        Map<String, Set<String>> missing = notFound(CliRuns.JAR, "io\\.pathprobe\\..*");
        assertThat(missing).as("classes that pathprobe's classes in %s refer to and it lacks (class <- referrers)",
                CliRuns.JAR).isEmpty();
    }

    @Test
    void noClassTheJarLacksIsInATestScopedJar() throws IOException {
        Map<String, Set<String>> missing = notFound(CliRuns.JAR, null);
        List<Path> testOnly = testOnlyJars();
        assertThat(testOnly).as("the test-scoped jars (the lab's, JUnit's, ...)").isNotEmpty()
                .anyMatch(p -> p.getFileName().toString().startsWith("junit-jupiter-api"));
        List<String> reachable = new ArrayList<>();
        for (Path jar : testOnly) {
            try (JarFile j = new JarFile(jar.toFile())) {
                for (Map.Entry<String, Set<String>> m : missing.entrySet()) {
                    if (j.getEntry(m.getKey().replace('.', '/') + ".class") != null) {
                        reachable.add(m.getKey() + " (in " + jar.getFileName() + ", test scope) <- " + m.getValue());
                    }
                }
            }
        }
        assertThat(reachable).as("classes main code refers to that only a test-scoped jar has").isEmpty();
    }

    @Test
    void everyClassOfTheRuntimeClassPathShips() throws IOException {
        List<String> absent = new ArrayList<>();
        try (JarFile shaded = new JarFile(CliRuns.JAR.toFile())) {
            for (Path p : runtimeClassPath()) {
                if (Files.isDirectory(p)) {
                    continue; // a module's classes of this reactor, when not packaged: its jar's are the same
                }
                try (JarFile j = new JarFile(p.toFile())) {
                    for (ZipEntry e : Collections.list(j.entries())) {
                        String n = e.getName();
                        if (n.endsWith(".class") && !n.endsWith("module-info.class") && shaded.getEntry(n) == null) {
                            absent.add(p.getFileName() + ": " + n);
                        }
                    }
                }
            }
        }
        assertThat(absent).as("classes of the runtime class path missing from %s", CliRuns.JAR).isEmpty();
    }
}
