package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md lists every package of the main code (each module's {@code src/main/java}), each with what it
 * holds, and lists no package that is gone; every package has a {@code package-info.java} that says what it holds.
 */
class DocArchitectureTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize();
    private static final Pattern LISTED = Pattern.compile("^- `([a-z][a-z0-9_.]*)`: \\S", Pattern.MULTILINE);

    @Test
    void everyPackageIsListedWithWhatItHoldsAndNoneThatIsGone() throws IOException {
        Set<String> packages = new TreeSet<>();
        Set<String> withoutInfo = new TreeSet<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                Path sources = module.resolve("src/main/java");
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".java")
                            && !f.getFileName().toString().equals("module-info.java")).toList()) {
                        Path dir = sources.relativize(f.getParent());
                        String pkg = dir.toString().replace('/', '.');
                        packages.add(pkg);
                        if (!Files.exists(f.getParent().resolve("package-info.java"))) {
                            withoutInfo.add(module.getFileName() + ": " + pkg);
                        }
                    }
                }
            }
        }
        assertThat(packages).as("packages of the main code").contains("io.pathprobe", "io.pathprobe.core.internal");
        assertThat(withoutInfo).as("packages without a package-info.java saying what they hold").isEmpty();
        String page = Files.readString(ROOT.resolve("docs/architecture.md"), StandardCharsets.UTF_8);
        Set<String> listed = new TreeSet<>();
        Matcher m = LISTED.matcher(page);
        while (m.find()) {
            listed.add(m.group(1));
        }
        Set<String> missing = new TreeSet<>(packages);
        missing.removeAll(listed);
        Set<String> gone = new TreeSet<>(listed);
        gone.removeAll(packages);
        assertThat(missing).as("packages docs/architecture.md does not list (\"- `package`: what it holds\")")
                .isEmpty();
        assertThat(gone).as("packages docs/architecture.md lists that are gone").isEmpty();
        assertThat(List.copyOf(listed)).hasSameSizeAs(List.copyOf(packages));
    }
}
