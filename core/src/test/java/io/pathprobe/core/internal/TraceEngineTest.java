package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.Hop;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.ProbeProtocol;
import io.pathprobe.ProbeResult;
import io.pathprobe.ProbeStatus;
import io.pathprobe.Trace;
import io.pathprobe.TraceListener;
import io.pathprobe.TraceRequest;
import io.pathprobe.TraceResult;
import io.pathprobe.TraceStatus;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.spi.TransportCapability;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine against a scripted network (see {@link SimulatedTransport}). */
class TraceEngineTest {
    private static final String DEST = SimulatedTransport.DESTINATION.getHostAddress();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private PathTracer tracer(SimulatedTransport sim) {
        PathTracer t = PathTracer.builder().transport(sim).packetsPerSecond(0).build();
        toClose.add(t);
        toClose.add(sim);
        return t;
    }

    private static List<Optional<InetAddress>> path(TraceResult r) {
        return r.hops().stream().map(Hop::address).toList();
    }

    private static List<Optional<InetAddress>> expected(SimulatedTransport sim) {
        List<Optional<InetAddress>> out = new ArrayList<>();
        for (int ttl = 1; ttl < sim.destinationTtl; ttl++) {
            out.add(sim.silent.contains(ttl) ? Optional.empty() : Optional.of(sim.routers.get(ttl)));
        }
        out.add(Optional.of(SimulatedTransport.DESTINATION));
        return out;
    }

