package io.pathprobe.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of every module's main sources: no file in a module's {@code src/main/java} over
 * {@value #MAX_LINES} lines, no line there over {@value #MAX_COLUMNS} columns (characters, a tab counting as
 * one). The modules are the reactor's: those of the top pom.xml (the one that lists {@code core}), and their
 * own modules, found by walking up from the working directory. There is no allow-list: a file that breaks a
 * rule fails the test.
 */
class SourceShapeTest {
    static final int MAX_LINES = ArchitectureRules.MAX_LINES;
    static final int MAX_COLUMNS = 120;

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    @Test
    void noMainSourceFileOfAnyModuleIsOver600LinesOrHasALineOver120Columns() {
        Path root = repositoryRoot(Path.of("").toAbsolutePath());
        List<Path> modules = modules(root);
        assertThat(modules).as("modules of " + root.resolve("pom.xml")).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Path module : modules) {
            Path sources = module.resolve("src/main/java");
            if (Files.isDirectory(sources)) {
                check(root, sources, problems);
            }
        }
        assertThat(problems).as("main sources over %d lines or with lines over %d columns (split the file by "
                + "responsibility, re-wrap the line)", MAX_LINES, MAX_COLUMNS).isEmpty();
    }

    @Test
    void theCheckNamesEveryFileAndLineOverALimit(@TempDir Path root) throws IOException {
        Path sources = Files.createDirectories(root.resolve("m/src/main/java/p"));
        Files.write(sources.resolve("Fits.java"), Stream.concat(Stream.of("x".repeat(MAX_COLUMNS), "\tx"),
                Stream.generate(() -> "").limit(MAX_LINES - 2)).toList(), StandardCharsets.UTF_8);
        Files.write(sources.resolve("Long.java"), Stream.generate(() -> "").limit(MAX_LINES + 1).toList(),
                StandardCharsets.UTF_8);
        Files.write(sources.resolve("Wide.java"), List.of("", "\u00b5".repeat(MAX_COLUMNS + 1)),
                StandardCharsets.UTF_8);
        Files.write(sources.resolve("WideAndLong.java"), Stream.concat(Stream.of("y".repeat(MAX_COLUMNS + 1)),
                Stream.generate(() -> "").limit(MAX_LINES)).toList(), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        check(root, root.resolve("m/src/main/java"), problems);
        assertThat(problems).containsExactlyInAnyOrder(
                "m/src/main/java/p/Long.java: " + (MAX_LINES + 1) + " lines",
                "m/src/main/java/p/Wide.java:2: " + (MAX_COLUMNS + 1) + " columns",
                "m/src/main/java/p/WideAndLong.java: " + (MAX_LINES + 1) + " lines",
                "m/src/main/java/p/WideAndLong.java:1: " + (MAX_COLUMNS + 1) + " columns");
    }

    /**
     * Adds to {@code problems} every file under {@code sources} over {@link #MAX_LINES} lines and every line
     * over {@link #MAX_COLUMNS} columns.
     */
    static void check(Path root, Path sources, List<String> problems) {
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() > MAX_LINES) {
                    problems.add(name + ": " + lines.size() + " lines");
                }
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    int columns = line.codePointCount(0, line.length());
                    if (columns > MAX_COLUMNS) {
                        problems.add(name + ":" + (i + 1) + ": " + columns + " columns");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nearest directory at or above {@code start} whose pom.xml lists the core module. */
    static Path repositoryRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && moduleNames(pom).contains("core")) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml listing <module>core</module> at or above " + start);
    }

    /** The modules of the pom.xml in {@code dir}, and theirs, depth first. */
    static List<Path> modules(Path dir) {
        List<Path> out = new ArrayList<>();
        for (String name : moduleNames(dir.resolve("pom.xml"))) {
            Path module = dir.resolve(name).normalize();
            out.add(module);
            if (Files.isRegularFile(module.resolve("pom.xml"))) {
                out.addAll(modules(module));
            }
        }
        return out;
    }

    private static Set<String> moduleNames(Path pom) {
        try {
            String text = Files.readString(pom, StandardCharsets.UTF_8).replaceAll("(?s)<!--.*?-->", "");
            Set<String> names = new LinkedHashSet<>();
            Matcher m = MODULE.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
