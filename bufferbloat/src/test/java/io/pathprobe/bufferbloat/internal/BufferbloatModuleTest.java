package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How core finds the bufferbloat test (its strategy, handle and load generator): the module path binds {@code provides}, the class path reads
 * META-INF/services, and both name the same class; on the class path (as the tests run) the
 * ServiceLoader finds it. The module exports the responsiveness server and nothing internal.
 */
class BufferbloatModuleTest {
    private static final String SERVICE = "io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider";

    @Test
    void providesTheBufferbloatTestOnBothPathsAndExportsOnlyTheServer() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.pathprobe.bufferbloat");
        assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("io.pathprobe.server");
        List<String> fromFile = Files.readAllLines(Path.of("src", "main", "resources", "META-INF", "services", SERVICE))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(SERVICE);
            assertThat(p.providers()).isEqualTo(fromFile).containsExactly(NettyBufferbloatProvider.class.getName());
        });
    }

    @Test
    void theServiceLoaderFindsItOnTheClassPath() {
        assertThat(ServiceLoader.load(BufferbloatProvider.class).findFirst()).get().isInstanceOf(NettyBufferbloatProvider.class);
    }
}
