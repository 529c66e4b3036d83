package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.runner.Iperf3;
import io.pathprobe.lab.server.LabResponsivenessServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * pathprobe's bufferbloat test against the reference of the same run: iputils ping ({@code -i 0.1})
 * to the server's address while iperf3 loads the same link with the same number of flows. Labs: a
 * 2-hop chain whose router shapes both directions with tc tbf at 20 Mbit/s, a deep (500 ms) and a
 * shallow (5 ms) queue; the responsiveness server and the iperf3 server in the destination namespace.
 * Per lab, direction (download, upload, both at once) and connection cap (4, 16): pathprobe's test
 * ({@code maxConnections(cap)}, insecure, the given time limit), then two references: iperf3 with the
 * same flows started at the same times as pathprobe's ramp (from its progress events; one iperf3
 * client per step), pinged over the same last MAD intervals of the load as pathprobe's loaded
 * latency — the reference the loaded latency is compared with — and iperf3 with the flows pathprobe
 * ended with started together ({@link #TOGETHER_WARM_UP} of warm-up, then 5 s of ping; {@code --bidir} for both), the
 * throughput reference. The lab's TCP congestion control is Reno unless the third argument names
 * another ({@code machine}: the one each namespace inherits, BBR here; with BBR the two references
 * differ a lot on the deep queue, since flows that join a standing queue keep it).
 * Printed: loaded latency (pathprobe: its trimmed mean of pings under load; references: 5 % trimmed
 * mean), increase, grade, throughput, RPM.
 *
 * <p>Run as root in a private network namespace (the lab's host is the JVM's namespace):
 * {@code build/netns/bin/java -cp "bench/target/pathprobe-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * io.pathprobe.bench.BufferbloatComparison [time limit in s, default 20] [caps, default 4,16]
 * [congestion controls, comma-separated, default reno; machine] [directions, default download,upload,concurrent]
 * [bottleneck rates in Mbit/s, default 20] [queues in ms, default 500,5] [the lab server's nice,
 * default 19]}. A congestion control the machine does not let a namespace make its default (cubic
 * here) is set on the lab's routes ({@code LabBuilder#congestionControl}).
 */
public final class BufferbloatComparison {
    /**
     * How long {@code iperf3 -P n} runs before its pings count. 8 s: flows started together on an empty
     * tail-drop queue leave slow start together and lose together, and under a loss-based control
     * (CUBIC) a 500 ms queue at 20 Mbit/s is refilled only seconds later; after 2 s (as until
     * 2026-11-24) the pings fell in that recovery and read about 300 ms where the steady state is 420.
     */
    static final Duration TOGETHER_WARM_UP = Duration.ofSeconds(8);

    private BufferbloatComparison() {}

    record Row(String lab, String direction, int cap, int flows, double oursLoaded,
            double oursIncrease, String oursGrade,
            double oursMbps, String rpm, double refTrimmed, double refIncrease, String refGrade, double togetherTrimmed,
            String togetherGrade, double refMbps) {}

    public static void main(String[] args) throws Exception {
        if (Lab.inRootNetworkNamespace()) {
            System.err.println("run me in a private network namespace: build/netns/bin/java -cp ... "
                    + BufferbloatComparison.class.getName());
            System.exit(2);
        }
        Duration limit = Duration.ofSeconds(LabRuns.intArg(args, 0, 20));
        int[] caps = args.length > 1 ? java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {4, 16};
        List<String> congestions = List.of((args.length > 2 ? args[2] : "reno").split(","));
        List<LoadDirection> directions = args.length > 3 ? java.util.Arrays.stream(args[3].split(","))
                .map(x -> LoadDirection.valueOf(x.toUpperCase(Locale.ROOT))).toList()
                : List.of(LoadDirection.DOWNLOAD, LoadDirection.UPLOAD, LoadDirection.CONCURRENT);
        int[] rates = args.length > 4 ? java.util.Arrays.stream(args[4].split(","))
                .mapToInt(Integer::parseInt).toArray()
                : new int[] {20};
        int[] queues = args.length > 5 ? java.util.Arrays.stream(args[5].split(","))
                .mapToInt(Integer::parseInt).toArray()
                : new int[] {500, 5};
        int serverNice = LabRuns.intArg(args, 6, LabResponsivenessServer.DEFAULT_NICE);
        System.out.println("congestion control: " + congestions + ", server nice " + serverNice);
        List<Row> rows = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>(); // {Mbit/s, queue ms}, rates outermost
        for (int rate : rates) {
            for (int queueMs : queues) {
                shapes.add(new int[] {rate, queueMs});
            }
        }
        for (String congestion : congestions) {
            for (int[] s : shapes) {
                int mbps = s[0];
                Duration queue = Duration.ofMillis(s[1]);
                String name = mbps + " Mbit/s " + queue.toMillis() + " ms " + congestion;
                LabBuilder shape = Lab.chain(2)
                        .icmpUnlimited("the bottleneck's queue is measured, not the routers' limits")
                        .bottleneckBothWays(1, mbps * 1_000_000L, queue)
                        .inCurrentNamespace();
                if (!congestion.equals("machine")) {
                    shape.congestionControl(congestion);
                }
                try (Lab lab = shape.build();
                        PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                    URI url = lab.responsivenessServer(4443, LabResponsivenessServer.Mode.TLS, serverNice).configUrl();
                    for (LoadDirection dir : directions) {
                        for (int cap : caps) {
                            List<Iperf3.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
                            BufferbloatPhase phase = dir == LoadDirection.DOWNLOAD ? BufferbloatPhase.DOWNLOAD
                                    : dir == LoadDirection.UPLOAD ? BufferbloatPhase.UPLOAD
                                    : BufferbloatPhase.CONCURRENT;
                            BufferbloatRequest request = BufferbloatRequest.builder(url).insecure(true).direction(dir)
                                    .deadline(limit).maxConnections(cap).listener(new BufferbloatListener() {
                                        @Override
                                        public void progress(BufferbloatPhase p, long elapsedNanos,
                                                double bits, int flows,
                                                double latencyMillis) {
                                            if (p == phase) {
                                                progress.add(new Iperf3.Progress(elapsedNanos, flows));
                                            }
                                        }
                                    }).build();
                            BufferbloatResult r = tracer.testBufferbloat(request);
                            DirectionResult d = (dir == LoadDirection.UPLOAD ? r.upload() : r.download()).orElseThrow();
                            Iperf3.Direction idir = dir == LoadDirection.DOWNLOAD ? Iperf3.Direction.DOWNLOAD
                                    : dir == LoadDirection.UPLOAD ? Iperf3.Direction.UPLOAD : Iperf3.Direction.BOTH;
                            Thread.sleep(1000); // the queue drains
                            List<Iperf3.Step> steps = Iperf3.steps(progress, request.interval(), idir);
                            Duration length = Iperf3.length(progress, request.interval());
                            Duration window = request.interval().multipliedBy(4);
                            Iperf3.Reference ref = Iperf3.pingUnderSchedule(lab, 5201, steps, idir, length,
                                    length.compareTo(window.multipliedBy(2)) < 0 ? length.dividedBy(2)
                                            : length.minus(window),
                                    Duration.ofMillis(100));
                            Thread.sleep(1000);
                            Iperf3.Reference together = Iperf3.pingUnderLoad(lab, 5240, steps.stream()
                                    .mapToInt(Iperf3.Step::flows).sum(), idir, TOGETHER_WARM_UP, Duration.ofSeconds(5),
                                    Duration.ofMillis(100));
                            Row row = new Row(name, dir.name().toLowerCase(Locale.ROOT), cap,
                                    d.flows(), ms(d.loadedLatency()),
                                    ms(r.latencyIncrease()), r.grade().map(BufferbloatGrade::text)
                                            .orElse("-"), d.megabitsPerSecond(),
                                    d.rpm().or(r::rpm).map(x -> String.format(Locale.ROOT, "%.0f", x)).orElse("-"),
                                    ms(ref.loadedTrimmedMean()), ms(ref.increase()),
                                    BufferbloatGrade.of(ref.increase()).text(),
                                    ms(together.loadedTrimmedMean()), BufferbloatGrade.of(together.increase()).text(),
                                    together.iperf3().bitsPerSecond() / 1e6);
                            rows.add(row);
                            System.out.println(row + " " + r.status() + " " + r.notes());
                            System.out.printf(Locale.ROOT,
                                    "RESULT cc=%s rate_mbps=%d queue_ms=%d direction=%s cap=%d flows=%d "
                                    + "loaded_ms=%.2f "
                                    + "increase_ms=%.2f grade=%s mbps=%.3f rpm=%s "
                                    + "ref_loaded_ms=%.2f ref_increase_ms=%.2f "
                                    + "ref_grade=%s together_ms=%.2f together_grade=%s iperf3_mbps=%.3f status=%s "
                                    + "load_cc=%s together=%s saturation=%.3f capacity_mbps=%.3f p99_ms=%.2f%n",
                                    congestion, mbps, queue.toMillis(), row.direction(), cap,
                                    row.flows(), row.oursLoaded(),
                                    row.oursIncrease(),
                                    row.oursGrade(), row.oursMbps(), row.rpm(), row.refTrimmed(), row.refIncrease(),
                                    row.refGrade(), row.togetherTrimmed(), row.togetherGrade(),
                                    row.refMbps(), r.status(),
                                    d.load().congestionControl().orElse("-"),
                                    d.load().startedTogether(), d.load().saturation(),
                                    d.load().capacityBitsPerSecond() / 1e6, ms(d.loadedLatencyP99()));
                            Thread.sleep(1000);
                        }
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| queue | load | cap | flows | pathprobe loaded ms | increase | grade | Mbit/s | RPM "
                + "| ping + iperf3 as our ramp: loaded ms | grade | ratio | ping + iperf3 -P n "
                + "together: loaded ms | grade "
                + "| Mbit/s | Mbit/s ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT,
                    "| %s | %s | %d | %d | %.1f | %.1f | %s | %.2f | %s | %.1f | %s | %.2f | %.1f | %s "
                    + "| %.2f | %.2f |%n", r.lab(), r.direction(), r.cap(), r.flows(), r.oursLoaded(), r.oursIncrease(),
                    r.oursGrade(), r.oursMbps(), r.rpm(), r.refTrimmed(), r.refGrade(), r.oursLoaded() / r.refTrimmed(),
                    r.togetherTrimmed(), r.togetherGrade(), r.refMbps(), r.oursMbps() / r.refMbps());
        }
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
