package io.pathprobe.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an unprivileged process is told: a child JVM runs as nobody (uid/gid 65534, no supplementary
 * groups, no capabilities) through {@code setpriv}, in this JVM's private network namespace, and
 * prints every provider's availability, once with net.ipv4.ping_group_range "1 0" (the kernel
 * default) and once wide.
 */
class AvailabilityReasonsTest {
    private static Path classpathCopy;
    private static String originalRange;

    @BeforeAll
    static void copyClasspath() throws IOException {
        assumeTrue(TestNamespace.isPrivate(), "changes ping_group_range: runs only in a private network namespace");
        assumeTrue(new File("/usr/bin/setpriv").canExecute() || new File("/bin/setpriv").canExecute(), "setpriv");
        originalRange = TestNamespace.pingGroupRange();
        // The build's classpath lives under /root (0700): give nobody a readable copy.
        classpathCopy = Files.createTempDirectory("pathprobe-cp-");
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = classpathCopy.resolve(i++ + "-" + source.getFileName());
            copy(source, target);
            entries.add(target.toString());
        }
        Files.writeString(classpathCopy.resolve("classpath"), String.join(File.pathSeparator, entries));
        makeReadable(classpathCopy);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (originalRange != null) {
            TestNamespace.setPingGroupRange(originalRange);
        }
        if (classpathCopy != null) {
            deleteTree(classpathCopy);
        }
    }

    @Test
    void withTheDefaultPingGroupRangeAnUnprivilegedProcessGetsUdpOnlyAndIsToldWhy() throws Exception {
        TestNamespace.setPingGroupRange("1 0");
        Map<String, String[]> seen = availabilityAsNobody();

        assertThat(seen.get("linux-icmp-dgram")[1]).isEqualTo("false");
        assertThat(seen.get("linux-icmp-dgram")[2])
                .isEqualTo("net.ipv4.ping_group_range is '1 0': excludes gid 65534 (no supplementary groups)");
        assertThat(seen.get("linux-raw-icmp")[1]).isEqualTo("false");
        assertThat(seen.get("linux-raw-icmp")[2])
                .isEqualTo("needs CAP_NET_RAW (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): EPERM (Operation not permitted))");
        assertThat(seen.get("linux-udp-recverr")[1]).isEqualTo("true");
    }

    @Test
    void withAWidePingGroupRangePingSocketsBecomeAvailable() throws Exception {
        TestNamespace.setPingGroupRange(TestNamespace.WIDE);
        Map<String, String[]> seen = availabilityAsNobody();

        assertThat(seen.get("linux-icmp-dgram")[1]).as(seen.get("linux-icmp-dgram")[2]).isEqualTo("true");
        assertThat(seen.get("linux-raw-icmp")[1]).isEqualTo("false");
        assertThat(seen.get("linux-udp-recverr")[1]).isEqualTo("true");
    }

    /** name -> {name, available, reason} as printed by {@link AvailabilityProbe} running as nobody. */
    private static Map<String, String[]> availabilityAsNobody() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Files.readString(classpathCopy.resolve("classpath"));
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", java, "-Djava.io.tmpdir=/tmp", "-cp", classpath, AvailabilityProbe.class.getName())
                .directory(classpathCopy.toFile())
                .redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String[]> seen = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\\|", 3);
            if (f.length == 3) {
                seen.put(f[0], f);
            }
        }
        assertThat(seen).as(out).containsKeys("linux-icmp-dgram", "linux-raw-icmp", "linux-udp-recverr");
        return seen;
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeReadable(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
