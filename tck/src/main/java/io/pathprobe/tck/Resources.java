package io.pathprobe.tck;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntSupplier;

/** Open file descriptors and live threads of this JVM, to catch leaks. */
final class Resources {
    private Resources() {}

    /** How many file descriptors this process has open, where the OS tells (/proc/self/fd, /dev/fd). */
    static OptionalInt openFileDescriptors() {
        for (String dir : new String[] {"/proc/self/fd", "/dev/fd"}) {
            String[] entries = new File(dir).list();
            if (entries != null) {
                return OptionalInt.of(entries.length);
            }
        }
        return OptionalInt.empty();
    }

    static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    static List<String> liveThreadNames() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        names.sort(null);
        return names;
    }

    /**
     * Waits (bounded) until {@code value} is at most {@code limit}, giving asynchronous clean-up
     * (a transport's thread ending, a library's idle helper thread exiting) the time it needs;
     * returns the last value seen.
     */
    static int settle(IntSupplier value, int limit, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int v = value.getAsInt();
        while (v > limit && System.nanoTime() < deadline) {
            ProbePlan.sleep(Duration.ofMillis(50));
            v = value.getAsInt();
        }
        return v;
    }
}
