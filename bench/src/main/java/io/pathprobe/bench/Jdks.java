package io.pathprobe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDKs the cold-start comparison starts its JVMs with. Given by the system property
 * {@value #PROPERTY} or else the environment variable {@value #ENV} (JDK homes separated by commas),
 * else found under {@value #DEFAULT_DIR}: every JDK there (a directory with {@code bin/java} and a
 * {@code release} file) whose feature version is 17 or at least 22, one per feature version (the
 * newest). The feature versions issue 52 judges, {@link #TARGETS}, are always asked for: one that is
 * not found is reported as missing, never replaced by another.
 */
final class Jdks {
    static final String PROPERTY = "pathprobe.bench.jdks";
    static final String ENV = "PATHPROBE_BENCH_JDKS";
    static final String DEFAULT_DIR = "/usr/lib/jvm";
    /** The feature versions whose start-up issue 52 sets a target for. */
    static final List<Integer> TARGETS = List.of(17, 25);

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?([0-9][0-9.]*)[^\"\\n]*\"?");

    private Jdks() {
    }

    /** One JDK: its feature version (17, 25), its home and its full version as its release file says. */
    record Jdk(int feature, Path home, String version) {
        Path java() {
            return home.resolve("bin").resolve("java");
        }

        /** {@code jdk17}: the prefix of this JDK's kinds. */
        String label() {
            return "jdk" + feature;
        }
    }

    /**
     * A JDK asked for and not found: {@code jdk25}, or the home given; why in one word ({@code not_found},
     * {@code not_a_jdk}) and in a sentence.
     */
    record Missing(String name, String code, String reason) {}

    /**
     * The JDKs to run, those asked for and not found, and where they were looked for: in a sentence, and
     * in one word ({@code /usr/lib/jvm}, {@value #ENV} or {@code -D}{@value #PROPERTY}).
     */
    record Found(List<Jdk> jdks, List<Missing> missing, String source, String where) {}

    /** The JDKs to run, from the property, the environment variable or {@value #DEFAULT_DIR}. */
    static Found find() {
        String given = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (given == null || given.isBlank()) {
            given = System.getenv(ENV);
            source = ENV;
        }
        if (given != null && !given.isBlank()) {
            List<Path> homes = new ArrayList<>();
            for (String h : given.split(",")) {
                if (!h.isBlank()) {
                    homes.add(Path.of(h.strip()));
                }
            }
            return given(homes, source + "=" + given.strip(), source);
        }
        return scan(Path.of(DEFAULT_DIR));
    }

    /** The JDKs named, in their order; a name that is no JDK, and a target feature none of them has, are missing. */
    static Found given(List<Path> homes, String source, String where) {
        List<Jdk> jdks = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        for (Path home : homes) {
            Optional<Jdk> jdk = read(home);
            if (jdk.isPresent()) {
                jdks.add(jdk.get());
            } else {
                missing.add(new Missing(home.toString(), "not_a_jdk",
                        "no bin/java with a release file naming its version"));
            }
        }
        missingTargets(jdks, missing, source);
        return new Found(jdks, missing, source, where);
    }

    /**
     * Every JDK directly under {@code dir} with feature version 17 or at least 22, one per feature
     * version (the newest; links to one home count once), oldest feature first.
     */
    static Found scan(Path dir) {
        Map<Integer, Jdk> byFeature = new TreeMap<>();
        List<Path> homes = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.sorted().forEach(homes::add);
            } catch (IOException e) {
                // an unreadable directory finds nothing: the targets are reported missing below
            }
        }
        List<Path> seen = new ArrayList<>();
        for (Path home : homes) {
            Path real;
            try {
                real = home.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (seen.contains(real)) {
                continue;
            }
            seen.add(real);
            read(real).filter(j -> j.feature() == 17 || j.feature() >= 22).ifPresent(j -> byFeature.merge(
                    j.feature(), j, (a, b) -> newer(a, b) ? a : b));
        }
        List<Jdk> jdks = new ArrayList<>(byFeature.values());
        List<Missing> missing = new ArrayList<>();
        String source = "the JDKs under " + dir + " with feature version 17 or >= 22";
        missingTargets(jdks, missing, source);
        return new Found(jdks, missing, source, dir.toString());
    }

    private static void missingTargets(List<Jdk> jdks, List<Missing> missing, String source) {
        for (int target : TARGETS) {
            if (jdks.stream().noneMatch(j -> j.feature() == target)) {
                missing.add(new Missing("jdk" + target, "not_found", "not among " + source));
            }
        }
    }

    /** The JDK at {@code home}: it has {@code bin/java} and a release file whose JAVA_VERSION can be read. */
    static Optional<Jdk> read(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            return parseRelease(home, Files.readString(release, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The JDK a release file describes: {@code JAVA_VERSION="25.0.3"} is feature 25, {@code "1.8.0_402"} is 8. */
    static Optional<Jdk> parseRelease(Path home, String release) {
        Matcher m = JAVA_VERSION.matcher(release);
        if (!m.find()) {
            return Optional.empty();
        }
        String version = m.group(1);
        String[] parts = version.split("\\.");
        try {
            int feature = Integer.parseInt(parts[0]);
            if (feature == 1 && parts.length > 1) {
                feature = Integer.parseInt(parts[1]);
            }
            return Optional.of(new Jdk(feature, home, version));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean newer(Jdk a, Jdk b) {
        Comparator<String> byNumbers = (x, y) -> {
            String[] p = x.split("\\.");
            String[] q = y.split("\\.");
            for (int i = 0; i < Math.max(p.length, q.length); i++) {
                int c = Integer.compare(i < p.length ? Integer.parseInt(p[i]) : 0,
                        i < q.length ? Integer.parseInt(q[i]) : 0);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        return byNumbers.compare(a.version(), b.version()) >= 0;
    }
}
