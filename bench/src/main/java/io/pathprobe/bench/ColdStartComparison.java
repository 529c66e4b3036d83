package io.pathprobe.bench;

import io.pathprobe.lab.Lab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * How long a fresh JVM takes to its first trace, on every JDK {@link Jdks} finds (17 and 25 by default): the
 * first trace after {@code build()} in a fresh JVM (the caller's wall time of {@code trace()}, and of the
 * tracer's {@code build()} before it, and the two together), and a CLI trace's whole process (fork to exit).
 * Run from the root namespace as root: it builds a 5-hop chain and starts every JVM in the lab's host
 * namespace, every kind on every JDK taking turns, {@code jvms} of each (default 20), each JVM doing one
 * trace. The kinds, each named after its JDK ({@code jdk17-library}, {@code jdk25-cli}, ...):
 * <ul>
 *   <li>{@code library}: an offline tracer ({@link ColdStartChild}), on the class path of an application that
 *       depends on pathprobe-core alone ({@link #libraryClassPath()}), as every library kind;</li>
 *   <li>{@code library-appcds}: the same with an application class-data archive (AppCDS) that one
 *       training JVM of the same kind made before ({@link ColdStartProfile#trainingOptions}), as an
 *       application can make its own;</li>
 *   <li>{@code library-enriched}: host names from the lab's DNS server;</li>
 *   <li>{@code cli}, {@code cli-enriched}: {@code java -jar} the shaded jar, {@code trace --no-enrich} and
 *       {@code trace --dns-server};</li>
 *   <li>{@code cli-launcher}: the launcher the build leaves beside the shaded jar ({@code cli/target/pathprobe},
 *       with its class-data sharing archive, which only the JDK that made it maps, or on JDK 25 the AOT cache its
 *       first run makes), where there is one;</li>
 *   <li>{@code binding-jffi}: libc bound as the Linux transports bind it and first called ({@link BindingChild});
 *       {@code binding-ffm}, on JDK 22 and later: the same through Java's foreign-function API
 *       ({@code bench/src/main/ffm/BindingFfm.java}, compiled by that JDK's {@code javac} before the turns; a JDK
 *       without one prints {@code RESULT part=binding_ffm ok=false}). Whether the transports should bind through
 *       FFM on JDK 22+ is decided by these two.</li>
 * </ul>
 * Before the timed JVMs, one more library JVM per JDK (and one with the archive) logs the classes it
 * loads and reports its CPU time against its wall time ({@code RESULT part=profile}).
 *
 * <p>Printed per kind: median, min and max; {@code RESULT kind=... jdk=... n=... median_ms=... min_ms=...
 * max_ms=... wrong=...} lines for {@code build/bench}'s summary. A JVM whose trace did not reach the
 * destination over the lab's path is counted in {@code wrong} (the summary names it a problem). A JDK
 * that was asked for and not found is printed as {@code RESULT part=jdk_missing}, and nothing is run in
 * its place.
 *
 * <p>Arguments: {@code [jvms] [pathprobe.jar]} (the CLI: {@code java -jar} the shaded jar when given
 * and present, else its main class on this class path).
 */
public final class ColdStartComparison {
    private static final int TIMEOUT_SECONDS = 120;
    /** The FFM binding's source, from the project's root (where {@code build/bench} runs). */
    private static final String FFM_SOURCE = "bench/src/main/ffm/BindingFfm.java";

    private ColdStartComparison() {}

    /** One timed JVM of one kind. */
    private interface Turn {
        void run() throws IOException, InterruptedException;
    }

    public static void main(String[] args) throws Exception {
        int jvms = LabRuns.intArg(args, 0, 20);
        Path jar = args.length > 1 ? Path.of(args[1]) : null;
        boolean shaded = jar != null && Files.isRegularFile(jar);
        Jdks.Found found = Jdks.find();
        System.out.println("JDKs: " + found.source());
        for (Jdks.Jdk jdk : found.jdks()) {
            System.out.printf(Locale.ROOT, "  %s: %s (%s)%n", jdk.label(), jdk.home(), jdk.version());
            System.out.printf(Locale.ROOT, "RESULT part=jdk jdk=%d version=%s home=%s%n", jdk.feature(),
                    jdk.version(), jdk.home());
        }
        for (Jdks.Missing m : found.missing()) {
            System.out.printf(Locale.ROOT, "  missing: %s (%s): not run%n", m.name(), m.reason());
            System.out.printf(Locale.ROOT, "RESULT part=jdk_missing name=%s reason=%s looked_in=%s%n", m.name(),
                    m.code(), found.where());
        }
        boolean application = !LIBRARY_CLASS_PATH.equals(System.getProperty("java.class.path"));
        int jars = LIBRARY_CLASS_PATH.split(java.io.File.pathSeparator).length;
        System.out.printf(Locale.ROOT, "library JVMs' class path: %d entries, %s%n", jars, application
                ? "an application's that depends on pathprobe-core alone (and the bench's jar, first)"
                : "the bench's own (" + APPLICATION_CLASS_PATH + " not given or naming a missing jar)");
        System.out.printf(Locale.ROOT, "RESULT part=classpath application=%s entries=%d%n", application, jars);
        Map<String, List<Double>> ms = new TreeMap<>();
        Map<String, Integer> wrong = new TreeMap<>();
        Path work = Files.createTempDirectory("pathprobe-coldstart");
        try (Lab lab = Lab.chain(5).icmpUnlimited("start-up time is compared, over many traces of one lab").dnsServer()
                .build()) {
            String dest = lab.destination().getHostAddress();
            String hops = Integer.toString(lab.expectedPath().size());
            String dns = lab.dnsServer().orElseThrow().getAddress().getHostAddress() + ":"
                    + lab.dnsServer().orElseThrow().getPort();
            System.out.printf(Locale.ROOT, "cold start: %d JVMs of each kind through a %s-hop lab, CLI %s, load %s%n",
                    jvms, hops, shaded ? "java -jar " + jar : "on the class path", LabRuns.load());
            // the launcher the build leaves beside the shaded jar (class-data sharing), where there is one
            Path launcher = shaded && jar != null ? jar.resolveSibling("pathprobe") : null;
            boolean launched = launcher != null && Files.isExecutable(launcher);
            List<String> plain = List.of(dest, hops);
            Map<Jdks.Jdk, Optional<Path>> archives = new LinkedHashMap<>();
            for (Jdks.Jdk jdk : found.jdks()) {
                archives.put(jdk, train(lab, jdk, work, plain));
                profile(lab, jdk, List.of(), "library", work, plain);
                Optional<Path> archive = archives.get(jdk);
                if (archive.isPresent()) {
                    profile(lab, jdk, ColdStartProfile.archiveOptions(jdk, archive.get()), "library-appcds", work,
                            plain);
                }
            }
            // each kind on every JDK in turn, so that the JDKs' figures of one kind sample the same minutes
            Map<Jdks.Jdk, Optional<Path>> ffm = new LinkedHashMap<>();
            for (Jdks.Jdk jdk : found.jdks()) {
                ffm.put(jdk, jdk.feature() >= 22 ? compileFfm(jdk, work) : Optional.empty());
            }
            List<Turn> turns = new ArrayList<>();
            for (int kind = 0; kind < 8; kind++) {
                for (Jdks.Jdk jdk : found.jdks()) {
                    String k = jdk.label() + "-";
                    Optional<Path> archive = archives.getOrDefault(jdk, Optional.empty());
                    switch (kind) {
                        case 0 -> turns.add(() -> library(lab, jdk, List.of(), plain, k + "library", ms, wrong));
                        case 1 -> archive.ifPresent(a -> turns.add(() -> library(lab, jdk,
                                ColdStartProfile.archiveOptions(jdk, a), plain, k + "library-appcds", ms, wrong)));
                        case 2 -> turns.add(() -> library(lab, jdk, List.of(), List.of(dest, hops, "--dns", dns),
                                k + "library-enriched", ms, wrong));
                        case 3 -> turns.add(() -> cli(lab, jdk, jar, shaded, List.of("trace", "--no-enrich", dest),
                                k + "cli", hops, ms, wrong));
                        case 4 -> turns.add(() -> cli(lab, jdk, jar, shaded, List.of("trace", "--dns-server", dns,
                                dest), k + "cli-enriched", hops, ms, wrong));
                        case 6 -> turns.add(() -> binding(lab, jdk, javaCommand(jdk, List.of(),
                                BindingChild.class.getName(), List.of()), k + "binding-jffi", ms, wrong));
                        case 7 -> ffm.getOrDefault(jdk, Optional.empty()).ifPresent(classes -> turns.add(
                                () -> binding(lab, jdk, ffmCommand(jdk, classes), k + "binding-ffm", ms, wrong)));
                        default -> {
                            if (launched && launcher != null) {
                                turns.add(() -> run(lab, jdk, List.of(launcher.toString(), "trace", "--no-enrich",
                                        dest), k + "cli-launcher", hops, ms, wrong));
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < jvms; i++) {
                // turns rotate, so no kind always comes first (page cache, CPU frequency)
                for (int t = 0; t < turns.size(); t++) {
                    turns.get((t + i) % turns.size()).run();
                }
            }
        } finally {
            delete(work);
        }
        print(ms, wrong);
    }

    private static void print(Map<String, List<Double>> ms, Map<String, Integer> wrong) {
        for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            String kind = e.getKey();
            int bad = wrong.getOrDefault(kind.replaceAll("-(build|trace|total|process|bind)$", ""), 0);
            String jdk = kind.substring(3, kind.indexOf('-'));
            System.out.printf(Locale.ROOT, "%-36s median %7.1f ms (%.1f-%.1f), n=%d%n", kind,
                    v[(v.length - 1) / 2], v[0], v[v.length - 1], v.length);
            System.out.printf(Locale.ROOT,
                    "RESULT kind=%s jdk=%s n=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f wrong=%d%n",
                    kind, jdk, v.length, v[(v.length - 1) / 2], v[0], v[v.length - 1], bad);
        }
    }

    /** {@code java} of this JDK with {@code options}, then the class path and a main class of this class path. */
    static List<String> javaCommand(Jdks.Jdk jdk, List<String> options, String mainClass, List<String> args) {
        return javaCommand(jdk, options, System.getProperty("java.class.path"), mainClass, args);
    }

    /** A library JVM ({@link ColdStartChild}) of this JDK with {@code options}, on {@link #libraryClassPath()}. */
    private static List<String> libraryCommand(Jdks.Jdk jdk, List<String> options, List<String> args) {
        return javaCommand(jdk, options, LIBRARY_CLASS_PATH, ColdStartChild.class.getName(), args);
    }

    private static List<String> javaCommand(Jdks.Jdk jdk, List<String> options, String classPath, String mainClass,
            List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        if (jdk.feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The class path of the library JVMs: that of an application that depends on pathprobe-core alone, after the
     * bench's jar (their main class), as {@code build/bench} gives it ({@value #APPLICATION_CLASS_PATH}: pathprobe-core
     * and {@code core/target/application-classpath.txt}, in Maven's order); else, when it is not given or names a
     * jar that is not there, this JVM's own. The bench's own class path is twice as long (the lab, the agent, the
     * CLI, Micrometer, Prometheus, Jackson...), and a fresh JVM's first class-path lookup (the engine's
     * {@code ServiceLoader}) opens every jar on it: on JDK 25 that made builder to first result about 28 ms longer
     * (199 against 171 ms, 20 pairs; bench/README.md), a cost of the bench, not of pathprobe.
     */
    static String libraryClassPath() {
        String app = System.getProperty(APPLICATION_CLASS_PATH, "");
        if (!app.isBlank() && Arrays.stream(app.split(java.io.File.pathSeparator))
                .allMatch(j -> Files.isRegularFile(Path.of(j)))) {
            return app;
        }
        return System.getProperty("java.class.path");
    }

    /** The system property that gives {@link #libraryClassPath()}. */
    static final String APPLICATION_CLASS_PATH = "pathprobe.bench.applicationClassPath";
    /** {@link #libraryClassPath()}, found once (its jars checked) for every library JVM of the run. */
    private static final String LIBRARY_CLASS_PATH = libraryClassPath();

    /**
     * The training JVM of {@code jdk}'s application class-data archive: one offline library JVM that
     * writes the archive at its exit. Prints {@code RESULT part=appcds}; empty if no archive was made
     * (then the JDK has no {@code library-appcds} kind).
     */
    private static Optional<Path> train(Lab lab, Jdks.Jdk jdk, Path work, List<String> args)
            throws IOException, InterruptedException {
        Path archive = work.resolve(jdk.label() + "-library.jsa");
        long t0 = System.nanoTime();
        Outcome o = start(lab, libraryCommand(jdk, ColdStartProfile.trainingOptions(jdk, archive), args));
        long trainingMs = (System.nanoTime() - t0) / 1_000_000;
        long bytes = Files.isRegularFile(archive) ? Files.size(archive) : 0;
        boolean ok = o.ok() && o.out().contains("ok=true") && bytes > 0;
        System.out.printf(Locale.ROOT, "%s AppCDS archive: %,d bytes, made by one library JVM in %d ms%s%n",
                jdk.label(), bytes, trainingMs, ok ? "" : "; FAILED:\n" + o.out());
        System.out.printf(Locale.ROOT, "RESULT part=appcds jdk=%d archive_bytes=%d training_ms=%d ok=%s%n",
                jdk.feature(), bytes, trainingMs, ok);
        return ok ? Optional.of(archive) : Optional.empty();
    }

    /**
     * One extra library JVM of {@code jdk} that logs every class it loads and reports its CPU time by
     * thread: prints where its start-up went and {@code RESULT part=profile}.
     */
    private static void profile(Lab lab, Jdks.Jdk jdk, List<String> options, String variant, Path work,
            List<String> args) throws IOException, InterruptedException {
        Path log = work.resolve(jdk.label() + "-" + variant + "-classes.log");
        List<String> opts = new ArrayList<>(options);
        opts.add(ColdStartProfile.classLogOption(log));
        long t0 = System.nanoTime();
        Outcome o = start(lab, libraryCommand(jdk, opts, LabRuns.concat(args, List.of("--profile"))));
        long processMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, String> cold = line(o.out(), "COLD ");
        Map<String, String> cpu = line(o.out(), "CPU ");
        boolean ok = o.ok() && "true".equals(cold.get("ok")) && cpu.containsKey("cpu_ms") && Files.isRegularFile(log);
        if (!ok) {
            System.out.println(jdk.label() + " " + variant + " profile JVM: wrong or failed:\n" + o.out());
            System.out.printf(Locale.ROOT, "RESULT part=profile jdk=%d variant=%s ok=false%n", jdk.feature(), variant);
            return;
        }
        Map<String, Integer> classes = ColdStartProfile.classes(log);
        StringBuilder b = new StringBuilder();
        classes.forEach((k, v) -> b.append(" classes_").append(k).append('=').append(v));
        cpu.forEach((k, v) -> b.append(k.endsWith("_ms") ? " " : " cpu_").append(k).append('=').append(v));
        System.out.printf(Locale.ROOT, "%s %s, where the start-up goes (one JVM logging its classes): %d classes "
                + "loaded (%s), CPU %s ms in %s ms to the trace's end (%s); process %d ms%n", jdk.label(), variant,
                classes.get("total"), classes, cpu.get("cpu_ms"), cpu.get("wall_ms"), cpu, processMs);
        System.out.printf(Locale.ROOT, "RESULT part=profile jdk=%d variant=%s ok=true build_ms=%.1f trace_ms=%.1f "
                + "process_ms=%d%s%n", jdk.feature(), variant, Long.parseLong(cold.get("build_ns")) / 1e6,
                Long.parseLong(cold.get("trace_ns")) / 1e6, processMs, b);
    }

    /** One timed library JVM ({@link ColdStartChild}): its build, trace, both and process time. */
    private static void library(Lab lab, Jdks.Jdk jdk, List<String> options, List<String> args, String kind,
            Map<String, List<Double>> ms, Map<String, Integer> wrong) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Outcome o = start(lab, libraryCommand(jdk, options, args));
        long t1 = System.nanoTime();
        Map<String, String> m = checked(o, "COLD ", kind, wrong);
        if (m.isEmpty()) {
            return;
        }
        ms.computeIfAbsent(kind + "-build", k -> new ArrayList<>()).add(Long.parseLong(m.get("build_ns")) / 1e6);
        ms.computeIfAbsent(kind + "-trace", k -> new ArrayList<>()).add(Long.parseLong(m.get("trace_ns")) / 1e6);
        // build() and the first trace together: what the caller waits for from nothing to a first result
        ms.computeIfAbsent(kind + "-total", k -> new ArrayList<>())
                .add((Long.parseLong(m.get("build_ns")) + Long.parseLong(m.get("trace_ns"))) / 1e6);
        ms.computeIfAbsent(kind + "-process", k -> new ArrayList<>()).add((t1 - t0) / 1e6);
    }

    /** One timed binding JVM ({@link BindingChild} or {@code BindingFfm}): its time from {@code main} to the end. */
    private static void binding(Lab lab, Jdks.Jdk jdk, List<String> cmd, String kind, Map<String, List<Double>> ms,
            Map<String, Integer> wrong) throws IOException, InterruptedException {
        Outcome o = start(lab, cmd);
        Map<String, String> m = checked(o, "BIND ", kind, wrong);
        if (!m.isEmpty()) {
            ms.computeIfAbsent(kind + "-bind", k -> new ArrayList<>()).add(Long.parseLong(m.get("ns")) / 1e6);
        }
    }

    /**
     * The child's line that starts with {@code prefix} (empty if none); a child that failed or did not say
     * {@code ok=true} is counted in {@code wrong} and printed.
     */
    private static Map<String, String> checked(Outcome o, String prefix, String kind, Map<String, Integer> wrong) {
        Map<String, String> m = line(o.out(), prefix);
        if (!o.ok() || !"true".equals(m.get("ok"))) {
            wrong.merge(kind, 1, Integer::sum);
            System.out.println(kind + ": wrong or failed JVM:\n" + o.out());
        }
        return m;
    }

    /** The FFM binding's source, compiled by {@code jdk}'s javac into a directory of its own; empty if it failed. */
    private static Optional<Path> compileFfm(Jdks.Jdk jdk, Path work) throws IOException, InterruptedException {
        Path source = Path.of(FFM_SOURCE);
        Path classes = work.resolve(jdk.label() + "-ffm");
        Path javac = jdk.home().resolve("bin/javac");
        boolean ok = false;
        String out = "no " + source + " or no " + javac;
        if (Files.isRegularFile(source) && Files.isExecutable(javac)) {
            Outcome o = start(new ProcessBuilder(javac.toString(), "-d", classes.toString(), source.toString())
                    .redirectErrorStream(true));
            ok = o.ok();
            out = o.out();
        }
        System.out.printf(Locale.ROOT, "RESULT part=binding_ffm jdk=%d ok=%s%n", jdk.feature(), ok);
        if (!ok) {
            System.out.println(jdk.label() + ": the FFM binding was not compiled, binding-ffm not run: " + out);
        }
        return ok ? Optional.of(classes) : Optional.empty();
    }

    private static List<String> ffmCommand(Jdks.Jdk jdk, Path classes) {
        return List.of(jdk.java().toString(), "--enable-native-access=ALL-UNNAMED", "-cp", classes.toString(),
                "BindingFfm");
    }

    private static void cli(Lab lab, Jdks.Jdk jdk, @Nullable Path jar, boolean shaded, List<String> args, String kind,
            String hops, Map<String, List<Double>> ms, Map<String, Integer> wrong)
            throws IOException, InterruptedException {
        List<String> cmd;
        if (shaded && jar != null) { // shaded: jar is given
            cmd = new ArrayList<>(List.of(jdk.java().toString()));
            if (jdk.feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(List.of("-jar", jar.toString()));
            cmd.addAll(args);
        } else {
            cmd = javaCommand(jdk, List.of(), cliMain(), args);
        }
        run(lab, jdk, cmd, kind, hops, ms, wrong);
    }

    /**
     * One CLI process, fork to exit, with {@code JAVA_HOME} set to the JDK (the launcher's JVM); a run that
     * failed or printed other hops than the lab's is counted wrong.
     */
    private static void run(Lab lab, Jdks.Jdk jdk, List<String> cmd, String kind, String hops,
            Map<String, List<Double>> ms, Map<String, Integer> wrong) throws IOException, InterruptedException {
        ProcessBuilder pb = lab.command(cmd).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", jdk.home().toString());
        long t0 = System.nanoTime();
        Outcome o = start(pb);
        long t1 = System.nanoTime();
        long hopLines = o.out().lines().filter(l -> l.matches("^\\s*\\d+\\s.*")).count();
        if (!o.ok() || hopLines != Long.parseLong(hops) || o.out().contains("loss")) {
            wrong.merge(kind, 1, Integer::sum);
            System.out.println(kind + ": wrong or failed CLI run:\n" + o.out());
        }
        ms.computeIfAbsent(kind + "-process", k -> new ArrayList<>()).add((t1 - t0) / 1e6);
    }

    /** What a child printed (standard output and error), and whether it exited with 0 in time. */
    private record Outcome(String out, boolean ok) {}

    private static Outcome start(Lab lab, List<String> cmd) throws IOException, InterruptedException {
        return start(lab.command(cmd).redirectErrorStream(true));
    }

    private static Outcome start(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        return new Outcome(out, ended && p.exitValue() == 0);
    }

    /** The {@code key=value} pairs of the first line that starts with {@code prefix}; empty if there is none. */
    static Map<String, String> line(String out, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        out.lines().filter(l -> l.startsWith(prefix)).findFirst().ifPresent(l -> {
            for (String kv : l.substring(prefix.length()).trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        });
        return m;
    }

    private static String cliMain() {
        try {
            return Class.forName("io.pathprobe.cli.PathProbeCli").getName();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("pathprobe-cli is not on the class path and no pathprobe.jar was given", e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
