package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.lab.Lab;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code compare} against three separate traces (ICMP, UDP, TCP/443, one after the other) of the same target,
 * in the same lab (a 7-hop chain where TCP/443 takes a router of its own at TTL 3), taking turns on one tracer,
 * {@code reps} times: wall time and probes of each, their medians and the ratios. Printed only (not yet in
 * build/bench's summary). Run from the root namespace as root: it builds the lab and runs itself inside the lab's
 * host namespace. Argument: {@code [reps]} (default 20).
 */
public final class CompareBenchmark {
    private CompareBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--inside")) {
            inside(Integer.parseInt(args[1]), args[2]);
            return;
        }
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (Lab lab = Lab.chain(7).protocolBranch(3, 443).icmpUnlimited("three protocols at once").build()) {
            LabRuns.runInside(lab, CompareBenchmark.class, List.of("--inside", String.valueOf(reps),
                    lab.destination().getHostAddress()));
        }
    }

    private static void inside(int reps, String target) {
        LabRuns.requireLabNamespace();
        List<Double> compareMs = new ArrayList<>();
        List<Double> tracesMs = new ArrayList<>();
        long compareProbes = 0;
        long traceProbes = 0;
        int divergent = 0;
        CompareRequest request = CompareRequest.builder(target).build();
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            tracer.compare(request); // warm up
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                CompareResult c = tracer.compare(request);
                compareMs.add((System.nanoTime() - t0) / 1e6);
                compareProbes += c.probesSent();
                divergent += c.divergences().size() == 1 ? 1 : 0;
                long t1 = System.nanoTime();
                for (ProbeProtocol p : request.protocols()) {
                    TraceResult t = tracer.trace(request.trace(p));
                    traceProbes += t.hops().stream().mapToLong(h -> ((Hop) h).statistics().sent()).sum();
                }
                tracesMs.add((System.nanoTime() - t1) / 1e6);
            }
        }
        double cm = median(compareMs);
        double tm = median(tracesMs);
        System.out.printf(Locale.ROOT, "compare            %d reps: median %8.1f ms, %6.1f probes each, "
                + "found the branch %d/%d%n", reps, cm, compareProbes / (double) reps, divergent, reps);
        System.out.printf(Locale.ROOT, "three_traces       %d reps: median %8.1f ms, %6.1f probes each%n", reps, tm,
                traceProbes / (double) reps);
        System.out.printf(Locale.ROOT, "ratio compare/three_traces: time %.2f, probes %.2f%n", cm / tm,
                compareProbes / (double) traceProbes);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
