package io.pathprobe.evidence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The recordings kept beside the tests (made in the lab), each copied into a test's own folder to be replayed. */
final class Recorded {
    private Recorded() {}

    /** {@return recording {@code name}, copied into {@code dir}} */
    static Path copy(String name, Path dir) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = Recorded.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }
}
