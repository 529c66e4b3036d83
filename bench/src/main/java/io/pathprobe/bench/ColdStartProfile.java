package io.pathprobe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a fresh JVM's start-up goes, for {@link ColdStartComparison}: the options of the application
 * class-data archive (AppCDS) per JDK, and the classes a JVM loaded ({@code -Xlog:class+load} to a
 * file) counted by where they come from.
 */
final class ColdStartProfile {
    /** The areas the loaded classes are counted in, in the order they are printed. */
    static final List<String> AREAS = List.of("jnr", "netty", "pathprobe", "jdk", "other");

    private ColdStartProfile() {
    }

    /**
     * The options of the JVM that makes the application class-data archive: on JDK 19 and later
     * {@code -XX:+AutoCreateSharedArchive} (it writes the archive at exit when it is missing or stale,
     * and maps it otherwise), on 17 {@code -XX:ArchiveClassesAtExit}. CDS's own log lines are off, as an
     * application would run it.
     */
    static List<String> trainingOptions(Jdks.Jdk jdk, Path archive) {
        if (jdk.feature() >= 19) {
            return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off");
        }
        return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** The options of a JVM that uses the archive the training JVM made. */
    static List<String> archiveOptions(Jdks.Jdk jdk, Path archive) {
        if (jdk.feature() >= 19) {
            return trainingOptions(jdk, archive);
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** The option that logs every loaded class to {@code file}, one {@code NAME source: SOURCE} line each. */
    static String classLogOption(Path file) {
        return "-Xlog:class+load=info:file=" + file + ":none";
    }

    /**
     * The classes of a {@code -Xlog:class+load} file by area: jnr-ffi and jffi with the asm they generate
     * their stubs with ({@code jnr}), Netty, pathprobe, the JDK's own ({@code java.}, {@code javax.},
     * {@code jdk.}, {@code sun.}, {@code com.sun.}) and the rest (dnsjava, caffeine, ...); then
     * {@code total}, and {@code shared}: those mapped from a class-data archive (the JDK's or the
     * application's) rather than parsed.
     */
    static Map<String, Integer> classes(List<String> log) {
        Map<String, Integer> m = new LinkedHashMap<>();
        AREAS.forEach(a -> m.put(a, 0));
        int total = 0;
        int shared = 0;
        for (String line : log) {
            int source = line.indexOf(" source: ");
            if (source <= 0) {
                continue;
            }
            String name = line.substring(line.lastIndexOf(' ', source - 1) + 1, source);
            m.merge(area(name), 1, Integer::sum);
            total++;
            if (line.startsWith("shared objects file", source + " source: ".length())) {
                shared++;
            }
        }
        m.put("total", total);
        m.put("shared", shared);
        return m;
    }

    /** The area of a class by its binary name. */
    static String area(String name) {
        if (name.startsWith("jnr.") || name.startsWith("com.kenai.jffi.") || name.startsWith("org.objectweb.asm.")) {
            return "jnr";
        }
        if (name.startsWith("io.netty.")) {
            return "netty";
        }
        if (name.startsWith("io.pathprobe.")) {
            return "pathprobe";
        }
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.")) {
            return "jdk";
        }
        return "other";
    }

    /** {@link #classes(List)} of a log file. */
    static Map<String, Integer> classes(Path log) throws IOException {
        return classes(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
    }
}
