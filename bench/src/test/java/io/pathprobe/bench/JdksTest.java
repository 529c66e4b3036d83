package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {
    @TempDir
    Path dir;

    @Test
    void theFeatureVersionIsReadFromTheReleaseFile() {
        Path home = Path.of("/x");
        assertThat(Jdks.parseRelease(home, "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"9.9\"\n"
                + "JAVA_VERSION=\"25.0.3\"\n")).contains(new Jdks.Jdk(25, home, "25.0.3"));
        assertThat(Jdks.parseRelease(home, "JAVA_VERSION=\"17.0.15\"")).map(Jdks.Jdk::feature).contains(17);
        assertThat(Jdks.parseRelease(home, "JAVA_VERSION=\"1.8.0_402\"")).map(Jdks.Jdk::feature).contains(8);
        assertThat(Jdks.parseRelease(home, "JAVA_VERSION=\"22-ea\"")).map(Jdks.Jdk::feature).contains(22);
        assertThat(Jdks.parseRelease(home, "IMPLEMENTOR=\"x\"")).isEmpty();
    }

    @Test
    void aScanKeeps17AndFrom22OnOnePerFeatureTheNewest() throws IOException {
        jdk("java-11", "11.0.2");
        jdk("java-17", "17.0.15");
        jdk("java-21", "21.0.4");
        jdk("temurin-25-old", "25.0.1");
        jdk("temurin-25", "25.0.3");
        Files.createSymbolicLink(dir.resolve("java-1.17.0"), dir.resolve("java-17"));
        Files.createDirectories(dir.resolve("openjdk-17")); // sources only: no bin/java
        Jdks.Found found = Jdks.scan(dir);
        assertThat(found.jdks()).extracting(Jdks.Jdk::feature).containsExactly(17, 25);
        assertThat(found.jdks().get(1).version()).isEqualTo("25.0.3");
        assertThat(found.jdks().get(0).label()).isEqualTo("jdk17");
        assertThat(found.missing()).isEmpty();
    }

    @Test
    void aTargetJdkNotFoundIsReportedMissingAndNothingTakesItsPlace() throws IOException {
        jdk("java-17", "17.0.15");
        jdk("java-23", "23.0.1");
        Jdks.Found found = Jdks.scan(dir);
        assertThat(found.jdks()).extracting(Jdks.Jdk::feature).containsExactly(17, 23);
        assertThat(found.missing()).extracting(Jdks.Missing::name).containsExactly("jdk25");
        assertThat(found.missing()).extracting(Jdks.Missing::code).containsExactly("not_found");
        assertThat(found.where()).isEqualTo(dir.toString());
    }

    @Test
    void givenHomesAreRunInTheirOrderAndOneThatIsNoJdkIsMissing() throws IOException {
        Path a = jdk("a", "25.0.3");
        Path b = jdk("b", "17.0.15");
        Jdks.Found found = Jdks.given(List.of(a, b, dir.resolve("nothing")), "test", "test");
        assertThat(found.jdks()).extracting(Jdks.Jdk::feature).containsExactly(25, 17);
        assertThat(found.missing()).extracting(Jdks.Missing::name).containsExactly(dir.resolve("nothing").toString());
    }

    private Path jdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Path java = home.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
