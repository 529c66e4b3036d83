package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

/**
 * Every dependency the README and docs/ tell an application to add is one {@code pathprobe-bom} manages, and is
 * written without a version (the BOM's is the one pathprobe is built and tested with): each {@code <dependency>} of
 * their XML blocks, and each {@code group:artifact} of the "add" column of their tables of optional dependencies.
 * The BOM's own import is the one dependency with a version.
 */
class DocDependenciesTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").normalize();
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    /** A table row's second column: {@code | what | `group:artifact` ... |}. */
    private static final Pattern ADD_COLUMN = Pattern.compile("^\\|[^|]*\\|\\s*`([a-z0-9.-]+):([a-z0-9.-]+)`",
            Pattern.MULTILINE);

    private static @org.jspecify.annotations.Nullable String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** {@code group:artifact} of every dependency the BOM manages (pathprobe's and the optional libraries). */
    private static Set<String> managed() throws IOException {
        String bom = Files.readString(ROOT.resolve("build/bom/pom.xml"));
        String management = bom.substring(bom.indexOf("<dependencyManagement>"));
        Set<String> out = new LinkedHashSet<>();
        Matcher m = DEPENDENCY.matcher(management);
        while (m.find()) {
            out.add(tag(m.group(1), "groupId") + ":" + tag(m.group(1), "artifactId"));
        }
        assertThat(out).contains("io.pathprobe:pathprobe-core", "io.netty:netty-bom");
        return out;
    }

    /**
     * Whether the BOM gives {@code coordinate} a version (Netty's artifacts through the netty-bom it imports,
     * OpenTelemetry's through opentelemetry-bom).
     */
    private static boolean isManaged(Set<String> managed, String coordinate) {
        return managed.contains(coordinate) || coordinate.startsWith("io.netty:netty-")
                || managed.contains("io.opentelemetry:opentelemetry-bom") && coordinate.startsWith("io.opentelemetry:");
    }

    @Test
    void everyDependencyTheDocsNameIsManagedByTheBomAndWrittenWithoutAVersion() throws IOException {
        Set<String> managed = managed();
        List<String> named = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            String where = ROOT.relativize(page).toString();
            Matcher blocks = XML_BLOCK.matcher(text);
            while (blocks.find()) {
                Matcher d = DEPENDENCY.matcher(blocks.group(1));
                while (d.find()) {
                    String xml = d.group(1);
                    String coordinate = tag(xml, "groupId") + ":" + tag(xml, "artifactId");
                    named.add(where + ": " + coordinate);
                    if (coordinate.equals("io.pathprobe:pathprobe-bom")) {
                        continue; // the import itself: its version is the one to write
                    }
                    if (!isManaged(managed, coordinate)) {
                        wrong.add(where + ": " + coordinate + " is not managed by pathprobe-bom");
                    }
                    if (tag(xml, "version") != null) {
                        wrong.add(where + ": " + coordinate + " is given a version (" + tag(xml, "version")
                                + "): pathprobe-bom manages it");
                    }
                }
            }
            Matcher rows = ADD_COLUMN.matcher(text);
            while (rows.find()) {
                String coordinate = rows.group(1) + ":" + rows.group(2);
                named.add(where + " (table): " + coordinate);
                if (!isManaged(managed, coordinate)) {
                    wrong.add(where + ": the table's " + coordinate + " is not managed by pathprobe-bom");
                }
            }
        }
        assertThat(named).as("the dependencies the docs name").anyMatch(n -> n.endsWith(":jackson-databind"))
                .anyMatch(n -> n.endsWith(":maxmind-db")).anyMatch(n -> n.endsWith(":pathprobe-agent"))
                .anyMatch(n -> n.endsWith(":pathprobe-evidence"))
                .anyMatch(n -> n.endsWith(":pathprobe-testing"));
        assertThat(wrong).as("of %s", named).isEmpty();
    }
}
