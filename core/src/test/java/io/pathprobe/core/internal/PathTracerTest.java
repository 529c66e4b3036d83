package io.pathprobe.core.internal;

import static io.pathprobe.core.internal.sim.RealTimeTracers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.Measurement;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.TransportInfo;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.runtime.TransportRegistry;
import io.pathprobe.core.internal.sim.FakeProvider;
import io.pathprobe.core.internal.sim.ForwardingSession;
import io.pathprobe.core.internal.sim.NamedTransport;
import io.pathprobe.core.internal.sim.RealTimeTracers;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.enrich.HostResolver;
import io.pathprobe.internal.TracerSettings;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ResponseListener;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceListener;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
/**
 * The tracer with its real threads (engine loop, set-up pool, callback executor) over a simulated
 * network on real time: lifecycle, threading and error contracts. Probing logic is covered on fake
 * time by TraceScenarioTest.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PathTracerTest {
    private final RealTimeTracers tracers = new RealTimeTracers();

    @AfterEach
    void closeAll() throws Exception {
        tracers.close();
    }

    /** A trace that runs until stopped: a silent hop waited for a minute. */
    private static TraceRequest.Builder endless(Scenario s) {
        return TraceRequest.builder(s.destination()).maxTtl(40).adaptiveWait(false)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1));
    }

    @Test
    void tracesAndClosesItsSession() {
        Scenario s = Scenario.named("plain", 9).silent(4);
        ScenarioTransport t = tracers.transport(s);
        TraceResult r = tracers.tracer(t).trace(TraceRequest.of(s.destination()));
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.hops()).hasSize(9);
        assertThat(r.hop(4).orElseThrow().silent()).isTrue();
        assertThat(t.openSessions).isEmpty();
        assertThat(r.protocol()).isEqualTo(ProbeProtocol.ICMP);
        assertThat(r.protocolNote()).isEmpty();
    }

    /** Item 3: a listener held on a latch stalls only its own trace; others and future continuations go on. */
    @Test
    void aBlockedListenerDoesNotStallOtherTracesOrContinuations() throws Exception {
        Scenario s = Scenario.named("slow listener", 6);
        PathTracer tracer = tracers.tracer(tracers.transport(s));
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<TraceResult> a = tracer.traceAsync(TraceRequest.builder(s.destination())
                .listener(new TraceListener() {
                    @Override
                    public void hopCompleted(Hop hop) {
                        held.countDown();
                        try {
                            hold.await(15, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build());
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<String> continuationThread = new AtomicReference<>();
        TraceResult b = tracer.traceAsync(TraceRequest.of(s.destination()))
                .thenApply(r -> {
                    continuationThread.set(Thread.currentThread().getName());
                    return r;
                }).get(10, TimeUnit.SECONDS);
        assertThat(b.destinationReached()).isTrue();
        assertThat(continuationThread.get()).doesNotStartWith("pathprobe-engine");
        assertThat(tracer.trace(TraceRequest.of(s.destination())).destinationReached()).isTrue();
        hold.countDown();
        assertThat(a.get(10, TimeUnit.SECONDS).destinationReached()).isTrue();
    }

    /** The future completes after the listener has seen every event, completed last. */
    @Test
    void theResultFutureCompletesAfterTheListenersLastEvent() throws Exception {
        Scenario s = Scenario.named("ordered completion", 8).silent(3);
        PathTracer tracer = tracers.tracer(tracers.transport(s));
        for (int i = 0; i < 20; i++) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<List<String>> atCompletion = tracer.traceAsync(TraceRequest.builder(s.destination())
                    .listener(new TraceListener() {
                        @Override
                        public void hopCompleted(Hop hop) {
                            Thread.yield(); // a listener slower than the engine
                            seen.add("hop " + hop.ttl());
                        }

                        @Override
                        public void completed(TraceResult result) {
                            seen.add("completed");
                        }
                    }).build()).thenApply(r -> List.copyOf(seen));
            List<String> events = atCompletion.get(10, TimeUnit.SECONDS);
            assertThat(events).hasSize(9).last().isEqualTo("completed");
        }
    }

    @Test
    void listenersRunOnTheExecutorInOrderAndMayTraceBlocking() throws Exception {
        Scenario s = Scenario.named("listener", 5).silent(2);
        ScenarioTransport t = tracers.transport(s);
        ExecutorService mine = Executors.newFixedThreadPool(3);
        PathTracer tracer = PathTracer.builder().offline().transport(t).executor(mine).build();
        tracers.closeAfter(tracer);
        tracers.closeAfter(mine::shutdownNow);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<TraceResult> nested = new AtomicReference<>();
        AtomicReference<TraceResult> completed = new AtomicReference<>();
        AtomicInteger threw = new AtomicInteger();
        TraceResult r = tracer.trace(TraceRequest.builder(s.destination()).listener(new TraceListener() {
            @Override
            public void started(TraceRequest request, InetAddress destination, String transport) {
                events.add("started " + Thread.currentThread().getName());
                nested.set(tracer.trace(TraceRequest.of(s.destination()))); // blocking, from a listener
            }

            @Override
            public void probeSent(int ttl, int attempt) {
                threw.incrementAndGet();
                throw new IllegalStateException("a throwing listener is logged and ignored");
            }

            @Override
            public void probeCompleted(ProbeResult probe) {
                events.add("probe");
            }

            @Override
            public void hopCompleted(Hop hop) {
                events.add("hop");
            }

            @Override
            public void completed(TraceResult result) {
                completed.set(result);
                events.add("completed");
            }
        }).build());
        assertThat(r.destinationReached()).isTrue();
        await(() -> completed.get() != null, "completed");
        assertThat(completed.get()).isSameAs(r);
        assertThat(nested.get().destinationReached()).isTrue();
        assertThat(events.get(0)).startsWith("started ").doesNotContain("pathprobe-engine");
        assertThat(events.get(events.size() - 1)).isEqualTo("completed");
        assertThat(events).filteredOn("hop"::equals).hasSize(5);
        assertThat(threw.get()).isGreaterThanOrEqualTo(15);
    }

    /** Defect 5: close() from a listener cancels with partial results and closes every session, the user transport's too. */
    @Test
    void closeFromAListenerCancelsRunningTracesWithPartialResults() throws Exception {
        Scenario s = Scenario.named("close from listener", 200).silent(6);
        ScenarioTransport t = tracers.transport(s);
        PathTracer tracer = tracers.tracer(t);
        Measurement<TraceRequest, TraceResult> other = tracer.start(endless(s).build());
        CountDownLatch closed = new CountDownLatch(1);
        Measurement<TraceRequest, TraceResult> trace = tracer.start(endless(s).listener(new TraceListener() {
            @Override
            public void hopCompleted(Hop hop) {
                if (hop.ttl() == 3) {
                    tracer.close();
                    closed.countDown();
                }
            }
        }).build());
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        TraceResult r = trace.result().get(10, TimeUnit.SECONDS);
        TraceResult o = other.result().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(o.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(r.hop(1).orElseThrow().address()).contains(s.router(1));
        assertThat(r.hop(6).orElseThrow().probes()).extracting(ProbeResult::status).containsOnly(ProbeStatus.ABANDONED);
        assertThat(t.openSessions).as("every session closed").isEmpty();
        assertThat(t.closed).as("a user transport is never closed by the tracer").isFalse();
        assertThatThrownBy(() -> tracer.trace(s.destination().getHostAddress()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeFromAFutureContinuationAndFromAnotherThread() throws Exception {
        Scenario s = Scenario.named("close from continuation", 200).silent(6);
        ScenarioTransport t = tracers.transport(s);
        PathTracer tracer = tracers.tracer(t);
        Measurement<TraceRequest, TraceResult> running = tracer.start(endless(s).build());
        CompletableFuture<Void> closedByContinuation = tracer.traceAsync(TraceRequest.of(Scenario.named("x", 3)
                .destination())).thenRun(tracer::close);
        closedByContinuation.get(10, TimeUnit.SECONDS);
        assertThat(running.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(t.openSessions).isEmpty();
        tracer.close(); // idempotent
    }

    /** A rate set on the builder holds from the first probe: no unstated burst (it sent 128 at once). */
    @Test
    void aRateSetHoldsFromTheFirstProbe() throws Exception {
        Scenario s = Scenario.named("paced", 3);
        ScenarioTransport t = tracers.transport(s);
        try (PathTracer tracer = PathTracer.builder().offline().transport(t).packetsPerSecond(20).build()) {
            tracer.trace(TraceRequest.builder(s.destination()).maxTtl(3).build());
        }
        List<Long> at = t.sends.stream().map(ScenarioTransport.Sent::at).sorted().toList();
        assertThat(at).hasSizeGreaterThan(3);
        // 20 a second from the first probe: no burst. Counted from the first send, so that a send seen late (the
        // engine thread descheduled between the pacer's release and the transport's clock) does not make the
        // next one look early; one interval is left for the first send itself being seen late.
        for (int i = 2; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(0)).as("send %d after send 0", i).isGreaterThanOrEqualTo((i - 1) * 49_000_000L);
        }
    }

    @Test
    void closeStopsItsThreads() throws Exception {
        Scenario s = Scenario.named("threads", 4);
        PathTracer tracer = PathTracer.builder().offline().transport(tracers.transport(s)).build();
        tracer.trace(TraceRequest.of(s.destination()));
        tracer.close();
        await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(th -> th.isAlive()
                && th.getName().matches("pathprobe-engine-.*") && !th.getName().equals(ioThreadName())),
                "engine threads to end");
    }

    private String ioThreadName() {
        // the simulated network's own loop is also an EngineLoop: find its name from a task
        CompletableFuture<String> n = new CompletableFuture<>();
        tracers.io().execute(() -> n.complete(Thread.currentThread().getName()));
        return n.join();
    }

    /** Item 4: any completion of the future stops the trace. */
    @Test
    void orTimeoutStopsTheTrace() throws Exception {
        Scenario s = Scenario.named("orTimeout", 200).silent(6);
        ScenarioTransport t = tracers.transport(s);
        CompletableFuture<TraceResult> f = tracers.tracer(t).traceAsync(endless(s).build()).orTimeout(100, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        await(() -> t.openSessions.isEmpty(), "the session to close");
        int sent = t.sends.size();
        Thread.sleep(50);
        assertThat(t.sends).hasSize(sent);
    }

    @Test
    void theFutureHandedOutIsNotTheEnginesOwn() throws Exception {
        Scenario s = Scenario.named("own future", 200).silent(6);
        ScenarioTransport t = tracers.transport(s);
        Measurement<TraceRequest, TraceResult> trace = tracers.tracer(t).start(endless(s).build());
        TraceResult fake = new TraceResult("fake", java.util.Optional.empty(), ProbeProtocol.ICMP, "", TraceStatus.RUNNING,
                List.of(), java.time.Instant.EPOCH, Duration.ZERO, 0, java.util.Optional.empty());
        trace.result().complete(fake);
        TraceResult real = trace.result().get(10, TimeUnit.SECONDS);
        assertThat(real).isNotSameAs(fake);
        assertThat(real.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(trace.snapshot()).isSameAs(real);
        await(() -> t.openSessions.isEmpty(), "the session to close");
    }

    @Test
    void cancellingTheAsyncFutureStopsTheTrace() throws Exception {
        Scenario s = Scenario.named("cancel future", 200).silent(2);
        ScenarioTransport t = tracers.transport(s);
        CompletableFuture<TraceResult> f = tracers.tracer(t).traceAsync(endless(s).build());
        await(() -> !t.sends.isEmpty(), "a probe");
        f.cancel(true);
        await(() -> t.openSessions.isEmpty(), "the session to close");
    }

    @Test
    void cancelAndSnapshot() throws Exception {
        Scenario s = Scenario.named("cancel", 200).silent(6);
        ScenarioTransport t = tracers.transport(s);
        CountDownLatch hops = new CountDownLatch(3);
        Measurement<TraceRequest, TraceResult> trace = tracers.tracer(t).start(endless(s).listener(new TraceListener() {
            @Override
            public void hopCompleted(Hop hop) {
                hops.countDown();
            }
        }).build());
        assertThat(hops.await(10, TimeUnit.SECONDS)).isTrue();
        TraceResult snapshot = trace.snapshot();
        assertThat(snapshot.status()).isEqualTo(TraceStatus.RUNNING);
        assertThat(snapshot.hop(6).orElseThrow().probes()).extracting(ProbeResult::status).contains(ProbeStatus.PENDING);
        trace.cancel();
        TraceResult r = trace.result().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.probes()).extracting(ProbeResult::status)
                .doesNotContain(ProbeStatus.PENDING));
        assertThat(t.openSessions).isEmpty();
        assertThat(trace.snapshot()).isSameAs(r);
    }

    @Test
    void blockingTraceIsInterruptible() throws Exception {
        Scenario s = Scenario.named("interrupt", 200).silent(2);
        ScenarioTransport t = tracers.transport(s);
        PathTracer tracer = tracers.tracer(t);
        AtomicReference<TraceResult> result = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread th = new Thread(() -> {
            result.set(tracer.trace(endless(s).build()));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        th.start();
        await(() -> !t.sends.isEmpty(), "a probe");
        th.interrupt();
        th.join(10_000);
        assertThat(result.get().status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(interrupted.get()).isTrue();
    }

    /** Item 4: cancelling before the name resolves completes normally, CANCELLED, with nothing. */
    @Test
    void cancellingBeforeTheNameResolves() throws Exception {
        Scenario s = Scenario.named("resolving", 3);
        CountDownLatch release = new CountDownLatch(1);
        PathTracer tracer = PathTracer.builder().offline().transport(tracers.transport(s)).hostResolver(host -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(s.destination());
        }).build();
        tracers.closeAfter(tracer);
        tracers.closeAfter(release::countDown);
        Measurement<TraceRequest, TraceResult> trace = tracer.start(TraceRequest.of("slow.example"));
        TraceResult before = trace.snapshot();
        assertThat(before.status()).isEqualTo(TraceStatus.RUNNING);
        assertThat(before.hops()).isEmpty();
        TraceResult partial = trace.cancel(); // the partial result, as the future gives it
        TraceResult r = trace.result().get(10, TimeUnit.SECONDS);
        assertThat(partial).isSameAs(r);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(r.hops()).isEmpty();
        assertThat(r.destination()).isEmpty();
        assertThat(r.transport()).isEmpty();
        assertThat(trace.snapshot()).isSameAs(r);
        assertThat(trace.cancel()).as("once ended, the final result").isSameAs(r);
    }

    /** Every handle is one Measurement: try-with-resources cancels it, and cancel() gives the partial result. */
    @Test
    void aMeasurementInTryWithResourcesIsCancelledWhenTheBlockEnds() throws Exception {
        Scenario s = Scenario.named("slow hops", 6).late(3, Duration.ofSeconds(5));
        PathTracer tracer = tracers.tracer(tracers.transport(s));
        Measurement<TraceRequest, TraceResult> outside;
        try (Measurement<TraceRequest, TraceResult> trace = tracer.start(TraceRequest.of(s.destination()))) {
            outside = trace;
            assertThat(trace.request().target()).isEqualTo(s.destination().getHostAddress());
        }
        TraceResult r = outside.result().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        try (Measurement<io.pathprobe.ping.PingRequest, io.pathprobe.ping.PingResult> ping = tracer.start(
                io.pathprobe.ping.PingRequest.builder().target(s.destination()).untilCancelled().build())) {
            io.pathprobe.ping.PingResult partial = ping.cancel();
            assertThat(partial.status()).isEqualTo(io.pathprobe.ping.PingStatus.CANCELLED);
        }
    }

    /** Item 4: the deadline covers name resolution; the hanging resolver is interrupted. */
    @Test
    void aHangingResolverEndsAtTheDeadline() throws Exception {
        Scenario s = Scenario.named("hanging resolver", 3);
        CountDownLatch interrupted = new CountDownLatch(1);
        PathTracer tracer = PathTracer.builder().offline().transport(tracers.transport(s)).hostResolver(host -> {
            try {
                new CountDownLatch(1).await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            throw new UnknownHostException(host);
        }).build();
        tracers.closeAfter(tracer);
        long start = System.nanoTime();
        TraceResult r = tracer.trace(TraceRequest.builder("hangs.example").deadline(Duration.ofMillis(200)).build());
        assertThat(r.status()).isEqualTo(TraceStatus.DEADLINE_EXCEEDED);
        assertThat(r.hops()).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the resolver thread is freed").isTrue();
    }

    @Test
    void badTargetsAreTypedErrors() {
        Scenario s = Scenario.named("targets", 3);
        ScenarioTransport t = tracers.transport(s);
        AtomicInteger lookups = new AtomicInteger();
        PathTracer tracer = PathTracer.builder().offline().transport(t).hostResolver(host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        }).build();
        tracers.closeAfter(tracer);
        assertThatThrownBy(() -> tracer.trace("no-such-host.invalid"))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.UNRESOLVED));
        assertThatThrownBy(() -> tracer.trace("999.18.0.1"))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.INVALID_LITERAL));
        assertThatThrownBy(() -> tracer.trace("224.0.0.1"))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.NOT_UNICAST));
        assertThatThrownBy(() -> tracer.trace(TraceRequest.builder("198.18.0.1").ipVersion(IpVersion.IPV6).build()))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.WRONG_IP_VERSION))
                .hasMessageContaining("is an IPv4 address; the request asks for IPV6");
        assertThatThrownBy(() -> tracer.trace(TraceRequest.builder("2001:db8::1").ipVersion(IpVersion.IPV4).build()))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.WRONG_IP_VERSION));
        assertThat(lookups.get()).as("literals never reach the resolver").isEqualTo(1);
        CompletableFuture<TraceResult> f = tracer.traceAsync(TraceRequest.of("also-missing.invalid"));
        assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(UnknownTargetException.class);
        Measurement<TraceRequest, TraceResult> failed = tracer.start(TraceRequest.of("missing-too.invalid"));
        assertThat(failed.result()).failsWithin(Duration.ofSeconds(10));
        assertThatThrownBy(failed::snapshot).as("the cause, not a CompletionException")
                .isInstanceOf(UnknownTargetException.class);
        assertThat(t.sessionSpecs).isEmpty();
    }

    @Test
    void aStrictProtocolTheTransportCannotSendIsATypedErrorWithAHint() {
        Scenario s = Scenario.named("strict", 3);
        ScenarioTransport t = new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM,
                EnumSet.of(TransportCapability.UDP, TransportCapability.IPV4));
        PathTracer tracer = tracers.tracer(t);
        assertThatThrownBy(() -> tracer.trace(TraceRequest.builder(s.destination()).protocol(ProbeProtocol.ICMP).build()))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> {
                    assertThat(e.getMessage()).contains("scenario: does not send ICMP probes");
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).startsWith("UDP probes are usable here"));
                });
        TraceResult automatic = tracer.trace(TraceRequest.of(s.destination()));
        assertThat(automatic.protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(automatic.protocolNote()).hasValueSatisfying(n -> assertThat(n).startsWith("ICMP not usable"));
        assertThat(automatic.destinationReached()).isTrue();
    }

    /**
     * Issue 23: build() opens the transport a default trace chooses before it returns (so the first trace
     * does not load it), only that one, and close() closes it; with nothing usable, build() still succeeds
     * and the trace reports why.
     */
    @Test
    void buildOpensTheDefaultTracesTransportAndCloseClosesIt() throws Exception {
        Scenario s = Scenario.named("prepared", 3);
        Set<TransportCapability> icmp = EnumSet.of(TransportCapability.ICMP, TransportCapability.IPV4,
                TransportCapability.FLOW_FIXED);
        Set<TransportCapability> udp = EnumSet.of(TransportCapability.UDP, TransportCapability.IPV4);
        AtomicReference<ScenarioTransport> made = new AtomicReference<>();
        FakeProvider icmpProvider = new FakeProvider("icmp", 20, icmp, Availability.available(), () -> {
            ScenarioTransport t = new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM, icmp);
            made.set(t);
            return t;
        });
        FakeProvider udpProvider = new FakeProvider("udp", 10, udp, Availability.available(),
                () -> new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM, udp));
        PathTracer tracer = DefaultTracerFactory.create(new TracerSettings(null, null, 0, 128, HostResolver.SYSTEM, null),
                TransportRegistry.of(List.of(udpProvider, icmpProvider)), true);
        assertThat(icmpProvider.opened.get()).as("opened by build(), before any trace").isEqualTo(1);
        assertThat(udpProvider.opened.get()).isZero();
        TraceResult r = tracer.trace(TraceRequest.builder(s.destination()).build());
        assertThat(r.transport()).isEqualTo("icmp");
        assertThat(icmpProvider.opened.get()).as("the trace used it, not a second one").isEqualTo(1);
        tracer.close();
        assertThat(made.get().closed).as("closed with the tracer").isTrue();

        FakeProvider none = new FakeProvider("icmp-denied", 20, icmp, Availability.unavailable("needs CAP_NET_RAW"),
                () -> { throw new AssertionError("not available: never opened"); });
        PathTracer unusable = DefaultTracerFactory.create(new TracerSettings(null, null, 0, 128, HostResolver.SYSTEM, null),
                TransportRegistry.of(List.of(none)), true);
        tracers.closeAfter(unusable);
        assertThatThrownBy(() -> unusable.trace(TraceRequest.builder(s.destination()).build()))
                .isInstanceOf(NoTransportAvailableException.class).hasMessageContaining("needs CAP_NET_RAW");
    }

    /** Item 4: opening a transport happens off the engine loop; other traces go on meanwhile. */
    @Test
    void openingATransportDoesNotStallOtherTraces() throws Exception {
        Scenario s = Scenario.named("slow open", 4);
        Set<TransportCapability> icmp = EnumSet.of(TransportCapability.ICMP, TransportCapability.IPV4);
        Set<TransportCapability> udp = EnumSet.of(TransportCapability.UDP, TransportCapability.IPV4);
        FakeProvider slow = new FakeProvider("slow-icmp", 20, icmp, Availability.available(),
                () -> new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM, icmp));
        FakeProvider fast = new FakeProvider("udp", 10, udp, Availability.available(),
                () -> new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM, udp));
        slow.openGate = new CountDownLatch(1);
        PathTracer tracer = DefaultTracerFactory.create(
                new TracerSettings(null, null, 0, 128, HostResolver.SYSTEM, null),
                TransportRegistry.of(List.of(slow, fast)));
        tracers.closeAfter(tracer);
        tracers.closeAfter(slow.openGate::countDown);
        CompletableFuture<TraceResult> icmpTrace = tracer.traceAsync(
                TraceRequest.builder(s.destination()).protocol(ProbeProtocol.ICMP).build());
        TraceResult udpTrace = tracer.trace(TraceRequest.builder(s.destination()).protocol(ProbeProtocol.UDP).build());
        assertThat(udpTrace.destinationReached()).isTrue();
        assertThat(icmpTrace).isNotDone();
        slow.openGate.countDown();
        assertThat(icmpTrace.get(10, TimeUnit.SECONDS).transport()).isEqualTo("slow-icmp");
        List<TransportInfo> infos = tracer.transports();
        assertThat(infos).extracting(TransportInfo::name).containsExactly("slow-icmp", "udp");
        assertThat(infos).allSatisfy(i -> assertThat(i.counters()).isPresent());
    }

    /** Item 4: an exception inside an engine task fails that trace (cause kept, session closed), never hangs it. */
    @Test
    void anEngineTaskThatThrowsFailsItsTrace() {
        Scenario s = Scenario.named("broken transport", 200).silent(3);
        ScenarioTransport inner = tracers.transport(s);
        ProbeTransport broken = new NamedTransport("broken", inner.capabilities()) {
            @Override
            public ProbeSession openSession(SessionSpec spec, ResponseListener listener) {
                return new ForwardingSession(inner.openSession(spec, listener)) {
                    @Override
                    public void afterPendingAnswers(Runnable action) {
                        throw new IllegalStateException("broken afterPendingAnswers");
                    }
                };
            }

            @Override
            public void close() {}
        };
        PathTracer tracer = tracers.tracer(broken);
        CompletableFuture<TraceResult> f = tracer.traceAsync(TraceRequest.builder(s.destination())
                .probeTimeout(Duration.ofMillis(20)).build());
        assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class).withMessage("broken afterPendingAnswers");
        assertThat(inner.openSessions).isEmpty();
    }

    /** Defect 8 end to end: transports() has the transport's counters; unmatched counts only what reached the trace. */
    @Test
    void transportsShowsCountersOfTheUserTransport() {
        Scenario s = Scenario.named("counters", 5).noise(1, 1).duplicate(2);
        ScenarioTransport t = tracers.transport(s);
        PathTracer tracer = tracers.tracer(t);
        TraceResult r = tracer.trace(TraceRequest.builder(s.destination()).maxTtl(5).build());
        assertThat(r.unmatchedReplies()).isEqualTo(3);
        List<TransportInfo> infos = tracer.transports();
        assertThat(infos).hasSize(1);
        assertThat(infos.get(0).name()).isEqualTo("scenario");
        assertThat(infos.get(0).available()).isTrue();
        var c = infos.get(0).counters().orElseThrow();
        assertThat(c.read()).isEqualTo(c.delivered() + c.droppedTotal());
    }

    @Test
    void manyConcurrentTracesShareOneEngineThread() throws Exception {
        Scenario s = Scenario.named("many", 15).silent(5, 11);
        ScenarioTransport t = tracers.transport(s);
        PathTracer tracer = tracers.tracer(t);
        tracer.trace(TraceRequest.of(s.destination()));
        long before = threads();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<TraceResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(callers.submit(() -> tracer.trace(TraceRequest.of(s.destination()))));
            }
            for (Future<TraceResult> f : results) {
                TraceResult r = f.get(20, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(r.unmatchedReplies()).isZero();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(threads()).isEqualTo(before);
        assertThat(t.openSessions).isEmpty();
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("pathprobe-engine") && th.isAlive()).count();
    }
}
