package io.pathprobe.core.internal.ping.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Test glue: a callback that records every outcome, checks exactly-once and the calling thread. */
final class Outcomes implements ApplicationProbe.Callback {
    private final Map<Integer, ProbeOutcome> bySequence = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger offLoop = new AtomicInteger();
    private final AppProbeLoop loop;
    private final CountDownLatch expected;

    Outcomes(AppProbeLoop loop, int expected) {
        this.loop = loop;
        this.expected = new CountDownLatch(expected);
    }

    @Override
    public void completed(ProbeOutcome outcome) {
        calls.incrementAndGet();
        if (!loop.inLoop()) {
            offLoop.incrementAndGet();
        }
        if (bySequence.putIfAbsent(outcome.sequence(), outcome) != null) {
            duplicates.incrementAndGet();
        }
        expected.countDown();
    }

    /** Waits for the expected number of outcomes; checks each came once, on the loop's thread. */
    List<ProbeOutcome> await(long seconds) throws InterruptedException {
        assertThat(expected.await(seconds, TimeUnit.SECONDS)).as("all outcomes within %d s", seconds).isTrue();
        assertThat(duplicates.get()).as("callbacks called twice for one sequence").isZero();
        assertThat(offLoop.get()).as("callbacks not on the loop's thread").isZero();
        List<ProbeOutcome> all = new ArrayList<>(bySequence.values());
        all.sort((a, b) -> Integer.compare(a.sequence(), b.sequence()));
        return all;
    }

    ProbeOutcome single() throws InterruptedException {
        List<ProbeOutcome> all = await(10);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    int calls() {
        return calls.get();
    }

    /** Open descriptors of this process that are not files (sockets, pipes, epoll; Linux), -1 elsewhere. */
    static int openFds() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            // not files (their links are paths): the JVM opens and closes jars and other tests' files
            // whenever it likes (a fresh-clone run saw 84 after against 85 before), and the probes
            // open none; sockets, pipes and epoll/eventfd descriptors are what they may leave
            return (int) s.filter(fd -> !target(fd).startsWith("/")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** What a descriptor refers to ("socket:[123]", "anon_inode:[eventpoll]", a path); a path if it closed meanwhile. */
    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "/closed";
        }
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static long appProbeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pathprobe-io-")).count();
    }
}
