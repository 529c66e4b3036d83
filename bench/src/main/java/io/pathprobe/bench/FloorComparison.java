package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.runner.Traceroute;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Times pathprobe against the physical floor of a trace on the lab: {@code floor}, a minimal C
 * program ({@code bench/src/main/c/floor.c}) that sends every probe of a UDP trace at once over one
 * socket with IP_RECVERR and reads every answer from the error queue. What it measures is the
 * kernel's work (sending, forwarding through every router, answering); pathprobe's time over it is
 * the engine's own cost.
 *
 * <p>Run from the root namespace as root. It compiles the floor program with {@code gcc -O2} into
 * {@code bench/target/floor}, then:
 * <ol>
 *   <li>on a clean chain (28 routers and the destination, no silent hops, ICMP unlimited): the floor
 *       (fresh socket per trace and one reused socket), warm in-JVM pathprobe UDP and ICMP traces and
 *       {@code traceroute -n -U}/{@code -I}, at 3 and at 1 probe per hop;</li>
 *   <li>on the same lab, in a child JVM with {@code -Xmx64m}: many concurrent traces
 *       ({@code traceAsync}; UDP and ICMP, adaptive and fixed wait), with the JVM's live thread count
 *       before, during and after and its process CPU time per probe sent; taking turns over three
 *       rounds with the same number of traces by {@code floor_batch}
 *       ({@code bench/src/main/c/floor_batch.c}), once from one sending process and once split over two
 *       at the same time, as the kernel's floor for the batch with one and with two sending threads
 *       (its time to the last answer, and its own CPU time per probe);</li>
 *   <li>on a chain with silent hops 5, 12 and 20 (as {@link TracerouteComparison}): pathprobe and
 *       traceroute, where the engine's adaptive wait for the silent hops comes on top.</li>
 * </ol>
 * All probing runs in child processes inside the lab's host namespace; the labs are torn down on
 * every exit. Only the public API is used, so it keeps working as the engine changes.
 * Arguments: {@code [hops] [iterations] [concurrent]} (defaults 29, 30 and 1000).
 */
public final class FloorComparison {
    private static final int[] SILENT = {5, 12, 20};
    private static final int MAX_HOPS = 30;
    private static final int WARM_UP = 500; // enough traces for the JIT to compile the hot paths
    /** Floor iterations per run of the floor program; it runs every {@link #FLOOR_EVERY} iterations. */
    private static final int FLOOR_CHUNK = 20;
    private static final int FLOOR_EVERY = 5;
    /** Rounds of the concurrent batches, each followed by the kernel's floor for the batch. */
    private static final int ROUNDS = 3;
    /**
     * The Linux transports' switch back to one recvmsg(2) a message (read when a transport opens): the baseline
     * batches of the concurrent child, labelled {@code recvmsg}.
     */
    private static final String RECEIVE_ONE_A_CALL = "pathprobe.linux.recvmmsg";
    /** What the concurrent child prints when the floor's turn comes; then it reads a line. */
    private static final String FLOOR_TURN = "FLOOR_TURN ";

