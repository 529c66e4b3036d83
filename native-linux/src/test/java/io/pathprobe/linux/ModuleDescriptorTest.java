package io.pathprobe.linux;

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
 * The module path binds the transports the descriptor {@code provides}; the class path finds those named in
 * META-INF/services: the two lists must be the same. Exported: only the libc binding jnr-ffi implements, and
 * the switch to a named user (io.pathprobe.linux.privilege).
 */
class ModuleDescriptorTest {
    @Test
    void providesWhatTheServicesFileNamesAndExportsOnlyTheLibcBindingAndPrivileges() throws IOException {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.pathprobe.linux");
        assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.pathprobe.linux.internal.libc", "io.pathprobe.linux.privilege");
        String service = "io.pathprobe.spi.ProbeTransportProvider";
        List<String> fromFile = Files.readAllLines(Path.of("src", "main", "resources", "META-INF", "services", service))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        assertThat(fromFile).hasSize(7);
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(service);
            assertThat(p.providers()).isEqualTo(fromFile);
        });
        // the epoll native libraries are resolved on the module path only if required
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("io.netty.transport.epoll.linux.x86_64", "io.netty.transport.epoll.linux.aarch_64",
                        "org.jnrproject.ffi", "org.objectweb.asm");
    }
}
