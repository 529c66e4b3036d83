package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.TracerStats;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.RouterCounters;
import io.pathprobe.options.ProbeBudget;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 73 item 2: a sustained probe rate under a stated budget. A chain of three kernel routers (answering every
 * probe: no ICMP limits) with thousands of destination addresses behind them; for the same time each: a C sender
 * ({@code bench/src/main/c/sendmmsg_sender.c}, UDP probes at TTL 1..4 in turn, 64 to a {@code sendmmsg} call), one
 * tracer as fast as it goes (no budget: UDP traces of one probe a TTL, {@value #IN_FLIGHT} at once, to the
 * destinations in turn), and the same tracer under a budget (overall and per router). Reported: each one's probe
 * rate and answer rate, and the routers' own counts of the Time Exceeded messages they sent (nftables, read four
 * times a second): the most any router sent in a second, and, under the budget, how many answers beyond the
 * per-router budget (its rate times the window plus its burst of one) any router sent: 0 when it held.
 *
 * <p>Run as root in a private network namespace ({@code build/netns/bin/java}, as build/bench does): the lab's host
 * is this JVM's namespace, which routes only the lab's addresses. Arguments: {@code [seconds] [destinations]
 * [perRouter] [overall]} (defaults 60, 5000, 500, 2000).
 */
public final class BudgetComparison {
    static final int IN_FLIGHT = 1024;
    static final int HOPS = 4;
    /** How often the routers' counters are read while a contender runs. */
    static final Duration READ_EVERY = Duration.ofMillis(250);

    private BudgetComparison() {}

    public static void main(String[] args) throws Exception {
        int seconds = LabRuns.intArg(args, 0, 60);
        int destinations = LabRuns.intArg(args, 1, 5000);
        int perRouter = LabRuns.intArg(args, 2, 500);
        int overall = LabRuns.intArg(args, 3, 2000);
        System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
        Path sender = FloorProgram.compileFloor("sendmmsg_sender");
        try (Lab lab = Lab.chain(HOPS).icmpUnlimited("the benchmark measures what the tracer's budget alone keeps")
                .destinationAliases(destinations).inCurrentNamespace().build()) {
            RouterCounters counters = RouterCounters.install(lab);
            List<InetAddress> targets = lab.destinationAliases();
            double cRate = cSender(sender, lab, targets, seconds, counters);
            double free = pathprobe("unbudgeted", ProbeBudget.builder().build(), targets, seconds, counters, 0, cRate);
            ProbeBudget budget = ProbeBudget.builder().overall(overall).perRouter(perRouter).build();
            pathprobe("budgeted", budget, targets, seconds, counters, perRouter, free);
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
    }

    private static double cSender(Path sender, Lab lab, List<InetAddress> targets, int seconds,
            RouterCounters counters) throws Exception {
        String[] out = new String[1];
        List<RouterCounters.Reading> readings = counters.readWhile(READ_EVERY, () -> {
            Process p = new ProcessBuilder(sender.toString(), String.valueOf(seconds), String.valueOf(HOPS), "33434")
                    .redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                for (InetAddress a : targets) {
                    in.write((a.getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            out[0] = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("sendmmsg_sender failed: " + out[0]);
            }
        });
        long sent = Long.parseLong(out[0].replaceAll(".*sent=(\\d+).*", "$1"));
        double took = Double.parseDouble(out[0].replaceAll(".*seconds=([0-9.]+).*", "$1"));
        double rate = sent / took;
        long answers = routerAnswers(readings);
        System.out.printf(Locale.ROOT, "RESULT part=c_sendmmsg seconds=%.1f probes=%d rate=%.0f router_answer_rate=%.0f"
                + " router_peak=%.0f%n", took, sent, rate, answers / took, max(RouterCounters.peakRates(readings)));
        return rate;
    }

    private static double pathprobe(String part, ProbeBudget budget, List<InetAddress> targets, int seconds,
            RouterCounters counters, int perRouter, double reference) throws Exception {
        double[] took = new double[1];
        TracerStats[] stats = new TracerStats[2];
        List<RouterCounters.Reading> readings;
        try (PathTracer tracer = PathTracer.builder().offline().budget(budget).build()) {
            readings = counters.readWhile(READ_EVERY, () -> {
                Semaphore slots = new Semaphore(IN_FLIGHT);
                AtomicInteger next = new AtomicInteger();
                stats[0] = tracer.stats();
                long t0 = System.nanoTime();
                long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end) {
                    if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    InetAddress target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
                    tracer.traceAsync(TraceRequest.builder(target).protocol(ProbeProtocol.UDP).probesPerTtl(1)
                            .maxTtl(HOPS).probeTimeout(Duration.ofSeconds(1)).build())
                            .whenComplete((r, e) -> slots.release());
                }
                stats[1] = tracer.stats();
                took[0] = (System.nanoTime() - t0) / 1e9;
            });
        }
        long probes = stats[1].probesSent() - stats[0].probesSent();
        long answers = stats[1].answersMatched() - stats[0].answersMatched();
        double rate = probes / took[0];
        long violations = perRouter > 0 ? RouterCounters.violations(readings, perRouter, 1) : -1;
        System.out.printf(Locale.ROOT, "RESULT part=%s seconds=%.1f probes=%d rate=%.0f answer_rate=%.0f"
                + " router_answer_rate=%.0f router_peak=%.0f budget_overall=%d budget_per_router=%d violations=%d"
                + " reference_rate=%.0f ratio=%.3f router_ratio=%.3f%n", part, took[0], probes, rate,
                answers / took[0], routerAnswers(readings) / took[0], max(RouterCounters.peakRates(readings)),
                budget.overall(), budget.perRouter(), violations, reference,
                perRouter > 0 ? rate / budget.overall() : rate / reference,
                perRouter > 0 ? routerAnswers(readings) / took[0] / ((HOPS - 1) * perRouter) : Double.NaN);
        return rate;
    }

    private static long routerAnswers(List<RouterCounters.Reading> readings) {
        List<Long> first = readings.get(0).timeExceeded();
        List<Long> last = readings.get(readings.size() - 1).timeExceeded();
        long sum = 0;
        for (int i = 0; i < first.size(); i++) {
            sum += last.get(i) - first.get(i);
        }
        return sum;
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
