package io.pathprobe.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.MeasurementType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 70: a measurement kind is named in one place, {@link MeasurementType}. No main source of any module asks
 * {@code instanceof} of a measurement's request or result type (what {@code MeasurementType.of(request)} and the
 * type's own functions answer), but a record's {@code equals} about its own type.
 */
class KindSwitchTest {
    /** {@code x instanceof TraceRequest}, ... for every type's request and result class. */
    static Pattern kindTests() {
        String names = MeasurementType.all().stream()
                .flatMap(t -> Stream.of(t.requestType().getSimpleName(), t.resultType().getSimpleName()))
                .collect(Collectors.joining("|"));
        return Pattern.compile("\\binstanceof\\s+(?:[a-z][\\w]*\\.)*(" + names + ")\\b"); // qualified or not
    }

    @Test
    void noMainSourceSwitchesOnAMeasurementsRequestOrResultType() {
        Path root = SourceShapeTest.repositoryRoot(Path.of("").toAbsolutePath());
        List<String> found = new ArrayList<>();
        for (Path module : SourceShapeTest.modules(root)) {
            Path dir = module.resolve("src/main/java");
            if (Files.isDirectory(dir)) {
                scan(root, dir, found);
            }
        }
        assertThat(found).as("instanceof over a measurement's request or result type: ask MeasurementType").isEmpty();
    }

    @Test
    void theScanFindsAnInstanceofAndLetsARecordsOwnEqualsBe(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src"));
        Files.writeString(dir.resolve("A.java"), "class A {\n  void f(Object o) {\n    if (o instanceof PingResult p) {}\n"
                + "    if (o instanceof io.pathprobe.mtu.MtuRequest r) {}\n  }\n}\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("TraceRequest.java"), "class TraceRequest {\n  public boolean equals(Object o) {\n"
                + "    return o instanceof TraceRequest r && r == this;\n  }\n}\n", StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        scan(root, dir, found);
        assertThat(found).containsExactly("src/A.java:3: PingResult", "src/A.java:4: MtuRequest");
    }

    static void scan(Path root, Path dir, List<String> found) {
        Pattern kinds = kindTests();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String own = f.getFileName().toString().replace(".java", "");
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = kinds.matcher(lines.get(i));
                    while (m.find()) {
                        if (!m.group(1).equals(own)) { // a type's equals about itself
                            found.add(root.relativize(f).toString().replace('\\', '/') + ":" + (i + 1) + ": "
                                    + m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
