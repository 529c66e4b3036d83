package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pathprobe.Measurement;
import io.pathprobe.ResponsivenessServerException;
import io.pathprobe.ResponsivenessServerException.Reason;
import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatListener;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.BufferbloatStatus;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.core.internal.bufferbloat.spi.BufferbloatProvider;
import io.pathprobe.core.internal.runtime.FakeScheduler;
import io.pathprobe.core.internal.runtime.Measurements;
import io.pathprobe.core.internal.runtime.RateBudget;
import io.pathprobe.core.internal.runtime.SendScheduler;
import io.pathprobe.core.internal.runtime.TracerRuntime;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
/**
 * The bufferbloat phases on fake time: {@link BufferbloatHandle} runs {@link BufferbloatStrategy} on a
 * {@link FakeScheduler}, against a {@link FakeLoad} (a shared bottleneck, no sockets). Nothing sleeps:
 * every instant below is exact, so the phase plan, the ramp-up, the cut at the time limit and the end
 * of each run are asserted as they are, not within margins.
 */
class BufferbloatStrategyTest {
    private static final long MS = 1_000_000L;

    /** A test on fake time, with what its listener heard. */
    private static final class Run {
        final FakeScheduler clock = new FakeScheduler();
        final FakeLoad load = new FakeLoad(clock);
        final List<String> progress = new ArrayList<>();
        final List<BufferbloatPhase> phases = new ArrayList<>();
        final List<LatencySample> samples = new ArrayList<>();
        final List<BufferbloatResult> completed = new ArrayList<>();
        final Measurements owner = new Measurements(clock);
        BufferbloatHandle handle;

        Run(BufferbloatRequest.Builder b) {
            BufferbloatRequest request = b.pingFirstHop(false).listener(new BufferbloatListener() {
                @Override
                public void phaseStarted(BufferbloatPhase phase) {
                    phases.add(phase);
                }

                @Override
                public void progress(BufferbloatPhase phase, long elapsedNanos, double bps, int flows, double ms) {
                    progress.add(phase + "@" + elapsedNanos / MS);
                }

                @Override
                public void sample(LatencySample sample) {
                    samples.add(sample);
                }

                @Override
                public void completed(BufferbloatResult result) {
                    completed.add(result);
                }
            }).build();
            SendScheduler sends = new SendScheduler(clock, clock, new RateBudget(0, 1, clock.read()));
            // set-up and the user's executor inline: the fake loop is the only "thread"
            TracerRuntime rt = new TracerRuntime(clock, clock, sends, TransportRegistry.of(List.of()), Runnable::run,
                    Runnable::run, host -> List.of(java.net.InetAddress.getByName(host)));
            handle = new BufferbloatHandle(rt, owner, new NoPing(), request, load);
        }

        Run start() {
            handle.launch();
            clock.runUntilIdle();
            return this;
        }

        /** Runs fake time until the test ends (at most {@code limit}); its result, or its error thrown. */
        BufferbloatResult finish(Duration limit) {
            assertThat(clock.advanceUntil(handle::ended, limit)).as("ended within " + limit + " of fake time").isTrue();
            return handle.await();
        }
    }

    private static BufferbloatRequest.Builder request() {
        return BufferbloatRequest.builder("https://127.0.0.1:4043").probesPerSecond(20);
    }

