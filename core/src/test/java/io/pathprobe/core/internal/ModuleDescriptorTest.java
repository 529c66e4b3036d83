package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * core's module descriptor: nothing under io.pathprobe.core is exported (but the bufferbloat seam and the
 * logging hygiene its server needs, to the bufferbloat module only), and what the module path binds
 * ({@code provides}) is what the class path finds (META-INF/services). Tests run on the class path, so they read
 * the compiled descriptor.
 */
class ModuleDescriptorTest {
    @Test
    void exportsNoInternalsAndProvidesWhatTheServicesFileNames() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.pathprobe.core");
        assertThat(d.exports()).filteredOn(e -> e.targets().isEmpty())
                .extracting(ModuleDescriptor.Exports::source)
                .doesNotContain("io.pathprobe.server") // in pathprobe-bufferbloat
                .noneMatch(p -> p.startsWith("io.pathprobe.core"));
        // the bufferbloat load generator's seam and QuietSlf4j (its server), for its module only
        assertThat(d.exports()).filteredOn(e -> !e.targets().isEmpty()).allSatisfy(e -> {
            assertThat(e.source()).matches("io\\.pathprobe\\.core\\.internal\\.(bufferbloat.*|logging)");
            assertThat(e.targets()).containsExactly("io.pathprobe.bufferbloat");
        });
        assertThat(d.uses()).contains("io.pathprobe.spi.ProbeTransportProvider",
                "io.pathprobe.core.internal.bufferbloat.spi.LoadProvider");
        String service = "io.pathprobe.internal.TracerFactory";
        List<String> fromFile = Files.readAllLines(Path.of("src", "main", "resources", "META-INF", "services", service))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(service);
            assertThat(p.providers()).isEqualTo(fromFile);
        });
    }
}
