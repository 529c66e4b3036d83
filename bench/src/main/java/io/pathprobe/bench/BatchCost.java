package io.pathprobe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What a batch cost this JVM, apart from the wall time (which on a loaded machine says as much about
 * the other processes): process CPU, CPU per pathprobe thread, and the collections with their pauses.
 */
record BatchCost(long cpu0, long gcs0, long gcMillis0, long allocated0,
        java.util.Map<Long, long[]> threadCpu0, java.util.Map<Long, Long> threadAllocated0) {
    static BatchCost start() {
        return new BatchCost(processCpu(), gcCount(), gcMillis(), allocated(), threadCpu(), pathprobeAllocated());
    }

    /** The process's CPU time since {@link #start()}, in nanoseconds. */
    long cpuNanos() {
        return processCpu() - cpu0;
    }

    /** The heap every thread of the JVM allocated since {@link #start()}, in bytes (the JDK's own count). */
    long allocatedBytes() {
        return allocated() - allocated0;
    }

    /**
     * The heap pathprobe's own threads (engine, receive, send, callback: named {@code pathprobe...}) allocated
     * since {@link #start()}, in bytes: the engine's part of {@link #allocatedBytes()}, without the caller's
     * thread (requests, futures, the benchmark's own sampling) or the JVM's (compiler, GC). Threads that ended
     * during the batch are not counted (the benchmark's batches keep a constant set of threads).
     */
    long pathprobeAllocatedBytes() {
        long sum = 0;
        for (java.util.Map.Entry<Long, Long> e : pathprobeAllocated().entrySet()) {
            sum += e.getValue() - threadAllocated0.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** Per pathprobe thread alive now: the heap it allocated since it started, in bytes. */
    private static java.util.Map<Long, Long> pathprobeAllocated() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("pathprobe")) {
                long bytes = threads.getThreadAllocatedBytes(info.getThreadId());
                if (bytes >= 0) {
                    m.put(info.getThreadId(), bytes);
                }
            }
        }
        return m;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getTotalThreadAllocatedBytes();
    }

    /**
     * Process CPU, collections, and each pathprobe thread's CPU with the part of it spent in user space
     * (the rest is the kernel's: system calls, and the lab's forwarding, which runs in the sending
     * thread's context).
     */
    String end() {
        java.util.Map<Long, long[]> now = threadCpu();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.TreeMap<String, Long> perName = new java.util.TreeMap<>();
        java.util.TreeMap<String, Long> userPerName = new java.util.TreeMap<>();
        now.forEach((id, cpuNow) -> {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("pathprobe")) {
                String name = info.getThreadName().replaceAll("-\\d+(-\\d+)?$", "");
                long[] before = threadCpu0.getOrDefault(id, new long[2]);
                perName.merge(name, (cpuNow[0] - before[0]) / 1_000_000, Long::sum);
                userPerName.merge(name, (cpuNow[1] - before[1]) / 1_000_000, Long::sum);
            }
        });
        return String.format(Locale.ROOT, "cost: process CPU %d ms, %d GCs (%d ms), pathprobe threads CPU ms %s, "
                + "of it in user space %s", (processCpu() - cpu0) / 1_000_000, gcCount() - gcs0,
                gcMillis() - gcMillis0, perName, userPerName);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(g -> Math.max(0, g.getCollectionCount())).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(g -> Math.max(0, g.getCollectionTime())).sum();
    }

    /** Per thread: CPU and user-space CPU, in nanoseconds. */
    private static java.util.Map<Long, long[]> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, long[]> m = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            m.put(id, new long[] {Math.max(0, threads.getThreadCpuTime(id)),
                    Math.max(0, threads.getThreadUserTime(id))});
        }
        return m;
    }
}

