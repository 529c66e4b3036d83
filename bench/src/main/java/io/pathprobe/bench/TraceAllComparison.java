package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many targets behind one stem: {@code targets} addresses of one destination host behind a
 * chain of {@code stem} routers ({@link LabBuilder#destinationAliases}), routers with Linux's default
 * ICMP rate limits (6 back to back, then one a second, per source). In the same lab, taking turns with
 * a pause that refills every router's bucket:
 * <ol>
 *   <li>pathprobe {@code traceAll} with the stop set (Doubletree), 3 probes per hop (the default) and 1;</li>
 *   <li>pathprobe {@code traceAll(stopSet(false))}: the same targets as independent traces (the engine
 *       of {@code trace()}), at the same concurrency;</li>
 *   <li>scamper's own Doubletree: {@code trace -P icmp-paris -f <distance> -Z <local stop set>} over the
 *       target list in one process ({@code -p 10000 -w 32}: 32 traces at once, as pathprobe's), scamper
 *       told the distance up front; its wait stays at the default 5 s (with {@code -w 1} the Debian build,
 *       20211212, segfaults after about ten traces in this mode);</li>
 *   <li>scamper {@code trace -P icmp-paris -w 1} over the same list: independent traces.</li>
 * </ol>
 * For each: probes sent, wall time, destinations reached, and for pathprobe the traces whose every stem
 * hop names the lab's router (probed or from the stop set) and the stem hops left silent (a router that
 * refused: its limiter tripped, or a loss).
 *
 * <p>Run from the root namespace as root: it builds the lab, runs itself again inside the lab's host
 * namespace (all probing happens there) and tears the lab down. Arguments: {@code [targets] [stem]}
 * (defaults 1000 and 10).
 */
public final class TraceAllComparison {
    static final int REFILL_SECONDS = 7;
    private static final int CONCURRENCY = 32;

    private TraceAllComparison() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, TraceAllComparison::outside, TraceAllComparison::inside);
    }

    private static void outside(String[] args) throws Exception {
        int targets = LabRuns.intArg(args, 0, 1000);
        int stem = LabRuns.intArg(args, 1, 10);
        System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
        try (Lab lab = Lab.chain(stem + 1).destinationAliases(targets).build()) {
            LabRuns.runInside(lab, TraceAllComparison.class, List.of("--inside", LabRuns.expectedResponders(lab),
                    String.valueOf(targets), String.valueOf(stem), String.join(",",
                            lab.destinationAliases().stream().map(InetAddress::getHostAddress).toList())));
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
    }

    private static void inside(String[] args) throws Exception {
        List<Set<InetAddress>> expected = LabRuns.expectedResponders(args[1]);
        int n = Integer.parseInt(args[2]);
        int stem = Integer.parseInt(args[3]);
        List<String> targets = List.of(args[4].split(","));
        if (targets.size() != n) {
            throw new IllegalStateException(targets.size() + " aliases, " + n + " asked for");
        }
        pathprobe("traceall_stopset", targets, expected, stem, true, 3);
        pathprobe("traceall_stopset_1", targets, expected, stem, true, 1);
        pathprobe("independent", targets, expected, stem, false, 3);
        scamper("scamper_doubletree", targets, stem, true);
        scamper("scamper_trace", targets, stem, false);
    }

    private static void refill() throws InterruptedException {
        Thread.sleep(REFILL_SECONDS * 1000L);
    }

    /** One pathprobe turn, on a fresh tracer (its stop set and learned budgets start empty). */
    private static void pathprobe(String contender, List<String> targets, List<Set<InetAddress>> expected, int stem,
            boolean stopSet, int perHop) throws InterruptedException {
        refill();
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            long t0 = System.nanoTime();
            TraceRequest each = TraceRequest.builder(targets.get(0)).protocol(ProbeProtocol.ICMP).probesPerTtl(perHop)
                    .build();
            TraceAllResult r = tracer.measure(TraceAllRequest.builder(targets).trace(each).concurrency(CONCURRENCY)
                    .stopSet(stopSet).build());
            double ms = (System.nanoTime() - t0) / 1e6;
            int rightStem = 0;
            int silentStemHops = 0;
            int refusedStemProbes = 0;
            for (TraceResult t : r.traces()) {
                boolean right = t.destinationReached();
                for (int ttl = 1; ttl <= stem; ttl++) {
                    Hop h = t.hop(ttl).orElse(null);
                    if (h == null || h.silent()) {
                        silentStemHops++;
                        right = false;
                        continue;
                    }
                    right &= expected.get(ttl - 1).contains(h.address().orElseThrow());
                    refusedStemProbes += h.statistics().lost() + h.statistics().rateLimited();
                }
                rightStem += right ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%-20s %5d targets: %6d probes %8.0f ms, reached %d, right stem %d, "
                    + "silent stem hops %d, unanswered stem probes %d, from stop set %d%n", contender, targets.size(),
                    r.probesSent(), ms, r.reached(), rightStem, silentStemHops, refusedStemProbes, r.hopsFromStopSet());
            System.out.printf(Locale.ROOT, "RESULT part=%s targets=%d stem=%d per_hop=%d probes=%d ms=%.0f reached=%d "
                    + "right_stem=%d silent_stem_hops=%d unanswered_stem_probes=%d from_stop_set=%d status=%s%n",
                    contender,
                    targets.size(), stem, perHop, r.probesSent(), ms, r.reached(), rightStem, silentStemHops,
                    refusedStemProbes, r.hopsFromStopSet(), r.status());
        }
    }

    private static final Pattern PROBE_COUNT = Pattern.compile("\"probe_count\":(\\d+)");
    private static final Pattern HOP = Pattern.compile("\"probe_ttl\":(\\d+)");
    private static final Pattern STOP = Pattern.compile("\"stop_reason\":\"([A-Z_]+)\"");
    private static final Pattern DST = Pattern.compile("\"dst\":\"([0-9.]+)\"");

    /** One scamper turn: every target in one process, so a Doubletree local stop set is shared. */
    private static void scamper(String contender, List<String> targets, int stem, boolean doubletree)
            throws IOException, InterruptedException {
        refill();
        Path list = Files.createTempFile("pathprobe-traceall", ".txt");
        try {
            Files.write(list, targets, StandardCharsets.UTF_8);
            list.toFile().setReadable(true, false); // scamper drops to nobody
            // scamper 20211212 segfaults after a few traces when -w 1 (wait) meets -f and -Z with a window of 32
            // (Debian's build, in this lab): its Doubletree keeps the default wait of 5 s
            String trace = "trace -P icmp-paris" + (doubletree ? " -f " + (stem + 1) + " -Z stem" : " -w 1");
            List<String> cmd = List.of("scamper", "-O", "json", "-p", "10000", "-w", String.valueOf(CONCURRENCY), "-c",
                    trace, "-f", list.toString());
            LabRuns.Ran ran = LabRuns.run(cmd, 10);
            double ms = ran.ms();
            long probes = 0;
            int traces = 0;
            int reached = 0;
            int hopLines = 0;
            List<String> dsts = new ArrayList<>();
            for (String line : ran.out().split("\\R")) {
                if (!line.contains("\"type\":\"trace\"")) {
                    continue;
                }
                traces++;
                Matcher m = PROBE_COUNT.matcher(line);
                if (m.find()) {
                    probes += Long.parseLong(m.group(1));
                }
                Matcher s = STOP.matcher(line);
                if (s.find() && s.group(1).equals("COMPLETED")) {
                    reached++;
                }
                Matcher h = HOP.matcher(line);
                while (h.find()) {
                    hopLines++;
                }
                Matcher d = DST.matcher(line);
                if (d.find()) {
                    dsts.add(d.group(1));
                }
            }
            if (traces == 0) {
                throw new IllegalStateException("scamper printed no trace (exit " + ran.exit()
                        + "): " + ran.err().strip());
            }
            if (ran.exit() != 0) {
                System.out.printf(Locale.ROOT, "%s: scamper exited with %d after %d traces: %s%n",
                        contender, ran.exit(),
                        traces, ran.err().strip());
            }
            System.out.printf(Locale.ROOT,
                    "%-20s %5d targets: %6d probes %8.0f ms, reached %d, %d traces, %d replies%n",
                    contender, targets.size(), probes, ms, reached, traces, hopLines);
            System.out.printf(Locale.ROOT, "RESULT part=%s targets=%d stem=%d probes=%d ms=%.0f reached=%d traces=%d "
                    + "replies=%d exit=%d%n", contender, targets.size(), stem, probes, ms, reached, traces,
                    hopLines, ran.exit());
        } finally {
            Files.deleteIfExists(list);
        }
    }
}
