package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.runner.Ping;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Times warm in-JVM pathprobe pings of 1,000 targets × 1 probe against {@code fping -c 1} of the
 * same targets, with the same gap between sends to different targets (fping's {@code -i}), and at
 * pathprobe's default; then one target, 100 probes at 10 ms in 4 alternating rounds of 25, against
 * iputils {@code ping -c 25 -i 0.01} (median RTT); 254 targets × 10 at 100 ms against fping; and the
 * send lateness of 300 probes at 10 ms while a listener sleeps 50 ms per event (no peer).
 *
 * <p>Run from the root namespace as root: it builds a 3-hop lab (ICMP unlimited, 1,000 extra
 * addresses on the destination's loopback, {@link LabBuilder#destinationAliases(int)}), runs itself
 * again inside the lab's host namespace, where all probing happens, and tears the lab down.
 * Arguments: {@code [repetitions] [gaps in ms, comma-separated]} (defaults 5 and {@code 10,1,0.5,0.1,0}).
 *
 * <p>Per gap, fping and two pathprobe tracers take turns, in a rotating order, {@code repetitions}
 * times after a warm-up: {@code PathTracer.builder().offline().build()} (its default rate budget, 1,000 packets per
 * second after a burst of 128) and {@code packetsPerSecond(0)} (no budget: only the gap paces). Both
 * send ICMP echo ({@code kind(ICMP)}; fping is ICMP-only) with a 1 s timeout ({@code fping -t 1000}).
 * fping's time is its whole process, from start to exit, as a script would see it (its own
 * {@code -s} "elapsed real time" is printed too); pathprobe's is the {@code ping} call. The last
 * row is pathprobe's default request (count 1, nothing else set: gap min(interval / (2 × targets),
 * 500 µs)) against fping's default gap (10 ms), the "≤ 0.1 at pathprobe's default".
 */
public final class PingComparison {
    private static final int TARGETS = 1000;
    /** The many-target figure: this many targets × 1 echo, as fast as each tool goes. */
    private static final int MANY_TARGETS = 10_000;
    private static final double SAME_GAP_TARGET = 1.0;
    private static final double DEFAULT_TARGET = 0.1;
    private static final Pattern FPING_ELAPSED = Pattern.compile("([\\d.]+) sec \\(elapsed real time\\)");
    private static final Pattern PING_TIME = Pattern.compile("icmp_seq=\\d+ ttl=\\d+ time=([\\d.]+) ms");

