package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/** Every package of the API is {@code @NullMarked}: its types' nullness is what their annotations say. */
class NullMarkedPackagesTest {
    @Test
    void everyPackageWithTypesIsNullMarked() throws IOException, ClassNotFoundException {
        Path root = Path.of("src", "main", "java");
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(root.resolve("io"))) {
            dirs = walk.filter(Files::isDirectory).toList();
        }
        List<String> unmarked = new ArrayList<>();
        int packages = 0;
        for (Path dir : dirs) {
            boolean hasTypes;
            try (Stream<Path> files = Files.list(dir)) {
                hasTypes = files.anyMatch(f -> f.toString().endsWith(".java")
                        && !f.getFileName().toString().equals("package-info.java"));
            }
            if (!hasTypes) {
                continue;
            }
            packages++;
            String name = root.relativize(dir).toString().replace(java.io.File.separatorChar, '.');
            Package p = Class.forName(name + ".package-info").getPackage();
            if (!p.isAnnotationPresent(NullMarked.class)) {
                unmarked.add(name);
            }
        }
        assertThat(packages).isGreaterThan(10);
        assertThat(unmarked).isEmpty();
    }
}
