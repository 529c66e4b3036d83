package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Times warm in-JVM pathprobe traces against Linux {@code traceroute -n} on the same lab path, in
 * one run, for every protocol (ICMP, UDP, TCP) over IPv4 and IPv6, and prints the times (p10, median,
 * p90) and their ratio; then 100 concurrent traces against one.
 *
 * <p>Per protocol and IP version it times pathprobe's default transport for the protocol (what a
 * root process gets: linux-raw-icmp, linux-raw-udp, linux-raw-tcp) and the unprivileged transports
 * (linux-icmp-dgram; linux-udp-recverr; linux-tcp-connect, classic and Paris, the latter one probe in
 * flight at a time by design), each against {@code traceroute -n -I/-U/-T [-6]} with the same 3
 * probes per hop. The contenders of one protocol and IP version and traceroute take turns in every
 * iteration, in an order that rotates, so all see the same machine state. A ratio is only reported
 * when every timed trace of both tools gave the lab's expected responder at every TTL; otherwise
 * the row says how many differed and prints the paths. A contender whose warm-up traces take over half a second each
 * (linux-tcp-connect Paris on this lab: with one probe in flight, every probe to a silent hop waits the full probe
 * timeout) is timed {@value #SLOW_ITERATIONS} times only.
 *
 * <p>Run from the root namespace as root: it builds the lab (a dual-stack chain with silent hops,
 * ICMP unlimited), then runs itself again inside the lab's host namespace, where all probing
 * happens, and tears the lab down. Arguments: {@code [hops] [iterations] [warm-up]} (defaults 29,
 * 30 and 500 traces per contender, each contender's warm-up also capped at 5 s).
 */
public final class TracerouteComparison {
    private static final int[] SILENT = {5, 12, 20};
    /** The target for pathprobe / traceroute. */
    private static final double TARGET = 0.3;
    /** A contender's warm-up ends after this long even if its traces are not all done (tcp-connect Paris). */
    private static final long WARM_UP_MAX_NANOS = 5_000_000_000L;
    /**
     * A contender whose warm-up traces took longer than this each (tcp-connect Paris: one probe in
     * flight, so a silent hop costs the full probe timeout per probe) is timed only
     * {@link #SLOW_ITERATIONS} times, to keep the run short.
     */
    private static final long SLOW_NANOS = 500_000_000L;
    private static final int SLOW_ITERATIONS = 3;

    private TracerouteComparison() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, TracerouteComparison::outside, TracerouteComparison::inside);
    }

    private static void outside(String[] args) throws Exception {
        int hops = LabRuns.intArg(args, 0, 29);
        int iterations = LabRuns.intArg(args, 1, 30);
        int warmUp = LabRuns.intArg(args, 2, 500);
        int[] silent = Arrays.stream(SILENT).filter(t -> t < hops).toArray();
        // Routers that rate-limit ICMP errors (the kernel default: 6, then 1/s per source) would turn a
        // benchmark of many traces into a measure of the limit: both tools see an unlimited network.
        try (Lab lab = Lab.chain(hops).silentHops(silent)
                .icmpUnlimited("compared with traceroute probe for probe; the limits are the ratelimit comparison's "
                + "subject").ipv6().build()) {
            System.out.printf(Locale.ROOT, "lab: destination %s and %s at TTL %d, silent hops %s; %d timed traces per "
                    + "contender after %d warm-up traces (at most %d s)%n",
                    AddressText.of(lab.destination()), AddressText.of(lab.destination6()), hops,
                    Arrays.toString(silent), iterations, warmUp, WARM_UP_MAX_NANOS / 1_000_000_000L);
            int rc = lab.command(Lab.javaCommand(TracerouteComparison.class, "--inside",
                    lab.destination().getHostAddress(), lab.destination6().getHostAddress(),
                    String.valueOf(iterations), String.valueOf(warmUp), pathText(lab.expectedPath()),
                    pathText(lab.expectedPath6())))
                    .inheritIO().start().waitFor();
            if (rc != 0) {
                System.exit(rc);
            }
        }
    }

    /** A pathprobe configuration: a transport (null: the tracer's default for the protocol) and a flow mode. */
    private record Contender(String label, @Nullable String transport, @Nullable FlowMode flowMode) {}

    /** One protocol: traceroute's option and the pathprobe contenders. */
    private record Protocol(ProbeProtocol protocol, String tracerouteFlag, List<Contender> contenders) {}

    private static final List<Protocol> PROTOCOLS = List.of(
            new Protocol(ProbeProtocol.ICMP, "-I", List.of(
                    new Contender("default", null, null),
                    new Contender("unprivileged", "linux-icmp-dgram", null))),
            new Protocol(ProbeProtocol.UDP, "-U", List.of(
                    new Contender("default", null, null),
                    new Contender("unprivileged", "linux-udp-recverr", null))),
            new Protocol(ProbeProtocol.TCP, "-T", List.of(
                    new Contender("default", null, null),
                    new Contender("unprivileged classic", "linux-tcp-connect", FlowMode.CLASSIC),
                    new Contender("unprivileged Paris", "linux-tcp-connect", FlowMode.PARIS))));

    /** One row of the table. */
    private record Row(String family, ProbeProtocol protocol, String label, String transport, FlowMode flow,
            double[] ours, double engine, double[] theirs, int differing, int timed, String traceroute) {
        double ratio() {
            return ours[1] / theirs[1];
        }
    }

    private static void inside(String[] args) throws Exception {
        InetAddress dest4 = InetAddress.getByName(args[1]);
        InetAddress dest6 = InetAddress.getByName(args[2]);
        int iterations = Integer.parseInt(args[3]);
        int warmUp = Integer.parseInt(args[4]);
        List<Optional<InetAddress>> expected4 = parsePath(args[5]);
        List<Optional<InetAddress>> expected6 = parsePath(args[6]);
        Map<String, PathTracer> tracers = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        try {
            tracers.put("", PathTracer.builder().offline().packetsPerSecond(0).build());
            for (Protocol p : PROTOCOLS) {
                for (Contender c : p.contenders()) {
                    if (c.transport() != null && !tracers.containsKey(c.transport())) {
                        tracers.put(c.transport(), PathTracer.builder().offline().packetsPerSecond(0)
                                .preferredTransport(c.transport()).build());
                    }
                }
            }
            for (String family : List.of("IPv4", "IPv6")) {
                boolean v6 = family.equals("IPv6");
                for (Protocol p : PROTOCOLS) {
                    rows.addAll(compare(tracers, v6 ? dest6 : dest4, v6 ? expected6 : expected4, family, p,
                            iterations, warmUp));
                }
            }
            printTable(rows);
            concurrency(tracers.get(""), dest4, 100);
        } finally {
            for (PathTracer t : tracers.values()) {
                t.close();
            }
        }
    }

    private static List<Row> compare(Map<String, PathTracer> tracers, InetAddress dest,
            List<Optional<InetAddress>> expected, String family, Protocol protocol, int iterations, int warmUp) {
        List<Contender> contenders = protocol.contenders();
        List<TraceRequest> requests = new ArrayList<>();
        List<PathTracer> used = new ArrayList<>();
        for (Contender c : contenders) {
            TraceRequest.Builder b = TraceRequest.builder(dest).protocol(protocol.protocol());
            if (c.flowMode() != null) {
                b.flowMode(c.flowMode());
            }
            requests.add(b.build());
            used.add(tracers.get(c.transport() == null ? "" : c.transport()));
        }
        int[] timed = new int[contenders.size()];
        for (int k = 0; k < contenders.size(); k++) {
            // warm-up: the JIT compiles the hot paths, the transport is opened
            long start = System.nanoTime();
            int done = 0;
            while (done < Math.max(1, warmUp) && System.nanoTime() - start < WARM_UP_MAX_NANOS) {
                used.get(k).trace(requests.get(k));
                done++;
            }
            boolean slow = (System.nanoTime() - start) / done > SLOW_NANOS;
            timed[k] = slow ? Math.min(iterations, SLOW_ITERATIONS) : iterations;
        }
        List<String> options = new ArrayList<>(List.of("-n", protocol.tracerouteFlag(), "-q", "3"));
        if (family.equals("IPv6")) {
            options.add("-6");
        }
        long[][] ours = new long[contenders.size()][];
        long[][] engine = new long[contenders.size()][];
        for (int k = 0; k < contenders.size(); k++) {
            ours[k] = new long[timed[k]];
            engine[k] = new long[timed[k]];
        }
        long[] theirs = new long[iterations];
        int[] differing = new int[contenders.size()];
        int theirDiffering = 0;
        TraceResult[] last = new TraceResult[contenders.size()];
        List<Optional<InetAddress>> theirLastBad = null;
        List<List<Optional<InetAddress>>> ourLastBad = new ArrayList<>();
        for (int k = 0; k < contenders.size(); k++) {
            ourLastBad.add(null);
        }
        for (int i = 0; i < iterations; i++) {
            // the contenders and traceroute take turns, so all see the same machine state; the order
            // rotates every iteration, so none always runs right after a traceroute process
            int turns = contenders.size() + 1;
            for (int turn = 0; turn < turns; turn++) {
                int k = (turn + i) % turns;
                if (k == contenders.size()) {
                    long t1 = System.nanoTime();
                    List<Optional<InetAddress>> path = Traceroute.run(LabRuns.concat(Traceroute.USERS_WAIT, options),
                            dest);
                    theirs[i] = System.nanoTime() - t1;
                    if (!path.equals(expected)) {
                        theirDiffering++;
                        theirLastBad = path;
                    }
                    continue;
                }
                if (i >= timed[k]) {
                    continue;
                }
                long t0 = System.nanoTime();
                TraceResult r = used.get(k).trace(requests.get(k));
                ours[k][i] = System.nanoTime() - t0;
                engine[k][i] = r.duration().toNanos();
                last[k] = r;
                List<Optional<InetAddress>> path = path(r);
                if (!path.equals(expected)) {
                    differing[k]++;
                    ourLastBad.set(k, path);
                }
            }
        }
        String tr = "traceroute " + String.join(" ", options);
        double[] theirStats = stats(theirs);
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < contenders.size(); k++) {
            rows.add(new Row(family, protocol.protocol(), contenders.get(k).label(), last[k].transport(),
                    last[k].flowMode(), stats(ours[k]), Percentiles.median(engine[k]) / 1e6, theirStats,
                    differing[k] + theirDiffering, timed[k], tr));
            if (ourLastBad.get(k) != null) {
                System.out.printf(Locale.ROOT, "%s %s pathprobe %s: %d of %d traces differ from the lab's path, e.g.%n"
                        + "     got:      %s%n     expected: %s%n", family, protocol.protocol(), last[k].transport(),
                        differing[k], timed[k], ourLastBad.get(k), expected);
            }
        }
        if (theirLastBad != null) {
            System.out.printf(Locale.ROOT, "%s: %d of %d runs differ from the lab's path, e.g.%n     got:      %s%n"
                    + "     expected: %s%n", tr, theirDiffering, iterations, theirLastBad, expected);
        }
        return rows;
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.println("warm 29-hop traces, 3 probes per hop; times in ms as p10 / median / p90; ratio = pathprobe "
                + "median / traceroute median (target <= " + TARGET + ")");
        String format = "%-2s  %-4s  %-20s  %-17s  %-7s  %3s  %-22s  %-22s  %s%n";
        System.out.printf(Locale.ROOT, format, "IP", "prot", "contender", "transport", "flow", "n", "pathprobe",
                "traceroute", "ratio");
        for (Row r : rows) {
            String ratio = r.differing() == 0
                    ? String.format(Locale.ROOT, "%.3f%s", r.ratio(), r.ratio() <= TARGET ? "" : "  (over target)")
                    : "none: hops differ in " + r.differing() + " traces";
            System.out.printf(Locale.ROOT, format, r.family().equals("IPv4") ? "v4" : "v6", r.protocol(), r.label(),
                    r.transport(), r.flow() == FlowMode.PARIS ? "Paris" : "classic", r.timed(), times(r.ours()),
                    times(r.theirs()), ratio);
        }
        for (Row r : rows) {
            System.out.printf(Locale.ROOT,
                    "RESULT family=%s protocol=%s contender=%s transport=%s flow=%s n=%d pathprobe_p10_ms=%.3f "
                            + "pathprobe_ms=%.3f pathprobe_p90_ms=%.3f pathprobe_engine_ms=%.3f traceroute_p10_ms=%.3f "
                            + "traceroute_ms=%.3f traceroute_p90_ms=%.3f ratio=%s same_hops=%s%n",
                    r.family(), r.protocol(), r.label().replace(' ', '-'), r.transport(), r.flow(),
                    r.timed(), r.ours()[0],
                    r.ours()[1], r.ours()[2], r.engine(), r.theirs()[0], r.theirs()[1], r.theirs()[2],
                    r.differing() == 0 ? String.format(Locale.ROOT, "%.4f", r.ratio()) : "none", r.differing() == 0);
        }
        System.out.println();
    }

    private static String times(double[] s) {
        return String.format(Locale.ROOT, "%s / %s / %s", ms(s[0]), ms(s[1]), ms(s[2]));
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    }

    private static void concurrency(PathTracer tracer, InetAddress dest, int n) {
        TraceRequest request = TraceRequest.of(dest);
        long[] single = new long[10];
        for (int i = 0; i < single.length; i++) {
            long t0 = System.nanoTime();
            tracer.trace(request);
            single[i] = System.nanoTime() - t0;
        }
        long t0 = System.nanoTime();
        for (int k = 0; k < n; k++) {
            tracer.trace(request);
        }
        long oneAfterAnother = System.nanoTime() - t0;
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] many = new long[5];
        long cpu = 0;
        long user = 0;
        int reached = 0;
        long probes = 0;
        long answered = 0;
        for (int i = 0; i < many.length; i++) {
            long c0 = os.getProcessCpuTime();
            long u0 = userTime();
            long start = System.nanoTime();
            List<CompletableFuture<TraceResult>> all = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                all.add(tracer.traceAsync(request));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            many[i] = System.nanoTime() - start;
            cpu += os.getProcessCpuTime() - c0;
            user += userTime() - u0;
            for (CompletableFuture<TraceResult> f : all) {
                TraceResult r = f.join();
                reached += r.destinationReached() ? 1 : 0;
                for (Hop h : r.hops()) {
                    if (!h.silent()) {
                        probes += h.statistics().sent();
                        answered += h.statistics().received();
                    }
                }
            }
        }
        double s = Percentiles.median(single);
        double m = Percentiles.median(many);
        System.out.printf(Locale.ROOT,
                "%d concurrent traces (IPv4, default request): median %.1f ms (one trace %.2f ms, "
                + "%d one after another %.1f ms: concurrency x%.1f); destination reached in %d of "
                + "%d; probes to answering "
                + "hops answered %.2f %%; CPU per batch: %.1f ms in this process, of which %.1f ms "
                + "in user space (the rest "
                + "is system calls and the lab's packet forwarding, which the kernel runs in the "
                + "sender's system calls); "
                + "threads now %d%n",
                n, m / 1e6, s / 1e6, n, oneAfterAnother / 1e6, oneAfterAnother / m, reached, n * many.length,
                100.0 * answered / Math.max(1, probes), cpu / 1e6 / many.length,
                user / 1e6 / many.length, Thread.activeCount());
    }

    /** User-mode CPU time of all live threads of this JVM. */
    private static long userTime() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadUserTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    private static List<Optional<InetAddress>> path(TraceResult r) {
        return r.hops().stream().map(Hop::address).toList();
    }

    /** A path as text for the command line: addresses and '*', comma-separated. */
    private static String pathText(List<Optional<InetAddress>> path) {
        return String.join(",", path.stream().map(a -> a.map(InetAddress::getHostAddress).orElse("*")).toList());
    }

    private static List<Optional<InetAddress>> parsePath(String text) throws Exception {
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (String a : text.split(",")) {
            path.add(a.equals("*") ? Optional.empty() : Optional.of(InetAddress.getByName(a)));
        }
        return List.copyOf(path);
    }

    /** p10, median and p90, in milliseconds. */
    private static double[] stats(long[] values) {
        return new double[] {Percentiles.nearestRank(values, 0.10) / 1e6, Percentiles.median(values) / 1e6,
                Percentiles.nearestRank(values, 0.90) / 1e6};
    }
}
