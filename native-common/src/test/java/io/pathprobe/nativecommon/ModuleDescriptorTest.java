package io.pathprobe.nativecommon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Internal: the one package is exported to the native transport modules alone, and the module needs only the API. */
class ModuleDescriptorTest {
    @Test
    void exportsItsPackageToTheTransportModulesOnly() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.pathprobe.nativecommon");
        assertThat(d.exports()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("io.pathprobe.nativecommon");
            assertThat(e.targets()).containsExactlyInAnyOrder("io.pathprobe.linux", "io.pathprobe.macos",
                    "io.pathprobe.windows");
        });
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "io.pathprobe.api", "org.jspecify");
        assertThat(d.provides()).isEmpty();
    }
}
