package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agreement figure: per-hop loss and mean RTT of a pathprobe monitor ({@code rounds} rounds of one
 * ICMP probe per hop, as {@code pathprobe mtr --report -c N} runs) against {@code mtr --report -c N --json} on the
 * same lab, taking turns, {@code runs} times each. The lab: a 6-hop chain whose routers send every ICMP error (the
 * comparison is about counting loss, not rate limits), router 3 dropping {@value #DROP} % of what it forwards and
 * the destination {@value #DROP} % of what arrives for it, so the truth per TTL is 0, 0, 0, 20, 20 and 36 %.
 *
 * <p>How it compares: one run's loss at a hop is a binomial sample of {@code rounds} probes; two runs of the two
 * tools agree within sampling error when they differ by at most two standard errors of a difference,
 * {@code 2·sqrt(2·p(1−p)/n)} at the truth {@code p} (11 points at 20 % and 100 rounds). Per TTL: the means over the
 * runs of each tool, the truth, and how many run pairs agree. Mean RTTs are printed beside (sub-millisecond on
 * the lab; pathprobe reads kernel timestamps, mtr its own clock).
 *
 * <p>Run as root from the root namespace: both tools run in the lab's host namespace (the monitor in a child JVM).
 * Arguments: {@code [runs=5] [rounds=100] [interval_ms=100]}.
 */
public final class MonitorComparison {
    static final double DROP = 20;
    private static final Pattern HUB = Pattern.compile("\\{[^{}]*\"count\":\\s*(\\d+)[^{}]*\\}");
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z%]+)\":\\s*(\"[^\"]*\"|[-0-9.eE]+)");

    private MonitorComparison() {}

    /** One tool's figures at one TTL: loss in percent, mean RTT in ms, probes sent. */
    record Hop(double loss, double avgMs, long sent) {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, MonitorComparison::outside,
                a -> inside(InetAddress.getByName(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3])));
    }

    private static void outside(String[] args) throws Exception {
        int runs = LabRuns.intArg(args, 0, 5);
        int rounds = LabRuns.intArg(args, 1, 100);
        int intervalMs = LabRuns.intArg(args, 2, 100);
        try (Lab lab = Lab.chain(6)
                .icmpUnlimited("the injected loss is compared with mtr's reading of it, not rate limits")
                .dropAtRouter(3, DROP).dropToDestination(DROP).build()) {
            String dest = lab.destination().getHostAddress();
            int hops = lab.hops();
            double[] truth = new double[hops + 1];
            for (int ttl = 1; ttl <= hops; ttl++) {
                double pass = (ttl > 3 ? 1 - DROP / 100 : 1) * (ttl == hops ? 1 - DROP / 100 : 1);
                truth[ttl] = 100 * (1 - pass);
            }
            System.out.printf(Locale.ROOT,
                    "monitor vs mtr: %d runs each of %d rounds every %d ms through a %d-hop chain "
                    + "(router 3 drops %.0f %% forward, the destination %.0f %% of what arrives), load %s%n", runs,
                    rounds,
                    intervalMs, hops, DROP, DROP, LabRuns.load());
            List<Map<Integer, Hop>> ours = new ArrayList<>();
            List<Map<Integer, Hop>> theirs = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                long t0 = System.nanoTime();
                ours.add(pathprobe(lab, dest, rounds, intervalMs));
                long t1 = System.nanoTime();
                theirs.add(mtr(lab, dest, rounds, intervalMs));
                long t2 = System.nanoTime();
                System.out.printf(Locale.ROOT, "run %d: pathprobe %s (%.1f s, child JVM included)%n       mtr       %s "
                        + "(%.1f s)%n", run, text(ours.get(run - 1)), (t1 - t0) / 1e9, text(theirs.get(run - 1)),
                        (t2 - t1) / 1e9);
            }
            System.out.println(" TTL  truth   pathprobe loss (runs)      mtr loss (runs)   agree  "
                    + "avg ms pathprobe / mtr");
            for (int ttl = 1; ttl <= hops; ttl++) {
                double p = truth[ttl] / 100;
                double bound = 100 * 2 * Math.sqrt(2 * Math.max(p * (1 - p), 1.0 / rounds / rounds) / rounds);
                List<Double> a = losses(ours, ttl);
                List<Double> b = losses(theirs, ttl);
                int agree = 0;
                for (int i = 0; i < runs; i++) {
                    agree += Math.abs(a.get(i) - b.get(i)) <= bound ? 1 : 0;
                }
                double ourAvg = mean(avgs(ours, ttl));
                double theirAvg = mean(avgs(theirs, ttl));
                System.out.printf(Locale.ROOT,
                        "%4d  %5.1f  %5.1f (%4.1f..%4.1f)  %5.1f (%4.1f..%4.1f)  %d/%d   %.3f / %.3f%n",
                        ttl, truth[ttl], mean(a), min(a), max(a), mean(b), min(b), max(b), agree,
                        runs, ourAvg, theirAvg);
                System.out.printf(Locale.ROOT, "RESULT ttl=%d truth=%.1f pathprobe_loss=%.2f pathprobe_min=%.1f "
                        + "pathprobe_max=%.1f mtr_loss=%.2f mtr_min=%.1f mtr_max=%.1f agree=%d runs=%d bound=%.1f "
                        + "pathprobe_avg_ms=%.4f mtr_avg_ms=%.4f rounds=%d%n", ttl, truth[ttl], mean(a), min(a), max(a),
                        mean(b), min(b), max(b), agree, runs, bound, ourAvg, theirAvg, rounds);
            }
        }
    }

    /** One pathprobe monitor run in a child JVM in the lab's host namespace; its per-TTL figures. */
    private static Map<Integer, Hop> pathprobe(Lab lab, String dest, int rounds, int intervalMs) throws Exception {
        Process p = lab.command(Lab.javaCommand(MonitorComparison.class, "--inside", dest, Integer.toString(rounds),
                Integer.toString(intervalMs))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("pathprobe monitor failed: " + out);
        }
        Map<Integer, Hop> hops = new TreeMap<>();
        for (String line : out.lines().toList()) {
            if (line.startsWith("HOP ")) {
                String[] f = line.split(" ");
                hops.put(Integer.parseInt(f[1]), new Hop(Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Long.parseLong(f[4])));
            }
        }
        return hops;
    }

    /** In the lab: one monitor of {@code rounds} rounds; prints {@code HOP ttl loss% avg_ms sent} per TTL. */
    private static void inside(InetAddress dest, int rounds, int intervalMs) {
        try (PathTracer t = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            TraceRequest round = TraceRequest.builder(dest).probesPerTtl(1).protocol(ProbeProtocol.ICMP).maxTtl(12)
                    .build();
            MonitorResult r = t.measure(MonitorRequest.builder(round).rounds(rounds)
                    .interval(Duration.ofMillis(intervalMs)).build());
            for (MonitorHop h : r.hops()) {
                MonitorStatistics s = h.total();
                double loss = 100 * s.loss(); // the report's own Loss%: rate-limited misses are not loss
                System.out.printf(Locale.ROOT, "HOP %d %.2f %.4f %d%n", h.ttl(), loss,
                        s.rtt().map(x -> x.avg().toNanos() / 1e6).orElse(0.0), s.sent());
            }
        }
    }

    /** One {@code mtr --report --json} run in the lab's host namespace; its per-TTL figures. */
    private static Map<Integer, Hop> mtr(Lab lab, String dest, int rounds, int intervalMs) throws Exception {
        Process p = lab.command(List.of("mtr", "-n", "--report", "--json", "-c", Integer.toString(rounds), "-i",
                String.format(Locale.ROOT, "%.3f", intervalMs / 1000.0), "-m", "12", dest))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("mtr failed: " + out);
        }
        return parseMtrJson(out);
    }

    /** The hubs of mtr's JSON report ({@code count} is the TTL; {@code Loss%}, {@code Avg} in ms, {@code Snt}). */
    static Map<Integer, Hop> parseMtrJson(String json) {
        Map<Integer, Hop> hops = new TreeMap<>();
        Matcher hub = HUB.matcher(json);
        while (hub.find()) {
            Map<String, String> f = new TreeMap<>();
            Matcher m = FIELD.matcher(hub.group());
            while (m.find()) {
                f.put(m.group(1), m.group(2).replace("\"", ""));
            }
            hops.put(Integer.parseInt(f.get("count")), new Hop(Double.parseDouble(f.getOrDefault("Loss%", "0")),
                    Double.parseDouble(f.getOrDefault("Avg", "0")), Long.parseLong(f.getOrDefault("Snt", "0"))));
        }
        return hops;
    }

    private static String text(Map<Integer, Hop> hops) {
        StringBuilder b = new StringBuilder();
        hops.forEach((ttl, h) -> b.append(String.format(Locale.ROOT, "%d:%.0f%%/%d ", ttl, h.loss(), h.sent())));
        return b.toString().strip();
    }

    private static List<Double> losses(List<Map<Integer, Hop>> runs, int ttl) {
        return runs.stream().map(r -> r.containsKey(ttl) ? r.get(ttl).loss() : Double.NaN).toList();
    }

    private static List<Double> avgs(List<Map<Integer, Hop>> runs, int ttl) {
        return runs.stream().map(r -> r.containsKey(ttl) ? r.get(ttl).avgMs() : Double.NaN).toList();
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
