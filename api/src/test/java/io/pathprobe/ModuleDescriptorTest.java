package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor exports the API and SPI only, and the engine hook to the engine and to the recorder (its
 * settings) only (tests run on the class path: read the compiled descriptor).
 */
class ModuleDescriptorTest {
    static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void exportsTheApiAndTheSpiAndTheEngineHookOnlyToCoreAndEvidence() throws IOException {
        ModuleDescriptor d = descriptor();
        assertThat(d.name()).isEqualTo("io.pathprobe.api");
        Map<String, Set<String>> exports = new TreeMap<>();
        d.exports().forEach(e -> exports.put(e.source(), e.targets()));
        assertThat(exports).containsEntry("io.pathprobe", Set.of())
                .containsEntry("io.pathprobe.spi", Set.of())
                .containsEntry("io.pathprobe.internal", Set.of("io.pathprobe.core", "io.pathprobe.evidence"));
        // every other exported package is unqualified API (io.pathprobe.json comes with the JSON writer)
        assertThat(exports.keySet()).allMatch(p -> p.equals("io.pathprobe.internal") || !p.contains("internal"));
        assertThat(d.uses()).containsExactly("io.pathprobe.internal.TracerFactory");
        assertThat(d.isOpen()).isFalse();
    }
}
