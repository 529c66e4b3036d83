package io.pathprobe.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link Summary}'s figures of the cold-start comparison ({@link ColdStartComparison}): every kind on
 * every JDK, what the application class-data archive gains, one JDK against the other, where a fresh
 * JVM's start-up goes (classes by area, CPU against wall time), the JDKs that were missing; and the wrong
 * answers among its results.
 */
final class ColdStartFigures {
    /** Builder to first result (offline) and a CLI trace's whole process: the targets, by JDK feature. */
    private static final Map<String, String> TARGETS = Map.of("jdk17-library-total", "≤ 250 ms",
            "jdk25-library-total", "≤ 150 ms", "jdk17-cli-process", "≤ 500 ms", "jdk25-cli-process", "≤ 500 ms",
            "jdk17-cli-launcher-process", "≤ 500 ms", "jdk25-cli-launcher-process", "≤ 500 ms");

    private static final List<String> KINDS = List.of("library", "library-appcds", "library-enriched", "cli",
            "cli-launcher", "cli-enriched", "binding-jffi", "binding-ffm");
    private static final List<String> SUFFIXES = List.of("total", "build", "trace", "process", "bind");

    private ColdStartFigures() {
    }

    static void coldStart(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        Map<String, Map<String, String>> kinds = new LinkedHashMap<>();
        Map<String, Map<String, String>> archives = new LinkedHashMap<>();
        List<Map<String, String>> profiles = new ArrayList<>();
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (m.containsKey("kind")) {
                kinds.put(m.get("kind"), m);
            } else if (part.equals("jdk_missing")) {
                f.add(new Summary.Figure("coldstart", m.get("name") + ": missing, not run", "", Double.NaN, "",
                        Double.NaN, Double.NaN, m.getOrDefault("reason", "-").replace('_', ' ') + " (looked in "
                        + m.getOrDefault("looked_in", "?") + ")", 0));
            } else if (part.equals("appcds")) {
                archives.put("jdk" + m.get("jdk"), m);
                if (!"true".equals(m.get("ok"))) {
                    problems.add("coldstart: jdk" + m.get("jdk") + ": the training JVM made no AppCDS archive");
                }
            } else if (part.equals("profile")) {
                profiles.add(m);
            } else if (part.equals("classpath")) {
                boolean application = "true".equals(m.get("application"));
                f.add(new Summary.Figure("coldstart", "library JVMs' class path: " + (application
                        ? "an application's (pathprobe-core alone)" : "the bench's own"), "entries",
                        Summary.d(m, "entries"), "", Double.NaN, Double.NaN, "the bench's jar first", 1));
                if (!application) {
                    problems.add("coldstart: the library JVMs ran on the bench's own class path, not on an "
                            + "application's (core/target/application-classpath.txt missing?)");
                }
            } else if (part.equals("binding_ffm") && !"true".equals(m.get("ok"))) {
                problems.add("coldstart: jdk" + m.get("jdk") + ": the FFM binding was not compiled");
            }
        }
        // one figure on every JDK side by side: by kind, then figure, then JDK
        List<Map<String, String>> sorted = kinds.values().stream().sorted(Comparator.comparingInt(
                (Map<String, String> m) -> order(Summary.s(m, "kind"), KINDS))
                .thenComparingInt(m -> order(Summary.s(m, "kind"), SUFFIXES))
                .thenComparingInt(m -> Integer.parseInt(m.get("jdk")))).toList();
        sorted.forEach(m -> kind(m, f, problems));
        // what the application class-data archive gains, per JDK
        for (Map.Entry<String, Map<String, String>> a : archives.entrySet()) {
            String jdk = a.getKey();
            String archive = String.format(Locale.ROOT, "archive %.1f MB, made in %s ms",
                    Summary.d(a.getValue(), "archive_bytes") / 1e6, a.getValue().get("training_ms"));
            for (String what : List.of("total", "process")) {
                Map<String, String> with = kinds.get(jdk + "-library-appcds-" + what);
                Map<String, String> without = kinds.get(jdk + "-library-" + what);
                if (with != null && without != null) {
                    f.add(new Summary.Figure("coldstart", (what.equals("total") ? "build() and the first trace()"
                            : "library whole process") + " with AppCDS vs without, " + jdk, "ms",
                            Summary.d(with, "median_ms"), "without", Summary.d(without, "median_ms"),
                            Summary.d(with, "median_ms") / Summary.d(without, "median_ms"), archive,
                            Summary.i(with, "n")));
                }
            }
        }
        // each JDK against the oldest one run, kind by kind for builder to first result and the CLI
        String oldest = kinds.values().stream().map(m -> "jdk" + m.get("jdk")).min((x, y) -> Integer.compare(
                Integer.parseInt(x.substring(3)), Integer.parseInt(y.substring(3)))).orElse("");
        for (Map<String, String> m : sorted) {
            String jdk = "jdk" + m.get("jdk");
            String rest = Summary.s(m, "kind").substring(jdk.length());
            if (jdk.equals(oldest) || !(rest.equals("-library-total") || rest.equals("-cli-process"))) {
                continue;
            }
            Map<String, String> old = kinds.get(oldest + rest);
            if (old != null) {
                f.add(new Summary.Figure("coldstart", describe(Summary.s(m, "kind")) + " vs " + oldest, "ms",
                        Summary.d(m, "median_ms"), oldest, Summary.d(old, "median_ms"),
                        Summary.d(m, "median_ms") / Summary.d(old, "median_ms"), "-", Summary.i(m, "n")));
            }
        }
        // Java's foreign-function API against jffi, binding libc and calling it first, per JDK that has both
        for (Map<String, String> m : sorted) {
            String kind = Summary.s(m, "kind");
            Map<String, String> jffi = kinds.get(kind.replace("-binding-ffm-", "-binding-jffi-"));
            if (kind.endsWith("-binding-ffm-bind") && jffi != null) {
                f.add(new Summary.Figure("coldstart", "libc bound and first called in a fresh JVM, FFM vs jffi, jdk"
                        + m.get("jdk"), "ms", Summary.d(m, "median_ms"), "jffi", Summary.d(jffi, "median_ms"),
                        Summary.d(m, "median_ms") / Summary.d(jffi, "median_ms"), "-", Summary.i(m, "n")));
            }
        }
        profiles.forEach(m -> profile(m, f, problems));
    }

    /** The place of a kind's base ({@code library}, ...) or its figure ({@code total}, ...) in the table. */
    private static int order(String kind, List<String> names) {
        String rest = kind.substring(kind.indexOf('-') + 1);
        int dash = rest.lastIndexOf('-');
        String name = names == SUFFIXES ? rest.substring(dash + 1) : rest.substring(0, dash);
        int i = names.indexOf(name);
        return i < 0 ? names.size() : i;
    }

    private static void kind(Map<String, String> m, List<Summary.Figure> f, List<String> problems) {
        String kind = Summary.s(m, "kind");
        String target = TARGETS.get(kind);
        f.add(new Summary.Figure("coldstart", describe(kind) + (target == null ? "" : " (target " + target + ")"),
                "ms", Summary.d(m, "median_ms"), "", Double.NaN, Double.NaN,
                Summary.range(Summary.d(m, "min_ms"), Summary.d(m, "max_ms")), Summary.i(m, "n")));
        // a wrong JVM counts in each of its kind's rows: named once, at its whole process
        if (Summary.i(m, "wrong") > 0 && (kind.endsWith("-process") || kind.endsWith("-bind"))) {
            problems.add("coldstart: " + m.get("wrong") + " " + kind.replaceAll("-(process|bind)$", "")
                    + (kind.endsWith("-bind") ? " JVMs failed or read back a wrong value"
                            : " JVMs did not trace the lab's path cleanly"));
        }
    }

    /** {@code jdk25-library-appcds-total}: "build() and the first trace() together, jdk25 library-appcds". */
    static String describe(String kind) {
        int dash = kind.lastIndexOf('-');
        int jdkEnd = kind.indexOf('-');
        String who = kind.substring(0, jdkEnd) + " " + kind.substring(jdkEnd + 1, dash);
        return switch (kind.substring(dash + 1)) {
            case "build" -> "PathTracer build() in a fresh JVM, " + who;
            case "trace" -> "first trace() after build() in a fresh JVM, " + who;
            case "total" -> "build() and the first trace() together, " + who;
            case "bind" -> "libc bound and first called in a fresh JVM (main to socket, close, memory), " + who;
            default -> "whole process (fork to exit), " + who;
        };
    }

    /** The JVM that logged its classes: classes by area, and its CPU against its wall time by thread. */
    private static void profile(Map<String, String> m, List<Summary.Figure> f, List<String> problems) {
        String who = "jdk" + m.get("jdk") + " " + m.get("variant");
        if (!"true".equals(m.get("ok"))) {
            problems.add("coldstart: " + who + ": the JVM that logs its classes failed or traced wrongly");
            return;
        }
        f.add(new Summary.Figure("coldstart", "classes loaded by a fresh JVM, start to exit, " + who,
                "classes", Summary.d(m, "classes_total"), "", Double.NaN, Double.NaN, String.format(Locale.ROOT,
                "jnr/jffi %s, netty %s, pathprobe %s, JDK %s, other %s; %s from CDS", m.get("classes_jnr"),
                m.get("classes_netty"), m.get("classes_pathprobe"), m.get("classes_jdk"), m.get("classes_other"),
                m.get("classes_shared")), 1));
        f.add(new Summary.Figure("coldstart", "CPU of that JVM to its first result vs its wall time, " + who, "ms",
                Summary.d(m, "cpu_ms"), "wall", Summary.d(m, "wall_ms"),
                Summary.d(m, "cpu_ms") / Summary.d(m, "wall_ms"), String.format(Locale.ROOT,
                "main %s, JIT %s, GC %s, pathprobe %s, other %s, ended threads %s", m.get("cpu_main"),
                m.get("cpu_jit"), m.get("cpu_gc"), m.get("cpu_pathprobe"), m.get("cpu_other"), m.get("cpu_exited")),
                1));
    }
}