    @ParameterizedTest
    @EnumSource(ProbeProtocol.class)
    void reportsEveryHopWithSilentOnesEmptyAndStopsAtTheDestination(ProbeProtocol protocol) {
        SimulatedTransport sim = new SimulatedTransport(12);
        sim.silent.addAll(Set.of(3, 7));
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).protocol(protocol).build());

        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.destinationReached()).isTrue();
        assertThat(path(r)).isEqualTo(expected(sim));
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(r.hop(3).orElseThrow().probes()).extracting(ProbeResult::status)
                .containsOnly(ProbeStatus.TIMEOUT).hasSize(3);
        assertThat(r.hop(12).orElseThrow().destination()).isTrue();
        assertThat(r.hop(11).orElseThrow().destination()).isFalse();
        assertThat(r.unmatchedReplies()).isZero();
        assertThat(r.transport()).isEqualTo("simulated");
        assertThat(r.protocol()).isEqualTo(protocol);
        Hop four = r.hop(4).orElseThrow();
        assertThat(four.statistics().sent()).isEqualTo(3);
        assertThat(four.statistics().received()).isEqualTo(3);
        assertThat(four.statistics().loss()).isZero();
        assertThat(four.rtts()).containsOnly(Duration.ofNanos(4 * sim.rttNanosPerHop));
        assertThat(r.hop(3).orElseThrow().statistics().loss()).isEqualTo(1.0);
        assertThat(sim.openSessions).as("session closed at the end").isEmpty();
    }

    @Test
    void sequentialModeGivesTheSameHops() {
        SimulatedTransport sim = new SimulatedTransport(9);
        sim.silent.addAll(Set.of(2, 5));
        PathTracer tracer = tracer(sim);
        TraceResult concurrent = tracer.trace(TraceRequest.of(DEST));
        TraceResult sequential = tracer.trace(TraceRequest.builder(DEST).sequential(true)
                .probeTimeout(Duration.ofMillis(100)).build());
        assertThat(path(sequential)).isEqualTo(path(concurrent)).isEqualTo(expected(sim));
        assertThat(sequential.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
    }

    @Test
    void sequentialModeNeverHasTwoTtlsInFlight() {
        SimulatedTransport sim = new SimulatedTransport(6);
        sim.silent.add(3);
        tracer(sim).trace(TraceRequest.builder(DEST).sequential(true).probeTimeout(Duration.ofMillis(50)).build());
        // the TTLs of the sends never go down, and a new TTL starts only after the previous one
        List<Long> ttls = sim.sends.stream().map(s -> s[1]).toList();
        assertThat(ttls).isSorted();
        assertThat(ttls).containsExactly(1L, 1L, 1L, 2L, 2L, 2L, 3L, 3L, 3L, 4L, 4L, 4L, 5L, 5L, 5L, 6L, 6L, 6L);
    }

    @Test
    void silentHopsDoNotHoldTheTraceWithTheAdaptiveWait() {
        SimulatedTransport sim = new SimulatedTransport(20);
        sim.silent.addAll(Set.of(4, 9, 15));
        // A minute per probe, a 10 s deadline: only the adaptive wait can finish this trace in time.
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofSeconds(10)).build());
        assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(path(r)).isEqualTo(expected(sim));
    }

    @Test
    void withoutAdaptiveWaitSilentHopsWaitTheFullTimeout() {
        SimulatedTransport sim = new SimulatedTransport(5);
        sim.silent.add(2);
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).adaptiveWait(false)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMillis(500)).build());
        assertThat(r.status()).isEqualTo(TraceStatus.DEADLINE_EXCEEDED);
        assertThat(r.hop(2).orElseThrow().probes()).extracting(ProbeResult::status).containsOnly(ProbeStatus.PENDING);
        assertThat(r.hop(5).orElseThrow().destination()).isTrue();
    }

    @Test
    void sendsNothingBeyondTheDestinationOnceItIsKnown() {
        SimulatedTransport sim = new SimulatedTransport(5);
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).maxHops(30).maxInFlight(8).build());
        assertThat(r.hops()).hasSize(5);
        long firstDestinationAnswer = sim.destinationAnswerTimes.get(0);
        assertThat(sim.sends).filteredOn(s -> s[0] > firstDestinationAnswer).allSatisfy(s -> assertThat(s[1]).isLessThanOrEqualTo(5));
        // beyond the destination, at most the first attempt of each TTL went out
        assertThat(sim.sends).filteredOn(s -> s[1] > 5).extracting(s -> s[1]).doesNotHaveDuplicates();
    }

    @Test
    void answersThatMatchNoOutstandingProbeAreCountedNotAttributed() {
        SimulatedTransport sim = new SimulatedTransport(6);
        sim.duplicateEverything = true;
        sim.bogusSequences = true;
        // maxHops at the destination: no probe goes beyond it, so every answer is counted below
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).maxHops(6).build());
        assertThat(path(r)).isEqualTo(expected(sim));
        int probes = r.hops().stream().mapToInt(h -> h.probes().size()).sum();
        assertThat(r.hops()).allSatisfy(h -> assertThat(h.statistics().received()).isEqualTo(3));
        // every answer came with a duplicate and a bogus sequence number; those of the very last
        // answer arrive after the trace ended and are simply dropped
        assertThat(r.unmatchedReplies()).isEqualTo(2 * probes - 2);
    }

    @Test
    void lossIsCountedPerHop() {
        SimulatedTransport sim = new SimulatedTransport(4);
        sim.lost.put(2, Set.of(1));
        TraceResult r = tracer(sim).trace(TraceRequest.of(DEST));
        Hop two = r.hop(2).orElseThrow();
        assertThat(two.statistics().sent()).isEqualTo(3);
        assertThat(two.statistics().received()).isEqualTo(2);
        assertThat(two.statistics().lost()).isEqualTo(1);
        assertThat(two.statistics().loss()).isEqualTo(1.0 / 3);
        assertThat(two.address()).contains(sim.routers.get(2));
    }

    @Test
    void aRouterUnreachableEndsThePath() {
        SimulatedTransport sim = new SimulatedTransport(10);
        sim.unreachableAt = 4;
        TraceResult r = tracer(sim).trace(TraceRequest.of(DEST));
        assertThat(r.status()).isEqualTo(TraceStatus.UNREACHABLE);
        assertThat(r.destinationReached()).isFalse();
        assertThat(r.hops()).hasSize(4);
        assertThat(r.hop(4).orElseThrow().probes()).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(ProbeStatus.UNREACHABLE);
            assertThat(p.icmpType()).isEqualTo(3);
            assertThat(p.icmpCode()).isZero();
        });
    }

    @Test
    void noRouteFromThisHostIsAResultNotAHang() {
        SimulatedTransport sim = new SimulatedTransport(10);
        sim.failSendsNoRoute = true;
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).probeTimeout(Duration.ofMinutes(1))
                .deadline(Duration.ofMinutes(1)).build());
        assertThat(r.status()).isEqualTo(TraceStatus.NO_ROUTE);
        assertThat(r.hops()).isNotEmpty();
        assertThat(r.hops().get(0).probes().get(0).status()).isEqualTo(ProbeStatus.SEND_FAILED);
        assertThat(r.hops().get(0).probes().get(0).failure()).hasValueSatisfying(f -> assertThat(f).contains("ENETUNREACH"));
        assertThat(sim.openSessions).isEmpty();
    }

    @Test
    void maxHopsWithoutTheDestination() {
        SimulatedTransport sim = new SimulatedTransport(200);
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).maxHops(7).build());
        assertThat(r.status()).isEqualTo(TraceStatus.MAX_HOPS_EXCEEDED);
        assertThat(r.hops()).hasSize(7);
        assertThat(r.destinationReached()).isFalse();
    }

    @Test
    void firstTtlSkipsTheNearHops() {
        SimulatedTransport sim = new SimulatedTransport(8);
        TraceResult r = tracer(sim).trace(TraceRequest.builder(DEST).firstTtl(3).build());
        assertThat(r.hops()).extracting(Hop::ttl).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(sim.sends).allSatisfy(s -> assertThat(s[1]).isGreaterThanOrEqualTo(3));
    }

    @Test
    void cancelReturnsThePartialResultAndFreesTheSession() throws Exception {
        SimulatedTransport sim = new SimulatedTransport(200);
        sim.silent.add(6);
        CountDownLatch someHops = new CountDownLatch(3);
        Trace trace = tracer(sim).start(TraceRequest.builder(DEST).maxHops(40).adaptiveWait(false)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1))
                .listener(new TraceListener() {
                    @Override
                    public void hopCompleted(Hop hop) {
                        someHops.countDown();
                    }
                }).build());
        assertThat(someHops.await(10, TimeUnit.SECONDS)).isTrue();
        TraceResult snapshot = trace.snapshot();
        assertThat(snapshot.status()).isEqualTo(TraceStatus.RUNNING);
        trace.cancel();
        TraceResult r = trace.result().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(r.hop(1).orElseThrow().address()).contains(sim.routers.get(1));
        assertThat(r.hop(6).orElseThrow().probes()).extracting(ProbeResult::status).contains(ProbeStatus.PENDING);
        assertThat(sim.openSessions).isEmpty();
        assertThat(trace.snapshot()).isSameAs(r);
    }

    @Test
    void cancellingTheAsyncFutureStopsTheTrace() throws Exception {
        SimulatedTransport sim = new SimulatedTransport(200);
        sim.silent.add(2);
        CompletableFuture<TraceResult> f = tracer(sim).traceAsync(TraceRequest.builder(DEST).adaptiveWait(false)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)).build());
        while (sim.sessionsOpened.get() == 0) {
            Thread.onSpinWait();
        }
        f.cancel(true);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sim.openSessions.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(sim.openSessions).isEmpty();
    }

    @Test
    void blockingTraceIsInterruptible() throws Exception {
        SimulatedTransport sim = new SimulatedTransport(200);
        sim.silent.add(2);
        PathTracer tracer = tracer(sim);
        AtomicReference<TraceResult> result = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread t = new Thread(() -> {
            result.set(tracer.trace(TraceRequest.builder(DEST).adaptiveWait(false)
                    .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)).build()));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        while (sim.sends.isEmpty()) {
            Thread.onSpinWait();
        }
        t.interrupt();
        t.join(10_000);
        assertThat(result.get().status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(interrupted.get()).isTrue();
    }

    @Test
    void listenerSeesEveryProbeAndHopAndCannotBreakTheTrace() {
        SimulatedTransport sim = new SimulatedTransport(7);
        sim.silent.add(3);
        List<ProbeResult> probes = new CopyOnWriteArrayList<>();
        List<Integer> hops = new CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<TraceResult> completed = new AtomicReference<>();
        AtomicReference<Throwable> blocking = new AtomicReference<>();
        PathTracer tracer = tracer(sim);
        TraceResult r = tracer.trace(TraceRequest.builder(DEST).listener(new TraceListener() {
            @Override
            public void traceStarted(TraceRequest request, InetAddress destination, String transport) {
                try {
                    tracer.trace(DEST);
                } catch (Throwable e) {
                    blocking.set(e);
                }
            }

            @Override
            public void probeSent(int ttl, int attempt) {
                sent.incrementAndGet();
                throw new IllegalStateException("listeners that throw are ignored");
            }

            @Override
            public void probeCompleted(ProbeResult probe) {
                probes.add(probe);
            }

            @Override
            public void hopCompleted(Hop hop) {
                hops.add(hop.ttl());
            }

            @Override
            public void traceCompleted(TraceResult result) {
                completed.set(result);
            }
        }).build());
        assertThat(blocking.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");
        assertThat(path(r)).isEqualTo(expected(sim));
        assertThat(completed.get()).isSameAs(r);
        assertThat(hops).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
        int inResult = r.hops().stream().mapToInt(h -> h.probes().size()).sum();
        assertThat(probes.stream().filter(p -> p.ttl() <= 7)).hasSize(inResult);
        assertThat(sent.get()).isGreaterThanOrEqualTo(inResult);
    }

    @Test
    void badTargetsAreTypedErrors() throws Exception {
        SimulatedTransport sim = new SimulatedTransport(3);
        AtomicInteger lookups = new AtomicInteger();
        PathTracer tracer = PathTracer.builder().transport(sim).hostResolver(host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        }).build();
        toClose.add(tracer);
        toClose.add(sim);
        assertThatThrownBy(() -> tracer.trace("no-such-host.invalid"))
                .isInstanceOf(UnknownTargetException.class).hasMessageContaining("no-such-host.invalid");
        assertThat(lookups.get()).isEqualTo(1);
        assertThatThrownBy(() -> tracer.trace("999.18.0.1"))
                .isInstanceOf(UnknownTargetException.class).hasMessageContaining("not a valid IPv4 address");
        assertThatThrownBy(() -> tracer.trace("0.0.0.0")).isInstanceOf(UnknownTargetException.class);
        assertThatThrownBy(() -> tracer.trace("224.0.0.1")).isInstanceOf(UnknownTargetException.class);
        assertThat(lookups.get()).as("literals never reach the resolver").isEqualTo(1);
        CompletableFuture<TraceResult> f = tracer.traceAsync(TraceRequest.of("also-missing.invalid"));
        assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(UnknownTargetException.class);
        assertThat(sim.sessionsOpened.get()).isZero();
    }

    @Test
    void namesAreResolvedPreferringIpv4() {
        SimulatedTransport sim = new SimulatedTransport(3);
        PathTracer tracer = PathTracer.builder().transport(sim).hostResolver(host -> List.of(
                InetAddress.getByName("2001:db8::1"), SimulatedTransport.DESTINATION)).build();
        toClose.add(tracer);
        toClose.add(sim);
        TraceResult r = tracer.trace("lab-destination");
        assertThat(r.target()).isEqualTo("lab-destination");
        assertThat(r.destination()).isEqualTo(SimulatedTransport.DESTINATION);
        assertThat(r.destinationReached()).isTrue();
    }

    @Test
    void aProtocolTheTransportCannotSendIsATypedErrorNamingWhy() {
        SimulatedTransport sim = new SimulatedTransport(3, Set.of(TransportCapability.ICMP, TransportCapability.IPV4));
        PathTracer tracer = tracer(sim);
        assertThatThrownBy(() -> tracer.trace(TraceRequest.builder(DEST).protocol(ProbeProtocol.UDP).build()))
                .isInstanceOf(NoTransportAvailableException.class)
                .hasMessageContaining("simulated: does not send UDP probes");
        assertThatThrownBy(() -> tracer.trace("2001:db8::1"))
                .isInstanceOf(NoTransportAvailableException.class)
                .hasMessageContaining("does not probe IPv6 destinations");
        assertThat(sim.sessionsOpened.get()).isZero();
    }

    @Test
    void aTraceNeedingMoreProbeNumbersThanTheSessionOffersIsRejected() {
        SimulatedTransport sim = new SimulatedTransport(3);
        sim.maxSequence = 50;
        PathTracer tracer = tracer(sim);
        assertThatThrownBy(() -> tracer.trace(TraceRequest.builder(DEST).maxHops(30).probesPerHop(3).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 90 probe numbers but simulated offers 51");
        assertThat(sim.openSessions).isEmpty();
        assertThat(tracer.trace(TraceRequest.builder(DEST).maxHops(16).probesPerHop(3).build()).destinationReached()).isTrue();
    }

    @Test
    void closeCancelsRunningTracesStopsItsThreadAndRefusesNewOnes() throws Exception {
        long before = engineThreads();
        SimulatedTransport sim = new SimulatedTransport(200);
        sim.silent.add(2);
        PathTracer tracer = PathTracer.builder().transport(sim).build();
        toClose.add(sim);
        Trace trace = tracer.start(TraceRequest.builder(DEST).adaptiveWait(false)
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(1)).build());
        while (sim.sends.isEmpty()) {
            Thread.onSpinWait();
        }
        tracer.close();
        assertThat(trace.result()).isCompleted();
        assertThat(trace.result().get().status()).isEqualTo(TraceStatus.CANCELLED);
        assertThat(sim.openSessions).isEmpty();
        assertThatThrownBy(() -> tracer.trace(DEST)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(engineThreads()).isEqualTo(before);
        tracer.close(); // idempotent
    }

    @Test
    void manyConcurrentTracesFromManyThreadsShareOneEngineThread() throws Exception {
        SimulatedTransport sim = new SimulatedTransport(15);
        sim.silent.addAll(Set.of(5, 11));
        PathTracer tracer = tracer(sim);
        tracer.trace(DEST); // warm: the engine thread exists
        long engineThreads = engineThreads();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<TraceResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(callers.submit(() -> tracer.trace(DEST)));
            }
            for (Future<TraceResult> f : results) {
                TraceResult r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(TraceStatus.DESTINATION_REACHED);
                assertThat(path(r)).isEqualTo(expected(sim));
                assertThat(r.unmatchedReplies()).isZero();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(engineThreads()).isEqualTo(engineThreads);
        assertThat(sim.openSessions).isEmpty();
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pathprobe-engine") && t.isAlive()).count();
    }

    @Test
    void theRateLimitSpacesProbesButStillCompletes() {
        SimulatedTransport sim = new SimulatedTransport(4);
        PathTracer tracer = PathTracer.builder().transport(sim).packetsPerSecond(200).burst(2).build();
        toClose.add(tracer);
        toClose.add(sim);
        TraceResult r = tracer.trace(TraceRequest.of(DEST));
        assertThat(r.destinationReached()).isTrue();
        List<long[]> sends = sim.sends;
        // after the burst of 2, sends are at least ~5 ms apart on average (200/s)
        long span = sends.get(sends.size() - 1)[0] - sends.get(2)[0];
        assertThat(span).isGreaterThanOrEqualTo((sends.size() - 3) * 4_000_000L);
    }
}
