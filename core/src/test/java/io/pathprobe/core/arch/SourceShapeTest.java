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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of every module's main sources: no file in a module's {@code src/main/java} over
 * {@value #MAX_LINES} lines, no line there over {@value #MAX_COLUMNS} columns (characters, a tab counting as
 * one). The modules are the reactor's: those of the top pom.xml (the one that lists {@code core}), and their
 * own modules, found by walking up from the working directory.
 *
 * <p>KNOWN_LONG_FILES and KNOWN_WIDE_FILES list the files that break a rule and are being reshaped elsewhere;
 * any other file that breaks one fails the test, and so does an entry whose file keeps the rules (delete it).
 */
class SourceShapeTest {
    static final int MAX_LINES = ArchitectureRules.MAX_LINES;
    static final int MAX_COLUMNS = 120;

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    // Files over MAX_LINES lines, relative to the repository root: the TCK's two kits are still to be split (their
    // tests are the TCK's public surface: @Nested classes and test methods that transport modules inherit).
    private static final Set<String> KNOWN_LONG_FILES = Set.of(
            "tck/src/main/java/io/pathprobe/tck/ProbeTransportContractKit.java",
            "tck/src/main/java/io/pathprobe/tck/ProbeTransportLabKit.java");

    // Files with lines over MAX_COLUMNS columns, relative to the repository root: none.
    private static final Set<String> KNOWN_WIDE_FILES = Set.of();

    @Test
    void noMainSourceFileOfAnyModuleIsOver600LinesOrHasALineOver120Columns() {
        Path root = repositoryRoot(Path.of("").toAbsolutePath());
        List<Path> modules = modules(root);
        assertThat(modules).as("modules of " + root.resolve("pom.xml")).isNotEmpty();
        Set<String> longFiles = new TreeSet<>();
        Set<String> wideFiles = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Path module : modules) {
            Path sources = module.resolve("src/main/java");
            if (Files.isDirectory(sources)) {
                check(root, sources, KNOWN_LONG_FILES, KNOWN_WIDE_FILES, longFiles, wideFiles, problems);
            }
        }
        for (String known : KNOWN_LONG_FILES) {
            if (!longFiles.contains(known)) {
                problems.add(known + ": in KNOWN_LONG_FILES but not over " + MAX_LINES + " lines: delete the entry");
            }
        }
        for (String known : KNOWN_WIDE_FILES) {
            if (!wideFiles.contains(known)) {
                problems.add(known + ": in KNOWN_WIDE_FILES but no line over " + MAX_COLUMNS
                        + " columns: delete the entry");
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
        Files.write(sources.resolve("Known.java"), List.of("y".repeat(MAX_COLUMNS + 1)), StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        check(root, root.resolve("m/src/main/java"), Set.of(), Set.of("m/src/main/java/p/Known.java"),
                new TreeSet<>(), new TreeSet<>(), problems);
        assertThat(problems).containsExactlyInAnyOrder(
                "m/src/main/java/p/Long.java: " + (MAX_LINES + 1) + " lines",
                "m/src/main/java/p/Wide.java:2: " + (MAX_COLUMNS + 1) + " columns");
    }

    /**
     * Adds to {@code problems} every file under {@code sources} over {@link #MAX_LINES} lines and every line
     * over {@link #MAX_COLUMNS} columns, unless the file is known; records the files over a limit.
     */
    static void check(Path root, Path sources, Set<String> knownLong, Set<String> knownWide, Set<String> longFiles,
            Set<String> wideFiles, List<String> problems) {
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() > MAX_LINES) {
                    longFiles.add(name);
                    if (!knownLong.contains(name)) {
                        problems.add(name + ": " + lines.size() + " lines");
                    }
                }
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    int columns = line.codePointCount(0, line.length());
                    if (columns > MAX_COLUMNS) {
                        wideFiles.add(name);
                        if (!knownWide.contains(name)) {
                            problems.add(name + ":" + (i + 1) + ": " + columns + " columns");
                        }
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
