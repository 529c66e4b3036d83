package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.lab.Lab;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How long a fresh JVM takes to its first trace: the first trace
 * after {@code build()} in a fresh JVM (the caller's wall time of {@code trace()}, and of the tracer's
 * {@code build()} before it, and the two together), and a CLI trace's whole process (fork to exit). Run from the root
 * namespace as root: it builds a 5-hop chain and starts every JVM in the lab's host namespace, the
 * library and the CLI taking turns, {@code jvms} of each (default 20), plain (no lookups) and
 * enriched (host names from the lab's DNS server), each JVM doing one trace; and the launcher the build
 * leaves beside the shaded jar ({@code cli/target/pathprobe}, with its class-data sharing archive), where
 * there is one.
 *
 * <p>Printed per kind: median, min and max; {@code RESULT kind=... n=... median_ms=... min_ms=...
 * max_ms=...} lines for {@code build/bench}'s summary. A JVM whose trace did not reach the
 * destination over the lab's path is counted in {@code wrong} (the summary names it a problem).
 *
 * <p>Arguments: {@code [jvms] [pathprobe.jar]} (the CLI: {@code java -jar} the shaded jar when given
 * and present, else its main class on this class path).
 */
public final class ColdStartComparison {
    private ColdStartComparison() {}

    /** One fresh JVM: a tracer, one trace; prints {@code COLD build_ns=... trace_ns=... jvm_ms=... ok=...}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            LabRuns.requireLabNamespace();
            InetAddress dest = InetAddress.getByName(args[0]);
            int hops = Integer.parseInt(args[1]);
            long t0 = System.nanoTime();
            PathTracerBuilder b = PathTracer.builder();
            if (args.length > 2) {
                b.dnsServer(args[2]);
            } else {
                b.offline();
            }
            try (PathTracer tracer = b.build()) {
                long t1 = System.nanoTime();
                TraceResult r = tracer.trace(TraceRequest.builder(dest).build());
                long t2 = System.nanoTime();
                long jvmMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                boolean ok = r.destinationReached() && r.hops().size() == hops
                        && r.hops().stream().noneMatch(h -> h.statistics().lost() > 0);
                System.out.printf(Locale.ROOT, "COLD build_ns=%d trace_ns=%d jvm_ms=%d ok=%s%n",
                        t1 - t0, t2 - t1, jvmMs, ok);
                if (!ok) {
                    System.out.println(r);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path jar = args.length > 1 ? Path.of(args[1]) : null;
        boolean shaded = jar != null && Files.isRegularFile(jar);
        Map<String, List<Double>> ms = new TreeMap<>();
        Map<String, Integer> wrong = new TreeMap<>();
        try (Lab lab = Lab.chain(5).icmpUnlimited("start-up time is compared, over many traces of one lab").dnsServer()
                .build()) {
            String dest = lab.destination().getHostAddress();
            String hops = Integer.toString(lab.expectedPath().size());
            String dns = lab.dnsServer().orElseThrow().getAddress().getHostAddress() + ":"
                    + lab.dnsServer().orElseThrow().getPort();
            System.out.printf(Locale.ROOT, "cold start: %d JVMs of each kind through a %s-hop lab, CLI %s, load %s%n",
                    jvms,
                    hops, shaded ? "java -jar " + jar : "on the class path", LabRuns.load());
            // the launcher the build leaves beside the shaded jar (class-data sharing), where there is one
            Path launcher = shaded ? jar.resolveSibling("pathprobe") : null;
            boolean launched = launcher != null && Files.isExecutable(launcher);
            int kinds = launched ? 5 : 4;
            for (int i = 0; i < jvms; i++) {
                // turns rotate, so no kind always follows another (page cache, CPU frequency)
                for (int turn = 0; turn < kinds; turn++) {
                    switch ((turn + i) % kinds) {
                        case 0 -> library(lab, List.of(dest, hops), "library", ms, wrong);
                        case 1 -> library(lab, List.of(dest, hops, dns), "library-enriched", ms, wrong);
                        case 2 -> cli(lab, jar, shaded, List.of("trace", "--no-enrich", dest), "cli", hops, ms, wrong);
                        case 3 -> cli(lab, jar, shaded, List.of("trace", "--dns-server", dns, dest), "cli-enriched",
                                hops, ms, wrong);
                        default -> launcher(lab, launcher, List.of("trace", "--no-enrich", dest), "cli-launcher", hops,
                                ms, wrong);
                    }
                }
            }
        }
        for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            String kind = e.getKey();
            int bad = wrong.getOrDefault(kind.replaceAll("-(build|trace|total|process)$", ""), 0);
            System.out.printf(Locale.ROOT, "%-32s median %7.1f ms (%.1f-%.1f), n=%d%n", kind,
                    v[(v.length - 1) / 2], v[0],
                    v[v.length - 1], v.length);
            System.out.printf(Locale.ROOT, "RESULT kind=%s n=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f wrong=%d%n",
                    kind,
                    v.length, v[(v.length - 1) / 2], v[0], v[v.length - 1], bad);
        }
    }

    private static void library(Lab lab, List<String> args, String kind, Map<String, List<Double>> ms,
            Map<String, Integer> wrong) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = lab.command(Lab.javaCommand(Child.class, args.toArray(String[]::new)))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        String line = out.lines().filter(l -> l.startsWith("COLD ")).findFirst().orElse(null);
        if (!ended || p.exitValue() != 0 || line == null || !line.contains("ok=true")) {
            wrong.merge(kind, 1, Integer::sum);
            System.out.println(kind + ": wrong or failed JVM:\n" + out);
            if (line == null) {
                return;
            }
        }
        Map<String, String> m = new TreeMap<>();
        for (String kv : line.substring(5).split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        ms.computeIfAbsent(kind + "-build", k -> new ArrayList<>()).add(Long.parseLong(m.get("build_ns")) / 1e6);
        ms.computeIfAbsent(kind + "-trace", k -> new ArrayList<>()).add(Long.parseLong(m.get("trace_ns")) / 1e6);
        // build() and the first trace together: what the caller waits for from nothing to a first result
        ms.computeIfAbsent(kind + "-total", k -> new ArrayList<>())
                .add((Long.parseLong(m.get("build_ns")) + Long.parseLong(m.get("trace_ns"))) / 1e6);
        ms.computeIfAbsent(kind + "-process", k -> new ArrayList<>()).add((t1 - t0) / 1e6);
    }

    /**
     * The launcher ({@code cli/target/pathprobe}: the shaded jar with its class-data sharing archive), as {@link #cli}.
     */
    private static void launcher(Lab lab, Path launcher, List<String> args, String kind, String hops,
            Map<String, List<Double>> ms, Map<String, Integer> wrong) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(args);
        run(lab, cmd, kind, hops, ms, wrong);
    }

    private static void cli(Lab lab, Path jar, boolean shaded, List<String> args, String kind, String hops,
            Map<String, List<Double>> ms, Map<String, Integer> wrong) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (shaded) {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(List.of("-jar", jar.toString()));
            cmd.addAll(args);
        } else {
            cmd.addAll(Lab.javaCommand(List.of(), cliMain(), args.toArray(String[]::new)));
        }
        run(lab, cmd, kind, hops, ms, wrong);
    }

    /** One CLI process, fork to exit; a run that failed or printed other hops than the lab's is counted wrong. */
    private static void run(Lab lab, List<String> cmd, String kind, String hops, Map<String, List<Double>> ms,
            Map<String, Integer> wrong) throws IOException, InterruptedException {
        ProcessBuilder pb = lab.command(cmd).redirectErrorStream(true);
        // the launcher's JVM: the same as the others'
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        long hopLines = out.lines().filter(l -> l.matches("^\\s*\\d+\\s.*")).count();
        if (!ended || p.exitValue() != 0 || hopLines != Long.parseLong(hops) || out.contains("loss")) {
            wrong.merge(kind, 1, Integer::sum);
            System.out.println(kind + ": wrong or failed CLI run:\n" + out);
        }
        ms.computeIfAbsent(kind + "-process", k -> new ArrayList<>()).add((t1 - t0) / 1e6);
    }

    private static Class<?> cliMain() {
        try {
            return Class.forName("io.pathprobe.cli.PathProbeCli");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("pathprobe-cli is not on the class path and no pathprobe.jar was given", e);
        }
    }
}
