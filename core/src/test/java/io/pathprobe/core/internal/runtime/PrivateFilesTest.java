package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @Test
    void aNewFileIsOwnerOnlyAndAnOldOneIsTruncated(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("recording.ndjson");
        try (OutputStream out = PrivateFiles.newOutputStream(file)) {
            out.write("first\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (OutputStream out = PrivateFiles.newOutputStream(file)) {
            out.write('x');
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }
}
