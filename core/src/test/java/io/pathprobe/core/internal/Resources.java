package io.pathprobe.core.internal;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a process holds that a leak would grow: open file descriptors (/proc/self/fd, by kind), live
 * threads (by name), direct memory (the JDK's "direct" buffer pool and, as Netty loads with the Linux
 * transports, Netty's own count of the direct memory it allocated without a Cleaner), and heap in use
 * after full collections. Test code, Linux only (/proc).
 *
 * @param fds open descriptors by what they point at ("socket", "anon_inode:[eventpoll]", "pipe", a path)
 * @param threads names of the live threads, sorted (duplicates kept)
 * @param directBytes bytes of the JDK's direct buffers ({@code BufferPoolMXBean} "direct")
 * @param directBuffers how many JDK direct buffers
 * @param nettyDirectBytes Netty's {@code PlatformDependent.usedDirectMemory()} (-1 if Netty does not count)
 * @param heapAfterGc heap in use after {@link #settledHeap()}
 */
record Resources(Map<String, Integer> fds, List<String> threads, long directBytes, long directBuffers,
        long nettyDirectBytes, long heapAfterGc) {

    /**
     * Threads of the JVM and of the test harness that come and go by themselves and are not
     * pathprobe's: the lab's own (its commands' output readers, "pathprobe-lab-N", and the JDK's
     * process reaper, both ending when idle), JUnit's timeout watcher, Surefire's, the attach
     * listener and the JDK's common cleaner.
     */
    static boolean harnessThread(String name) {
        return name.startsWith("process reaper") || name.startsWith("pathprobe-lab-") || name.startsWith("junit-")
                || name.startsWith("surefire-") || name.equals("Attach Listener") || name.equals("Common-Cleaner");
    }

    /** Takes a snapshot (collects garbage first, see {@link #settledHeap()}). */
    static Resources now() {
        long heap = settledHeap();
        return new Resources(readFds(), liveThreads(), direct().getMemoryUsed(), direct().getCount(), nettyDirect(), heap);
    }

    /** Threads that are not {@link #harnessThread harness threads}. */
    List<String> ownThreads() {
        return threads.stream().filter(n -> !harnessThread(n)).toList();
    }

    /** Threads whose name starts with "pathprobe". */
    List<String> pathprobeThreads() {
        return threads.stream().filter(n -> n.startsWith("pathprobe") && !harnessThread(n)).toList();
    }

    int fdCount() {
        return fds.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Map<String, Integer> readFds() {
        Map<String, Integer> out = new TreeMap<>();
        Map<String, String> sockets = socketKinds();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) {
                String kind;
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    int bracket = target.indexOf(":[");
                    // "socket:[123]" -> "socket", "anon_inode:[eventpoll]" stays, "pipe:[9]" -> "pipe"
                    kind = bracket > 0 && !target.startsWith("anon_inode") ? target.substring(0, bracket) : target;
                    if (kind.equals("socket")) {
                        String inode = target.substring(bracket + 2, target.length() - 1);
                        kind = "socket " + sockets.getOrDefault(inode, "(other namespace)");
                    }
                } catch (IOException e) {
                    continue; // the directory stream's own descriptor, closed by now
                }
                if (kind.startsWith("/sys/fs/cgroup/")) {
                    continue; // the JVM's container support reads memory.stat around a GC, for a moment
                }
                out.merge(kind, 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return out;
    }

    /**
     * Socket inode to its table in /proc/self/net (udp, raw6, netlink, ...): what kind of socket a
     * descriptor is. Sockets of another network namespace are in none of them.
     */
    private static Map<String, String> socketKinds() {
        Map<String, String> out = new java.util.HashMap<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "icmp", "icmp6", "unix", "netlink",
                "packet")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc/self/net", table));
            } catch (IOException e) {
                continue;
            }
            int column = table.equals("unix") ? 6 : table.equals("netlink") || table.equals("packet") ? -1 : 9;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // netlink and packet: the inode is the last column
                int c = column < 0 ? f.length - 1 : column;
                if (c < f.length) {
                    out.put(f[c], table);
                }
            }
        }
        return out;
    }

    static List<String> liveThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        names.sort(null);
        return names;
    }

    private static BufferPoolMXBean direct() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b;
            }
        }
        throw new IllegalStateException("no direct buffer pool bean");
    }

    /** Netty's count of its direct memory, or -1 when Netty is not loaded or does not count. */
    static long nettyDirect() {
        try {
            Class<?> c = Class.forName("io.netty.util.internal.PlatformDependent", false,
                    Resources.class.getClassLoader());
            return (long) c.getMethod("usedDirectMemory").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return -1;
        }
    }

    /**
     * Heap in use after full collections: {@code System.gc()} (a full, stop-the-world collection with
     * the default G1 unless -XX:+ExplicitGCInvokesConcurrent) until two readings in a row differ by
     * less than 256 KiB (at most 8 rounds, 50 ms apart so reference handlers and cleaners run), the
     * lowest reading.
     */
    static long settledHeap() {
        long best = Long.MAX_VALUE;
        long previous = -1;
        for (int i = 0; i < 8; i++) {
            System.gc();
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
            if (previous >= 0 && Math.abs(used - previous) < 256 * 1024) {
                break;
            }
            previous = used;
        }
        return best;
    }

    /**
     * Waits (at most {@code seconds}) until no thread whose name starts with one of {@code prefixes}
     * is alive: the tracer's set-up and enrichment pools let idle threads go after 10 s. Returns
     * whether they went.
     */
    static boolean awaitNoThreads(int seconds, String... prefixes) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean any = liveThreads().stream().anyMatch(n -> {
                for (String p : prefixes) {
                    if (n.startsWith(p)) {
                        return true;
                    }
                }
                return false;
            });
            if (!any) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** The descriptors by kind, with every file (jars, /dev/urandom, ...) counted as "files". */
    Map<String, Integer> fdSummary() {
        Map<String, Integer> out = new TreeMap<>();
        fds.forEach((k, n) -> out.merge(k.startsWith("/") ? "files" : k, n, Integer::sum));
        return out;
    }

    /**
     * A snapshot once the threads that end by themselves when idle have ended: the tracer's set-up
     * and enrichment pools (10 s idle) and Netty's GlobalEventExecutor (its own, 1 s idle; Netty runs
     * termination listeners on it). Fails if they have not ended within 30 s.
     */
    static Resources settled() throws InterruptedException {
        if (!awaitNoThreads(30, "pathprobe-setup-", "pathprobe-enrich-", "globalEventExecutor")) {
            throw new AssertionError("idle threads did not end: " + liveThreads());
        }
        return now();
    }

    /**
     * Warms the JVM, then returns its {@link #settled()} snapshot: what a first tracer leaves that
     * is the JVM's or a library's once per process, not the tracer's. The JDK's NativePRNG opens
     * /dev/random and /dev/urandom on first use and keeps them; classes load; a native library starts
     * its static helper (a java.lang.ref.Cleaner thread, "Cleaner-0"). A tracer that traces, pings and discovers toward
     * {@code destination} (a lab address) opens every transport they use, and is closed.
     */
    static Resources warmJvm(java.net.InetAddress destination) throws InterruptedException {
        new java.security.SecureRandom().nextBytes(new byte[8]);
        try (io.pathprobe.PathTracer t = io.pathprobe.PathTracer.builder().offline().packetsPerSecond(0).build()) {
            t.trace(io.pathprobe.trace.TraceRequest.builder(destination).build());
            t.measure(io.pathprobe.ping.PingRequest.builder().target(destination).count(1).build());
            t.measure(io.pathprobe.multipath.MultipathRequest.builder(destination).maxTtl(8).pathProbes(0).build());
        }
        return settled();
    }

    /** One line: fds, threads, direct, heap. */
    String line() {
        return String.format(Locale.ROOT, "fds %d %s, threads %d (pathprobe %s), direct %d B in %d buffers, "
                + "netty direct %d B, heap after GC %.2f MiB", fdCount(), fdSummary(), threads.size(), pathprobeThreads(),
                directBytes, directBuffers, nettyDirectBytes, heapAfterGc / (1024.0 * 1024));
    }
}
