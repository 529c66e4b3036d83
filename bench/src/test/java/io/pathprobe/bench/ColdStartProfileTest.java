package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartProfileTest {
    @Test
    void loadedClassesAreCountedByAreaAndThoseFromAnArchive() {
        Map<String, Integer> m = ColdStartProfile.classes(List.of(
                "java.lang.Object source: shared objects file",
                "jdk.internal.misc.Unsafe source: shared objects file (top)",
                "com.sun.management.OperatingSystemMXBean source: jrt:/jdk.management",
                "jnr.ffi.LibraryLoader source: file:/x/jnr-ffi.jar",
                "com.kenai.jffi.Foreign source: file:/x/jffi.jar",
                "org.objectweb.asm.ClassWriter source: file:/x/asm.jar",
                "io.netty.channel.Channel source: shared objects file (top)",
                "io.pathprobe.PathTracer source: file:/x/api.jar",
                "io.pathprobe.core.Foo$$Lambda/0x0000000800c01234 source: io.pathprobe.core.Foo",
                "org.xbill.DNS.Message source: file:/x/dnsjava.jar",
                "[0.101s][info][class,load] sun.nio.ch.Net source: jrt:/java.base",
                "a line that names no class"));
        assertThat(m).containsEntry("jdk", 4).containsEntry("jnr", 3).containsEntry("netty", 1)
                .containsEntry("pathprobe", 2).containsEntry("other", 1).containsEntry("total", 11)
                .containsEntry("shared", 3);
    }

    @Test
    void appCdsOptionsFollowTheJdk() {
        Path a = Path.of("/tmp/a.jsa");
        Jdks.Jdk jdk17 = new Jdks.Jdk(17, Path.of("/j17"), "17.0.15");
        Jdks.Jdk jdk25 = new Jdks.Jdk(25, Path.of("/j25"), "25.0.3");
        assertThat(ColdStartProfile.trainingOptions(jdk17, a)).contains("-XX:ArchiveClassesAtExit=/tmp/a.jsa");
        assertThat(ColdStartProfile.archiveOptions(jdk17, a)).contains("-XX:SharedArchiveFile=/tmp/a.jsa")
                .noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(ColdStartProfile.trainingOptions(jdk25, a)).contains("-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=/tmp/a.jsa");
        assertThat(ColdStartProfile.archiveOptions(jdk25, a)).isEqualTo(ColdStartProfile.trainingOptions(jdk25, a));
    }

    @Test
    void threadCpuIsReadFromProcStat() {
        // pid (comm with spaces) state ppid ... utime=field 14, stime=field 15
        String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 100 0 0 0 37 5 0 0 20 0 30 0 123 0 0";
        assertThat(ColdStartChild.ticks(stat)).isEqualTo(42);
        assertThat(ColdStartChild.threadKind("C2 CompilerThre")).isEqualTo("jit");
        assertThat(ColdStartChild.threadKind("C1 CompilerThre")).isEqualTo("jit");
        assertThat(ColdStartChild.threadKind("GC Thread#0")).isEqualTo("gc");
        assertThat(ColdStartChild.threadKind("G1 Conc#0")).isEqualTo("gc");
        assertThat(ColdStartChild.threadKind("java")).isEqualTo("main");
        assertThat(ColdStartChild.threadKind("pathprobe-io")).isEqualTo("pathprobe");
        assertThat(ColdStartChild.threadKind("Reference Handl")).isEqualTo("other");
    }
}