    private PingComparison() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, PingComparison::outside, PingComparison::inside);
    }

    private static void outside(String[] args) throws Exception {
        int reps = LabRuns.intArg(args, 0, 5);
        String gaps = args.length > 1 ? args[1] : "10,1,0.5,0.1,0";
        try (Lab lab = Lab.chain(3).icmpUnlimited("compared with fping probe for probe")
                .destinationAliases(MANY_TARGETS).build()) {
            List<String> aliases = lab.destinationAliases().stream().map(InetAddress::getHostAddress).toList();
            System.out.printf(Locale.ROOT,
                    "lab: 3 hops, ICMP unlimited, %d targets %s..%s on the destination (the first "
                    + "%d for the gap rows); %d repetitions per contender and gap%n", aliases.size(), aliases.get(0),
                    aliases.get(aliases.size() - 1), TARGETS, reps);
            java.nio.file.Path list = java.nio.file.Files.createTempFile("pathprobe-ping-targets", ".txt");
            int rc;
            try {
                java.nio.file.Files.write(list, aliases);
                rc = lab.command(Lab.javaCommand(PingComparison.class, "--inside", String.valueOf(reps), gaps,
                        lab.destination().getHostAddress(), list.toString())).inheritIO().start().waitFor();
            } finally {
                java.nio.file.Files.deleteIfExists(list);
            }
            if (rc != 0) {
                System.exit(rc);
            }
        }
    }

    /** One timed run: wall time and targets answered. */
    /** One timed run: wall time, targets with an answer, answers in all, fping's own elapsed time. */
    private record Run(long nanos, int answered, long received, double fpingElapsedMs) {}

    /** A contender at one gap. */
    private record Contender(String label, @Nullable PathTracer tracer, @Nullable PingRequest request,
            @Nullable List<String> fpingOptions) {}

    private static void inside(String[] args) throws Exception {
        int reps = Integer.parseInt(args[1]);
        List<String> gaps = List.of(args[2].split(","));
        InetAddress dest = InetAddress.getByName(args[3]);
        List<String> all = java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[4]));
        List<String> targets = all.subList(0, TARGETS);
        System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
        List<String> results = new ArrayList<>();
        List<String[]> table = new ArrayList<>();
        try (PathTracer byDefault = PathTracer.builder().offline().build();
                PathTracer unlimited = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            // warm-up: transports open, hot paths compiled
            PingRequest warm = request(targets, Duration.ZERO, false);
            for (int i = 0; i < 10; i++) {
                byDefault.measure(warm);
                unlimited.measure(warm);
            }
            Run fpingDefault = null;
            for (String gap : gaps) {
                Duration g = Duration.ofNanos(Math.round(Double.parseDouble(gap) * 1e6));
                List<Contender> contenders = List.of(
                        new Contender("fping", null, null, List.of("-c", "1", "-q", "-s", "-t", "1000", "-i", gap)),
                        new Contender("pathprobe default tracer", byDefault, request(targets, g, false), null),
                        new Contender("pathprobe unlimited tracer", unlimited, request(targets, g, false), null));
                Run[][] runs = timeTurns(contenders, targets, reps);
                Run fping = median(runs[0]);
                if (Double.parseDouble(gap) == 10) {
                    fpingDefault = fping;
                }
                for (int k = 1; k < contenders.size(); k++) {
                    Run ours = median(runs[k]);
                    double ratio = (double) ours.nanos() / fping.nanos();
                    table.add(row("gap " + gap + " ms", contenders.get(k).label(), ours, fping, runs[k], runs[0], ratio,
                            SAME_GAP_TARGET));
                    results.add(result("same-gap", gap, contenders.get(k).label(), ours, fping,
                            runs[k], runs[0], ratio));
                }
            }
            if (fpingDefault == null) {
                Contender f = new Contender("fping", null, null, List.of("-c", "1", "-q", "-s", "-t", "1000"));
                fpingDefault = median(timeTurns(List.of(f), targets, reps)[0]);
            }
            List<Contender> defaults = List.of(
                    new Contender("pathprobe default tracer", byDefault, request(targets, null, true), null),
                    new Contender("pathprobe unlimited tracer", unlimited, request(targets, null, true), null));
            Run[][] runs = timeTurns(defaults, targets, reps);
            for (int k = 0; k < defaults.size(); k++) {
                Run ours = median(runs[k]);
                double ratio = (double) ours.nanos() / fpingDefault.nanos();
                table.add(row("default vs fping -i 10", defaults.get(k).label(), ours,
                        fpingDefault, runs[k], null, ratio,
                        DEFAULT_TARGET));
                results.add(result("default", "default", defaults.get(k).label(), ours, fpingDefault,
                        runs[k], null, ratio));
            }
            System.out.println();
            System.out.printf(Locale.ROOT,
                    "%d targets x 1 ICMP echo; wall time in ms, median of %d (min-max); answered = "
                    + "targets answered in the median run (min over runs)%n", targets.size(), reps);
            String format = "%-24s %-28s %-26s %-10s %-26s %-10s %s%n";
            System.out.printf(Locale.ROOT, format, "gap", "contender", "pathprobe ms", "answered",
                    "fping ms", "answered",
                    "ratio");
            for (String[] r : table) {
                System.out.printf(Locale.ROOT, format, (Object[]) r);
            }
            for (String r : results) {
                System.out.println(r);
            }
            rtt(unlimited, dest, Math.max(3, reps));
            many(unlimited, targets.subList(0, 254), reps);
            tenThousand(unlimited, all, args[4], reps);
            pacing(unlimited, dest, Math.max(3, reps));
            dead(byDefault, Math.max(3, reps));
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
    }

    /** Routed to the destination's network, held by no one (not one of the lab's aliases, 198.19.1.1 on). */
    private static final String DEAD = "198.19.0.99";
    private static final Pattern PING_LOSS = Pattern.compile("(\\d+(?:\\.\\d+)?)% packet loss");

    /**
     * Issue 68: a dead host, 5 probes 200 ms apart (timeout 500 ms): the loss pathprobe reports over UDP (what an
     * unprivileged ping falls back to) and over ICMP, against fping's and iputils ping's, {@code runs} times. Every
     * tool should say 100 %; before issue 68 pathprobe's UDP ping said 0 % (every miss "rate-limited").
     */
    private static void dead(PathTracer tracer, int runs) throws Exception {
        for (int run = 0; run < runs; run++) {
            double[] ours = new double[2];
            int k = 0;
            for (PingKind kind : List.of(PingKind.UDP, PingKind.ICMP)) {
                PingResult r = tracer.measure(PingRequest.builder().targets(List.of(DEAD)).kind(kind).count(5)
                        .interval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(500)).build());
                ours[k++] = r.first().statistics().loss();
            }
            List<String> cmd = List.of("fping", "-c", "5", "-p", "200", "-t", "500", DEAD);
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            p.waitFor();
            Ping.FpingResult f = Ping.parseFping(out.join(), err.join());
            long fpingSent = f.targets().values().stream().mapToLong(t -> t.sent()).sum();
            long fpingReceived = f.targets().values().stream().mapToLong(t -> t.received()).sum();
            double fping = fpingSent == 0 ? Double.NaN : 1.0 - (double) fpingReceived / fpingSent;
            Process q = new ProcessBuilder("ping", "-c", "5", "-i", "0.2", "-W", "0.5", DEAD).redirectErrorStream(true)
                    .start();
            q.getOutputStream().close();
            String text = drain(q.getInputStream()).join();
            q.waitFor();
            Matcher m = PING_LOSS.matcher(text);
            double ping = m.find() ? Double.parseDouble(m.group(1)) / 100 : Double.NaN;
            System.out.printf(Locale.ROOT, "RESULT kind=dead run=%d probes=5 pathprobe_udp_loss=%.3f "
                    + "pathprobe_icmp_loss=%.3f fping_loss=%.3f ping_loss=%.3f%n", run, ours[0], ours[1], fping, ping);
        }
    }

    private static PingRequest request(List<String> targets, @Nullable Duration gap, boolean asDefault) {
        PingRequest.Builder b = PingRequest.builder().targets(targets).count(1);
        if (!asDefault) {
            b.kind(PingKind.ICMP).probeTimeout(Duration.ofSeconds(1));
            if (gap != null) {
                b.gap(gap);
            }
        }
        return b.build();
    }

    /** The contenders take turns, in a rotating order, {@code reps} times. */
    private static Run[][] timeTurns(List<Contender> contenders, List<String> targets, int reps) throws Exception {
        Run[][] runs = new Run[contenders.size()][reps];
        for (int i = 0; i < reps; i++) {
            for (int turn = 0; turn < contenders.size(); turn++) {
                int k = (turn + i) % contenders.size();
                Contender c = contenders.get(k);
                PathTracer tracer = c.tracer();
                PingRequest request = c.request();
                List<String> fpingOptions = c.fpingOptions();
                if (tracer != null && request != null) {
                    runs[k][i] = pathprobe(tracer, request);
                } else if (fpingOptions != null) {
                    runs[k][i] = fping(fpingOptions, targets);
                } else {
                    throw new IllegalStateException(c.label() + ": neither pathprobe's tracer and request nor fping's");
                }
            }
        }
        return runs;
    }

    private static Run pathprobe(PathTracer tracer, PingRequest request) {
        long t0 = System.nanoTime();
        PingResult r = tracer.measure(request);
        long took = System.nanoTime() - t0;
        int answered = (int) r.targets().stream().filter(PingTargetResult::answered).count();
        long received = r.targets().stream().mapToLong(t -> t.statistics().received()).sum();
        return new Run(took, answered, received, Double.NaN);
    }

    private static Run fping(List<String> options, List<String> targets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("fping"));
        cmd.addAll(options);
        cmd.addAll(targets);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        p.waitFor();
        long took = System.nanoTime() - t0;
        Ping.FpingResult r = Ping.parseFping(out.join(), err.join());
        int answered = (int) r.targets().values().stream().filter(t -> t.received() > 0).count();
        long received = r.targets().values().stream().mapToLong(t -> t.received()).sum();
        Matcher m = FPING_ELAPSED.matcher(err.join());
        return new Run(took, answered, received, m.find() ? Double.parseDouble(m.group(1)) * 1000 : Double.NaN);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * One target, 100 probes at 10 ms each, pathprobe's and iputils ping's, in 4 alternating rounds of
     * 25 (as {@code PingLabTest} did, so that both sample the same minutes of the machine); median RTT
     * (nearest rank) of each tool's 100 answers, {@code runs} times.
     */
    private static void rtt(PathTracer tracer, InetAddress dest, int runs) throws Exception {
        int rounds = 4;
        int perRound = 25;
        PingRequest request = PingRequest.builder().target(dest).kind(PingKind.ICMP).count(perRound)
                .interval(Duration.ofMillis(10)).recentProbes(perRound).build();
        tracer.measure(request.toBuilder().count(10).build()); // warm
        System.out.println();
        for (int i = 0; i < runs; i++) {
            List<Long> ours = new ArrayList<>();
            List<Long> theirs = new ArrayList<>();
            int ourReceived = 0;
            int theirReceived = 0;
            String transport = "";
            for (int round = 0; round < rounds; round++) {
                PingResult r = tracer.measure(request);
                transport = r.first().transport();
                ourReceived += (int) r.first().statistics().received();
                r.first().recent().forEach(p -> p.rtt().ifPresent(x -> ours.add(x.toNanos())));
                Process p = new ProcessBuilder("ping", "-n", "-c", String.valueOf(perRound), "-i", "0.01",
                        dest.getHostAddress()).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
                Matcher m = PING_TIME.matcher(output);
                while (m.find()) {
                    theirs.add(Math.round(Double.parseDouble(m.group(1)) * 1e6));
                }
                theirReceived += Ping.parse(output).received();
            }
            ours.sort(null);
            theirs.sort(null);
            long ourMedian = ours.isEmpty() ? 0 : ours.get((int) Math.ceil(0.5 * ours.size()) - 1); // nearest rank
            long theirMedian = theirs.isEmpty() ? 0 : theirs.get((int) Math.ceil(0.5 * theirs.size()) - 1);
            int probes = rounds * perRound;
            System.out.printf(Locale.ROOT,
                    "RTT run %d: 1 target, %d rounds of %d at 10 ms, alternating: pathprobe (%s) median "
                    + "%.1f µs, %d/%d answered; ping -i 0.01 median %.1f µs, %d/%d answered; difference %+.1f µs%n",
                    i + 1,
                    rounds, perRound, transport, ourMedian / 1e3, ourReceived, probes, theirMedian / 1e3, theirReceived,
                    probes, (ourMedian - theirMedian) / 1e3);
            System.out.printf(Locale.ROOT, "RESULT kind=rtt run=%d pathprobe_p50_us=%.1f ping_p50_us=%.1f diff_us=%.1f "
                    + "pathprobe_received=%d ping_received=%d probes=%d%n", i + 1, ourMedian / 1e3, theirMedian / 1e3,
                    (ourMedian - theirMedian) / 1e3, ourReceived, theirReceived, probes);
        }
    }

    /**
     * 254 targets × 10 probes at 100 ms (timeout 500 ms), the figure {@code PingLabTest} once held
     * under 1.575 s, against {@code fping -c 10 -p 100 -t 500 -i G} of the same targets, G being
     * pathprobe's own gap between targets (min(100 ms / (2 × 254), 0.5 ms), rounded to 0.2 ms);
     * alternating, {@code reps} times; wall time and answers received.
     */
    private static void many(PathTracer tracer, List<String> targets, int reps) throws Exception {
        PingRequest.Builder b = PingRequest.builder().count(10).interval(Duration.ofMillis(100))
                .probeTimeout(Duration.ofMillis(500));
        targets.forEach(b::target);
        PingRequest request = b.build();
        List<String> fpingOptions = List.of("-c", "10", "-p", "100", "-t", "500", "-i", "0.2", "-q");
        long[] ours = new long[reps];
        long[] theirs = new long[reps];
        long ourMin = Long.MAX_VALUE;
        long theirMin = Long.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            for (int turn = 0; turn < 2; turn++) {
                if ((turn + i) % 2 == 0) {
                    Run r = pathprobe(tracer, request);
                    ours[i] = r.nanos();
                    ourMin = Math.min(ourMin, r.received());
                } else {
                    Run r = fping(fpingOptions, targets);
                    theirs[i] = r.nanos();
                    theirMin = Math.min(theirMin, r.received());
                }
            }
        }
        long[] o = ours.clone();
        long[] t = theirs.clone();
        Arrays.sort(o);
        Arrays.sort(t);
        System.out.printf(Locale.ROOT,
                "254 targets x 10 at 100 ms: pathprobe median %.1f ms (%.1f-%.1f), %d/2540 answered "
                + "(min); fping -c 10 -p 100 -i 0.2 median %.1f ms (%.1f-%.1f), %d/2540 (min); n=%d%n",
                o[(reps - 1) / 2] / 1e6,
                o[0] / 1e6, o[reps - 1] / 1e6, ourMin, t[(reps - 1) / 2] / 1e6, t[0] / 1e6,
                t[reps - 1] / 1e6, theirMin, reps);
        System.out.printf(Locale.ROOT,
                "RESULT kind=many n=%d pathprobe_ms=%.1f pathprobe_min_ms=%.1f pathprobe_max_ms=%.1f "
                + "pathprobe_received_min=%d fping_ms=%.1f fping_min_ms=%.1f fping_max_ms=%.1f fping_received_min=%d%n",
                reps,
                o[(reps - 1) / 2] / 1e6, o[0] / 1e6, o[reps - 1] / 1e6, ourMin, t[(reps - 1) / 2] / 1e6, t[0] / 1e6,
                t[reps - 1] / 1e6, theirMin);
    }

    /**
     * The many-target figure: {@value #MANY_TARGETS} targets × 1 ICMP echo from one tracer (one raw socket per address
     * family, {@code linux-raw-icmp}, or one ping socket per target unprivileged), no gap and no rate budget, against
     * {@code fping -c 1 -i 0} (fping at its fastest) reading the same targets from a file; 1 s timeout both;
     * alternating, {@code reps} times: wall time (fping's: its process) and targets answered.
     */
    private static void tenThousand(PathTracer tracer, List<String> targets, String file, int reps) throws Exception {
        PingRequest request = PingRequest.builder().targets(targets).count(1).kind(PingKind.ICMP)
                .probeTimeout(Duration.ofSeconds(1)).gap(Duration.ZERO).build();
        List<String> fpingOptions = List.of("-c", "1", "-q", "-t", "1000", "-i", "0", "-f", file);
        tracer.measure(request); // warm at this size
        long[] ours = new long[reps];
        long[] theirs = new long[reps];
        int ourMin = Integer.MAX_VALUE;
        int theirMin = Integer.MAX_VALUE;
        String transport = "";
        for (int i = 0; i < reps; i++) {
            for (int turn = 0; turn < 2; turn++) {
                if ((turn + i) % 2 == 0) {
                    long t0 = System.nanoTime();
                    PingResult r = tracer.measure(request);
                    ours[i] = System.nanoTime() - t0;
                    ourMin = Math.min(ourMin, (int) r.targets().stream().filter(PingTargetResult::answered).count());
                    transport = r.first().transport();
                } else {
                    Run r = fping(fpingOptions, List.of());
                    theirs[i] = r.nanos();
                    theirMin = Math.min(theirMin, r.answered());
                }
            }
        }
        long[] o = ours.clone();
        long[] t = theirs.clone();
        Arrays.sort(o);
        Arrays.sort(t);
        int n = targets.size();
        System.out.printf(Locale.ROOT,
                "%d targets x 1, no gap: pathprobe (%s) median %.1f ms (%.1f-%.1f), %d/%d answered "
                + "(min); fping -i 0 median %.1f ms (%.1f-%.1f), %d/%d (min); n=%d%n", n, transport,
                o[(reps - 1) / 2] / 1e6,
                o[0] / 1e6, o[reps - 1] / 1e6, ourMin, n, t[(reps - 1) / 2] / 1e6, t[0] / 1e6,
                t[reps - 1] / 1e6, theirMin,
                n, reps);
        System.out.printf(Locale.ROOT, "RESULT kind=tenthousand targets=%d n=%d transport=%s pathprobe_ms=%.1f "
                + "pathprobe_min_ms=%.1f pathprobe_max_ms=%.1f pathprobe_answered_min=%d "
                + "fping_ms=%.1f fping_min_ms=%.1f "
                + "fping_max_ms=%.1f fping_answered_min=%d%n", n, reps, transport, o[(reps - 1) / 2] / 1e6, o[0] / 1e6,
                o[reps - 1] / 1e6, ourMin, t[(reps - 1) / 2] / 1e6, t[0] / 1e6, t[reps - 1] / 1e6, theirMin);
    }

    /**
     * Send lateness while a listener sleeps 50 ms per event ({@code PingLabTest}'s
     * sendsKeepTheirScheduleWhileAListenerSleeps): 300 probes at 10 ms to one target, each send's
     * lateness against its own due instant as the engine re-plans it ({@link #lateness}, {@link #LATENESS_RULE});
     * p50, p99 (nearest rank) and max per run, medians and ranges over
     * {@code runs} runs. After each run the machine's own floor, measured the same way: a C thread with no engine
     * (bench/src/main/c/wakeup_floor.c) waking 300 times on a 10 ms grid, its timer slack 1 µs as the engine's; the
     * rows' ratios are pathprobe's over it (what the engine adds to what any thread of this machine gets now).
     */
    private static void pacing(PathTracer tracer, InetAddress dest, int runs) throws Exception {
        int n = 300;
        double[][] stats = new double[3][runs];
        double[][] floor = new double[3][runs];
        java.nio.file.Path floorProgram = FloorProgram.compileFloor("wakeup_floor");
        int receivedMin = Integer.MAX_VALUE;
        System.out.println("pacing: " + LATENESS_RULE);
        for (int i = 0; i < runs; i++) {
            PingResult r = tracer.measure(PingRequest.builder().target(dest).count(n).interval(Duration.ofMillis(10))
                    .recentProbes(n).listener(new io.pathprobe.ping.PingListener() {
                        @Override
                        public void probeCompleted(int index, String target, io.pathprobe.ping.PingProbe probe) {
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build());
            receivedMin = Math.min(receivedMin, (int) r.first().statistics().received());
            long[] dev = lateness(r.first().recent(), 10_000_000L);
            int k = dev.length;
            stats[0][i] = k == 0 ? Double.NaN : dev[(int) Math.ceil(0.5 * k) - 1] / 1e3;
            stats[1][i] = k == 0 ? Double.NaN : dev[(int) Math.ceil(0.99 * k) - 1] / 1e3;
            stats[2][i] = k == 0 ? Double.NaN : dev[k - 1] / 1e3;
            System.out.printf(Locale.ROOT,
                    "pacing run %d: 300 at 10 ms, listener sleeping 50 ms: send lateness p50 %.1f µs, "
                    + "p99 %.1f µs, max %.1f µs; %d/300 answered%n", i + 1, stats[0][i], stats[1][i], stats[2][i],
                    r.first().statistics().received());
            wakeupFloor(floorProgram, floor, i);
        }
        StringBuilder line = new StringBuilder("RESULT kind=pacing n=" + runs + " sends=" + n + " rule=own-due"
                + " received_min=" + receivedMin);
        String[] names = {"p50", "p99", "max"};
        for (int s = 0; s < 3; s++) {
            double[] v = stats[s].clone();
            Arrays.sort(v);
            line.append(String.format(Locale.ROOT, " %s_us=%.1f %s_min_us=%.1f %s_max_us=%.1f",
                    names[s], v[(runs - 1) / 2],
                    names[s], v[0], names[s], v[runs - 1]));
            double[] c = floor[s].clone();
            Arrays.sort(c);
            line.append(String.format(Locale.ROOT, " floor_%s_us=%.1f floor_%s_min_us=%.1f floor_%s_max_us=%.1f",
                    names[s], c[(runs - 1) / 2], names[s], c[0], names[s], c[runs - 1]));
        }
        System.out.println(line);
    }

    /** The rule {@link #lateness} measures by, as the bench prints it. */
    static final String LATENESS_RULE = "send lateness: each send against its own due instant as the engine re-plans "
            + "it (PingSchedule: the slot start + k x interval, the start the first send; after a send a whole "
            + "interval late, half an interval after it while catching up; after a stall of "
            + io.pathprobe.core.internal.ping.PingSchedule.MAX_CATCH_UP_SLOTS
            + "+ intervals, the first slot after it), not against the first grid; the first send starts the schedule "
            + "and is not counted";

    /**
     * Each send's lateness in ns, sorted: its time less the instant it was due on its target's schedule as the engine
     * plans it, {@link io.pathprobe.core.internal.ping.PingSchedule} run again over the sends in the order they left
     * (failed sends use their slot too). The first send starts the schedule: not counted. Measured so, one stall makes
     * the sends it delayed late, not every later one (against the first grid, a stall that skipped slots counted every
     * later send late by the slots skipped).
     */
    static long[] lateness(List<io.pathprobe.ping.PingProbe> probes, long intervalNanos) {
        long[] sent = probes.stream().mapToLong(p -> p.sentAt().toNanos()).sorted().toArray();
        if (sent.length == 0) {
            return sent;
        }
        io.pathprobe.core.internal.ping.PingSchedule schedule =
                new io.pathprobe.core.internal.ping.PingSchedule(intervalNanos, sent[0]);
        schedule.used(sent[0]);
        long[] late = new long[sent.length - 1];
        for (int i = 1; i < sent.length; i++) {
            late[i - 1] = sent[i] - schedule.due();
            schedule.used(sent[i]);
        }
        Arrays.sort(late);
        return late;
    }

    private static final Pattern FLOOR_LINE = Pattern.compile("p50_us=([\\d.]+) p99_us=([\\d.]+) max_us=([\\d.]+)");

    /** One run of the C wake-up floor: its p50, p99 and max into {@code floor[0..2][run]}. */
    private static void wakeupFloor(java.nio.file.Path program, double[][] floor, int run) throws Exception {
        Process p = new ProcessBuilder(program.toString(), "1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = FLOOR_LINE.matcher(out);
        if (p.waitFor() != 0 || !m.find()) {
            throw new IllegalStateException(program + " failed: " + out);
        }
        for (int s = 0; s < 3; s++) {
            floor[s][run] = Double.parseDouble(m.group(s + 1));
        }
        System.out.printf(Locale.ROOT,
                "pacing run %d: C wake-up floor, 300 at 10 ms: p50 %s µs, p99 %s µs, max %s µs%n", run + 1,
                m.group(1), m.group(2), m.group(3));
    }

    private static String[] row(String gap, String label, Run ours, Run fping, Run[] ourRuns,
            Run @Nullable [] fpingRuns,
            double ratio, double target) {
        return new String[] {gap, label, ms(ours.nanos()) + " (" + range(ourRuns) + ")", answered(ours, ourRuns),
                ms(fping.nanos()) + (fpingRuns == null ? " (above)" : " (" + range(fpingRuns) + ")"),
                fpingRuns == null ? "" : answered(fping, fpingRuns),
                String.format(Locale.ROOT, "%.3f%s", ratio, ratio <= target ? "" : "  (over " + target + ")")};
    }

    private static String result(String mode, String gap, String label, Run ours, Run fping, Run[] ourRuns,
            Run @Nullable [] fpingRuns, double ratio) {
        return String.format(Locale.ROOT,
                "RESULT kind=%s gap_ms=%s contender=%s pathprobe_ms=%.1f pathprobe_answered=%d "
                + "pathprobe_answered_min=%d fping_ms=%.1f fping_elapsed_ms=%.1f fping_answered=%d "
                + "fping_answered_min=%d "
                + "ratio=%.4f n=%d pathprobe_min_ms=%.1f pathprobe_max_ms=%.1f", mode, gap, label.replace(' ', '-'),
                ours.nanos() / 1e6, ours.answered(), minAnswered(ourRuns), fping.nanos() / 1e6, fping.fpingElapsedMs(),
                fping.answered(), fpingRuns == null ? fping.answered() : minAnswered(fpingRuns), ratio, ourRuns.length,
                Arrays.stream(ourRuns).mapToLong(Run::nanos).min().orElse(0) / 1e6,
                Arrays.stream(ourRuns).mapToLong(Run::nanos).max().orElse(0) / 1e6);
    }

    private static String answered(Run median, Run[] runs) {
        return median.answered() + " (" + minAnswered(runs) + ")";
    }

    private static int minAnswered(Run[] runs) {
        return Arrays.stream(runs).mapToInt(Run::answered).min().orElse(0);
    }

    private static String range(Run[] runs) {
        long min = Arrays.stream(runs).mapToLong(Run::nanos).min().orElse(0);
        long max = Arrays.stream(runs).mapToLong(Run::nanos).max().orElse(0);
        return ms(min) + "-" + ms(max);
    }

    private static String ms(long nanos) {
        double v = nanos / 1e6;
        return String.format(Locale.ROOT, v < 100 ? "%.1f" : "%.0f", v);
    }

    /** The run with the median wall time (the lower middle one for an even count). */
    private static Run median(Run[] runs) {
        Run[] sorted = runs.clone();
        Arrays.sort(sorted, (a, b) -> Long.compare(a.nanos(), b.nanos()));
        return sorted[(sorted.length - 1) / 2];
    }
}
