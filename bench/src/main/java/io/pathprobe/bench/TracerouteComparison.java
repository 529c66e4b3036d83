package io.pathprobe.bench;

import io.pathprobe.Hop;
import io.pathprobe.PathTracer;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.Traceroute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Times a warm in-JVM pathprobe trace against Linux {@code traceroute -n} on the same lab path, in
 * one run, and prints both times and their ratio; then 100 concurrent traces against one.
 *
 * <p>Run from the root namespace as root: it builds the lab (a chain with silent hops), then runs
 * itself again inside the lab's host namespace, where all probing happens, and tears the lab down.
 * Arguments: {@code [hops] [iterations]} (defaults 29 and 30).
 */
public final class TracerouteComparison {
    private static final int[] SILENT = {5, 12, 20};

    private TracerouteComparison() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--inside")) {
            inside(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int hops = args.length > 0 ? Integer.parseInt(args[0]) : 29;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int[] silent = Arrays.stream(SILENT).filter(t -> t < hops).toArray();
        // Routers that rate-limit ICMP errors (the kernel default: 6, then 1/s per source) would turn a
        // benchmark of many traces into a measure of the limit: both tools see an unlimited network.
        try (Lab lab = Lab.chain(hops).silentHops(silent).icmpUnlimited().build()) {
            System.out.printf(Locale.ROOT, "lab: destination %s at TTL %d, silent hops %s%n",
                    lab.destination().getHostAddress(), hops, Arrays.toString(silent));
            int rc = lab.command(Lab.javaCommand(TracerouteComparison.class, "--inside",
                    lab.destination().getHostAddress(), String.valueOf(hops), String.valueOf(iterations)))
                    .inheritIO().start().waitFor();
            if (rc != 0) {
                System.exit(rc);
            }
        }
    }

    private static void inside(InetAddress dest, int hops, int iterations) throws Exception {
        try (PathTracer tracer = PathTracer.builder().packetsPerSecond(0).build()) {
            for (ProbeProtocol protocol : List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP)) {
                compare(tracer, dest, protocol, iterations);
            }
            concurrency(tracer, dest, 100);
        }
    }

    private static void compare(PathTracer tracer, InetAddress dest, ProbeProtocol protocol, int iterations)
            throws Exception {
        String flag = protocol == ProbeProtocol.ICMP ? "-I" : "-U";
        TraceRequest request = TraceRequest.builder(dest).protocol(protocol).build();
        for (int i = 0; i < 500; i++) {
            tracer.trace(request); // warm-up: the JIT compiles the hot paths, the transport is opened
        }
        long[] ours = new long[iterations];
        long[] theirs = new long[iterations];
        List<Optional<InetAddress>> ourPath = null;
        List<Optional<InetAddress>> theirPath = null;
        for (int i = 0; i < iterations; i++) {
            // alternate, so both see the same machine state
            long t0 = System.nanoTime();
            TraceResult r = tracer.trace(request);
            ours[i] = System.nanoTime() - t0;
            ourPath = r.hops().stream().map(Hop::address).toList();
            long t1 = System.nanoTime();
            theirPath = Traceroute.run(List.of("-n", flag), dest);
            theirs[i] = System.nanoTime() - t1;
        }
        double ourMedian = median(ours);
        double theirMedian = median(theirs);
        System.out.printf(Locale.ROOT,
                "%-4s pathprobe (in-JVM, warm, %s): median %.2f ms | traceroute -n %s: median %.2f ms | ratio %.3f | same hops: %s%n",
                protocol, tracer.transportName(protocol), ourMedian / 1e6, flag, theirMedian / 1e6,
                ourMedian / theirMedian, ourPath != null && ourPath.equals(theirPath));
        if (ourPath != null && !ourPath.equals(theirPath)) {
            System.out.println("     pathprobe:  " + ourPath);
            System.out.println("     traceroute: " + theirPath);
        }
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
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
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
        double s = median(single);
        double m = median(many);
        System.out.printf(Locale.ROOT, "%d concurrent traces: median %.1f ms (one trace %.2f ms, %d one after another %.1f ms: "
                + "concurrency x%.1f); destination reached in %d of %d; probes to answering hops answered %.2f %%; "
                + "CPU per batch: %.1f ms in this process, of which %.1f ms in user space (the rest is system calls and the "
                + "lab's packet forwarding, which the kernel runs in the sender's system calls); threads now %d%n",
                n, m / 1e6, s / 1e6, n, oneAfterAnother / 1e6, oneAfterAnother / m, reached, n * many.length,
                100.0 * answered / Math.max(1, probes), cpu / 1e6 / many.length, user / 1e6 / many.length, Thread.activeCount());
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

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
