package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.MiniJson;
import io.pathprobe.lab.runner.Scamper;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * pathprobe on routers that keep Linux's <b>default ICMP rate limits</b> (per source: 6 Time
 * Exceeded / Unreachable messages back to back, then one per second; 1000 per second per namespace),
 * as every router on the Internet limits what it sends: the labs of the other comparisons turn the
 * limits off ({@code icmpUnlimited}), this one keeps them. Three parts, each in a lab of its own:
 * <ol>
 *   <li><b>Diamonds</b> of width 2, 4 and 8, with Linux's limits and then with the lab's vendor-like
 *       profile ({@code icmpRateLimitPerRouter(10, 10)}: 10 errors a second per router whoever they go
 *       to, burst 10; the destination keeps Linux's): {@code discoverPaths} at 95 % (discovery only: no path
 *       probes, as scamper) over UDP (Linux L4 hash) and over ICMP (first-4-bytes hash: the kernel's
 *       never spreads echo requests) against scamper's {@code tracelb} with the matching method
 *       ({@code udp-dport}, {@code icmp-echo}), in the same lab, taking turns: wall time, probes that found the
 *       topology,
 *       whether every branch was found, how many paths pathprobe reported (the truth is the width) and
 *       the largest loss it reported on any path (the truth is 0).</li>
 *   <li><b>Per-path loss</b>: a diamond of 4 whose branch 1 drops 30 % of what it forwards
 *       ({@code dropAtBranch}), with 100 path probes a path over ICMP (end to end) and 20 over UDP
 *       (spaced under the destination's limit): the largest per-path loss pathprobe reported (the
 *       truth is 0.30, on the paths through branch 1), the largest on any other path (the truth is
 *       0), the loss basis and the time. In the diamonds' part, the default protocol (UDP) with 100 path
 *       probes on that lossy diamond (Linux hash) beside scamper's {@code tracelb}: each path's loss, its basis
 *       (TCP flows end to end where the transport sends TCP), pathprobe's time against scamper's.</li>
 *   <li><b>A 29-hop chain</b>: traceroute once (it shows the hops a limited router lets through),
 *       then {@code traces} UDP traces in a row and {@code traces} at once: how many claimed forward or
 *       backward loss on this loss-free path (the truth is none), hops answered per trace against
 *       traceroute's, destination reached, wall time.</li>
 *   <li><b>Fresh processes back to back</b> (run first: {@link FreshTraces}): on the same
 *       29-hop chain (28 routers), {@code --fresh} (default 20) {@code pathprobe trace --json} processes in
 *       a row with no pause, per protocol (ICMP, UDP, TCP), beside as many {@code traceroute -I}, UDP and
 *       {@code -T} runs and {@code mtr --report -c 1} runs: loss claims (the truth is none), RTTs shown
 *       per router, routers shown with an address, time per trace. Then the <b>short path</b>: a
 *       destination 4 hops away, {@code --fresh} unprivileged (uid 65534) UDP traces back to back.</li>
 * </ol>
 * Before each contender's turn the comparison waits {@value #REFILL_SECONDS} s, so every router's
 * bucket is full again (6 tokens at one per second) and no contender pays for the one before it.
 *
 * <p>Run from the root namespace as root: it builds each lab (kernel-default ICMP limits), runs itself
 * again inside the lab's host namespace, where all probing happens, and tears the lab down. Arguments:
 * {@code [rounds] [traces] [widths...] [--fresh N] [--parts fresh,short,diamond,pathloss,vendor,loss,chain]}
 * (defaults 1, 100, 2 4 8, 20 and every part): rounds of the scamper/pathprobe turns per diamond and
 * protocol, and of the loss runs; back-to-back processes per tool in the fresh and short parts; the
 * parts to run ({@code pathloss}: only the diamond part's per-path loss run, which {@code diamond} includes).
 */
public final class RateLimitComparison {
    static final int REFILL_SECONDS = 7;
    private static final int CHAIN_HOPS = 29;
    private static final int DROP_PERCENT = 30;
    private static final int DIAMOND_TTL = 2;
    /** The short path's destination TTL (a destination 4 hops away). */
    private static final int SHORT_HOPS = 4;
    /** The parts {@code --parts} can choose, in the order they run. */
    private static final String[] PARTS = {"fresh", "short", "diamond", "pathloss", "vendor", "loss", "chain"};

    private RateLimitComparison() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, RateLimitComparison::outside, RateLimitComparison::inside);
    }

    private static void outside(String[] args) throws Exception {
        // options first (anywhere): --fresh N back-to-back processes, --parts a,b,...
        int fresh = 20;
        Set<String> parts = Set.of(PARTS);
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = Integer.parseInt(args[++i]);
                case "--parts" -> parts = Set.of(args[++i].split(","));
                default -> positional.add(args[i]);
            }
        }
        if (!Set.of(PARTS).containsAll(parts)) {
            throw new IllegalArgumentException("--parts takes some of " + String.join(",", PARTS) + ", was " + parts);
        }
        int rounds = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 1;
        int traces = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 100;
        int[] widths = positional.size() > 2
                ? positional.subList(2, positional.size()).stream().mapToInt(Integer::parseInt)
                .toArray() : new int[] {2, 4, 8};
        if (rounds < 1 || traces < 1 || fresh < 1) {
            throw new IllegalArgumentException("rounds, traces and --fresh must be at least 1, were "
                    + rounds + ", " + traces
                    + " and " + fresh);
        }
        System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
        if (parts.contains("fresh")) {
            // fresh processes back to back, pathprobe beside traceroute and mtr, one lab, one run
            inLab(Lab.chain(CHAIN_HOPS), "--inside-fresh", String.valueOf(CHAIN_HOPS), String.valueOf(fresh));
        }
        if (parts.contains("short")) {
            inLab(Lab.chain(SHORT_HOPS), "--inside-short", String.valueOf(SHORT_HOPS), String.valueOf(fresh));
        }
        // the kernel's L4 hash spreads UDP flows but never ICMP echo; the first-4-bytes hash (like
        // hardware) spreads echo requests by their checksum too
        for (int width : parts.contains("diamond") ? widths : new int[0]) {
            inLab(Lab.diamond(width, EcmpHash.LINUX_L4), "--inside-diamond", String.valueOf(width),
                    String.valueOf(rounds),
                    "UDP");
            inLab(Lab.diamond(width, EcmpHash.FIRST_4_BYTES), "--inside-diamond", String.valueOf(width),
                    String.valueOf(rounds), "ICMP");
        }
        if (parts.contains("diamond") || parts.contains("pathloss")) {
            // per-path loss with the defaults (UDP), 100 path probes, beside scamper's tracelb on the same lab
            inLab(Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(DIAMOND_TTL, 1, DROP_PERCENT),
                    "--inside-pathloss", "4",
                    String.valueOf(rounds));
        }
        // the vendor-like profile: a fixed budget per router (10 errors a second, burst 10, whoever they
        // go to), the destination keeping Linux's
        for (int width : parts.contains("vendor") ? widths : new int[0]) {
            inLab(Lab.diamond(width, EcmpHash.LINUX_L4).icmpRateLimitPerRouter(10, 10), "--inside-diamond",
                    String.valueOf(width), String.valueOf(rounds), "UDP", "vendor");
            inLab(Lab.diamond(width, EcmpHash.FIRST_4_BYTES).icmpRateLimitPerRouter(10, 10), "--inside-diamond",
                    String.valueOf(width), String.valueOf(rounds), "ICMP", "vendor");
        }
        if (parts.contains("loss")) {
            inLab(Lab.diamond(4, EcmpHash.LINUX_L4).dropAtBranch(DIAMOND_TTL, 1, DROP_PERCENT), "--inside-loss", "4",
                    String.valueOf(Math.max(3, rounds)), "UDP");
            inLab(Lab.diamond(4, EcmpHash.FIRST_4_BYTES)
                    .dropAtBranch(DIAMOND_TTL, 1, DROP_PERCENT), "--inside-loss", "4",
                    String.valueOf(Math.max(3, rounds)), "ICMP");
        }
        if (parts.contains("chain")) {
            inLab(Lab.chain(CHAIN_HOPS), "--inside-chain", String.valueOf(CHAIN_HOPS), String.valueOf(traces));
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
    }

    /** Builds the lab with the kernel's default ICMP limits and runs {@code mode} inside its host namespace. */
    private static void inLab(LabBuilder shape, String mode, String... more) throws Exception {
        try (Lab lab = shape.build()) {
            List<String> a = new ArrayList<>(List.of(mode, lab.destination().getHostAddress(),
                    LabRuns.expectedResponders(lab)));
            a.addAll(List.of(more));
            LabRuns.runInside(lab, RateLimitComparison.class, a);
        }
    }

    private static void inside(String[] args) throws Exception {
        InetAddress dest = InetAddress.getByName(args[1]);
        List<Set<InetAddress>> expected = LabRuns.expectedResponders(args[2]);
        int size = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        // fresh processes: no tracer in this JVM
        switch (args[0]) {
            case "--inside-fresh" -> {
                FreshTraces.fresh(dest, size, count);
                return;
            }
            case "--inside-short" -> {
                FreshTraces.shortPath(dest, size, count);
                return;
            }
            case "--inside-pathloss" -> {
                pathLoss(dest, expected, count);
                return;
            }
            default -> { }
        }
        // the defaults a user gets (rate budget included), without enrichment
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            switch (args[0]) {
                case "--inside-diamond" -> diamond(tracer, dest, expected, size, count, ProbeProtocol.valueOf(args[5]),
                        args.length > 6 ? args[6] : "kernel");
                case "--inside-loss" -> loss(tracer, dest, size, count, ProbeProtocol.valueOf(args[5]));
                case "--inside-chain" -> chain(tracer, dest, expected, count);
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    /**
     * Discovery as scamper does it (no path probes), or with {@code pathProbes} per path for the loss;
     * {@code port} is the UDP destination port (ICMP probes have none).
     */
    private static MultipathRequest multipath(InetAddress dest, ProbeProtocol protocol, int port, int pathProbes) {
        MultipathRequest.Builder b = MultipathRequest.builder(dest).protocol(protocol).confidence(95).maxTtl(8)
                .pathProbes(pathProbes).deadline(Duration.ofSeconds(300));
        if (protocol == ProbeProtocol.UDP) {
            b.destinationPort(port);
        }
        return b.build();
    }

    private static Set<InetAddress> at(MultipathResult r, int ttl) {
        return r.nodesAt(ttl).stream().flatMap(n -> n.address().stream()).collect(Collectors.toSet());
    }

    private static void refill() throws InterruptedException {
        Thread.sleep(REFILL_SECONDS * 1000L);
    }

    /** {@code profile}: "kernel" (Linux's default limits) or "vendor" (the lab's vendor-like per-router budget). */
    private static void diamond(PathTracer tracer, InetAddress dest,
            List<Set<InetAddress>> expected, int width, int rounds,
            ProbeProtocol protocol, String profile) throws InterruptedException {
        Set<InetAddress> middles = expected.get(DIAMOND_TTL - 1);
        int port = 33434;
        {
            String method = protocol == ProbeProtocol.UDP ? "udp-dport" : "icmp-echo";
            for (int round = 1; round <= rounds; round++) {
                refill();
                Scamper.Result s = Scamper.tracelbHere(dest, method, 95, List.of());
                int scamperBranches = (int) s.nodesAt(DIAMOND_TTL).stream().filter(middles::contains).count();
                refill();
                MultipathResult r = tracer.measure(multipath(dest, protocol, port, 0));
                port += 250;
                int branches = (int) at(r, DIAMOND_TTL).stream().filter(middles::contains).count();
                double maxLoss = r.paths().stream().mapToDouble(MultipathPath::loss).max().orElse(Double.NaN);
                if (branches != width || r.paths().size() != width) {
                    // a wrong answer shows its whole result: which flows went where, what was silent
                    System.out.println("pathprobe's result, wrong (its line follows):\n" + r);
                }
                long lossy = r.paths().stream().filter(p -> p.loss() > 0).count();
                double ms = r.duration().toNanos() / 1e6;
                double scamperMs = s.wall().toNanos() / 1e6;
                // discovery probes as scamper counts its own (the stopping rule's); the per-packet checks,
                // which scamper does not send, are printed apart
                System.out.printf(Locale.ROOT,
                        "%s diamond %d %-4s round %d | scamper %4d probes %7.0f ms %d/%d branches "
                        + "| pathprobe %4d probes (+%d per-packet checks) %7.0f ms %d/%d branches, "
                        + "%d paths (%d with loss, "
                        + "max %.2f), %s, reached %b%n", profile, width, protocol, round, s.probes(), scamperMs,
                        scamperBranches, width, r.discoveryProbes(), r.perPacketChecks(), ms, branches, width,
                        r.paths().size(), lossy, maxLoss, r.status(), r.destinationReached());
                System.out.printf(Locale.ROOT,
                        "RESULT part=diamond profile=%s width=%d protocol=%s round=%d scamper_probes=%d "
                        + "scamper_ms=%.0f scamper_branches=%d pathprobe_probes=%d "
                        + "pathprobe_checks=%d pathprobe_ms=%.1f "
                        + "pathprobe_branches=%d paths=%d lossy_paths=%d max_loss=%.3f reached=%b status=%s%n", profile,
                        width,
                        protocol, round, s.probes(), scamperMs, scamperBranches, r.discoveryProbes(),
                        r.perPacketChecks(), ms,
                        branches, r.paths().size(), lossy, maxLoss, r.destinationReached(), r.status());
            }
        }
    }

    /**
     * The diamond part's per-path loss: width 4, branch 1 dropping {@value #DROP_PERCENT} %, the default
     * protocol (UDP) with 100 path probes at 95 %, beside scamper's {@code tracelb} (udp-dport, 95 %, discovery
     * only) on the same lab: each path's loss, its basis and its probes, pathprobe's time against scamper's.
     * pathprobe runs as a user runs it: the command line, a fresh process each round ({@code multipath
     * --path-probes 100}), its time the document's {@code durationMs}.
     */
    @SuppressWarnings("unchecked")
    private static void pathLoss(InetAddress dest, List<Set<InetAddress>> expected, int rounds) throws Exception {
        Set<InetAddress> middles = expected.get(DIAMOND_TTL - 1);
        for (int round = 1; round <= rounds; round++) {
            refill();
            Scamper.Result s = Scamper.tracelbHere(dest, "udp-dport", 95, List.of());
            int scamperBranches = (int) s.nodesAt(DIAMOND_TTL).stream().filter(middles::contains).count();
            refill();
            FreshTraces.Output o = FreshTraces.run(FreshTraces.command(List.of("multipath", "--no-enrich", "--json",
                    "--confidence", "95", "-m", "8", "--path-probes", "100", "--deadline", "300s",
                    dest.getHostAddress()), null));
            Map<String, Object> r;
            try {
                r = MiniJson.object(MiniJson.parse(o.out().strip()));
            } catch (RuntimeException e) {
                System.out.println("pathprobe's multipath, wrong: exit " + o.exit()
                        + ", no document: " + o.out() + o.err());
                continue;
            }
            double ms = number(r, "durationMs");
            double scamperMs = s.wall().toNanos() / 1e6;
            List<Map<String, Object>> paths = (List<Map<String, Object>>) (List<?>) MiniJson.array(r.get("paths"));
            List<String> per = new ArrayList<>();
            for (Map<String, Object> p : paths) {
                List<Object> addresses = MiniJson.array(p.get("addresses"));
                Object branch = addresses.size() >= DIAMOND_TTL ? addresses.get(DIAMOND_TTL - 1) : "?";
                per.add(String.format(Locale.ROOT, "%s %.3f %s %d/%d/%d", branch,
                        number(p, "loss"),
                        p.get("lossBasis"), (int) number(p, "sent"),
                        (int) number(p, "received"),
                        (int) number(p, "lost")));
            }
            System.out.printf(Locale.ROOT,
                    "pathloss diamond 4 (branch 1 drops %d %%) UDP round %d | scamper %7.0f ms %d/4"
                    + " branches | pathprobe %7.0f ms (%.2f of scamper's), %d paths, %.0f probes, %s "
                    + "| per path (branch loss"
                    + " basis sent/received/lost): %s%n", DROP_PERCENT, round, scamperMs,
                    scamperBranches, ms, ms / scamperMs,
                    paths.size(), number(r, "probes"), r.get("status"), per);
            System.out.printf(Locale.ROOT, "RESULT part=pathloss width=4 protocol=UDP round=%d scamper_ms=%.0f"
                    + " scamper_branches=%d pathprobe_ms=%.0f ratio=%.2f paths=%d probes=%.0f status=%s losses=%s%n",
                    round,
                    scamperMs, scamperBranches, ms, ms / scamperMs, paths.size(),
                    number(r, "probes"),
                    r.get("status"), paths.stream().map(p -> String.format(Locale.ROOT, "%.3f:%s",
                            number(p, "loss"), p.get("lossBasis")))
                                    .collect(Collectors.joining(",")));
            if (paths.size() != 4) {
                System.out.println("pathprobe's result, wrong (its document follows):\n" + o.out());
            }
            System.out.println("notes: " + r.get("notes"));
        }
    }

    private static void loss(PathTracer tracer, InetAddress dest, int width, int rounds, ProbeProtocol protocol)
            throws InterruptedException {
        int port = 40000;
        // end to end over ICMP (echo replies are never limited): many probes are cheap, and 320 a path put a 30 %
        // loss within 5 points 95 % of the time (1.96 · √(0.3 · 0.7 / 320) = 0.050); over UDP the destination's
        // Port Unreachables are limited, so its probes are spaced (about one a second each, shared by the paths):
        // 20 a path, whose 10-point standard error the README states against the hand-run 320
        int pathProbes = protocol == ProbeProtocol.ICMP ? 320 : 20;
        {
            for (int round = 1; round <= rounds; round++) {
                refill();
                MultipathResult r = tracer.measure(multipath(dest, protocol, port, pathProbes));
                port += 250;
                double[] losses = r.paths().stream().mapToDouble(MultipathPath::loss).sorted().toArray();
                double worst = losses.length > 0 ? losses[losses.length - 1] : Double.NaN;
                double nextWorst = losses.length > 1 ? losses[losses.length - 2] : Double.NaN;
                // the paths through the dropping branch: every path whose loss is the worst one's group
                System.out.printf(Locale.ROOT,
                        "loss diamond %d (branch 1 drops %d %%) %-4s round %d: %d paths, losses %s, %s%n",
                        width, DROP_PERCENT, protocol, round, r.paths().size(), Arrays.toString(losses), r.status());
                if (r.paths().size() != width) {
                    // a wrong answer shows its whole result, as the diamonds' do
                    System.out.println("pathprobe's result, wrong (its line follows):\n" + r);
                }
                String basis = r.paths().isEmpty() ? "none" : r.paths().get(0).lossBasis().name();
                System.out.printf(Locale.ROOT, "RESULT part=loss width=%d protocol=%s round=%d truth=%.2f paths=%d "
                        + "path_probes=%d worst=%.3f next_worst=%.3f basis=%s ms=%.0f status=%s%n",
                        width, protocol, round,
                        DROP_PERCENT / 100.0, r.paths().size(), pathProbes, worst, nextWorst, basis,
                        r.duration().toNanos() / 1e6, r.status());
            }
        }
    }

    /**
     * Hops (TTL below the destination's) with an answer, and whether the trace claimed any forward or backward loss.
     */
    private record Seen(int answered, boolean lossClaimed, boolean reached) {
        static Seen of(TraceResult r) {
            int answered = 0;
            boolean claimed = false;
            for (Hop h : r.hops()) {
                if (!h.responders().isEmpty()) {
                    answered++;
                }
                claimed |= h.statistics().forwardLost() > 0 || h.statistics().backwardLost() > 0;
            }
            return new Seen(answered, claimed, r.destinationReached());
        }
    }

    private static void chain(PathTracer tracer, InetAddress dest, List<Set<InetAddress>> expected, int traces)
            throws Exception {
        refill();
        // classic UDP, 3 probes a hop, waiting as people run it
        Traceroute.Result tr = Traceroute.trace(Traceroute.USERS_WAIT, dest);
        int tracerouteSeen = (int) tr.hops().stream().filter(h -> !h.silent()).count();
        Set<InetAddress> tracerouteResponders = tr.hops().stream().flatMap(h -> h.addresses().stream())
                .collect(Collectors.toSet());
        System.out.printf(Locale.ROOT, "traceroute: %d of %d hops answered, reached %b%n", tracerouteSeen,
                expected.size(), tr.reached(dest));
        TraceRequest request = TraceRequest.builder(dest).protocol(ProbeProtocol.UDP).maxTtl(CHAIN_HOPS + 1).build();
        for (String how : List.of("in_a_row", "at_once")) {
            refill();
            long t0 = System.nanoTime();
            List<TraceResult> results = new ArrayList<>();
            if (how.equals("in_a_row")) {
                for (int i = 0; i < traces; i++) {
                    results.add(tracer.trace(request));
                }
            } else {
                List<CompletableFuture<TraceResult>> futures = new ArrayList<>();
                for (int i = 0; i < traces; i++) {
                    futures.add(tracer.traceAsync(request));
                }
                for (CompletableFuture<TraceResult> f : futures) {
                    results.add(f.get());
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            int claimed = 0;
            int reached = 0;
            int[] answered = new int[traces];
            // traceroute's responders that some trace of the batch saw answer (at any TTL): at once, the routers'
            // budgets are shared by every trace, so the batch, not each trace, can see what traceroute saw
            Set<InetAddress> seenByAny = new java.util.HashSet<>();
            for (int i = 0; i < traces; i++) {
                results.get(i).hops().forEach(h -> h.responders().forEach(r -> seenByAny.add(r.address())));
                Seen seen = Seen.of(results.get(i));
                claimed += seen.lossClaimed() ? 1 : 0;
                reached += seen.reached() ? 1 : 0;
                answered[i] = seen.answered();
            }
            int[] sorted = answered.clone();
            Arrays.sort(sorted);
            int atLeastTraceroute = (int) Arrays.stream(answered).filter(a -> a >= tracerouteSeen).count();
            int tracerouteSeenByAny = (int) tracerouteResponders.stream().filter(seenByAny::contains).count();
            System.out.printf(Locale.ROOT, "%d UDP traces %s over %d hops: %.0f ms, %d claimed loss, %d reached, hops "
                    + "answered min %d median %d max %d (traceroute %d); %d of %d saw at least "
                    + "traceroute's; %d of traceroute's "
                    + "%d responders answered some trace%n", traces, how.replace('_', ' '),
                    CHAIN_HOPS, ms, claimed, reached,
                    sorted[0], sorted[traces / 2], sorted[traces - 1], tracerouteSeen, atLeastTraceroute, traces,
                    tracerouteSeenByAny, tracerouteResponders.size());
            System.out.printf(Locale.ROOT,
                    "RESULT part=chain how=%s traces=%d hops=%d ms=%.0f loss_claimed=%d reached=%d "
                    + "answered_min=%d answered_median=%d traceroute_answered=%d at_least_traceroute=%d "
                    + "traceroute_responders=%d traceroute_responders_seen=%d%n", how, traces,
                    CHAIN_HOPS, ms, claimed, reached,
                    sorted[0], sorted[traces / 2], tracerouteSeen, atLeastTraceroute, tracerouteResponders.size(),
                    tracerouteSeenByAny);
        }
    }

    /** The number {@code key} of a JSON object. @throws IllegalArgumentException if it has none */
    private static double number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("no number " + key + " in " + m);
        }
        return n.doubleValue();
    }
}
