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
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of every module's main sources ("explain, don't squeeze"): no line in a module's {@code src/main/java}
 * over {@value #MAX_COLUMNS} columns (characters, a tab counting as one); no method over
 * {@value #MAX_METHOD_LINES} lines (its body, nested classes and lambdas included) and no file over
 * {@value #MAX_LINES} lines unless it is listed below with the reason it is whole ({@link #LONG_FILES},
 * {@link #LONG_METHODS}): a cohesive class stays whole, said so, rather than split into shards to pass a count. A
 * listed file or method that no longer needs its entry fails too, so the lists stay true. The modules are the
 * reactor's: those of the top pom.xml (the one that lists {@code core}), and their own modules, found by walking up
 * from the working directory.
 */
class SourceShapeTest {
    static final int MAX_LINES = ArchitectureRules.MAX_LINES;
    static final int MAX_COLUMNS = 120;
    static final int MAX_METHOD_LINES = 100;

    /** Files over {@link #MAX_LINES} lines, by path from the repository's root, and why each is one file. */
    static final Map<String, String> LONG_FILES = Map.of(
            "lab/src/main/java/io/pathprobe/lab/Lab.java",
            "the lab's one handle: what a test asks of a running lab; over 600 by the imports of the lab's rooms",
            "lab/src/main/java/io/pathprobe/lab/topology/ChainTopology.java",
            "one lab's shape as plain data, read as a whole; over 600 by the imports of the lab's rooms");

    /**
     * Methods over {@link #MAX_METHOD_LINES} lines ({@code path#name}) and why each reads best whole (or what will
     * split it).
     */
    static final Map<String, String> LONG_METHODS = Map.ofEntries(
            Map.entry("lab/src/main/java/io/pathprobe/lab/LabProvisioner.java#nodeSetUp",
                    "one namespace's set-up: the ip, sysctl and nft steps in the order the kernel needs them"),
            Map.entry("cli/src/main/java/io/pathprobe/cli/PingCommand.java#call",
                    "ping's options to its output in one flow; to split when the commands run on one measurement "
                            + "descriptor (issue 70 item 1)"),
            Map.entry("core/src/main/java/io/pathprobe/core/internal/monitor/MonitorState.java#fold",
                    "one round folded into the monitor's state: path, hops and events, in the order they depend on "
                            + "each other"),
            Map.entry("core/src/main/java/io/pathprobe/core/internal/ratelimit/RateLimitModel.java#forDestination",
                    "the destination's limiter verdict: one decision over its evidence, case by case"),
            Map.entry("core/src/main/java/io/pathprobe/core/internal/DefaultTracerFactory.java#create",
                    "the engine's parts wired in the order they depend on each other"),
            Map.entry("bufferbloat/src/main/java/io/pathprobe/bufferbloat/internal/NqConnection.java#open",
                    "a connection's Netty pipeline with its handlers beside it (anonymous classes)"),
            Map.entry("bench/src/main/java/io/pathprobe/bench/FloorComparison.java#cleanAt",
                    "a benchmark's runs and figures, read top to bottom"),
            Map.entry("bench/src/main/java/io/pathprobe/bench/EnrichmentComparison.java#run",
                    "a benchmark's runs and figures, read top to bottom"),
            Map.entry("bench/src/main/java/io/pathprobe/bench/BufferbloatTrace.java#main",
                    "a benchmark's runs and figures, read top to bottom"),
            Map.entry("bench/src/main/java/io/pathprobe/bench/BufferbloatTrace.java#report",
                    "a benchmark's report, one figure after another"),
            Map.entry("bench/src/main/java/io/pathprobe/bench/BufferbloatComparison.java#main",
                    "a benchmark's runs and figures, read top to bottom"),
            Map.entry("bench/src/main/java/io/pathprobe/bench/Summary.java#ping",
                    "the ping benchmark's summary, one figure after another"));

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    @Test
    void noMainSourceFileOfAnyModuleIsOver600LinesOrHasALineOver120Columns() {
        Path root = repositoryRoot(Path.of("").toAbsolutePath());
        List<Path> modules = modules(root);
        assertThat(modules).as("modules of " + root.resolve("pom.xml")).isNotEmpty();
        List<String> problems = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (Path module : modules) {
            Path dir = module.resolve("src/main/java");
            if (Files.isDirectory(dir)) {
                check(root, dir, problems);
                sources.add(dir);
            }
        }
        methods(root, sources, problems);
        assertThat(problems).as("main sources over %d lines, methods over %d or lines over %d columns: re-wrap the "
                + "line; split by responsibility, or say in SourceShapeTest why it reads best whole", MAX_LINES,
                MAX_METHOD_LINES, MAX_COLUMNS).isEmpty();
    }

    @Test
    void aLongMethodIsNamedUnlessListedAndAStaleEntryToo(@TempDir Path root) throws IOException {
        Path sources = Files.createDirectories(root.resolve("m/src/main/java/p"));
        String body = "        int x = 0;\n".repeat(MAX_METHOD_LINES);
        Files.writeString(sources.resolve("C.java"), "package p;\nclass C {\n    void longOne() {\n" + body
                + "    }\n    void shortOne() {\n    }\n}\n", StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        methods(root, List.of(root.resolve("m/src/main/java")), problems, Map.of());
        assertThat(problems).containsExactly("m/src/main/java/p/C.java#longOne: " + (MAX_METHOD_LINES + 2)
                + " lines");
        problems.clear();
        methods(root, List.of(root.resolve("m/src/main/java")), problems, Map.of("m/src/main/java/p/C.java#longOne",
                "why", "m/src/main/java/p/C.java#shortOne", "why"));
        assertThat(problems).containsExactly("m/src/main/java/p/C.java#shortOne: listed as a long method, but it is "
                + "not over " + MAX_METHOD_LINES + " lines now: remove its entry");
    }

    /** Adds every method over {@link #MAX_METHOD_LINES} lines not listed in {@link #LONG_METHODS}, and stale entries. */
    static void methods(Path root, List<Path> sources, List<String> problems) {
        methods(root, sources, problems, LONG_METHODS);
    }

    static void methods(Path root, List<Path> sources, List<String> problems, Map<String, String> listed) {
        List<Path> files = new ArrayList<>();
        for (Path dir : sources) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        javax.tools.StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        com.sun.source.util.JavacTask task = (com.sun.source.util.JavacTask) javac.getTask(null, fm, d -> { },
                List.of("-proc:none"), null, fm.getJavaFileObjectsFromPaths(files));
        com.sun.source.util.SourcePositions at = com.sun.source.util.Trees.instance(task).getSourcePositions();
        Map<String, Long> longest = new java.util.TreeMap<>();
        try {
            for (com.sun.source.tree.CompilationUnitTree unit : task.parse()) {
                String name = root.relativize(Path.of(unit.getSourceFile().toUri())).toString().replace('\\', '/');
                new com.sun.source.util.TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMethod(com.sun.source.tree.MethodTree m, Void v) {
                        if (m.getBody() != null) {
                            long lines = unit.getLineMap().getLineNumber(at.getEndPosition(unit, m))
                                    - unit.getLineMap().getLineNumber(at.getStartPosition(unit, m)) + 1;
                            longest.merge(name + "#" + m.getName(), lines, Math::max);
                        }
                        return super.visitMethod(m, v);
                    }
                }.scan(unit, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        longest.forEach((method, lines) -> {
            if (lines > MAX_METHOD_LINES && !listed.containsKey(method)) {
                problems.add(method + ": " + lines + " lines");
            }
        });
        listed.keySet().stream().sorted().filter(m -> longest.getOrDefault(m, 0L) <= MAX_METHOD_LINES)
                .forEach(m -> problems.add(m + ": listed as a long method, but it is not over " + MAX_METHOD_LINES
                        + " lines now: remove its entry"));
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
                if (lines.size() > MAX_LINES && !LONG_FILES.containsKey(name)) {
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
