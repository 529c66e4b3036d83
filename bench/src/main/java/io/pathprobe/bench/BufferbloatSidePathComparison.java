package io.pathprobe.bench;

import io.netty.handler.ssl.SslContext;
import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.bufferbloat.internal.NqConnection;
import io.pathprobe.bufferbloat.internal.Tls;
import io.pathprobe.core.internal.io.NettyLoops;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bufferbloat client's figures on a lab whose TCP takes a separate path
 * ({@link LabBuilder#separateLoadPath}) while ICMP crosses the idle 2-hop chain, the figures
 * {@code BufferbloatPacingLabTest} and {@code BufferbloatIsolationLabTest} once asserted:
 *
 * <ul>
 *   <li><b>pacing</b> (20 Mbit/s side path, 50 ms queue): 16 HTTP/2 load connections (the client's own
 *       {@code NqConnection}s on its Netty load loops) download while one target is pinged 200 times
 *       at 10 ms; each send's distance from its absolute slot: p50, p95, p99, max; and the goodput
 *       the 16 connections got meanwhile.
 *   <li><b>isolation</b> (100 Mbit/s side path, 50 ms queue): a quick download bufferbloat test; its
 *       goodput, its idle latency, and the loaded latency and p90 of its pings, which cross the idle
 *       chain (so should stay at idle).
 * </ul>
 *
 * <p>Each is repeated {@code repetitions} times (default 3; medians and ranges). Run as root in a
 * private network namespace: {@code build/netns/bin/java -cp ... io.pathprobe.bench.BufferbloatSidePathComparison
 * [repetitions]}. A load connection that fails, or pings left unanswered on this loss-free path, are
 * errors (exit 1).
 */
public final class BufferbloatSidePathComparison {
    private BufferbloatSidePathComparison() {}

    public static void main(String[] args) throws Exception {
        if (Lab.inRootNetworkNamespace()) {
            System.err.println("run me in a private network namespace: build/netns/bin/java -cp ... "
                    + BufferbloatSidePathComparison.class.getName());
            System.exit(2);
        }
        int reps = LabRuns.intArg(args, 0, 3);
        boolean wrong = pacing(reps);
        wrong |= isolation(reps);
        if (wrong) {
            System.exit(1);
        }
    }

    private static boolean pacing(int reps) throws Exception {
        double[][] v = new double[5][reps]; // p50, p95, p99, max (µs), Mbit/s
        boolean wrong = false;
        try (Lab lab = Lab.chain(2).icmpUnlimited("the load path is measured, not the routers' limits")
                .separateLoadPath(20_000_000, Duration.ofMillis(50))
                .inCurrentNamespace().build()) {
            URI url = lab.responsivenessServer(4443, true);
            SslContext ssl = Tls.clientContext(true);
            NqConnection.Endpoint ep = new NqConnection.Endpoint(url.resolve("/"),
                    new InetSocketAddress(lab.destination(), url.getPort()), true);
            for (int i = 0; i < reps; i++) {
                LongAdder bytes = new LongAdder();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<NqConnection> connections = new ArrayList<>();
                try (NettyLoops loops = new NettyLoops();
                        PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                    for (int c = 0; c < 16; c++) {
                        NqConnection conn = NqConnection.open(loops.load(), loops.channelClass(), ep, ssl, 5000)
                                .get(10, TimeUnit.SECONDS);
                        connections.add(conn);
                        conn.download("/large", bytes, failure::set, cc -> { });
                    }
                    // warm-up ping: loads the reply path's classes on the engine thread
                    tracer.measure(PingRequest.builder().target(lab.destination()).count(20)
                            .interval(Duration.ofMillis(10))
                            .build());
                    Thread.sleep(1000); // the 16 downloads reach their rate
                    long before = bytes.sum();
                    long t0 = System.nanoTime();
                    PingResult r = tracer.measure(PingRequest.builder().target(lab.destination()).count(200)
                            .interval(Duration.ofMillis(10)).recentProbes(200).build());
                    double mbps = (bytes.sum() - before) * 8 / ((System.nanoTime() - t0) / 1e9) / 1e6;
                    long open = connections.stream().filter(NqConnection::isOpen).count();
                    List<PingProbe> probes = r.first().recent();
                    long start = probes.stream().mapToLong(p -> p.sentAt().toNanos() - p.sequence() * 10_000_000L).min()
                            .orElse(0);
                    long[] dev = probes.stream().mapToLong(p -> Math.abs(p.sentAt().toNanos() - start
                            - p.sequence() * 10_000_000L)).sorted().toArray();
                    int n = dev.length;
                    v[0][i] = n == 0 ? Double.NaN : dev[(int) Math.ceil(0.5 * n) - 1] / 1e3;
                    v[1][i] = n == 0 ? Double.NaN : dev[(int) Math.ceil(0.95 * n) - 1] / 1e3;
                    v[2][i] = n == 0 ? Double.NaN : dev[(int) Math.ceil(0.99 * n) - 1] / 1e3;
                    v[3][i] = n == 0 ? Double.NaN : dev[n - 1] / 1e3;
                    v[4][i] = mbps;
                    System.out.printf(Locale.ROOT,
                            "pacing run %d: 200 pings at 10 ms beside %d of 16 load connections at "
                            + "%.1f Mbit/s: send lateness p50 %.1f µs, p95 %.1f µs, p99 %.1f µs, max %.1f "
                            + "µs; %d/200 answered%n",
                            i + 1, open, mbps, v[0][i], v[1][i], v[2][i], v[3][i], r.first().statistics().received());
                    if (failure.get() != null || open != 16) {
                        System.out.println("WRONG: a load connection failed: " + failure.get() + ", "
                                + open + " of 16 open");
                        wrong = true;
                    }
                    if (r.first().statistics().received() != 200) {
                        System.out.println("WRONG: " + r.first().statistics().received() + " of 200 pings answered");
                        wrong = true;
                    }
                } finally {
                    connections.forEach(NqConnection::close);
                }
            }
        }
        System.out.printf(Locale.ROOT, "RESULT part=pacing connections=16 sends=200 n=%d p50_us=%.1f p95_us=%.1f "
                + "p95_min_us=%.1f p95_max_us=%.1f p99_us=%.1f max_us=%.1f max_min_us=%.1f max_max_us=%.1f mbps=%.2f "
                + "mbps_min=%.2f mbps_max=%.2f%n", reps, med(v[0]), med(v[1]), min(v[1]),
                max(v[1]), med(v[2]), med(v[3]),
                min(v[3]), max(v[3]), med(v[4]), min(v[4]), max(v[4]));
        return wrong;
    }

    private static boolean isolation(int reps) throws Exception {
        double[][] v = new double[5][reps]; // Mbit/s, idle, loaded latency, loaded p90, increase (ms)
        boolean wrong = false;
        try (Lab lab = Lab.chain(2).icmpUnlimited("the load path is measured, not the routers' limits")
                .separateLoadPath(100_000_000, Duration.ofMillis(50))
                .inCurrentNamespace().build()) {
            URI url = lab.responsivenessServer(4443, true);
            for (int i = 0; i < reps; i++) {
                BufferbloatResult r;
                try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                    r = tracer.testBufferbloat(BufferbloatRequest.builder(url).insecure(true)
                            .direction(LoadDirection.DOWNLOAD).quick().build());
                }
                List<Double> loaded = r.samples().stream()
                        .filter(s -> s.kind() == LatencySample.Kind.PING && s.phase() == BufferbloatPhase.DOWNLOAD)
                        .map(s -> s.rtt().toNanos() / 1e6).sorted().toList();
                if (r.download().isEmpty() || loaded.isEmpty()) {
                    System.out.println("WRONG: no download result or no loaded pings: " + r.status() + " " + r.notes());
                    wrong = true;
                    Arrays.fill(v[0], Double.NaN);
                    continue;
                }
                v[0][i] = r.download().get().megabitsPerSecond();
                v[1][i] = r.idleLatency().toNanos() / 1e6;
                v[2][i] = r.download().get().loadedLatency().toNanos() / 1e6;
                v[3][i] = loaded.get((int) Math.ceil(0.9 * loaded.size()) - 1);
                v[4][i] = r.latencyIncrease().toNanos() / 1e6;
                System.out.printf(Locale.ROOT,
                        "isolation run %d: %.1f Mbit/s on the side path; idle %.3f ms, loaded latency "
                        + "%.3f ms, %d loaded pings p90 %.3f ms, increase %.3f ms; %s%n", i + 1,
                        v[0][i], v[1][i], v[2][i],
                        loaded.size(), v[3][i], v[4][i], r.status());
            }
        }
        System.out.printf(Locale.ROOT, "RESULT part=isolation n=%d mbps=%.2f mbps_min=%.2f mbps_max=%.2f idle_ms=%.3f "
                + "loaded_ms=%.3f loaded_min_ms=%.3f loaded_max_ms=%.3f p90_ms=%.3f p90_min_ms=%.3f p90_max_ms=%.3f "
                + "increase_ms=%.3f%n", reps, med(v[0]), min(v[0]), max(v[0]), med(v[1]),
                med(v[2]), min(v[2]), max(v[2]),
                med(v[3]), min(v[3]), max(v[3]), med(v[4]));
        return wrong;
    }

    private static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(s.length - 1) / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
