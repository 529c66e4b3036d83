package io.pathprobe.linux.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jffi's stub in the per-user cache: copied once, checked on every use, never from a directory others write. */
class JffiStubTest {
    @TempDir
    Path root;

    @Test
    void theStubIsCopiedOnceThenCheckedAndReused() throws IOException {
        assumeTrue(JffiStub.platform() != null, "jffi has no stub for this platform in its jar");
        Path dir = JffiStub.cached(root);
        assertThat(dir).isNotNull();
        Path file = dir.resolve(JffiStub.STUB);
        byte[] stub = Files.readAllBytes(file);
        CRC32 crc = new CRC32();
        crc.update(stub);
        assertThat(dir.getFileName().toString()).isEqualTo(Long.toHexString(crc.getValue()) + "-" + stub.length);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("pathprobe"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, written);

        assertThat(JffiStub.cached(root)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(file)).as("a good copy is not written again").isEqualTo(written);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(JffiStub.STUB);
        }
    }

    @Test
    void aMissingCacheRootIsMadeOwnerOnly() throws IOException {
        assumeTrue(JffiStub.platform() != null, "jffi has no stub for this platform in its jar");
        Path missing = root.resolve("home").resolve(".cache"); // neither exists: a fresh account or a sandbox

        Path dir = JffiStub.cached(missing);

        assertThat(dir).isNotNull();
        assertThat(dir.resolve(JffiStub.STUB)).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(missing))).isEqualTo("rwx------");
        assertThat(JffiStub.cached(missing)).as("the next JVM reuses it").isEqualTo(dir);
    }

    @Test
    void aDamagedCopyIsReplaced() throws IOException {
        assumeTrue(JffiStub.platform() != null, "jffi has no stub for this platform in its jar");
        Path dir = JffiStub.cached(root);
        Path file = dir.resolve(JffiStub.STUB);
        byte[] good = Files.readAllBytes(file);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1; // same size, other bytes
        Files.write(file, bad);

        assertThat(JffiStub.cached(root)).isEqualTo(dir);
        assertThat(Files.readAllBytes(file)).isEqualTo(good);
    }

    @Test
    void aCacheDirectoryOthersMayWriteIsRefused() throws IOException {
        assumeTrue(JffiStub.platform() != null, "jffi has no stub for this platform in its jar");
        Path shared = Files.createDirectory(root.resolve("pathprobe"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> JffiStub.cached(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("may be written by others");
        assertThat(Files.exists(shared.resolve("jffi"))).isFalse();
    }

    @Test
    void withoutARootNothingIsCached() throws IOException {
        assertThat(JffiStub.cached(null)).isNull();
    }

    @Test
    void aBootPathAlreadySetIsLeftAlone() {
        String before = System.getProperty(JffiStub.BOOT_PATH);
        System.setProperty(JffiStub.BOOT_PATH, "/the/application's/own");
        try {
            JffiStub.prepare();
            assertThat(System.getProperty(JffiStub.BOOT_PATH)).isEqualTo("/the/application's/own");
        } finally {
            if (before == null) {
                System.clearProperty(JffiStub.BOOT_PATH);
            } else {
                System.setProperty(JffiStub.BOOT_PATH, before);
            }
        }
    }
}