    private FloorComparison() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("--")) {
            switch (args[0]) {
                case "--clean" -> clean(InetAddress.getByName(args[1]), Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]), Path.of(args[4]));
                case "--silent" -> silent(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
                case "--concurrent" -> concurrent(InetAddress.getByName(args[1]), Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]));
                default -> throw new IllegalArgumentException(args[0]);
            }
            return;
        }
        int hops = LabRuns.intArg(args, 0, 29);
        int iterations = LabRuns.intArg(args, 1, 30);
        int concurrent = LabRuns.intArg(args, 2, 1000);
        Path floor = FloorProgram.compileFloor("floor");
        Path floorBatch = FloorProgram.compileFloor("floor_batch");
        int rc = 0;
        // Routers that rate-limit ICMP errors would make the benchmark a measure of the limit.
        try (Lab lab = Lab.chain(hops).icmpUnlimited("the engine's floor is timed, over many traces of one lab")
                .build()) {
            String dest = lab.destination().getHostAddress();
            System.out.printf(Locale.ROOT, "== clean lab: destination %s at TTL %d (%d routers), no silent hops%n",
                    dest, hops, hops - 1);
            rc |= inLab(lab, List.of(), "--clean", dest, String.valueOf(hops), String.valueOf(iterations),
                    floor.toString());
            System.out.printf(Locale.ROOT, "== %d concurrent traces on the clean lab, child JVM with -Xmx64m, %d "
                    + "rounds taking turns with the kernel's floor for the batch%n", concurrent, ROUNDS);
            rc |= concurrentWithFloor(lab, floorBatch, dest, hops, concurrent);
        }
        int[] silent = Arrays.stream(SILENT).filter(t -> t < hops).toArray();
        try (Lab lab = Lab.chain(hops).silentHops(silent)
                .icmpUnlimited("the engine's floor is timed, over many traces of one lab").build()) {
            System.out.printf(Locale.ROOT, "== lab with silent hops %s: destination %s at TTL %d%n",
                    Arrays.toString(silent), lab.destination().getHostAddress(), hops);
            rc |= inLab(lab, List.of(), "--silent", lab.destination().getHostAddress(), String.valueOf(iterations));
        }
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /**
     * The concurrent batches in a child JVM with {@code -Xmx64m}, taking turns with the kernel's floor for
     * the same batch: after each of its rounds the child prints {@value #FLOOR_TURN} and waits for a line
     * on its standard input while {@code floor_batch} runs (one sending process, then two), so that both
     * sample the same minutes of the machine.
     */
    private static int concurrentWithFloor(Lab lab, Path floorBatch, String dest, int hops, int n) throws Exception {
        // PATHPROBE_BENCH_BATCH_JVM_OPTS: more options for this JVM only (a profiler, a flight recording)
        List<String> options = new ArrayList<>(List.of("-Xmx64m"));
        String extra = System.getenv("PATHPROBE_BENCH_BATCH_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.strip().split("\\s+")));
        }
        Process child = lab.command(Lab.javaCommand(options, FloorComparison.class, "--concurrent", dest,
                String.valueOf(n), String.valueOf(ROUNDS))).redirectErrorStream(true).start();
        int rc = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.startsWith(FLOOR_TURN)) {
                    System.out.println(line);
                    continue;
                }
                int round = Integer.parseInt(line.substring(FLOOR_TURN.length()).strip());
                System.out.printf(Locale.ROOT, "== the kernel's floor for %d concurrent traces, round %d of %d "
                        + "(floor_batch, 3/hop)%n", n, round + 1, ROUNDS);
                rc |= FloorProgram.batchFloorRound(lab, floorBatch, dest, hops, n, round);
                in.write("\n");
                in.flush();
            }
        }
        return rc | child.waitFor();
    }

    /** {@value #FLOOR_CHUNK} traces in a row, as the floor program runs its own; their times go to {@code times}. */
    private static void inARow(PathTracer tracer, TraceRequest request, List<Long> times) {
        for (int k = 0; k < FLOOR_CHUNK; k++) {
            long t0 = System.nanoTime();
            tracer.trace(request);
            times.add(System.nanoTime() - t0);
        }
    }

    /** Runs this class again, with these JVM options and arguments, inside the lab's host namespace. */
    private static int inLab(Lab lab, List<String> jvmOptions, String... args) throws Exception {
        return lab.command(Lab.javaCommand(jvmOptions, FloorComparison.class, args)).inheritIO().start().waitFor();
    }

    // ---------------------------------------------------------------------------------------------
    // (a) clean lab: floor vs pathprobe vs traceroute

    private static void clean(InetAddress dest, int hops, int iterations, Path floor) throws Exception {
        if (Lab.inRootNetworkNamespace()) {
            throw new IllegalStateException("refusing to probe from the root network namespace");
        }
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            for (int perHop : new int[] {3, 1}) {
                cleanAt(tracer, dest, hops, iterations, perHop, floor);
            }
        }
    }

    private static void cleanAt(PathTracer tracer, InetAddress dest, int hops, int iterations, int perHop, Path floor)
            throws Exception {
        TraceRequest udp = TraceRequest.builder(dest).protocol(ProbeProtocol.UDP).probesPerTtl(perHop)
                .maxTtl(MAX_HOPS).build();
        TraceRequest icmp = udp.toBuilder().protocol(ProbeProtocol.ICMP).build();
        List<String> q = List.of("-q", String.valueOf(perHop));
        for (int i = 0; i < WARM_UP; i++) {
            tracer.trace(udp); // warm-up: JIT, transports opened
            tracer.trace(icmp);
        }
        FloorProgram.runFloor(floor, dest, hops, perHop, 5, "fresh"); // warm-up: page cache, routes, neighbours
        FloorProgram.FloorRun fresh = new FloorProgram.FloorRun();
        FloorProgram.FloorRun reuse = new FloorProgram.FloorRun();
        FloorProgram.FloorRun stamped = new FloorProgram.FloorRun();
        // the floor runs FLOOR_CHUNK traces in a row; pathprobe does the same right after it (like for like), and
        // each iteration one floor trace alone (a process of one trace) before pathprobe's own lone traces
        FloorProgram.FloorRun alone = new FloorProgram.FloorRun();
        List<Long> udpRuns = new ArrayList<>();
        List<Long> icmpRuns = new ArrayList<>();
        long[] udpTimes = new long[iterations];
        long[] icmpTimes = new long[iterations];
        long[] trU = new long[iterations];
        long[] trI = new long[iterations];
        TraceResult udpResult = null;
        TraceResult icmpResult = null;
        List<Optional<InetAddress>> trUPath = null;
        List<Optional<InetAddress>> trIPath = null;
        int udpSentMax = 0;
        int udpLostMax = 0;
        int icmpLostMax = 0;
        int udpReached = 0;
        int icmpReached = 0;
        for (int i = 0; i < iterations; i++) {
            // interleaved, so every contender sees the same machine state
            if (i % FLOOR_EVERY == 0) {
                fresh.add(FloorProgram.runFloor(floor, dest, hops, perHop, FLOOR_CHUNK, "fresh"));
                reuse.add(FloorProgram.runFloor(floor, dest, hops, perHop, FLOOR_CHUNK, "reuse"));
                stamped.add(FloorProgram.runFloor(floor, dest, hops, perHop, FLOOR_CHUNK, "fresh", "ts"));
                inARow(tracer, udp, udpRuns);
                inARow(tracer, icmp, icmpRuns);
            }
            alone.add(FloorProgram.runFloor(floor, dest, hops, perHop, 1, "fresh"));
            long t0 = System.nanoTime();
            udpResult = tracer.trace(udp);
            udpTimes[i] = System.nanoTime() - t0;
            udpSentMax = Math.max(udpSentMax, sent(udpResult));
            udpLostMax = Math.max(udpLostMax, sent(udpResult) - received(udpResult));
            udpReached += udpResult.destinationReached() ? 1 : 0;
            t0 = System.nanoTime();
            icmpResult = tracer.trace(icmp);
            icmpTimes[i] = System.nanoTime() - t0;
            icmpReached += icmpResult.destinationReached() ? 1 : 0;
            icmpLostMax = Math.max(icmpLostMax, sent(icmpResult) - received(icmpResult));
            t0 = System.nanoTime();
            trUPath = Traceroute.run(LabRuns.concat(LabRuns.concat(Traceroute.USERS_WAIT,
                    List.of("-n", "-U")), q), dest);
            trU[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            trIPath = Traceroute.run(LabRuns.concat(LabRuns.concat(Traceroute.USERS_WAIT,
                    List.of("-n", "-I")), q), dest);
            trI[i] = System.nanoTime() - t0;
        }
        double f = fresh.median();
        double r = reuse.median();
        double u = Percentiles.median(udpTimes) / 1e6;
        double ic = Percentiles.median(icmpTimes) / 1e6;
        double uRow = medianOf(udpRuns.stream().map(t -> t / 1e6).toList());
        double icRow = medianOf(icmpRuns.stream().map(t -> t / 1e6).toList());
        double a = alone.median();
        System.out.printf(Locale.ROOT, "-- %d probe(s) per hop, max TTL %d (floor: %d probes, TTL 1..%d)%n",
                perHop, MAX_HOPS, hops * perHop, hops);
        System.out.printf(Locale.ROOT,
                "floor fresh socket per trace : median %.3f ms (min %.3f, max %.3f; %d traces, %d "
                        + "complete; socket open "
                        + "%.3f ms more, not included; %d sends retried after a pending ICMP error)%n",
                f, fresh.min(), fresh.max(), fresh.count(), fresh.complete, fresh.openMedian(), fresh.retries);
        System.out.printf(Locale.ROOT,
                "floor one socket reused      : median %.3f ms (min %.3f, max %.3f; %d traces, %d complete; %d sends "
                        + "retried)%n",
                r, reuse.min(), reuse.max(), reuse.count(), reuse.complete, reuse.retries);
        System.out.printf(Locale.ROOT,
                "floor fresh + SO_TIMESTAMPNS : median %.3f ms (min %.3f, max %.3f; %d traces, %d complete)%n",
                stamped.median(), stamped.min(), stamped.max(), stamped.count(), stamped.complete);
        System.out.printf(Locale.ROOT,
                "floor alone (one trace a process, between the others): median %.3f ms (%d traces, %d complete)%n",
                a, alone.count(), alone.complete);
        System.out.printf(Locale.ROOT,
                "pathprobe in a row (%d at a time after the floor's, as it runs): UDP median %.3f ms, x%.2f floor "
                        + "(fresh); ICMP median %.3f ms, x%.2f UDP floor (%d traces each)%n",
                FLOOR_CHUNK, uRow, uRow / f, icRow, icRow / f, udpRuns.size());
        System.out.printf(Locale.ROOT,
                "pathprobe alone (one trace, between traceroute and the floor): UDP x%.2f floor alone, ICMP x%.2f%n",
                u / a, ic / a);
        System.out.printf(Locale.ROOT,
                "pathprobe UDP  (%s, warm): median %.3f ms (min %.3f; up to %d probes sent, up to %d unanswered; "
                        + "destination reached %d/%d) | x%.2f floor (fresh), x%.2f floor (reused) | "
                        + "traceroute -n -U -q %d: median %.2f ms, ratio %.3f%n",
                udpResult == null ? "?" : udpResult.transport(), u, min(udpTimes) / 1e6, udpSentMax, udpLostMax,
                udpReached, iterations, u / f, u / r, perHop, Percentiles.median(trU) / 1e6,
                u / (Percentiles.median(trU) / 1e6));
        System.out.printf(Locale.ROOT,
                "pathprobe ICMP (%s, warm): median %.3f ms (min %.3f; up to %d unanswered; "
                        + "destination reached %d/%d) | "
                        + "x%.2f UDP floor (fresh) | traceroute -n -I -q %d: median %.2f ms, ratio %.3f%n",
                icmpResult == null ? "?" : icmpResult.transport(), ic, min(icmpTimes) / 1e6, icmpLostMax,
                icmpReached, iterations, ic / f, perHop, Percentiles.median(trI) / 1e6,
                ic / (Percentiles.median(trI) / 1e6));
        if (udpResult == null || icmpResult == null) {
            throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
        }
        List<Optional<InetAddress>> udpPath = path(udpResult);
        List<Optional<InetAddress>> icmpPath = path(icmpResult);
        boolean same = udpPath.equals(trUPath) && icmpPath.equals(trIPath) && udpPath.equals(fresh.path)
                && udpPath.equals(reuse.path);
        System.out.println("same hops (pathprobe UDP/ICMP, traceroute -U/-I, floor): " + (same ? "yes" : "NO"));
        if (!same) {
            System.out.println("     pathprobe UDP:  " + udpPath);
            System.out.println("     pathprobe ICMP: " + icmpPath);
            System.out.println("     traceroute -U:  " + trUPath);
            System.out.println("     traceroute -I:  " + trIPath);
            System.out.println("     floor:          " + fresh.path);
        }
        System.out.printf(Locale.ROOT,
                "RESULT perHop=%d floor_fresh_ms=%.4f floor_reuse_ms=%.4f pathprobe_udp_ms=%.4f pathprobe_icmp_ms=%.4f "
                        + "traceroute_udp_ms=%.3f traceroute_icmp_ms=%.3f ratio_udp_floor=%.3f same_hops=%s "
                        + "floor_alone_ms=%.4f pathprobe_udp_row_ms=%.4f pathprobe_icmp_row_ms=%.4f "
                        + "ratio_udp_floor_row=%.3f ratio_udp_floor_alone=%.3f%n",
                perHop, f, r, u, ic, Percentiles.median(trU) / 1e6, Percentiles.median(trI) / 1e6, u / f, same, a, uRow,
                icRow, uRow / f, u / a);
    }

    // ---------------------------------------------------------------------------------------------
    // (b) silent hops: the adaptive wait comes on top

    private static void silent(InetAddress dest, int iterations) {
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            for (int perHop : new int[] {3, 1}) {
                for (ProbeProtocol protocol : List.of(ProbeProtocol.UDP, ProbeProtocol.ICMP)) {
                    TraceRequest request = TraceRequest.builder(dest).protocol(protocol).probesPerTtl(perHop)
                            .maxTtl(MAX_HOPS).build();
                    List<String> options = List.of("-n", protocol == ProbeProtocol.UDP ? "-U" : "-I", "-q",
                            String.valueOf(perHop));
                    for (int i = 0; i < WARM_UP; i++) {
                        tracer.trace(request);
                    }
                    long[] ours = new long[iterations];
                    long[] theirs = new long[iterations];
                    List<Optional<InetAddress>> ourPath = null;
                    List<Optional<InetAddress>> theirPath = null;
                    int reached = 0;
                    String transport = "?";
                    for (int i = 0; i < iterations; i++) {
                        long t0 = System.nanoTime();
                        TraceResult r = tracer.trace(request);
                        transport = r.transport();
                        ours[i] = System.nanoTime() - t0;
                        reached += r.destinationReached() ? 1 : 0;
                        ourPath = path(r);
                        long t1 = System.nanoTime();
                        theirPath = Traceroute.run(LabRuns.concat(Traceroute.USERS_WAIT, options), dest);
                        theirs[i] = System.nanoTime() - t1;
                    }
                    double o = Percentiles.median(ours) / 1e6;
                    double t = Percentiles.median(theirs) / 1e6;
                    boolean same = ourPath != null && ourPath.equals(theirPath);
                    System.out.printf(Locale.ROOT,
                            "%-4s %d/hop pathprobe (%s, warm): median %.3f ms (destination reached "
                                    + "%d/%d) | traceroute %s: "
                                    + "median %.2f ms | ratio %.3f | same hops: %s%n",
                            protocol, perHop, transport, o, reached, iterations,
                            String.join(" ", options), t, o / t, same ? "yes" : "NO");
                    if (!same) {
                        System.out.println("     pathprobe:  " + ourPath);
                        System.out.println("     traceroute: " + theirPath);
                    }
                    System.out.printf(Locale.ROOT,
                            "RESULT silent protocol=%s perHop=%d pathprobe_ms=%.4f traceroute_ms=%.3f%n",
                            protocol, perHop, o, t);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // (c) many concurrent traces in a small JVM

    /**
     * {@code rounds} rounds of {@code n} concurrent traces for each protocol and wait, after a warm-up of
     * each; after each round the floor's turn ({@value #FLOOR_TURN}, then a line read from the standard input).
     *
     * <p>The same batches with every send on the engine's thread ({@code senderThreads(0)}: what the sender
     * threads bring) run on a second tracer. The two are never open together: each round opens one, warms it
     * up ({@link #warmUp}, {@code WARM_UP / 10}), runs its batches and closes it, then the other
     * (after one warm-up of {@code WARM_UP} traces a request on each, for the JIT). Open beside each other,
     * each one's raw ICMP socket would queue every answer of the other's batch too (a transport's socket sees
     * every ICMP error of its protocol in the network namespace) and its I/O thread would read and drop them,
     * on the same 2 CPUs: measured paired (2 JVMs each, rounds 1 and 2), that took the UDP batch from a
     * median of 1.9 to 2.2 s.
     */
    private static void concurrent(InetAddress dest, int n, int rounds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int initial = threads.getThreadCount();
        BufferedReader turns = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<TraceRequest> requests = new ArrayList<>();
        // the adaptive wait against a fixed one: what the wait policy costs when the CPUs are saturated
        for (boolean adaptive : new boolean[] {true, false}) {
            for (ProbeProtocol protocol : List.of(ProbeProtocol.UDP, ProbeProtocol.ICMP)) {
                requests.add(TraceRequest.builder(dest).protocol(protocol).maxTtl(MAX_HOPS).adaptiveWait(adaptive)
                        .build());
            }
        }
        List<TraceRequest> adaptive = requests.stream().filter(TraceRequest::adaptiveWait).toList();
        for (boolean engine : new boolean[] {false, true}) {
            try (PathTracer tracer = tracer(engine)) {
                warmUp(tracer, engine ? adaptive : requests, WARM_UP);
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (boolean engine : new boolean[] {false, true}) {
                try (PathTracer tracer = tracer(engine)) {
                    warmUp(tracer, engine ? adaptive : requests, WARM_UP / 10);
                    for (TraceRequest request : engine ? adaptive : requests) {
                        concurrentBatch(tracer, engine ? "engine" : "", request, n, round, threads, initial);
                    }
                }
            }
            // the baseline of issue 73's batched receives, in the same rounds: one recvmsg(2) a message
            System.setProperty(RECEIVE_ONE_A_CALL, "false");
            try (PathTracer tracer = tracer(false)) {
                warmUp(tracer, adaptive, WARM_UP / 10);
                for (TraceRequest request : adaptive) {
                    concurrentBatch(tracer, "recvmsg", request, n, round, threads, initial);
                }
            } finally {
                System.clearProperty(RECEIVE_ONE_A_CALL);
            }
            System.out.println(FLOOR_TURN + round);
            System.out.flush();
            turns.readLine();
        }
        System.out.printf(Locale.ROOT, "live threads after the tracers are closed: %d%n", threads.getThreadCount());
    }

    /** The tracer of the batches: sends on its sender threads, or ({@code engineOnly}) all on its engine thread. */
    private static PathTracer tracer(boolean engineOnly) {
        io.pathprobe.PathTracerBuilder b = PathTracer.builder().offline().packetsPerSecond(0);
        return (engineOnly ? b.senderThreads(0) : b).build();
    }

    /**
     * {@code count} traces of each request in a row, then {@code count} at once: the JIT compiles the
     * batch's own code paths (many sessions, the sender threads) before a timed batch, and the tracer's sender
     * threads, which start when first needed, are running before it (a batch that starts one shows "grew").
     */
    private static void warmUp(PathTracer tracer, List<TraceRequest> requests, int count) {
        for (TraceRequest request : requests) {
            for (int i = 0; i < count; i++) {
                tracer.trace(request);
            }
            List<CompletableFuture<TraceResult>> all = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                all.add(tracer.traceAsync(request));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }
    }

    /**
     * {@code n} traces at once; prints time, reach, answers, unanswered probes, threads, heap, and the
     * process's CPU time over the probes sent.
     */
    private static void concurrentBatch(PathTracer tracer, String senders, TraceRequest request, int n, int round,
            ThreadMXBean threads, int initial) throws Exception {
        ProbeProtocol protocol = request.protocol();
        // "engine": a tracer whose sends all stay on its engine thread (senderThreads(0))
        String wait = (request.adaptiveWait() ? "adaptive" : "fixed") + (senders.isEmpty() ? "" : "," + senders);
        long one = System.nanoTime();
        String transport = tracer.trace(request).transport();
        one = System.nanoTime() - one;
        int before = threads.getThreadCount();
        int duringMin = Integer.MAX_VALUE;
        int duringMax = 0;
        BatchCost cost = BatchCost.start();
        long start = System.nanoTime();
        List<CompletableFuture<TraceResult>> all = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            all.add(tracer.traceAsync(request));
        }
        CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        // sampled from this thread, so the sampling adds no thread of its own
        while (!done.isDone()) {
            int c = threads.getThreadCount();
            duringMin = Math.min(duringMin, c);
            duringMax = Math.max(duringMax, c);
            Thread.sleep(1);
        }
        long total = System.nanoTime() - start;
        long cpuNanos = cost.cpuNanos();
        long allocated = cost.allocatedBytes();
        long engineAllocated = cost.pathprobeAllocatedBytes();
        String spent = cost.end();
        int reached = 0;
        long sent = 0;
        long received = 0;
        java.util.TreeMap<String, Integer> unanswered = new java.util.TreeMap<>();
        for (CompletableFuture<TraceResult> f : all) {
            TraceResult r = f.join();
            reached += r.destinationReached() ? 1 : 0;
            for (Hop h : r.hops()) {
                sent += h.statistics().sent();
                received += h.statistics().received();
                for (var p : h.probes()) {
                    if (!p.answered()) {
                        unanswered.merge(p.status() + " at TTL " + p.ttl() + " attempt "
                                + p.attempt(), 1, Integer::sum);
                    }
                }
            }
        }
        all.clear();
        System.gc();
        int after = threads.getThreadCount();
        Runtime rt = Runtime.getRuntime();
        if (duringMin == Integer.MAX_VALUE) {
            duringMin = duringMax = after;
        }
        System.out.printf(Locale.ROOT,
                "%-4s %d concurrent traces (%s, 3/hop, %s wait): %.1f ms in all (one trace alone %.2f ms); destination "
                        + "reached in %d of %d; probes answered %d of %d (%.2f %%); live threads: before %d, "
                        + "during %d..%d, after %d (JVM start %d); heap used after GC %.1f of max %.0f MB%n",
                protocol, n, transport, wait, total / 1e6, one / 1e6, reached, n, received, sent,
                100.0 * received / Math.max(1, sent), before, duringMin, duringMax, after, initial,
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.maxMemory() / 1048576.0);
        if (!unanswered.isEmpty()) {
            System.out.println("     unanswered probes: " + unanswered);
        }
        double cpuPerProbe = cpuNanos / 1e3 / Math.max(1, sent);
        double bytesPerProbe = (double) allocated / Math.max(1, sent);
        double engineBytesPerProbe = (double) engineAllocated / Math.max(1, sent);
        System.out.printf(Locale.ROOT, "     %s; %.2f µs of process CPU and %.0f bytes of heap allocated per probe "
                + "sent (%.0f of them by pathprobe's threads)%n", spent, cpuPerProbe, bytesPerProbe,
                engineBytesPerProbe);
        System.out.printf(Locale.ROOT,
                "RESULT concurrent round=%d wait=%s protocol=%s n=%d total_ms=%.1f reached=%d threads_before=%d "
                        + "threads_during_max=%d threads_after=%d probes=%d cpu_ms=%.1f cpu_us_per_probe=%.3f "
                        + "bytes_per_probe=%.0f engine_bytes_per_probe=%.0f%n",
                round, wait, protocol, n, total / 1e6, reached, before, duringMax, after, sent, cpuNanos / 1e6,
                cpuPerProbe, bytesPerProbe, engineBytesPerProbe);
    }

    // ---------------------------------------------------------------------------------------------

    private static List<Optional<InetAddress>> path(TraceResult r) {
        return r.hops().stream().map(Hop::address).toList();
    }

    private static int sent(TraceResult r) {
        return r.hops().stream().mapToInt(h -> h.statistics().sent()).sum();
    }

    private static int received(TraceResult r) {
        return r.hops().stream().mapToInt(h -> h.statistics().received()).sum();
    }

    private static long min(long[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    static double medianOf(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return Percentiles.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
