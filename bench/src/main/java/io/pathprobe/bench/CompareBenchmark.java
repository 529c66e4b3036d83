package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code compare} against three separate traces (ICMP, UDP, TCP/443, one after the other) of the same target,
 * in the same lab, taking turns on one tracer (the order alternates), {@code reps} times: wall time and probes of
 * each, their medians and the ratios. Three 7-hop labs, each built in turn:
 * <ul>
 *   <li>{@code branch}: TCP/443 takes a router of its own at TTL 3 ({@code protocolBranch(3, 443)}); every probe is
 *       answered, so the traces are short and the figure is the cost of running three at once;</li>
 *   <li>{@code firewall}: the router at TTL 4 silently drops TCP/443 it forwards ({@code dropTcpPortAfter(4, 443)}):
 *       the TCP trace ends on timeouts, the other two do not;</li>
 *   <li>{@code silent}: the routers at TTL 2 and 3 send no Time Exceeded ({@code silentHops(2, 3)}): every
 *       protocol's probes there go unanswered, yet the destination answers, so no trace waits long for them;</li>
 *   <li>{@code dark}: the destination receives nothing ({@code dropToDestination(100)}): every protocol's trace
 *       ends on timeouts past the last router, which three traces together wait out once.</li>
 * </ul>
 * The request is {@code CompareRequest}'s default (1 s probe timeout, 3 probes per TTL, max TTL 30); the traces are
 * its {@code trace(protocol)}. Prints {@code RESULT part=compare lab=... ...} per lab for build/bench's summary.
 * Run from the root namespace as root: it builds each lab and runs itself inside the lab's host namespace.
 * Argument: {@code [reps]} (default 20).
 */
public final class CompareBenchmark {
    private static final List<String> LABS = List.of("branch", "firewall", "silent", "dark");

    private CompareBenchmark() {}

    public static void main(String[] args) throws Exception {
        LabRuns.main(args, CompareBenchmark::outside, a -> inside(a[1], Integer.parseInt(a[2]), a[3]));
    }

    private static void outside(String[] args) throws Exception {
        int reps = LabRuns.intArg(args, 0, 20);
        System.out.printf(Locale.ROOT, "load before: %s%n", LabRuns.load());
        for (String name : LABS) {
            LabBuilder b = Lab.chain(7);
            b = switch (name) {
                case "branch" -> b.protocolBranch(3, 443);
                case "firewall" -> b.dropTcpPortAfter(4, 443);
                case "silent" -> b.silentHops(2, 3);
                default -> b.dropToDestination(100);
            };
            try (Lab lab = b.icmpUnlimited("three protocols at once").build()) {
                LabRuns.runInside(lab, CompareBenchmark.class, List.of("--inside", name, String.valueOf(reps),
                        lab.destination().getHostAddress()));
            }
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", LabRuns.load());
    }

    private static void inside(String lab, int reps, String target) {
        List<Double> compareMs = new ArrayList<>();
        List<Double> tracesMs = new ArrayList<>();
        long compareProbes = 0;
        long traceProbes = 0;
        int divergent = 0;
        int tcpStops = 0;
        CompareRequest request = CompareRequest.builder(target).build();
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            tracer.measure(request); // warm up
            for (int i = 0; i < reps; i++) {
                for (int k = 0; k < 2; k++) {
                    if ((i + k) % 2 == 0) {
                        long t0 = System.nanoTime();
                        CompareResult c = tracer.measure(request);
                        compareMs.add((System.nanoTime() - t0) / 1e6);
                        compareProbes += c.probesSent();
                        divergent += c.divergences().isEmpty() ? 0 : 1;
                        tcpStops += c.stopsAfter(ProbeProtocol.TCP).isPresent() ? 1 : 0;
                    } else {
                        long t1 = System.nanoTime();
                        for (ProbeProtocol p : request.protocols()) {
                            TraceResult t = tracer.trace(request.trace(p));
                            traceProbes += t.hops().stream().mapToLong(h -> ((Hop) h).statistics().sent()).sum();
                        }
                        tracesMs.add((System.nanoTime() - t1) / 1e6);
                    }
                }
            }
        }
        double cm = Summary.median(compareMs);
        double tm = Summary.median(tracesMs);
        System.out.printf(Locale.ROOT, "%-8s compare       %d reps: median %8.1f ms, %6.1f probes each, "
                + "a divergence in %d/%d, TCP/443 stops in %d/%d%n", lab, reps, cm, compareProbes / (double) reps,
                divergent, reps, tcpStops, reps);
        System.out.printf(Locale.ROOT, "%-8s three_traces  %d reps: median %8.1f ms, %6.1f probes each%n", lab, reps,
                tm, traceProbes / (double) reps);
        System.out.printf(Locale.ROOT, "%-8s ratio compare/three_traces: time %.2f, probes %.2f%n", lab, cm / tm,
                compareProbes / (double) traceProbes);
        System.out.printf(Locale.ROOT, "RESULT part=compare lab=%s reps=%d compare_ms=%.1f compare_min_ms=%.1f "
                + "compare_max_ms=%.1f traces_ms=%.1f traces_min_ms=%.1f traces_max_ms=%.1f compare_probes=%.1f "
                + "traces_probes=%.1f divergent=%d tcp_stops=%d%n", lab, reps, cm, Summary.min(compareMs),
                Summary.max(compareMs), tm, Summary.min(tracesMs), Summary.max(tracesMs),
                compareProbes / (double) reps, traceProbes / (double) reps, divergent, tcpStops);
    }
}
