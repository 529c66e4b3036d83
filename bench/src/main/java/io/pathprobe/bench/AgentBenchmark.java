package io.pathprobe.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pathprobe.PathTracer;
import io.pathprobe.agent.AgentConfig;
import io.pathprobe.agent.AgentStatistics;
import io.pathprobe.agent.PathProbeAgent;
import io.pathprobe.agent.sink.RecordFormat;
import io.pathprobe.agent.sink.ResultSink;
import io.pathprobe.agent.sink.SinkSettings;
import io.pathprobe.lab.Lab;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One agent with many targets: a ping of every target every {@code pingSeconds}, a trace of every target every
 * {@code traceSeconds}, every record rendered in pathprobe's format to a sink that counts it. Two parts:
 * <ul>
 *   <li>{@code fake}: an hour (or {@code hours}) of the schedule on fake time against a scripted 4-hop path, in this
 *   JVM: real seconds taken, CPU per measurement, and the heap after a full GC every simulated ten minutes (bounded
 *   memory shows as a flat line);</li>
 *   <li>{@code lab}: {@code labMinutes} of real time against a lab destination with {@code targets} addresses behind
 *   a 3-router chain, in the lab's namespace (a child JVM): CPU per measurement with real sockets, and what the
 *   schedule kept up with (runs skipped).</li>
 * </ul>
 * Arguments: {@code [targets=1000] [hours=1] [labMinutes=3] [pingSeconds=10] [traceSeconds=60]}. Prints RESULT
 * lines ({@code part=fake|lab}).
 */
