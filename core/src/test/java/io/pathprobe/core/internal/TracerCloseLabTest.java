package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every executor, timer and socket a tracer makes is its own and ends with {@code close()}: for each
 * measurement kind, a tracer runs a few measurements to their end and has one still running (waiting
 * for a silent router 60 s per probe, or sending path probes 1 s apart) when it is closed. Right when {@code close()} returns, no
 * pathprobe thread is alive and the process holds exactly the descriptors it held before the tracer
 * (compared by kind: sockets by protocol, epoll/eventfd/timerfd, pipes, files); the thread list equals
 * the one before once Netty's own GlobalEventExecutor has gone idle (1 s; not pathprobe's). The
 * running measurement ends CANCELLED with what it had.
 *
 * <p>The lab: the width-2 diamond, its router at TTL 3 (where the branches meet) silent.
 */
@LabTest
class TracerCloseLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(
            Lab.diamond(2, EcmpHash.LINUX_L4).silentHops(3).icmpUnlimited("a hundred tracers trace the lab one after another: each would wait for the routers' refill").inCurrentNamespace());
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration LONG = Duration.ofSeconds(60);

    @BeforeAll
    static void warm() throws InterruptedException {
        Resources.warmJvm(LAB.lab().destination());
    }

    /** Runs {@code finished} to their end and {@code running} until close(), then checks what is left. */
    private static <R> R closeWhileRunning(Function<PathTracer, List<CompletableFuture<R>>> finished,
            Function<PathTracer, CompletableFuture<R>> running) throws Exception {
        Resources before = Resources.settled();
        PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build();
        CompletableFuture<R> open;
        try {
            for (CompletableFuture<R> f : finished.apply(tracer)) {
                f.get(60, TimeUnit.SECONDS);
            }
            open = running.apply(tracer);
            Thread.sleep(300); // it has sent its probes and is waiting at the silent hop
            assertThat(open).as("still running when the tracer closes").isNotDone();
        } finally {
            tracer.close();
        }
        Resources right = Resources.now();
        System.out.println("before the tracer: " + before.line());
        System.out.println("right after close: " + right.line());
        // none of this tracer's (a pathprobe thread an earlier test class left would be in both)
        assertThat(right.pathprobeThreads()).as("pathprobe threads right after close()")
                .isEqualTo(before.pathprobeThreads());
        assertThat(right.fds()).as("descriptors right after close()").isEqualTo(before.fds());
        Resources settled = Resources.settled();
        assertThat(settled.ownThreads()).as("threads after close()").isEqualTo(before.ownThreads());
        assertThat(settled.fds()).isEqualTo(before.fds());
        return open.get(10, TimeUnit.SECONDS); // completed by close()
    }

    @Test
    void trace() throws Exception {
        TraceResult r = closeWhileRunning(
                t -> List.of(t.traceAsync(TraceRequest.builder(LAB.lab().destination()).probeTimeout(SHORT)
                        .adaptiveWait(false).build()),
                        t.traceAsync(TraceRequest.builder(LAB.lab().destination()).protocol(io.pathprobe.probe.ProbeProtocol.UDP)
                                .probeTimeout(SHORT).adaptiveWait(false).build())),
                t -> t.traceAsync(TraceRequest.builder(LAB.lab().destination()).probeTimeout(LONG).adaptiveWait(false)
                        .deadline(Duration.ofMinutes(5)).build()));
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
    }

    @Test
    void ping() throws Exception {
        PingResult r = closeWhileRunning(
                t -> List.of(t.measureAsync(PingRequest.builder().target(LAB.lab().destination()).count(3)
                        .interval(Duration.ofMillis(10)).build())),
                t -> t.measureAsync(PingRequest.builder().target(LAB.lab().destination()).untilCancelled()
                        .interval(Duration.ofMillis(50)).build()));
        assertThat(r.status()).isEqualTo(PingStatus.CANCELLED);
        assertThat(r.first().statistics().received()).as("answers before close").isPositive();
    }

    @Test
    void multipath() throws Exception {
        MultipathResult r = closeWhileRunning(
                t -> List.of(t.measureAsync(MultipathRequest.builder(LAB.lab().destination()).maxTtl(8)
                        .probeTimeout(SHORT).pathProbes(0).build())),
                // the discovery ends soon; its path probes (1,000 per hop of every path, 1 s apart) go on
                t -> t.measureAsync(MultipathRequest.builder(LAB.lab().destination()).maxTtl(8)
                        .probeTimeout(LONG).pathProbes(1000).pathInterval(Duration.ofSeconds(1))
                        .deadline(Duration.ofMinutes(30)).build()));
        assertThat(r.status()).isEqualTo(MultipathStatus.CANCELLED);
    }

    /**
     * Tracers made and closed one after another leave nothing either: 100 of them, each tracing and
     * pinging once, then the descriptors and threads of before, and heap after GC within 2 MiB (a
     * tracer that left only its engine behind would be far more: 100 threads, 100 epoll sets).
     */
    @Test
    void aHundredTracersOpenedAndClosed() throws Exception {
        Resources before = Resources.settled();
        for (int i = 0; i < 100; i++) {
            try (PathTracer t = PathTracer.builder().offline().packetsPerSecond(0).build()) {
                // 50 ms per probe: the silent hop costs each trace that much
                assertThat(t.trace(TraceRequest.builder(LAB.lab().destination()).probeTimeout(Duration.ofMillis(50))
                        .adaptiveWait(false).build()).destinationReached()).isTrue();
                assertThat(t.measure(PingRequest.builder().target(LAB.lab().destination()).count(1).build())
                        .allAnswered()).isTrue();
            }
        }
        Resources after = Resources.settled();
        System.out.println("before 100 tracers: " + before.line());
        System.out.println("after 100 tracers:  " + after.line());
        assertThat(after.fds()).isEqualTo(before.fds());
        assertThat(after.ownThreads()).isEqualTo(before.ownThreads());
        assertThat(after.directBytes()).isLessThanOrEqualTo(before.directBytes());
        assertThat(after.heapAfterGc()).isLessThanOrEqualTo(before.heapAfterGc() + 2L * 1024 * 1024);
    }
}
