package io.pathprobe.core.internal.bufferbloat;

import io.pathprobe.core.internal.io.NettyLoops;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.BufferbloatListener;
import io.pathprobe.BufferbloatPhase;
import io.pathprobe.BufferbloatRequest;
import io.pathprobe.BufferbloatResult;
import io.pathprobe.BufferbloatStatus;
import io.pathprobe.DirectionResult;
import io.pathprobe.HostResolver;
import io.pathprobe.LoadDirection;
import io.pathprobe.MeasurementConfidence;
import io.pathprobe.Ping;
import io.pathprobe.PingRequest;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The controller's phase plan on fake time: a {@link BufferbloatHandle.Waiter} that moves the fake
 * {@link io.pathprobe.core.internal.runtime.Ticker} to the end of each wait instead of waiting, so
 * the idle phase, the load phases' intervals and the cut at the time limit fall at exact instants.
 * The configuration and the load are real, from {@link Http1Fixture} on 127.0.0.1; what is asserted
 * depends on the clock only (no load phase can become stable in fewer than 2 MAD - 1 intervals).
 */
class BufferbloatFakeTimeTest {
    private static final long MS = 1_000_000L;

    /** 5 s at 500 ms: idle 0-1 s, teardown 500 ms; the download's share (1.75 s) is under MAD intervals. */
    @Test
    void aShareUnderMadIntervalsIsCutAndTheTestEndsAtItsTimeLimit() throws Exception {
        Run run = run(LoadDirection.SEQUENTIAL, Duration.ofSeconds(5), Duration.ofMillis(500));
        BufferbloatResult r = run.result;
        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.TIME_LIMIT);
        assertThat(r.duration()).isEqualTo(Duration.ofMillis(4500)); // the upload's end: 5 s less the teardown
        assertThat(run.progress).containsExactly(
                "IDLE@500", "IDLE@1000",
                "DOWNLOAD@1500", "DOWNLOAD@2000", "DOWNLOAD@2500", // 1 s + 1.75 s: a 4th interval would end past it
                "UPLOAD@3000", "UPLOAD@3500", "UPLOAD@4000", "UPLOAD@4500"); // 2.5 s + 2 s (5 s - 500 ms - 2.5 s)
        assertThat(run.phases).containsExactly(BufferbloatPhase.IDLE, BufferbloatPhase.DOWNLOAD, BufferbloatPhase.UPLOAD);
        DirectionResult down = r.download().orElseThrow();
        DirectionResult up = r.upload().orElseThrow();
        assertThat(down.throughputConfidence()).isEqualTo(MeasurementConfidence.LOW); // 3 intervals < MAD
        assertThat(up.throughputConfidence()).isEqualTo(MeasurementConfidence.MEDIUM); // MAD intervals, not stable
        assertThat(r.confidence()).isEqualTo(MeasurementConfidence.LOW);
    }

    /** 6 s at 500 ms: each phase gets MAD intervals (2.2 s then 2.4 s), so the test is complete. */
    @Test
    void sharesOfMadIntervalsComplete() throws Exception {
        Run run = run(LoadDirection.SEQUENTIAL, Duration.ofSeconds(6), Duration.ofMillis(500));
        BufferbloatResult r = run.result;
        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.COMPLETE);
        assertThat(r.duration()).isEqualTo(Duration.ofMillis(5000));
        assertThat(run.progress).containsExactly(
                "IDLE@500", "IDLE@1000",
                "DOWNLOAD@1500", "DOWNLOAD@2000", "DOWNLOAD@2500", "DOWNLOAD@3000",
                "UPLOAD@3500", "UPLOAD@4000", "UPLOAD@4500", "UPLOAD@5000");
        assertThat(r.download().orElseThrow().throughputConfidence()).isEqualTo(MeasurementConfidence.MEDIUM);
        assertThat(r.upload().orElseThrow().throughputConfidence()).isEqualTo(MeasurementConfidence.MEDIUM);
    }

    /** 2 s at 1 s: after the 1 s idle phase 700 ms are left, less than one interval: no load phase at all. */
    @Test
    void noRoomForOneIntervalEndsAfterTheIdlePhase() throws Exception {
        Run run = run(LoadDirection.DOWNLOAD, Duration.ofSeconds(2), Duration.ofSeconds(1));
        BufferbloatResult r = run.result;
        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.TIME_LIMIT);
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(run.phases).containsExactly(BufferbloatPhase.IDLE);
        assertThat(r.download()).isEmpty();
        assertThat(r.upload()).isEmpty();
        assertThat(r.confidence()).isEqualTo(MeasurementConfidence.LOW);
    }

    private record Run(BufferbloatResult result, List<String> progress, List<BufferbloatPhase> phases) {}

    private static Run run(LoadDirection direction, Duration timeLimit, Duration interval) throws Exception {
        AtomicLong now = new AtomicLong(7_000_000_000L); // any origin: only differences count
        List<String> progress = new CopyOnWriteArrayList<>();
        List<BufferbloatPhase> phases = new CopyOnWriteArrayList<>();
        try (Http1Fixture server = new Http1Fixture(null); NettyLoops loops = new NettyLoops()) {
            BufferbloatRequest request = BufferbloatRequest.builder("http://127.0.0.1:" + server.port())
                    .direction(direction).timeLimit(timeLimit).interval(interval).probesPerSecond(20)
                    // one connection per direction: the ramp adds none, whose connect timeouts (half the time left on
                    // the fake clock) would be short in real time late in the test
                    .maxConnections(1)
                    .pingFirstHop(false).listener(new BufferbloatListener() {
                        @Override
                        public void phaseStarted(BufferbloatPhase phase) {
                            phases.add(phase);
                        }

                        @Override
                        public void progress(BufferbloatPhase phase, long elapsedNanos, double bps, int flows,
                                double latencyMillis) {
                            progress.add(phase + "@" + elapsedNanos / MS);
                        }
                    }).build();
            BufferbloatHandle handle = new BufferbloatHandle(new NoPing(loops), request, h -> { }, now::get,
                    (lock, nanos) -> now.addAndGet(nanos));
            handle.launch();
            // liveness only: on fake time the controller never waits for the clock
            BufferbloatResult r = handle.result().get(60, TimeUnit.SECONDS);
            return new Run(r, progress, phases);
        }
    }

    /** No ping (the engine is not here: the handle notes it), no trace, literal addresses, callbacks inline. */
    private record NoPing(NettyLoops loops) implements BufferbloatHandle.Tracing {
        @Override
        public Ping startPing(PingRequest request) {
            throw new UnsupportedOperationException("no ping in this test");
        }

        @Override
        public CompletableFuture<TraceResult> traceAsync(TraceRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no trace in this test"));
        }

        @Override
        public HostResolver resolver() {
            return host -> List.of(InetAddress.getByName(host));
        }

        @Override
        public Executor callbacks() {
            return Runnable::run;
        }
    }
}
