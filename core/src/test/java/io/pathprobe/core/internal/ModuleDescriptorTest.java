package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * core's module descriptor: nothing under io.pathprobe.core is exported (but the bufferbloat test's seam, the
 * runtime its handle runs on and the logging hygiene its server needs, to the bufferbloat module only, and the recording seam and what the recorder
 * wraps, to the evidence module only), and what the module path binds
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
        // each feature module's seam, for that module only: the bufferbloat test's, the runtime its handle runs on,
        // and QuietSlf4j (its server); the recorder's and replayer's, and the engine's parts they wrap; the agent's targets, parsed as the CLI's
        Map<String, Set<String>> qualified = d.exports().stream().filter(e -> !e.targets().isEmpty())
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        String in = "io.pathprobe.core.internal.";
        assertThat(qualified).isEqualTo(Map.of(
                in + "bufferbloat.spi", Set.of("io.pathprobe.bufferbloat"),
                in + "logging", Set.of("io.pathprobe.bufferbloat"),
                in + "record.spi", Set.of("io.pathprobe.evidence"),
                // the agent: the CLI's target parsing; testing: FakeTime on the one VirtualLoop; bufferbloat: its
                // handle on the engine's lifecycle, loop and clock
                in + "runtime", Set.of("io.pathprobe.evidence", "io.pathprobe.agent", "io.pathprobe.testing",
                        "io.pathprobe.bufferbloat"),
                in + "lookup", Set.of("io.pathprobe.evidence"),
                in + "enrich", Set.of("io.pathprobe.evidence")));
        assertThat(d.uses()).contains("io.pathprobe.spi.ProbeTransportProvider",
                "io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider",
                "io.pathprobe.core.internal.record.spi.Evidence");
        String service = "io.pathprobe.internal.TracerFactory";
        List<String> fromFile = Files.readAllLines(Path.of("src", "main", "resources", "META-INF", "services", service))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(service);
            assertThat(p.providers()).isEqualTo(fromFile);
        });
    }
}