public final class AgentBenchmark {
    private AgentBenchmark() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, AgentBenchmark::outside, AgentBenchmark::inside);
    }

    private static void outside(String[] args) throws Exception {
        int targets = LabRuns.intArg(args, 0, 1000);
        double hours = LabRuns.doubleArg(args, 1, 1);
        double labMinutes = LabRuns.doubleArg(args, 2, 3);
        int ping = LabRuns.intArg(args, 3, 10);
        int trace = LabRuns.intArg(args, 4, 60);
        fake(targets, hours, ping, trace);
        if (labMinutes > 0) {
            System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
            try (Lab lab = Lab.chain(4).destinationAliases(targets).build()) {
                LabRuns.runInside(lab, AgentBenchmark.class, List.of("--inside", String.valueOf(labMinutes),
                        String.valueOf(ping), String.valueOf(trace), String.join(",",
                                lab.destinationAliases().stream().map(InetAddress::getHostAddress).toList())));
            }
            System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
        }
    }

    static String schedule(List<String> targets, int pingSeconds, int traceSeconds) {
        String list = String.join(", ", targets);
        return "limits: {concurrency: 64, packetsPerSecond: 2000}\n"
                + "jobs:\n"
                + "  - {name: ping, kind: ping, targets: [" + list + "], interval: " + pingSeconds + "s, count: 1,"
                + " options: {protocol: icmp, probeTimeout: 1s, enrich: off}}\n"
                + "  - {name: trace, kind: trace, targets: [" + list + "], interval: " + traceSeconds + "s,"
                + " options: {protocol: icmp, maxTtl: 8, probesPerTtl: 1, probeTimeout: 1s, enrich: off}}\n";
    }

    /** A sink that counts records and their bytes (the rendering is the agent's cost; no disk in the figure). */
    static final class Counting implements ResultSink {
        final AtomicLong records = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void write(String record) {
            records.incrementAndGet();
            bytes.addAndGet(record.length() + 1);
        }

        @Override
        public void close() {}
    }

    private static void fake(int n, double hours, int pingSeconds, int traceSeconds) {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            targets.add("198.18." + (100 + i / 250) + "." + (1 + i % 250));
        }
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time)
                .hop(ScriptedHop.router("198.18.1.1").delay(Duration.ofMillis(1)))
                .hop(ScriptedHop.router("198.18.1.2").delay(Duration.ofMillis(3)).loseEvery(10))
                .hop(ScriptedHop.router("198.18.1.3").delay(Duration.ofMillis(5)))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(8)))
                .build();
        Counting sink = new Counting();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build();
             PathProbeAgent agent = PathProbeAgent.builder()
                     .config(AgentConfig.parse(schedule(targets, pingSeconds, traceSeconds), "bench"))
                     .tracer(tracer).time(time, time).meterRegistry(registry)
                     .sink(new SinkSettings("count", "count", RecordFormat.PATHPROBE, 100_000, Map.of()), sink)
                     .build()) {
            long cpu0 = os.getProcessCpuTime();
            long real0 = System.nanoTime();
            agent.start();
            List<String> heap = new ArrayList<>();
            long steps = Math.round(hours * 3600);
            for (long s = 1; s <= steps; s++) {
                time.advance(Duration.ofSeconds(1));
                if (s % 600 == 0) {
                    System.gc();
                    System.gc();
                    heap.add(String.format(Locale.ROOT, "%.1f", memory.getHeapMemoryUsage().getUsed() / 1048576.0));
                }
            }
            long real = System.nanoTime() - real0;
            long cpu = os.getProcessCpuTime() - cpu0;
            AgentStatistics st = agent.statistics();
            long measurements = st.completed() + st.failed();
            // the scrape Prometheus would make: the median of 21, after 5 to warm up
            String text = "";
            for (int i = 0; i < 5; i++) {
                text = registry.scrape();
            }
            long[] scrape = new long[21];
            for (int i = 0; i < scrape.length; i++) {
                long t0 = System.nanoTime();
                text = registry.scrape();
                scrape[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(scrape);
            long series = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
            System.out.printf(Locale.ROOT, "/metrics: %d series, %.0f kB, scrape median %.1f ms (min %.1f, max %.1f)%n",
                    series, text.length() / 1024.0, scrape[10] / 1e6, scrape[0] / 1e6, scrape[20] / 1e6);
            System.out.printf(Locale.ROOT, "fake: %d targets, %.1f h simulated in %.1f s real: %d measurements, "
                    + "%d records, %d skipped; heap after GC every 10 min (MB): %s%n", n, hours, real / 1e9,
                    measurements, st.records(), st.skipped(), String.join(" ", heap));
            System.out.printf(Locale.ROOT, "RESULT part=fake targets=%d hours=%.2f real_s=%.1f measurements=%d "
                    + "records=%d skipped=%d failed=%d cpu_us_per_measurement=%.0f heap_mb_first=%s heap_mb_last=%s "
                    + "record_bytes=%d scrape_ms=%.2f scrape_kb=%.0f series=%d%n", n, hours, real / 1e9, measurements,
                    st.records(), st.skipped(),
                    st.failed(), measurements == 0 ? Double.NaN : cpu / 1e3 / measurements,
                    heap.isEmpty() ? "none" : heap.get(0), heap.isEmpty() ? "none" : heap.get(heap.size() - 1),
                    sink.bytes.get(), scrape[10] / 1e6, text.length() / 1024.0, series);
        }
    }

    private static void inside(String[] args) throws Exception {
        double minutes = Double.parseDouble(args[1]);
        int pingSeconds = Integer.parseInt(args[2]);
        int traceSeconds = Integer.parseInt(args[3]);
        List<String> targets = List.of(args[4].split(","));
        Counting sink = new Counting();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (PathProbeAgent agent = PathProbeAgent.builder()
                .config(AgentConfig.parse(schedule(targets, pingSeconds, traceSeconds), "bench"))
                .sink(new SinkSettings("count", "count", RecordFormat.PATHPROBE, 100_000, Map.of()), sink)
                .build()) {
            long cpu0 = os.getProcessCpuTime();
            long real0 = System.nanoTime();
            agent.start();
            Thread.sleep(Math.round(minutes * 60_000));
            AgentStatistics st = agent.statistics();
            long cpu = os.getProcessCpuTime() - cpu0;
            long real = System.nanoTime() - real0;
            long measurements = st.completed() + st.failed();
            System.out.printf(Locale.ROOT, "lab: %d targets for %.1f min: %d measurements (%d failed), %d records, "
                    + "%d skipped; CPU %.1f s (%.1f %% of one core)%n", targets.size(), minutes, measurements,
                    st.failed(), st.records(), st.skipped(), cpu / 1e9, 100.0 * cpu / real);
            System.out.printf(Locale.ROOT, "RESULT part=lab targets=%d minutes=%.1f measurements=%d failed=%d "
                    + "records=%d skipped=%d cpu_us_per_measurement=%.0f cpu_share=%.3f%n", targets.size(), minutes,
                    measurements, st.failed(), st.records(), st.skipped(),
                    measurements == 0 ? Double.NaN : cpu / 1e3 / measurements, (double) cpu / real);
        }
    }
}
