package io.pathprobe.core.internal;

import static io.pathprobe.core.internal.sim.RealTimeTracers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Measurement;
import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareListener;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.core.internal.sim.RealTimeTracers;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.mtu.MtuListener;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.ping.PingListener;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.trace.TraceAllListener;
import io.pathprobe.trace.TraceAllRequest;
import io.pathprobe.trace.TraceAllResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Measurement#cancel()} completes the result's futures, those {@code result()} gave before and those it
 * gives after, with the very result it returns, before it returns: for every kind, on a real tracer (engine loop,
 * executor) over a simulated path that never answers at the far end. Each measurement has a listener that is slow
 * to take its {@code completed} event, behind which the futures complete: cancel() waits for it, as it must for
 * the futures to be complete when it returns. Called from a listener, cancel() cannot wait for the queue it runs
 * in, and completes them at once.
 */
class CancelCompletesResultTest {
    /** How long a listener takes its completed event: long enough that the futures would complete after cancel() returned. */
    private static final long SLOW_MILLIS = 300;

    private final RealTimeTracers tracers = new RealTimeTracers();
    private ScenarioTransport transport;
    private PathTracer tracer;

    @AfterEach
    void close() throws Exception {
        tracers.close();
    }

    private Scenario path() {
        Scenario s = Scenario.named("cancelled", 30).silent(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
        transport = tracers.transport(s);
        tracer = tracers.tracer(transport);
        return s;
    }

    private static void slowly() {
        try {
            Thread.sleep(SLOW_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Cancels {@code m} once it has sent a probe; the futures are complete with the result cancel() returns. */
    private <Q, R> R cancelled(Measurement<Q, R> m) throws InterruptedException {
        await(() -> !transport.sends.isEmpty(), "a probe");
        CompletableFuture<R> before = m.result();
        R r = m.cancel();
        assertThat(before).as("a future result() gave before cancel()").isDone();
        assertThat(before.getNow(null)).isSameAs(r);
        CompletableFuture<R> after = m.result();
        assertThat(after).as("a future result() gives after cancel()").isDone();
        assertThat(after.getNow(null)).isSameAs(r);
        assertThat(m.cancel()).as("a second cancel(): the same result").isSameAs(r);
        return r;
    }

    private static TraceRequest endless(Scenario s) {
        return TraceRequest.builder(s.destination()).maxTtl(30).adaptiveWait(false).probeTimeout(Duration.ofMinutes(1))
                .deadline(Duration.ofMinutes(1)).build();
    }

    @Test
    void trace() throws Exception {
        Scenario s = path();
        TraceResult r = cancelled(tracer.start(endless(s).toBuilder().listener(new TraceListener() {
            @Override
            public void completed(TraceResult result) {
                slowly();
            }
        }).build()));
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
    }

    @Test
    void traceAll() throws Exception {
        Scenario s = path();
        TraceAllResult r = cancelled(tracer.start(TraceAllRequest.builder(List.of(s.destination().getHostAddress()))
                .trace(endless(s)).listener(new TraceAllListener() {
                    @Override
                    public void completed(TraceAllResult result) {
                        slowly();
                    }
                }).build()));
        assertThat(r.traces()).extracting(TraceResult::status).containsExactly(TraceStatus.CANCELLED);
    }

    @Test
    void ping() throws Exception {
        Scenario s = path();
        PingResult r = cancelled(tracer.start(PingRequest.builder(s.destination().getHostAddress()).untilCancelled()
                .listener(new PingListener() {
                    @Override
                    public void completed(PingResult result) {
                        slowly();
                    }
                }).build()));
        assertThat(r.status()).isEqualTo(PingStatus.CANCELLED);
    }

    @Test
    void multipath() throws Exception {
        Scenario s = path();
        MultipathResult r = cancelled(tracer.start(MultipathRequest.builder(s.destination().getHostAddress())
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)).listener(new MultipathListener() {
                    @Override
                    public void completed(MultipathResult result) {
                        slowly();
                    }
                }).build()));
        assertThat(r.status()).isEqualTo(MultipathStatus.CANCELLED);
    }

    @Test
    void monitor() throws Exception {
        Scenario s = path();
        MonitorResult r = cancelled(tracer.start(MonitorRequest.builder(endless(s)).listener(new MonitorListener() {
            @Override
            public void completed(MonitorResult result) {
                slowly();
            }
        }).build()));
        assertThat(r.status()).isEqualTo(MonitorStatus.CANCELLED);
    }

    @Test
    void mtu() throws Exception {
        Scenario s = path();
        MtuResult r = cancelled(tracer.start(MtuRequest.builder(s.destination().getHostAddress())
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)).listener(new MtuListener() {
                    @Override
                    public void completed(MtuResult result) {
                        slowly();
                    }
                }).build()));
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
    }

    @Test
    void compare() throws Exception {
        Scenario s = path();
        CompareResult r = cancelled(tracer.start(CompareRequest.builder(s.destination().getHostAddress())
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)).listener(new CompareListener() {
                    @Override
                    public void completed(CompareResult result) {
                        slowly();
                    }
                }).build()));
        assertThat(r.status()).isEqualTo(TraceAllStatus.CANCELLED);
    }

    /** A listener may cancel its own measurement: cancel() returns (no wait for its own queue), the futures complete. */
    @Test
    void cancelFromTheListener() throws Exception {
        Scenario s = path();
        AtomicReference<Measurement<TraceRequest, TraceResult>> self = new AtomicReference<>();
        AtomicReference<TraceResult> returned = new AtomicReference<>();
        AtomicReference<Boolean> doneThen = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        Measurement<TraceRequest, TraceResult> m = tracer.start(endless(s).toBuilder().listener(new TraceListener() {
            @Override
            public void probeSent(int ttl, int attempt) {
                Measurement<TraceRequest, TraceResult> me = self.get();
                if (me != null && ttl == 3 && cancelled.getCount() > 0) {
                    returned.set(me.cancel());
                    doneThen.set(me.result().isDone());
                    cancelled.countDown();
                }
            }
        }).build());
        self.set(m);
        CompletableFuture<TraceResult> f = m.result();
        assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("cancel() from the listener returned").isTrue();
        assertThat(doneThen.get()).as("result() done right after the listener's cancel()").isTrue();
        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(returned.get());
        assertThat(returned.get().status()).isEqualTo(TraceStatus.CANCELLED);
    }

    /** A measurement that ended before cancel(): the futures hold its final result when cancel() returns it. */
    @Test
    void cancelAfterTheEnd() throws Exception {
        Scenario s = Scenario.named("ended", 3);
        transport = tracers.transport(s);
        tracer = tracers.tracer(transport);
        Measurement<TraceRequest, TraceResult> m = tracer.start(TraceRequest.builder(s.destination()).listener(
                new TraceListener() {
                    @Override
                    public void completed(TraceResult result) {
                        slowly();
                    }
                }).build());
        Function<Measurement<TraceRequest, TraceResult>, Boolean> ended = x -> x.snapshot().status() != TraceStatus.RUNNING;
        await(() -> ended.apply(m), "the trace's end");
        TraceResult r = m.cancel();
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(m.result()).isDone();
        assertThat(m.result().getNow(null)).isSameAs(r);
    }
}