    @Test
    void rampUpAddsConnectionsUntilGoodputStopsGrowingThenBothStableEndTheTestEarlyAndItIsGraded() {
        Run run = new Run(request().direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(30))
                .interval(Duration.ofSeconds(1)).maxConnections(16)).start();
        BufferbloatResult r = run.finish(Duration.ofSeconds(60));

        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.COMPLETED);
        assertThat(run.phases).containsExactly(BufferbloatPhase.IDLE, BufferbloatPhase.DOWNLOAD);
        DirectionResult down = r.download().orElseThrow();
        // 10 Mbit/s per connection, 40 in all: 1, 2, 4 connections (doubling while it grows 10 %), then one more
        // per interval until the throughput is stable; the bottleneck's rate, read off the delivery curve
        assertThat(down.throughputBitsPerSecond()).isCloseTo(40e6, within(0.4e6));
        assertThat(down.flows()).isBetween(4, 16);
        assertThat(down.throughputConfidence()).isEqualTo(MeasurementConfidence.HIGH);
        assertThat(down.rpmConfidence()).isEqualTo(MeasurementConfidence.HIGH);
        assertThat(r.confidence()).isEqualTo(MeasurementConfidence.HIGH);
        assertThat(run.load.log.subList(0, 3)).containsExactly("fetch", "probe 0", "probe 1");
        assertThat(run.load.log).contains("open 0 down", "open 1 down", "open 2 down", "open 3 down").endsWith("closeAll",
                "close session");
        // both stable: the phase ended before its share (30 s less 1 s of teardown, less the 2 s idle phase)
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
        // graded from what it measured: the loaded latency (foreign GETs: no pings here) less the idle one
        assertThat(r.idleLatency()).isEqualTo(Duration.ofMillis(10)); // TCP connects of the idle probes
        assertThat(r.notes()).contains("no ping answers: latencies are TCP connect times of the foreign probes");
        assertThat(r.latencyIncrease()).isEqualTo(down.loadedLatency().minus(r.idleLatency())).isPositive();
        assertThat(r.grade()).contains(BufferbloatGrade.of(r.latencyIncrease()));
        assertThat(r.rpm()).isPresent();
        assertThat(r.samples()).isEqualTo(run.samples);
        assertThat(run.completed).containsExactly(r);
        assertThat(run.clock.pendingTimers()).as("no wake-up left armed").isLessThanOrEqualTo(1);
        assertThat(run.owner.size()).as("left the tracer's measurements").isZero();
    }

    @Test
    void aStalledConnectionIsClosedAndReplacedAndTheTestGoesOn() {
        Run run = new Run(request().direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(30))
                .interval(Duration.ofSeconds(1)).maxConnections(4));
        run.load.stalled = id -> id == 0; // the first load connection never delivers a byte
        BufferbloatResult r = run.start().finish(Duration.ofSeconds(60));

        assertThat(r.status()).as(r.notes().toString()).isIn(BufferbloatStatus.COMPLETED, BufferbloatStatus.DEADLINE_EXCEEDED);
        assertThat(r.notes()).anyMatch(n -> n.startsWith("download: a load connection delivered nothing for 4000 ms"));
        assertThat(run.load.log).contains("close 0");
        int closeAt = run.load.log.indexOf("close 0");
        assertThat(run.load.log.subList(closeAt, run.load.log.size())).anyMatch(l -> l.startsWith("open ") && l.endsWith(" down"));
        assertThat(run.load.log.stream().filter(l -> l.startsWith("probe ")).filter(l -> l.endsWith(" self 0")))
                .as("no self probe on the stalled connection once closed")
                .hasSizeLessThanOrEqualTo(run.load.log.subList(0, closeAt).stream().filter(l -> l.endsWith(" self 0")).toList().size());
        assertThat(r.download().orElseThrow().throughputBitsPerSecond()).isPositive();
    }

    @Test
    void anAddedConnectionThatCannotOpenDoesNotEndTheTest() {
        // through a full, dropping queue a new connection's handshake can outlast its connect
        // timeout; the load that flows goes on (seen beside a CPU hog: whole tests ended LOAD_FAILED)
        Run run = new Run(request().direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(30))
                .interval(Duration.ofSeconds(1)).maxConnections(4));
        run.load.openFails = id -> id >= 1; // every connection after the first
        BufferbloatResult r = run.start().finish(Duration.ofSeconds(60));

        assertThat(run.load.log).as("the ramp-up tried to add connections").contains("open 1 down");
        assertThat(r.status()).as(r.notes().toString()).isIn(BufferbloatStatus.COMPLETED, BufferbloatStatus.DEADLINE_EXCEEDED);
        assertThat(r.notes()).filteredOn(n -> n.contains("could not be opened")).hasSize(1).first().asString()
                .startsWith("download: a load connection could not be opened (handshake timed out after ");
        assertThat(run.load.log.stream().filter(l -> l.startsWith("open "))).as("tries are bounded")
                .hasSizeLessThanOrEqualTo(BufferbloatStrategy.MAX_OPENED_PER_PHASE);
        assertThat(r.download().orElseThrow().throughputBitsPerSecond()).isPositive();
    }

    @Test
    void aFirstConnectionThatCannotOpenEndsTheTestLoadFailed() {
        Run run = new Run(request().direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(30))
                .interval(Duration.ofSeconds(1)).maxConnections(4));
        run.load.openFails = id -> id == 0; // no load flows at all
        BufferbloatResult r = run.start().finish(Duration.ofSeconds(60));

        assertThat(r.status()).isEqualTo(BufferbloatStatus.LOAD_FAILED);
        assertThat(r.notes().get(0)).startsWith("a load connection failed: handshake timed out after ");
    }

    @Test
    void aServerErrorMidRunEndsTheTestLoadFailedWithWhatWasMeasured() {
        Run run = new Run(request().direction(LoadDirection.SEQUENTIAL).deadline(Duration.ofSeconds(20))
                .interval(Duration.ofSeconds(1)).maxConnections(4)).start();
        run.clock.advance(Duration.ofSeconds(5)); // idle 0-2 s, then 3 s of download
        run.load.fail(1, "HTTP status 500 for /large");
        BufferbloatResult r = run.finish(Duration.ofSeconds(1));

        assertThat(r.status()).isEqualTo(BufferbloatStatus.LOAD_FAILED);
        assertThat(r.notes().get(0)).isEqualTo("a load connection failed: HTTP status 500 for /large");
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(5));
        // what it measured is reported, but a test whose load failed is not graded
        assertThat(r.grade()).isEmpty();
        assertThat(r.toString()).contains("not graded (load failed)");
        assertThat(r.idleLatency()).isEqualTo(Duration.ofMillis(10));
        DirectionResult down = r.download().orElseThrow(); // the phase that failed, as far as it went
        assertThat(down.throughputBitsPerSecond()).isPositive();
        assertThat(r.upload()).isEmpty();
        assertThat(run.phases).containsExactly(BufferbloatPhase.IDLE, BufferbloatPhase.DOWNLOAD);
        assertThat(r.samples()).isNotEmpty();
        assertThat(run.load.closed).isTrue();
        int size = run.load.log.size();
        run.clock.advance(Duration.ofSeconds(5));
        assertThat(run.load.log).as("nothing commanded after the end").hasSize(size);
    }

    @Test
    void aFailureOfAConnectionClosedOnPurposeIsNoFailure() {
        Run run = new Run(request().direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(30))
                .interval(Duration.ofSeconds(1)).maxConnections(4));
        run.load.stalled = id -> id == 0;
        run.start();
        run.clock.advanceUntil(() -> run.load.log.contains("close 0"), Duration.ofSeconds(20));
        run.load.fail(0, "the stream of /large closed");
        BufferbloatResult r = run.finish(Duration.ofSeconds(60));
        assertThat(r.status()).isNotEqualTo(BufferbloatStatus.LOAD_FAILED);
    }

    @Test
    void cancelEndsWithThePartialResult() {
        Run run = new Run(request().direction(LoadDirection.SEQUENTIAL).deadline(Duration.ofSeconds(20))
                .interval(Duration.ofSeconds(1))).start();
        run.clock.advance(Duration.ofMillis(4500));
        assertThat(run.owner.active()).containsEntry(io.pathprobe.MeasurementType.BUFFERBLOAT, 1);
        run.handle.cancel();
        BufferbloatResult r = run.finish(Duration.ZERO);

        assertThat(r.status()).isEqualTo(BufferbloatStatus.CANCELLED);
        assertThat(r.duration()).isEqualTo(Duration.ofMillis(4500));
        assertThat(r.download()).isPresent(); // 2.5 s of it
        assertThat(r.download().get().throughputConfidence()).isEqualTo(MeasurementConfidence.LOW);
        assertThat(r.upload()).isEmpty();
        assertThat(run.load.closed).isTrue();
        assertThat(run.completed).containsExactly(r);
    }

    @Test
    void cancelBeforeTheConfigurationEndsCancelledWithNothing() {
        Run run = new Run(request().deadline(Duration.ofSeconds(20)));
        run.load.configSilent = true;
        run.start();
        run.clock.advance(Duration.ofSeconds(1));
        run.handle.cancel();
        BufferbloatResult r = run.finish(Duration.ZERO);
        assertThat(r.status()).isEqualTo(BufferbloatStatus.CANCELLED);
        assertThat(r.download()).isEmpty();
        assertThat(r.samples()).isEmpty();
    }

    @Test
    void onATracerWhoseLoopHasStoppedItEndsCancelledAtOnceWithoutLoad() {
        Run run = new Run(request());
        run.clock.stop();
        run.handle.launch();
        BufferbloatResult r = run.handle.await();
        assertThat(r.status()).isEqualTo(BufferbloatStatus.CANCELLED);
        assertThat(run.load.log).isEmpty();
        assertThat(run.completed).containsExactly(r);
    }

    @Test
    void aServerThatCannotBeUsedIsATypedError() {
        Run run = new Run(request());
        URI u = URI.create("https://127.0.0.1:4043/.well-known/nq");
        run.load.configError = new ResponsivenessServerException(Reason.REFUSED, u, "connection refused by 127.0.0.1:4043",
                new IOException("refused"));
        run.start();
        assertThatThrownBy(() -> run.finish(Duration.ZERO)).isInstanceOfSatisfying(ResponsivenessServerException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REFUSED));
        assertThat(run.load.closed).isTrue();
    }

    @Test
    void aConfigurationThatNeverComesFailsAtTheTimeLimit() {
        Run run = new Run(request().deadline(Duration.ofSeconds(10)));
        run.load.configSilent = true;
        run.start();
        run.clock.advance(Duration.ofMillis(9999));
        assertThat(run.handle.ended()).isFalse();
        assertThatThrownBy(() -> run.finish(Duration.ofMillis(1)))
                .isInstanceOfSatisfying(ResponsivenessServerException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
    }

    @Test
    void snapshotWhileRunningIsRunning() {
        Run run = new Run(request().direction(LoadDirection.DOWNLOAD).deadline(Duration.ofSeconds(20))).start();
        run.clock.advance(Duration.ofSeconds(3));
        // on the loop (the fake one has no thread: another thread's snapshot would wait for it)
        CompletableFuture<BufferbloatResult> snap = new CompletableFuture<>();
        run.clock.execute(() -> snap.complete(run.handle.snapshot()));
        run.clock.runUntilIdle();
        assertThat(snap.join().status()).isEqualTo(BufferbloatStatus.RUNNING);
        assertThat(snap.join().idleLatency()).isEqualTo(Duration.ofMillis(10));
    }

    // ---- the phase plan at the time limit (was BufferbloatFakeTimeTest, on a real HTTP/1.1 server)

    /** 5 s at 500 ms: idle 0-1 s, teardown 500 ms; the download's share (1.75 s) is under MAD intervals. */
    @Test
    void aShareUnderMadIntervalsIsCutAndTheTestEndsAtItsTimeLimit() {
        Run run = plan(LoadDirection.SEQUENTIAL, Duration.ofSeconds(5), Duration.ofMillis(500));
        BufferbloatResult r = run.finish(Duration.ofSeconds(10));
        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.DEADLINE_EXCEEDED);
        assertThat(r.duration()).isEqualTo(Duration.ofMillis(4500)); // the upload's end: 5 s less the teardown
        assertThat(r.grade()).isEmpty(); // not run to its end: not graded
        assertThat(run.progress).containsExactly(
                "IDLE@500", "IDLE@1000",
                "DOWNLOAD@1500", "DOWNLOAD@2000", "DOWNLOAD@2500", // 1 s + 1.75 s: a 4th interval would end past it
                "UPLOAD@3000", "UPLOAD@3500", "UPLOAD@4000", "UPLOAD@4500"); // 2.5 s + 2 s (5 s - 500 ms - 2.5 s)
        assertThat(run.phases).containsExactly(BufferbloatPhase.IDLE, BufferbloatPhase.DOWNLOAD, BufferbloatPhase.UPLOAD);
        assertThat(r.download().orElseThrow().throughputConfidence()).isEqualTo(MeasurementConfidence.LOW); // 3 < MAD
        assertThat(r.upload().orElseThrow().throughputConfidence()).isEqualTo(MeasurementConfidence.MEDIUM); // MAD, not stable
        assertThat(r.confidence()).isEqualTo(MeasurementConfidence.LOW);
    }

    /** 6 s at 500 ms: each phase gets MAD intervals (2.2 s then 2.4 s), so the test is complete. */
    @Test
    void sharesOfMadIntervalsComplete() {
        Run run = plan(LoadDirection.SEQUENTIAL, Duration.ofSeconds(6), Duration.ofMillis(500));
        BufferbloatResult r = run.finish(Duration.ofSeconds(10));
        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.COMPLETED);
        assertThat(r.duration()).isEqualTo(Duration.ofMillis(5000));
        assertThat(run.progress).containsExactly(
                "IDLE@500", "IDLE@1000",
                "DOWNLOAD@1500", "DOWNLOAD@2000", "DOWNLOAD@2500", "DOWNLOAD@3000",
                "UPLOAD@3500", "UPLOAD@4000", "UPLOAD@4500", "UPLOAD@5000");
        assertThat(r.download().orElseThrow().throughputConfidence()).isEqualTo(MeasurementConfidence.MEDIUM);
        assertThat(r.upload().orElseThrow().throughputConfidence()).isEqualTo(MeasurementConfidence.MEDIUM);
        assertThat(r.upload().get().throughputBitsPerSecond()).isCloseTo(10e6, within(0.1e6)); // one connection
    }

    /** 2 s at 1 s: after the 1 s idle phase 700 ms are left, less than one interval: no load phase at all. */
    @Test
    void noRoomForOneIntervalEndsAfterTheIdlePhase() {
        Run run = plan(LoadDirection.DOWNLOAD, Duration.ofSeconds(2), Duration.ofSeconds(1));
        BufferbloatResult r = run.finish(Duration.ofSeconds(10));
        assertThat(r.status()).as(r.notes().toString()).isEqualTo(BufferbloatStatus.DEADLINE_EXCEEDED);
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(run.phases).containsExactly(BufferbloatPhase.IDLE);
        assertThat(r.download()).isEmpty();
        assertThat(r.upload()).isEmpty();
        assertThat(r.confidence()).isEqualTo(MeasurementConfidence.LOW);
        assertThat(run.load.opened()).isZero();
    }

    private static Run plan(LoadDirection direction, Duration timeLimit, Duration interval) {
        // one connection per direction: the ramp adds none
        return new Run(request().direction(direction).deadline(timeLimit).interval(interval).maxConnections(1)).start();
    }

    /** No ping (the handle notes it), no trace. */
    private record NoPing() implements BufferbloatProvider.Tracing {
        @Override
        public Measurement<PingRequest, PingResult> start(PingRequest request) {
            throw new UnsupportedOperationException("no ping in this test");
        }

        @Override
        public CompletableFuture<TraceResult> traceAsync(TraceRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no trace in this test"));
        }

        @Override
        public BufferbloatProvider.Loads loads() {
            return FakeLoad.context();
        }
    }
}
