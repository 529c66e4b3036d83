package io.pathprobe.bench;

import io.pathprobe.PathTracer;
import io.pathprobe.PathTracerBuilder;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One fresh JVM of {@link ColdStartComparison}: a tracer, one trace. Prints
 * {@code COLD build_ns=... trace_ns=... jvm_ms=... ok=...}: {@code build()}'s and the first
 * {@code trace()}'s wall time in the caller, and the time from the JVM's start to the trace's end.
 * With {@code --profile} it adds, after the trace, {@code CPU cpu_ms=... wall_ms=... main=... jit=...
 * gc=... pathprobe=... other=... exited=...}: the process's CPU time and wall time from the JVM's start,
 * and the CPU of its threads by kind (from {@code /proc/self/task}; {@code exited} is the CPU of threads
 * that ended before, the set-up threads among them).
 *
 * <p>Arguments: {@code DEST HOPS [--dns HOST:PORT] [--profile]}; without {@code --dns} the tracer is
 * offline. Refuses to run in the root network namespace.
 */
public final class ColdStartChild {
    /** The kernel's clock ticks per second for {@code /proc/.../stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ColdStartChild() {}

    public static void main(String[] args) throws Exception {
        requireLabNamespace();
        InetAddress dest = InetAddress.getByName(args[0]);
        int hops = Integer.parseInt(args[1]);
        List<String> rest = List.of(args).subList(2, args.length);
        int dns = rest.indexOf("--dns");
        long t0 = System.nanoTime();
        PathTracerBuilder b = PathTracer.builder();
        if (dns >= 0) {
            b.dnsServer(rest.get(dns + 1));
        } else {
            b.offline();
        }
        try (PathTracer tracer = b.build()) {
            long t1 = System.nanoTime();
            TraceResult r = tracer.trace(TraceRequest.builder(dest).build());
            long t2 = System.nanoTime();
            long jvmMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            boolean ok = r.destinationReached() && r.hops().size() == hops
                    && r.hops().stream().noneMatch(h -> h.statistics().lost() > 0);
            System.out.printf(Locale.ROOT, "COLD build_ns=%d trace_ns=%d jvm_ms=%d ok=%s%n",
                    t1 - t0, t2 - t1, jvmMs, ok);
            if (!ok) {
                System.out.println(r);
            }
            if (rest.contains("--profile")) {
                System.out.println(cpuLine(jvmMs));
            }
        }
    }

    /**
     * {@link io.pathprobe.lab.Lab#inRootNetworkNamespace()}'s refusal, without the lab's classes: loading them
     * before the timed part would open every jar before the lab's on the class path (the JDK searches them in
     * order), work an application does not do before its {@code PathTracer.builder()}, and which the timed part
     * would then be spared.
     * The network namespace's inode against pid 1's (kthreadd's where pid 1's cannot be read); refuses when unknown.
     */
    private static void requireLabNamespace() {
        String self = netNamespace("self");
        String root = netNamespace("1");
        if (root == null && "kthreadd".equals(comm("2"))) {
            root = netNamespace("2");
        }
        if (self == null || root == null || self.equals(root)) {
            throw new IllegalStateException("refusing to probe from the root network namespace");
        }
    }

    private static @org.jspecify.annotations.Nullable String netNamespace(String pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid, "ns", "net")).toString();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static @org.jspecify.annotations.Nullable String comm(String pid) {
        try {
            return Files.readString(Path.of("/proc", pid, "comm")).strip();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The process's CPU so far, and its live threads' by kind; the rest was spent by threads that ended. */
    static String cpuLine(long wallMs) throws IOException {
        double processMs = ticks(Files.readString(Path.of("/proc/self/stat"))) * 1000 / TICKS_PER_SECOND;
        Map<String, Double> byKind = new TreeMap<>();
        for (String kind : List.of("main", "jit", "gc", "pathprobe", "other")) {
            byKind.put(kind, 0.0);
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    double ms = ticks(Files.readString(task.resolve("stat"))) * 1000 / TICKS_PER_SECOND;
                    byKind.merge(threadKind(comm), ms, Double::sum);
                } catch (IOException ended) {
                    // the thread ended while it was read: its CPU is in "exited"
                }
            }
        }
        double live = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "CPU cpu_ms=%.0f wall_ms=%d", processMs,
                wallMs));
        byKind.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s=%.0f", k, v)));
        b.append(String.format(Locale.ROOT, " exited=%.0f", Math.max(0, processMs - live)));
        return b.toString();
    }

    /** The kind of a JVM thread by its name as the kernel keeps it (15 characters). */
    static String threadKind(String comm) {
        if (comm.equals("main") || comm.equals("java")) {
            return "main";
        }
        if (comm.contains("CompilerThre")) {
            return "jit";
        }
        if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.startsWith("VM Periodic")) {
            return "gc";
        }
        if (comm.startsWith("pathprobe")) {
            return "pathprobe";
        }
        return "other";
    }

    /** utime + stime of a {@code /proc/.../stat} line (fields 14 and 15; the name in parentheses may hold spaces). */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime (14) and stime (15) are f[11] and f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
