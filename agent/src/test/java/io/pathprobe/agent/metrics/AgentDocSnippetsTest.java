package io.pathprobe.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocks of docs/observability.md fenced {@code ```java agent} (they use pathprobe-agent and Micrometer's
 * registries, which cli's DocSnippetsTest does not have, so it leaves them out) compile against this module's
 * test class path: each block's imports are the unit's, the rest the body of a method, a line {@code ...}
 * standing for the reader's code.
 */
class AgentDocSnippetsTest {
    static Path docs() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/observability.md"))) {
                return p.resolve("docs/observability.md");
            }
        }
        throw new IllegalStateException("no docs/observability.md above " + Path.of("").toAbsolutePath());
    }

    static List<String> blocks(Path page) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder b = null;
        for (String l : Files.readAllLines(page)) {
            if (b == null && l.strip().equals("```java agent")) {
                b = new StringBuilder();
            } else if (b != null && l.strip().startsWith("```")) {
                out.add(b.toString());
                b = null;
            } else if (b != null) {
                b.append(l).append('\n');
            }
        }
        return out;
    }

    @Test
    void theAgentBlocksOfTheObservabilityPageCompile(@TempDir Path out) throws IOException {
        List<String> blocks = blocks(docs());
        assertThat(blocks).as("the agent's examples").hasSizeGreaterThanOrEqualTo(2);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> errors = new ArrayList<>();
        for (int n = 0; n < blocks.size(); n++) {
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String l : blocks.get(n).split("\n", -1)) {
                if (l.startsWith("import ")) {
                    imports.append(l).append('\n');
                } else {
                    body.append(l.strip().equals("...") ? "/* the reader's code */" : l).append('\n');
                }
            }
            String name = "AgentSnippet" + n;
            String code = imports + "class " + name + " { static void run() throws Exception {\n" + body + "}}\n";
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            };
            DiagnosticCollector<JavaFileObject> d = new DiagnosticCollector<>();
            javac.getTask(null, null, d, List.of("-classpath", classPath, "-d", out.toString(), "-proc:none",
                    "-Xlint:none", "-nowarn"), null, List.of(unit)).call();
            for (Diagnostic<? extends JavaFileObject> e : d.getDiagnostics()) {
                if (e.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add("block " + (n + 1) + ", line " + e.getLineNumber() + ": " + e.getMessage(Locale.ROOT));
                }
            }
        }
        assertThat(errors).as("agent examples of docs/observability.md that do not compile").isEmpty();
    }
}
