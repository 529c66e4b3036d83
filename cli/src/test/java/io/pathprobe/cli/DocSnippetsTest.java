package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/*.md compiles against the built modules, so the
 * docs cannot drift from the API. A block is read as a reader of the page reads it:
 * <ul>
 *   <li>a block that declares a top-level type is a compilation unit of its own;</li>
 *   <li>any other block is statements, compiled as the body of a method; its imports, and those of the
 *       page's earlier blocks (a page's fragments continue one another), are the unit's imports; a
 *       {@code tracer} or {@code registry} it uses without declaring is the method's parameter (a
 *       {@code PathTracer}, a Micrometer {@code MeterRegistry}); a line {@code ...} stands for the
 *       reader's own code;</li>
 *   <li>a {@code module} declaration (a module-info.java fragment) is not compiled here.</li>
 * </ul>
 */
class DocSnippetsTest {
    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?;\\s*$");

    record Block(Path file, int line, String text) {}

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static List<Block> blocks(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> out = new ArrayList<>();
        StringBuilder b = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (b == null && l.strip().equals("```java")) {
                b = new StringBuilder();
                start = i + 2;
            } else if (b != null && l.strip().startsWith("```")) {
                out.add(new Block(file, start, b.toString()));
                b = null;
            } else if (b != null) {
                b.append(l).append('\n');
            }
        }
        return out;
    }

    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static final class Source extends SimpleJavaFileObject {
        final String code;
        final Block from;

        Source(String className, String code, Block from) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
            this.from = from;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    /** The compilation unit a block is read as (see the class's description), or null for a module declaration. */
    static Source unit(Block block, Set<String> pageImports, int n) {
        String text = block.text();
        if (text.strip().startsWith("module ")) {
            return null;
        }
        Matcher type = TYPE.matcher(text);
        if (type.find()) {
            return new Source(type.group(1), text, block);
        }
        StringBuilder body = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            if (IMPORT.matcher(l.strip()).matches()) {
                pageImports.add(l.strip());
                body.append('\n'); // keep the block's line numbers
            } else {
                body.append(l.strip().equals("...") ? "/* the reader's code */" : l).append('\n');
            }
        }
        List<String> params = new ArrayList<>();
        String code = body.toString();
        if (uses(code, "tracer") && !declares(code, "tracer")) {
            params.add("io.pathprobe.PathTracer tracer");
        }
        if (uses(code, "registry") && !declares(code, "registry")) {
            params.add("io.micrometer.core.instrument.MeterRegistry registry");
        }
        String name = "Snippet" + n;
        String unit = String.join(" ", pageImports) + "\nclass " + name + " { static void run(" + String.join(", ", params)
                + ") throws Exception {\n" + code + "\n}}\n";
        return new Source(name, unit, block);
    }

    private static boolean uses(String code, String name) {
        return Pattern.compile("\\b" + name + "\\b").matcher(code).find();
    }

    private static boolean declares(String code, String name) {
        return Pattern.compile("\\b[\\w.<>]+\\s+" + name + "\\s*=").matcher(code).find();
    }

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsCompiles(@TempDir Path out) throws IOException {
        List<Source> units = new ArrayList<>();
        int n = 0;
        for (Path page : pages(root())) {
            Set<String> imports = new LinkedHashSet<>();
            for (Block b : blocks(page)) {
                Source s = unit(b, imports, n++);
                if (s != null) {
                    units.add(s);
                }
            }
        }
        assertThat(units).as("the docs hold Java examples").hasSizeGreaterThan(20);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = List.of("-classpath", classPath, "-d", out.toString(), "-proc:none", "-Xlint:none",
                "-nowarn");
        // one unit at a time: an error names its page and line, and one bad block hides no other
        List<String> errors = new ArrayList<>();
        for (Source s : units) {
            DiagnosticCollector<JavaFileObject> one = new DiagnosticCollector<>();
            boolean ok = javac.getTask(null, null, one, options, null, List.of(s)).call();
            for (Diagnostic<? extends JavaFileObject> e : one.getDiagnostics()) {
                if (e.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(String.format(Locale.ROOT, "%s, the block at line %d: %s", root().relativize(s.from.file()),
                            s.from.line(), e.getMessage(Locale.ROOT)));
                }
            }
            assertThat(ok || !errors.isEmpty()).as("a failed compilation names its error").isTrue();
        }
        assertThat(errors).as("doc examples that do not compile").isEmpty();
    }

    @Test
    void aBlockIsReadAsTheReaderReadsIt() {
        Block statements = new Block(Path.of("x.md"), 1, "import io.pathprobe.*;\nTraceResult r = tracer.trace(\"a\");\n...\n");
        Set<String> imports = new LinkedHashSet<>();
        Source s = unit(statements, imports, 0);
        assertThat(s.code).contains("import io.pathprobe.*;").contains("static void run(io.pathprobe.PathTracer tracer)")
                .contains("/* the reader's code */");
        Source next = unit(new Block(Path.of("x.md"), 9, "try (PathTracer tracer = PathTracer.create()) {}\n"), imports, 1);
        assertThat(next.code).as("the page's imports carry on; a declared tracer is no parameter")
                .contains("import io.pathprobe.*;").contains("static void run()");
        assertThat(unit(new Block(Path.of("x.md"), 1, "public class Export {}\n"), imports, 2).code)
                .isEqualTo("public class Export {}\n");
        assertThat(unit(new Block(Path.of("x.md"), 1, "module a.b {}\n"), imports, 3)).isNull();
    }
}
