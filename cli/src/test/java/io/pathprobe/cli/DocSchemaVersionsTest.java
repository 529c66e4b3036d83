package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.json.BufferbloatJson;
import io.pathprobe.json.CompareJson;
import io.pathprobe.json.DiffJson;
import io.pathprobe.json.ErrorJson;
import io.pathprobe.json.MonitorJson;
import io.pathprobe.json.MtuJson;
import io.pathprobe.json.MultipathJson;
import io.pathprobe.json.PingJson;
import io.pathprobe.json.TraceJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The schema versions docs/output-formats.md states are the writer's: the list of JSON Schemas (one line a
 * document), the first version each "The … document" section states, and any {@code X_SCHEMA_VERSION N}
 * it names. (The schema files' own {@code const} is checked against the writer by the api module's
 * PathProbeJsonSchemaTest.)
 */
class DocSchemaVersionsTest {
    /** A document's name in the docs (a schema file's stem, or a section's title) → the writer's constant. */
    private static final Map<String, Integer> VERSIONS = Map.ofEntries(
            Map.entry("trace", TraceJson.SCHEMA_VERSION),
            Map.entry("ping", PingJson.SCHEMA_VERSION),
            Map.entry("multipath", MultipathJson.SCHEMA_VERSION),
            Map.entry("bufferbloat", BufferbloatJson.SCHEMA_VERSION),
            Map.entry("monitor", MonitorJson.SCHEMA_VERSION),
            Map.entry("mtu", MtuJson.SCHEMA_VERSION),
            Map.entry("path mtu", MtuJson.SCHEMA_VERSION),
            Map.entry("monitor-round", MonitorJson.ROUND_SCHEMA_VERSION),
            Map.entry("compare", CompareJson.SCHEMA_VERSION),
            Map.entry("diff", DiffJson.SCHEMA_VERSION),
            Map.entry("error", ErrorJson.SCHEMA_VERSION));
    private static final Pattern SCHEMA_LINE = Pattern.compile("^- \\[`([\\w-]+)\\.schema\\.json`\\].*?`schemaVersion` (\\d+)");
    private static final Pattern SECTION = Pattern.compile("^### The (.+) document\\s*$");
    private static final Pattern FIRST_VERSION = Pattern.compile("`schemaVersion`\\s*\\(?(\\d+)");
    private static final Pattern CONSTANT =
            Pattern.compile("`?(?:io\\.pathprobe\\.json\\.)?(\\w+Json)\\.([A-Z_]*SCHEMA_VERSION)`?\\s+(\\d+)");

    static List<String> mismatches(List<String> lines) throws ReflectiveOperationException {
        List<String> wrong = new ArrayList<>();
        int schemaLines = 0;
        String section = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String at = "line " + (i + 1) + ": ";
            Matcher m = SCHEMA_LINE.matcher(l);
            if (m.find()) {
                schemaLines++;
                check(wrong, at + l, m.group(1), Integer.parseInt(m.group(2)));
            }
            Matcher s = SECTION.matcher(l);
            if (s.matches()) {
                section = s.group(1).toLowerCase(Locale.ROOT);
                continue;
            }
            if (l.startsWith("#")) {
                section = null;
            }
            Matcher v = FIRST_VERSION.matcher(l);
            if (section != null && v.find()) {
                check(wrong, at + l, section, Integer.parseInt(v.group(1)));
                section = null; // only the section's first statement is its current version
            }
            Matcher c = CONSTANT.matcher(l);
            while (c.find()) {
                int actual = Class.forName("io.pathprobe.json." + c.group(1)).getField(c.group(2)).getInt(null);
                if (actual != Integer.parseInt(c.group(3))) {
                    wrong.add(at + c.group(1) + "." + c.group(2) + " is " + actual + ", the doc says " + c.group(3));
                }
            }
        }
        if (schemaLines < VERSIONS.size() - 1) {
            wrong.add("the JSON Schemas list has " + schemaLines + " documents");
        }
        return wrong;
    }

    private static void check(List<String> wrong, String where, String document, int stated) {
        Integer actual = VERSIONS.get(document);
        if (actual == null) {
            wrong.add(where + " (a document this test does not know: add it to VERSIONS)");
        } else if (actual != stated) {
            wrong.add(where + " (the writer's version is " + actual + ")");
        }
    }

    @Test
    void theVersionsTheDocStatesAreTheWritersOwn() throws Exception {
        Path doc = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(doc.resolve("docs/output-formats.md"))) {
            doc = doc.getParent();
        }
        assertThat(mismatches(Files.readAllLines(doc.resolve("docs/output-formats.md")))).isEmpty();
    }

    @Test
    void aStaleVersionIsFound() throws Exception {
        assertThat(mismatches(List.of("### The trace document", "", "one object with `schemaVersion` (1), `target`")))
                .hasSize(2); // the stale version, and no list of schemas
        assertThat(mismatches(List.of("(`TraceJson.SCHEMA_VERSION` 1)"))).anyMatch(w -> w.contains("is "
                + TraceJson.SCHEMA_VERSION));
    }
}
