package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.DocPages.Fence;
import io.pathprobe.cli.DocPages.Page;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles as printed, pasted by a reader who has read
 * nothing else of the page, against pathprobe-core and only what the block says it needs. The rules, which the
 * README's "Java API" section states for the reader:
 * <ul>
 *   <li>nothing is added: no import of another block, no guessed variable, no guessed artifact;</li>
 *   <li>a block that declares a top-level type is a compilation unit (a file) of its own;</li>
 *   <li>any other block is its imports, then statements compiled as the body of a method that may throw;
 *       a line {@code ...} stands for the reader's own code;</li>
 *   <li>one free variable is allowed: {@code tracer}, a {@code PathTracer}, where the page's text before the
 *       block names {@code `tracer`} (the README's examples use the tracer its first one makes);</li>
 *   <li>the class path is pathprobe-core's; a block that needs more says so in its first line,
 *       {@code // with A, B and C on the class path} (artifact ids), and it must need each of them: without
 *       any one it does not compile, or, for a feature module core finds through {@code ServiceLoader} (which a
 *       block compiles without: its API is pathprobe's), the block calls what the module provides
 *       ({@link #FOUND_AT_RUN_TIME}); a block that calls it names the module;</li>
 *   <li>a {@code module} declaration (a module-info.java fragment) is not compiled here.</li>
 * </ul>
 */
class DocSnippetsTest {
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:public\\s+)?(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?;\\s*$");
    private static final Pattern NEEDS = Pattern.compile("^//\\s*with (.+?) on the class path\\b.*$");
    private static final Pattern TRACER = Pattern.compile("\\btracer\\b");
    private static final Pattern TRACER_DECLARED = Pattern.compile("\\b[\\w.<>]+\\s+tracer\\s*=");

    /**
     * What each artifact a block may name brings onto the class path, as artifact ids (a trailing {@code *}: a
     * prefix): its own jar and its dependencies. pathprobe-core's is every block's.
     */
    static final Map<String, List<String>> ARTIFACTS;

    static {
        List<String> micrometer = List.of("micrometer-core", "micrometer-commons", "micrometer-observation",
                "LatencyUtils");
        Map<String, List<String>> a = new LinkedHashMap<>();
        a.put("pathprobe-core", List.of("pathprobe-core", "pathprobe-api", "pathprobe-native-*", "jffi", "jnr-*",
                "asm*", "netty-common", "netty-buffer", "netty-resolver", "netty-transport*", "HdrHistogram",
                "dnsjava", "slf4j-api", "caffeine", "jspecify"));
        a.put("pathprobe-bufferbloat", List.of("pathprobe-bufferbloat", "netty-handler", "netty-codec-*"));
        a.put("pathprobe-evidence", List.of("pathprobe-evidence", "jackson-databind", "jackson-core",
                "jackson-annotations"));
        a.put("micrometer-core", micrometer);
        a.put("pathprobe-agent", concat(micrometer, List.of("pathprobe-agent", "snakeyaml",
                "micrometer-registry-prometheus", "prometheus-metrics-*")));
        a.put("micrometer-registry-otlp", concat(micrometer, List.of("micrometer-registry-otlp",
                "opentelemetry-proto", "protobuf-java")));
        a.put("jackson-databind", List.of("jackson-databind", "jackson-core", "jackson-annotations"));
        a.put("maxmind-db", List.of("maxmind-db"));
        a.put("pathprobe-check", List.of("pathprobe-check"));
        a.put("pathprobe-otel", List.of("pathprobe-otel", "pathprobe-check", "opentelemetry-api",
                "opentelemetry-context", "opentelemetry-common"));
        a.put("opentelemetry-sdk", List.of("opentelemetry-sdk*"));
        a.put("opentelemetry-exporter-otlp", List.of("opentelemetry-exporter-*"));
        a.put("pathprobe-lab", List.of("pathprobe-lab"));
        a.put("pathprobe-testing", List.of("pathprobe-testing"));
        a.put("junit-jupiter", List.of("junit-jupiter*", "junit-platform-*", "opentest4j", "apiguardian-api"));
        a.put("assertj-core", List.of("assertj-core", "byte-buddy"));
        ARTIFACTS = Map.copyOf(a);
    }

    /**
     * The feature modules pathprobe-core finds through {@code ServiceLoader}, which a block compiles without (their API
     * is pathprobe-api's) but does not run without: what a block's code (comments aside) calls when it needs one
     * (pathprobe-evidence's own package, {@code io.pathprobe.jackson}, counts as a use too).
     */
    static final Map<String, Pattern> FOUND_AT_RUN_TIME = Map.of("pathprobe-evidence",
            Pattern.compile("\\.record\\(|\\bPathTracer\\.replay\\(|\\bPathProbeJacksonModule\\b"));

    /** {@return what is wrong with the run-time modules a block names or should name ({@link #FOUND_AT_RUN_TIME})} */
    static List<String> runTimeProblems(Unit u) {
        String code = u.code().replaceAll("//[^\\n]*", "");
        List<String> problems = new ArrayList<>();
        FOUND_AT_RUN_TIME.forEach((artifact, calls) -> {
            boolean calling = calls.matcher(code).find();
            if (calling && !u.needs().contains(artifact)) {
                problems.add("calls " + calls.pattern() + " and does not name " + artifact + " on its class path");
            } else if (!calling && u.needs().contains(artifact)) {
                problems.add("names " + artifact + " on its class path, and calls none of " + calls.pattern());
            }
        });
        return problems;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A block as the test compiles it: where it is, its unit's class and code, and the artifacts it names. */
    record Unit(Path page, int line, String className, String code, List<String> needs, List<String> problems) {}

    /**
     * The compilation unit a block is read as (see the class's description), or null for a module declaration.
     * The unit keeps the block's line numbers: an error's line is the block's.
     */
    static Unit unit(Page page, Fence block, int n) {
        String text = block.text();
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        List<String> needs = needs(lines.get(0), problems);
        if (text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .findFirst().orElse("").startsWith("module ")) {
            return null;
        }
        Matcher type = TYPE.matcher(text);
        if (type.find()) {
            Matcher pub = PUBLIC_TYPE.matcher(text);
            return new Unit(page.file(), block.line(), pub.find() ? pub.group(1) : type.group(1), text, needs,
                    problems);
        }
        // the imports (and comments, blank lines) before the first statement, then the statements
        int first = 0;
        while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).strip().startsWith("//")
                || IMPORT.matcher(lines.get(first).strip()).matches())) {
            first++;
        }
        for (int i = first; i < lines.size(); i++) {
            if (IMPORT.matcher(lines.get(i).strip()).matches()) {
                problems.add("line " + (block.line() + i) + ": an import after the code");
            }
            if (lines.get(i).strip().equals("...")) {
                lines.set(i, lines.get(i).replace("...", "/* the reader's code */"));
            }
        }
        String body = String.join("\n", lines.subList(first, lines.size()));
        String params = "";
        if (TRACER.matcher(body).find() && !TRACER_DECLARED.matcher(body).find()) {
            if (page.proseBefore(block.line(), "`tracer`")) {
                params = "io.pathprobe.PathTracer tracer";
            } else {
                problems.add("it uses a `tracer` it does not make, and the page does not say before it which");
            }
        }
        String name = "Snippet" + n;
        // the class opens on the last line before the statements (or on the first statement's line), and
        // closes after the last: the unit's line numbers are the block's
        String open = "class " + name + " { static void run(" + params + ") throws Exception { ";
        if (first > 0) {
            lines.set(first - 1, lines.get(first - 1) + " " + open);
        } else {
            lines.set(0, open + lines.get(0));
        }
        return new Unit(page.file(), block.line(), name, String.join("\n", lines) + "\n}}\n", needs, problems);
    }

    private static List<String> needs(String firstLine, List<String> problems) {
        Matcher m = NEEDS.matcher(firstLine.strip());
        if (!m.matches()) {
            return List.of();
        }
        List<String> names = Arrays.stream(m.group(1).split(",|\\band\\b")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        for (String name : names) {
            if (!ARTIFACTS.containsKey(name) || name.equals("pathprobe-core")) {
                problems.add("names " + name + ", not one of " + new TreeSet<>(ARTIFACTS.keySet())
                        + " beside pathprobe-core");
            }
        }
        return names;
    }

    /** {@return the artifact id of a class path entry: a jar in a Maven repository, or a reactor module's} */
    static String artifactOf(Path entry) {
        Path file = entry.getFileName();
        if (file == null) {
            return "";
        }
        String name = file.toString();
        if (name.equals("classes") || name.equals("test-classes")) {
            // a module's target/classes (target/test-classes: a test's, no artifact)
            return name.equals("classes") && entry.getParent() != null ? moduleArtifact(entry.getParent().getParent())
                    : "";
        }
        if (!name.endsWith(".jar") || name.endsWith("-tests.jar")) {
            return "";
        }
        Path version = entry.getParent();
        Path artifact = version == null ? null : version.getParent();
        if (artifact != null && name.startsWith(artifact.getFileName() + "-" + version.getFileName())) {
            return artifact.getFileName().toString();
        }
        return version != null && version.getFileName().toString().equals("target")
                ? moduleArtifact(version.getParent()) : "";
    }

    private static String moduleArtifact(Path module) {
        try {
            String pom = Files.readString(module.resolve("pom.xml"));
            Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>")
                    .matcher(pom.substring(Math.max(0, pom.indexOf("</parent>"))));
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean brings(String artifact, List<String> patterns) {
        return patterns.stream().anyMatch(p -> p.endsWith("*") ? artifact.startsWith(p.substring(0, p.length() - 1))
                : artifact.equals(p));
    }

    /** {@return the test class path's entries that pathprobe-core and the named artifacts bring} */
    static String classPath(List<String> entries, List<String> needs) {
        List<String> patterns = new ArrayList<>(ARTIFACTS.get("pathprobe-core"));
        needs.forEach(n -> patterns.addAll(ARTIFACTS.getOrDefault(n, List.of())));
        return entries.stream().filter(e -> brings(artifactOf(Path.of(e)), patterns))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(Pattern.quote(File.pathSeparator))).filter(s -> !s.isEmpty()).toList();
    }

    /** {@return the errors compiling the unit against the class path gives, each naming the page and line} */
    static List<String> compile(Unit u, String classPath, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + u.className() + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return u.code();
            }
        };
        DiagnosticCollector<JavaFileObject> d = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, null, d, List.of("-classpath", classPath, "-d", out.toString(), "-proc:none",
                "-Xlint:none", "-nowarn"), null, List.of(source)).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> e : d.getDiagnostics()) {
            if (e.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(String.format(Locale.ROOT, "%s:%d: %s", DocPages.root().relativize(u.page()),
                        u.line() + e.getLineNumber() - 1, e.getMessage(Locale.ROOT)));
            }
        }
        if (!ok && errors.isEmpty()) {
            errors.add(DocPages.root().relativize(u.page()) + ":" + u.line() + ": does not compile, no error given");
        }
        return errors;
    }

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsCompilesAsPrinted(@TempDir Path out) {
        List<Unit> units = new ArrayList<>();
        int n = 0;
        for (Page page : DocPages.pages()) {
            for (Fence f : page.fences()) {
                if (f.info().equals("java")) {
                    Unit u = unit(page, f, n++);
                    if (u != null) {
                        units.add(u);
                    }
                }
            }
        }
        assertThat(units).as("the docs hold Java examples").hasSizeGreaterThan(40);
        List<String> entries = testClassPath();
        Set<String> missing = new TreeSet<>();
        for (String artifact : ARTIFACTS.keySet()) {
            if (entries.stream().noneMatch(e -> artifactOf(Path.of(e)).equals(artifact))) {
                missing.add(artifact);
            }
        }
        assertThat(missing).as("artifacts a block may name that this test's class path lacks").isEmpty();
        List<String> errors = new ArrayList<>();
        for (Unit u : units) {
            String at = DocPages.root().relativize(u.page()) + ":" + u.line() + ": ";
            u.problems().forEach(p -> errors.add(at + p));
            errors.addAll(compile(u, classPath(entries, u.needs()), out));
            runTimeProblems(u).forEach(p -> errors.add(at + p));
            for (String need : u.needs()) {
                if (FOUND_AT_RUN_TIME.containsKey(need)) {
                    continue; // compiles without it by design: runTimeProblems checks the block uses it
                }
                List<String> without = new ArrayList<>(u.needs());
                without.remove(need);
                if (compile(u, classPath(entries, without), out).isEmpty()) {
                    errors.add(at + "names " + need + " on its class path, and compiles without it");
                }
            }
        }
        assertThat(errors).as("doc examples that do not compile as printed").isEmpty();
    }

    private static Page page(String... lines) {
        return DocPages.parse(Path.of("x.md"), List.of(lines));
    }

    @Test
    void aBlockIsReadAsPrintedNothingAdded() {
        Page page = page("Some text.", "```java", "import io.pathprobe.*;", "try (PathTracer tracer = PathTracer.create()) {",
                "    ...", "}", "```", "", "```java", "TraceResult r = tracer.trace(\"a\");", "```");
        Unit first = unit(page, page.fences().get(0), 0);
        assertThat(first.code()).isEqualTo("import io.pathprobe.*; class Snippet0 { static void run() throws Exception { \n"
                + "try (PathTracer tracer = PathTracer.create()) {\n    /* the reader's code */\n}\n\n}}\n");
        assertThat(first.problems()).isEmpty();
        Unit second = unit(page, page.fences().get(1), 1);
        assertThat(second.code()).as("no import of the page's earlier block").doesNotContain("import");
        assertThat(second.problems()).as("a tracer the page has not introduced").singleElement().asString()
                .contains("`tracer`");
    }

    @Test
    void aTracerTheTextIntroducesIsTheMethodsParameter() {
        Page page = page("The examples use the `tracer` made above.", "```java", "import io.pathprobe.trace.*;",
                "TraceResult r = tracer.trace(\"a\");", "```");
        Unit u = unit(page, page.fences().get(0), 0);
        assertThat(u.problems()).isEmpty();
        assertThat(u.code()).startsWith("import io.pathprobe.trace.*; class Snippet0 { static void run("
                + "io.pathprobe.PathTracer tracer) throws Exception { \nTraceResult r");
    }

    @Test
    void theFirstLineNamesTheArtifactsBesideCore() {
        Page page = page("```java", "// with pathprobe-testing, junit-jupiter and assertj-core on the class path",
                "class A {}", "```", "```java", "// with pathprobe-nope on the class path", "module a.b {}", "```");
        Unit u = unit(page, page.fences().get(0), 0);
        assertThat(u.needs()).containsExactly("pathprobe-testing", "junit-jupiter", "assertj-core");
        assertThat(u.code()).as("a type's block is the file as printed").startsWith("// with").endsWith("class A {}\n");
        assertThat(unit(page, page.fences().get(1), 1)).as("a module-info fragment").isNull();
        Page nope = page("```java", "// with pathprobe-nope on the class path", "int a = 1;", "```");
        Unit bad = unit(nope, nope.fences().get(0), 2);
        assertThat(bad.problems()).singleElement().asString().contains("pathprobe-nope");
    }

    @Test
    void aBlockThatRecordsNamesPathprobeEvidenceAndOnlyThen() {
        Page page = page("```java", "try (PathTracer t = PathTracer.builder().record(Path.of(\"a\")).build()) {", "}",
                "```", "```java", "// with pathprobe-evidence on the class path",
                "var r = PathTracer.replay(Path.of(\"a\"));", "```", "```java",
                "// with pathprobe-evidence on the class path", "var t = PathTracer.builder(); // .record(file)", "```");
        assertThat(runTimeProblems(unit(page, page.fences().get(0), 0))).singleElement().asString()
                .contains("does not name pathprobe-evidence");
        assertThat(runTimeProblems(unit(page, page.fences().get(1), 1))).isEmpty();
        assertThat(runTimeProblems(unit(page, page.fences().get(2), 2))).as("a call in a comment is none")
                .singleElement().asString().contains("calls none of");
    }

    @Test
    void theClassPathIsCoresAndWhatTheBlockNames(@TempDir Path repo) throws IOException {
        Path micrometer = jar(repo, "io/micrometer/micrometer-core/1.14.2/micrometer-core-1.14.2.jar");
        Path core = jar(repo, "io/pathprobe/pathprobe-core/1/pathprobe-core-1.jar");
        Path picocli = jar(repo, "info/picocli/picocli/4/picocli-4.jar");
        Path tests = jar(repo, "io/pathprobe/pathprobe-api/1/pathprobe-api-1-tests.jar");
        List<String> entries = List.of(core.toString(), micrometer.toString(), picocli.toString(), tests.toString());
        assertThat(classPath(entries, List.of())).isEqualTo(core.toString());
        assertThat(classPath(entries, List.of("micrometer-core")))
                .isEqualTo(core + File.pathSeparator + micrometer);
        assertThat(artifactOf(DocPages.root().resolve("agent/target/classes"))).isEqualTo("pathprobe-agent");
        assertThat(artifactOf(DocPages.root().resolve("tck/target/pathprobe-transport-tck-0.1.0-SNAPSHOT.jar")))
                .isEqualTo("pathprobe-transport-tck");
    }

    private static Path jar(Path repo, String path) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[0]);
    }
}
