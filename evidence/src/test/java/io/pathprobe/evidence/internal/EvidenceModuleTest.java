package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.record.spi.Evidence;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How core finds the recorder and the replayer: the module path binds {@code provides}, the class path reads
 * META-INF/services, and both name the same class; on the class path (as the tests run) the ServiceLoader finds it.
 * The module exports only {@code io.pathprobe.jackson} (PathProbeJacksonModule), and no package of it is one of core's (no split package: core keeps none of the
 * recorder's classes).
 */
class EvidenceModuleTest {
    private static final String SERVICE = "io.pathprobe.core.internal.record.spi.Evidence";

    private static ModuleDescriptor read(Path moduleInfo) throws IOException {
        try (InputStream in = Files.newInputStream(moduleInfo)) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void providesTheRecorderOnBothPathsAndExportsOnlyTheJacksonModule() throws IOException {
        ModuleDescriptor d = read(Path.of("target", "classes", "module-info.class"));
        assertThat(d.name()).isEqualTo("io.pathprobe.evidence");
        assertThat(d.exports()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("io.pathprobe.jackson");
            assertThat(e.isQualified()).isFalse();
        });
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("io.pathprobe.core", "com.fasterxml.jackson.databind");
        List<String> fromFile = Files.readAllLines(Path.of("src", "main", "resources", "META-INF", "services", SERVICE))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toList());
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(SERVICE);
            assertThat(p.providers()).isEqualTo(fromFile).containsExactly(JacksonEvidence.class.getName());
        });
    }

    /** The module at {@code location} (a jar or an exploded module's classes), with every package it holds. */
    private static ModuleDescriptor module(Path location) {
        return ModuleFinder.of(location).findAll().iterator().next().descriptor();
    }

    @Test
    void noPackageIsAlsoCores() throws Exception {
        ModuleDescriptor evidence = module(Path.of("target", "classes"));
        ModuleDescriptor core = module(Path.of(Evidence.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()));
        assertThat(core.name()).isEqualTo("io.pathprobe.core");
        assertThat(core.packages()).contains("io.pathprobe.core.internal.record.spi");
        assertThat(evidence.packages()).containsExactlyInAnyOrder("io.pathprobe.evidence.internal", "io.pathprobe.jackson")
                .doesNotContainAnyElementsOf(core.packages());
    }

    @Test
    void theServiceLoaderFindsItOnTheClassPath() {
        assertThat(ServiceLoader.load(Evidence.class).findFirst()).get().isInstanceOf(JacksonEvidence.class);
    }
}
