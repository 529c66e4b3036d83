package io.pathprobe.core.internal.multipath;

import static io.pathprobe.core.internal.sim.RealTimeTracers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.Measurement;
import io.pathprobe.NoTransportAvailableException;
import io.pathprobe.PathTracer;
import io.pathprobe.UnknownTargetException;
import io.pathprobe.core.internal.DefaultPathTracer;
import io.pathprobe.core.internal.runtime.Ticker;
import io.pathprobe.core.internal.sim.RealTimeTracers;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.sim.ScenarioTransport;
import io.pathprobe.multipath.MultipathAlgorithm;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathListener;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.IpVersion;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
/**
 * The multipath handle's wiring on a real tracer (engine loop, set-up pool, executor) over a
 * simulated network, with a {@link StubStrategy} in place of the algorithm: transport choice with
 * explicit flows, typed errors, listener order and threads, cancel, deadline, close, blocking wait.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultipathHandleTest {
    private final RealTimeTracers tracers = new RealTimeTracers();
    private final List<StubStrategy.Made> made = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        tracers.close();
    }

    private MultipathHandle.StrategyFactory stub(int lastTtl, boolean endless) {
        return StubStrategy.factory(lastTtl, endless, made, r -> {});
    }

    @Test
    void badRequestsAreBuilderErrors() {
        for (double c : new double[] {0, 100, -1, 100.5, Double.NaN}) {
            assertThatThrownBy(() -> MultipathRequest.builder("198.18.0.1").confidence(c))
                    .as("confidence %s", c).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("strictly between 0 and 100");
        }
        assertThat(MultipathRequest.builder("198.18.0.1").confidence(99.9).build().confidence()).isEqualTo(99.9);
        assertThatThrownBy(() -> MultipathRequest.builder("198.18.0.1").maxProbes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxProbes must be 1..");
        assertThatThrownBy(() -> MultipathRequest.builder("198.18.0.1").firstTtl(5).maxTtl(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl 4 is below firstTtl 5");
        assertThatThrownBy(() -> MultipathRequest.builder("198.18.0.1").pathProbes(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipathRequest.builder("198.18.0.1").deadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipathRequest.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opensAnExplicitFlowSessionOfTheRequestedProtocolAndStreamsEventsInOrderOffTheEngine() throws Exception {
        Scenario s = Scenario.named("plain", 4);
        ScenarioTransport t = tracers.transport(s);
        ExecutorService mine = Executors.newFixedThreadPool(3, r -> new Thread(r, "mine"));
        tracers.closeAfter(mine::shutdownNow);
        DefaultPathTracer tracer = tracers.tracer(PathTracer.builder().offline().transport(t).executor(mine).packetsPerSecond(0));
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        MultipathListener listener = new MultipathListener() {
            void saw(String e) {
                Thread.yield(); // slower than the engine
                events.add(e);
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public void started(MultipathRequest request, InetAddress destination, String transport) {
                saw("started " + destination.getHostAddress() + " " + transport);
            }

            @Override
            public void nodeFound(MultipathNode node) {
                saw("node " + node.ttl());
            }

            @Override
            public void linkFound(MultipathLink link) {
                saw("link " + link.ttl());
            }

            @Override
            public void roundCompleted(int round, int probes) {
                saw("round " + round + " " + probes);
            }

            @Override
            public void completed(MultipathResult result) {
                saw("completed " + result.status());
            }
        };
        MultipathRequest request = MultipathRequest.builder(s.destination()).maxTtl(4).listener(listener)
                .algorithm(MultipathAlgorithm.MDA).build();
        Measurement<MultipathRequest, MultipathResult> d = tracer.start(request, stub(4, false));
        List<String> atCompletion = d.result().thenApply(r -> List.copyOf(events)).get(10, TimeUnit.SECONDS);
        MultipathResult r = d.snapshot();
        assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
        assertThat(r.complete()).isTrue();
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.transport()).isEqualTo("scenario");
        assertThat(r.nodes()).hasSize(4);
        assertThat(atCompletion).first().isEqualTo("started 192.0.2.1 scenario");
        assertThat(atCompletion).last().isEqualTo("completed COMPLETED");
        assertThat(atCompletion).contains("node 1", "node 4", "link 3", "round 1 4");
        // nodes in the order the engine found them: a link after both its ends
        assertThat(atCompletion.indexOf("link 1")).isGreaterThan(atCompletion.indexOf("node 2"));
        assertThat(threads).containsOnly("mine");
        assertThat(t.sessionSpecs).containsExactly(SessionSpec.explicit(ProbeProtocol.UDP, s.destination(), 33434));
        assertThat(made).singleElement().satisfies(m -> {
            assertThat(m.protocol()).isEqualTo(ProbeProtocol.UDP);
            assertThat(m.transport()).isEqualTo("scenario");
            assertThat(m.maxFlow()).isEqualTo(255);
            assertThat(m.events()).isTrue();
            assertThat(m.notes()).isEmpty();
        });
        assertThat(t.sends).extracting(ScenarioTransport.Sent::flow).containsExactly(1, 2, 3, 4);
        await(() -> t.openSessions.isEmpty(), "the session to close");
        assertThat(tracer.running()).isZero();
    }

    /** The real strategy behind the public calls, on a simulated chain: one path, no diamond, events streamed. */
    @Test
    void theRealStrategyOnAChain() throws Exception {
        Scenario s = Scenario.named("chain", 5);
        ScenarioTransport t = tracers.transport(s);
        DefaultPathTracer tracer = tracers.tracer(t);
        List<String> events = new CopyOnWriteArrayList<>();
        MultipathResult r = tracer.measureAsync(MultipathRequest.builder(s.destination()).pathProbes(3)
                .listener(new MultipathListener() {
                    @Override
                    public void nodeFound(MultipathNode node) {
                        events.add("node " + node.ttl());
                    }

                    @Override
                    public void pathMeasured(io.pathprobe.multipath.MultipathPath path) {
                        events.add("path");
                    }

                    @Override
                    public void completed(MultipathResult result) {
                        events.add("completed");
                    }
                }).build()).get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
        assertThat(r.destinationReached()).isTrue();
        assertThat(r.transport()).isEqualTo("scenario");
        assertThat(r.nodes()).extracting(MultipathNode::ttl).containsExactly(1, 2, 3, 4, 5);
        assertThat(r.nodes().get(0).address()).contains(s.router(1));
        assertThat(r.diamonds()).isEmpty();
        assertThat(r.paths()).singleElement().satisfies(p -> {
            assertThat(p.hops()).hasSize(5);
            assertThat(p.loss()).isZero();
            // the scenario's destination answers every UDP probe (no limit): the path probes stay UDP
            assertThat(p.lossBasis()).isEqualTo(io.pathprobe.multipath.LossBasis.END_TO_END);
            assertThat(p.statistics().sent()).isEqualTo(3);
        });
        assertThat(events).contains("node 1", "node 5", "path").last().isEqualTo("completed");
        // only the protocol asked for: no TCP session, though the transport sends TCP
        assertThat(t.sessionSpecs).containsExactly(SessionSpec.explicit(ProbeProtocol.UDP, s.destination(), 33434));
        assertThat(r.tcpConfirmations()).isZero();
        await(() -> t.openSessions.isEmpty(), "the session to close");
        // with TCP confirmation asked for, a UDP discovery with path probes can measure them over TCP, should the
        // destination limit its answers (this one does not: no TCP probe claims a path)
        t.sessionSpecs.clear();
        MultipathResult confirmed = tracer.measure(MultipathRequest.builder(s.destination()).pathProbes(3)
                .tcpConfirmation(true).build());
        assertThat(confirmed.complete()).isTrue();
        assertThat(t.sessionSpecs).containsExactly(SessionSpec.explicit(ProbeProtocol.UDP, s.destination(), 33434),
                SessionSpec.explicit(ProbeProtocol.TCP, s.destination(), 80));
        assertThat(confirmed.tcpConfirmations()).isLessThanOrEqualTo(confirmed.probes());
        await(() -> t.openSessions.isEmpty(), "the sessions to close");
        assertThat(tracer.measure(MultipathRequest.builder(s.destination()).protocol(ProbeProtocol.ICMP)
                .pathProbes(0).build()).complete()).isTrue();
    }

    /** TCP confirmation asked for, a transport that sends no TCP: the path probes stay UDP, and a note says why. */
    @Test
    void withoutATcpTransportThePathProbesStayUdpWithANote() throws Exception {
        Scenario s = Scenario.named("chain", 5);
        ScenarioTransport t = new ScenarioTransport(s, tracers.io(), io.pathprobe.core.internal.runtime.Ticker.SYSTEM,
                java.util.EnumSet.of(io.pathprobe.spi.TransportCapability.UDP, io.pathprobe.spi.TransportCapability.IPV4,
                        io.pathprobe.spi.TransportCapability.IPV6, io.pathprobe.spi.TransportCapability.FLOW_FIXED,
                        io.pathprobe.spi.TransportCapability.FLOW_EXPLICIT));
        DefaultPathTracer tracer = tracers.tracer(t);
        MultipathResult r = tracer.measureAsync(MultipathRequest.builder(s.destination()).pathProbes(3)
                .tcpConfirmation(true).build()).get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(MultipathStatus.COMPLETED);
        assertThat(t.sessionSpecs).containsExactly(SessionSpec.explicit(ProbeProtocol.UDP, s.destination(), 33434));
        assertThat(r.tcpConfirmations()).isZero();
        assertThat(r.paths()).singleElement().satisfies(p -> {
            assertThat(p.lossBasis()).isNotEqualTo(io.pathprobe.multipath.LossBasis.TCP_END_TO_END);
            assertThat(p.statistics().sent()).isEqualTo(3);
        });
        assertThat(r.notes()).anyMatch(n -> n.startsWith("TCP confirmation was asked for, but no usable transport sends"
                + " TCP probes with explicit flows"));
    }

    /**
     * Issue 21: an IPv6 target on an IPv4-only host (every send EADDRNOTAVAIL, for good) ends the
     * discovery at its first send, SEND_FAILED with the cause, never COMPLETE; no route is NO_ROUTE.
     */
    @Test
    void aSendThatCanNeverSucceedEndsTheDiscoveryAtOnce() throws Exception {
        Scenario s = Scenario.named("ipv4 only", 5).ipv4Only();
        ScenarioTransport t = tracers.transport(s);
        DefaultPathTracer tracer = tracers.tracer(t);
        MultipathResult r = tracer.measureAsync(MultipathRequest.builder(InetAddress.getByName("2001:db8::5"))
                .probeTimeout(Duration.ofMinutes(1)).deadline(Duration.ofMinutes(5)).build()).get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(MultipathStatus.SEND_FAILED);
        assertThat(r.complete()).isFalse();
        assertThat(r.nodes()).isEmpty();
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("EADDRNOTAVAIL"));
        assertThat(t.sendCalls.get()).isEqualTo(1);
        assertThat(t.sends).isEmpty();

        Scenario none = Scenario.named("no route", 5).allSendsFail(true);
        ScenarioTransport t2 = tracers.transport(none);
        MultipathResult r2 = tracers.tracer(t2).measureAsync(MultipathRequest.builder(none.destination())
                .probeTimeout(Duration.ofMinutes(1)).build()).get(10, TimeUnit.SECONDS);
        assertThat(r2.status()).isEqualTo(MultipathStatus.NO_ROUTE);
        assertThat(t2.sendCalls.get()).isEqualTo(1);
    }

    @Test
    void portsAndProtocols() throws Exception {
        Scenario s = Scenario.named("ports", 2);
        ScenarioTransport t = tracers.transport(s);
        DefaultPathTracer tracer = tracers.tracer(t);
        tracer.start(MultipathRequest.builder(s.destination()).protocol(ProbeProtocol.TCP).build(),
                stub(2, false)).await();
        tracer.start(MultipathRequest.builder(s.destination()).protocol(ProbeProtocol.ICMP).build(),
                stub(2, false)).await();
        tracer.start(MultipathRequest.builder(s.destination()).destinationPort(40000).build(),
                stub(2, false)).await();
        assertThat(t.sessionSpecs).containsExactly(
                SessionSpec.explicit(ProbeProtocol.TCP, s.destination(), 80),
                SessionSpec.explicit(ProbeProtocol.ICMP, s.destination(), SessionSpec.DEFAULT_PORT),
                SessionSpec.explicit(ProbeProtocol.UDP, s.destination(), 40000));
        assertThat(made).extracting(StubStrategy.Made::events).containsOnly(false); // no listener: no events
    }

    @Test
    void badTargetsAreTypedErrors() {
        Scenario s = Scenario.named("targets", 3);
        ScenarioTransport t = tracers.transport(s);
        AtomicInteger lookups = new AtomicInteger();
        DefaultPathTracer tracer = tracers.tracer(PathTracer.builder().offline().transport(t).hostResolver(host -> {
            lookups.incrementAndGet();
            if (host.equals("v6only.example")) {
                return List.of(InetAddress.getByName("2001:db8::1"));
            }
            throw new UnknownHostException(host);
        }));
        assertThatThrownBy(() -> tracer.discoverPaths("no-such-host.invalid"))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.UNRESOLVED));
        assertThatThrownBy(() -> tracer.measure(MultipathRequest.builder("v6only.example")
                .ipVersion(IpVersion.IPV4).build()))
                .isInstanceOf(UnknownTargetException.class).hasMessageContaining("has no IPV4 address");
        assertThatThrownBy(() -> tracer.discoverPaths("999.18.0.1"))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.INVALID_LITERAL));
        assertThatThrownBy(() -> tracer.discoverPaths("224.0.0.1"))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.NOT_UNICAST));
        assertThatThrownBy(() -> tracer.measure(MultipathRequest.builder("198.18.0.1")
                .ipVersion(IpVersion.IPV6).build()))
                .isInstanceOfSatisfying(UnknownTargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnknownTargetException.Reason.WRONG_IP_VERSION));
        assertThat(lookups.get()).as("literals never reach the resolver").isEqualTo(2);
        CompletableFuture<MultipathResult> f = tracer.measureAsync(MultipathRequest.of("missing.invalid"));
        assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(UnknownTargetException.class);
        Measurement<MultipathRequest, MultipathResult> failed = tracer.start(MultipathRequest.of("missing-too.invalid"));
        assertThat(failed.result()).failsWithin(Duration.ofSeconds(10));
        assertThatThrownBy(failed::snapshot).isInstanceOf(UnknownTargetException.class);
        assertThat(t.sessionSpecs).isEmpty();
        assertThat(tracer.running()).isZero();
    }

    @Test
    void aTransportWithoutExplicitFlowsIsATypedErrorListingWhyWithAHint() {
        Scenario s = Scenario.named("no explicit flows", 3);
        ScenarioTransport paris = new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM, EnumSet.of(TransportCapability.UDP,
                TransportCapability.ICMP, TransportCapability.IPV4, TransportCapability.FLOW_FIXED,
                TransportCapability.FLOW_PER_PROBE));
        DefaultPathTracer tracer = tracers.tracer(paris);
        assertThatThrownBy(() -> tracer.measure(MultipathRequest.of(s.destination().getHostAddress())))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> {
                    assertThat(e.getMessage()).startsWith("no usable transport for UDP probes with explicit flows")
                            .contains("scenario: cannot hold explicit (multi-flow) flows");
                    assertThat(e.rejections()).singleElement().satisfies(r -> assertThat(r.reason())
                            .isEqualTo(NoTransportAvailableException.Reason.MISSING_CAPABILITY));
                    assertThat(e.hint()).isEmpty(); // no other protocol has explicit flows either
                });
        assertThat(paris.sessionSpecs).isEmpty();

        ScenarioTransport icmpOnly = new ScenarioTransport(s, tracers.io(), Ticker.SYSTEM, EnumSet.of(TransportCapability.ICMP,
                TransportCapability.IPV4, TransportCapability.FLOW_EXPLICIT));
        DefaultPathTracer other = tracers.tracer(icmpOnly);
        assertThatThrownBy(() -> other.measure(MultipathRequest.builder(s.destination()).build()))
                .isInstanceOfSatisfying(NoTransportAvailableException.class, e -> {
                    assertThat(e.getMessage()).contains("scenario: does not send UDP probes");
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h)
                            .startsWith("ICMP probes with explicit flows are usable here")
                            .contains("MultipathRequest.Builder.protocol(ProbeProtocol.ICMP)"));
                    assertThat(e.usableProtocol()).contains(ProbeProtocol.ICMP);
                });
        assertThatThrownBy(() -> other.measure(MultipathRequest.builder(InetAddress.getByName("2001:db8::1"))
                .protocol(ProbeProtocol.ICMP).build()))
                .isInstanceOf(NoTransportAvailableException.class)
                .hasMessageContaining("to IPv6 destinations").hasMessageContaining("does not probe IPv6");
    }

    @Test
    void cancelReturnsThePartialResultAndClosesTheSession() throws Exception {
        Scenario s = Scenario.named("cancel", 200);
        ScenarioTransport t = tracers.transport(s);
        CountDownLatch nodes = new CountDownLatch(3);
        Measurement<MultipathRequest, MultipathResult> d = tracers.tracer(t).start(MultipathRequest.builder(s.destination())
                .listener(new MultipathListener() {
                    @Override
                    public void nodeFound(MultipathNode node) {
                        nodes.countDown();
                    }
                }).build(), stub(6, true));
        assertThat(nodes.await(10, TimeUnit.SECONDS)).isTrue();
        MultipathResult running = d.snapshot();
        assertThat(running.status()).isEqualTo(MultipathStatus.RUNNING);
        assertThat(running.complete()).isFalse();
        d.cancel();
        MultipathResult r = d.result().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(MultipathStatus.CANCELLED);
        assertThat(r.nodes()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(d.snapshot()).isSameAs(r);
        assertThat(t.openSessions).isEmpty();
        d.cancel(); // nothing once ended
        assertThat(d.snapshot()).isSameAs(r);
    }

    @Test
    void completingTheFutureStopsTheDiscovery() throws Exception {
        Scenario s = Scenario.named("complete future", 200);
        ScenarioTransport t = tracers.transport(s);
        Measurement<MultipathRequest, MultipathResult> d = tracers.tracer(t).start(MultipathRequest.of(s.destination().getHostAddress()),
                stub(6, true));
        await(() -> t.sends.size() == 6, "the probes");
        d.result().cancel(true);
        await(() -> t.openSessions.isEmpty(), "the session to close");
        assertThat(d.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(MultipathStatus.CANCELLED);
    }

    @Test
    void theDeadlineEndsItWithWhatItFound() throws Exception {
        Scenario s = Scenario.named("deadline", 200);
        ScenarioTransport t = tracers.transport(s);
        long start = System.nanoTime();
        MultipathResult r = tracers.tracer(t).start(MultipathRequest.builder(s.destination())
                .deadline(Duration.ofMillis(200)).build(), stub(5, true)).await();
        assertThat(r.status()).isEqualTo(MultipathStatus.DEADLINE_EXCEEDED);
        assertThat(r.complete()).isFalse();
        assertThat(r.nodes()).hasSize(5);
        assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(150), TimeUnit.SECONDS.toNanos(5));
        assertThat(t.openSessions).isEmpty();
    }

    @Test
    void theDeadlineCoversAHangingResolver() throws Exception {
        Scenario s = Scenario.named("hanging resolver", 3);
        CountDownLatch interrupted = new CountDownLatch(1);
        DefaultPathTracer tracer = tracers.tracer(PathTracer.builder().offline().transport(tracers.transport(s)).hostResolver(host -> {
            try {
                new CountDownLatch(1).await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            throw new UnknownHostException(host);
        }));
        MultipathResult r = tracer.measure(MultipathRequest.builder("hangs.example")
                .ipVersion(IpVersion.IPV6).deadline(Duration.ofMillis(200)).build());
        assertThat(r.status()).isEqualTo(MultipathStatus.DEADLINE_EXCEEDED);
        assertThat(r.destination()).isEqualTo(InetAddress.getByName("::"));
        assertThat(r.transport()).isEmpty();
        assertThat(r.nodes()).isEmpty();
        assertThat(r.notes()).containsExactly("ended before 'hangs.example' resolved");
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the resolver thread is freed").isTrue();
    }

    @Test
    void closeCancelsRunningDiscoveriesAndClosesTheirSessions() throws Exception {
        Scenario s = Scenario.named("close", 200);
        ScenarioTransport t = tracers.transport(s);
        DefaultPathTracer tracer = tracers.tracer(t);
        CountDownLatch resolving = new CountDownLatch(1);
        DefaultPathTracer slow = tracers.tracer(PathTracer.builder().offline().transport(t).hostResolver(host -> {
            resolving.countDown();
            try {
                new CountDownLatch(1).await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        }));
        Measurement<MultipathRequest, MultipathResult> a = tracer.start(MultipathRequest.of(s.destination().getHostAddress()),
                stub(6, true));
        Measurement<MultipathRequest, MultipathResult> b = tracer.start(MultipathRequest.builder(s.destination()).build(),
                stub(6, true));
        Measurement<MultipathRequest, MultipathResult> c = slow.start(MultipathRequest.of("slow.example"), stub(6, true));
        await(() -> a.snapshot().nodes().size() == 6 && b.snapshot().nodes().size() == 6, "both discoveries' answers");
        assertThat(resolving.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(tracer.running()).isEqualTo(2);
        tracer.close();
        slow.close();
        assertThat(a.result().get(10, TimeUnit.SECONDS).status()).isEqualTo(MultipathStatus.CANCELLED);
        assertThat(b.snapshot().status()).isEqualTo(MultipathStatus.CANCELLED);
        assertThat(b.snapshot().nodes()).hasSize(6);
        assertThat(c.snapshot().status()).isEqualTo(MultipathStatus.CANCELLED);
        assertThat(c.snapshot().notes()).containsExactly("ended before 'slow.example' resolved");
        assertThat(t.openSessions).isEmpty();
        assertThat(tracer.running()).isZero();
        assertThatThrownBy(() -> tracer.start(MultipathRequest.of("198.18.0.1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void theBlockingCallIsInterruptibleAndRefusedOnTheEngineThread() throws Exception {
        Scenario s = Scenario.named("interrupt", 200);
        ScenarioTransport t = tracers.transport(s);
        DefaultPathTracer tracer = tracers.tracer(t);
        AtomicReference<MultipathResult> result = new AtomicReference<>();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Thread th = new Thread(() -> {
            result.set(tracer.start(MultipathRequest.of(s.destination().getHostAddress()), stub(6, true))
                    .await());
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        th.start();
        await(() -> t.sends.size() == 6, "the probes");
        th.interrupt();
        th.join(10_000);
        assertThat(result.get().status()).isEqualTo(MultipathStatus.CANCELLED);
        assertThat(interrupted.get()).isTrue();

        // a strategy's code runs on the engine loop: a blocking call from there is refused
        AtomicReference<Throwable> onLoop = new AtomicReference<>();
        Consumer<ProbeResponse> callBack = r -> {
            if (onLoop.get() == null) {
                try {
                    tracer.measure(MultipathRequest.of("198.18.0.1"));
                    onLoop.set(new AssertionError("not refused"));
                } catch (RuntimeException e) {
                    onLoop.set(e);
                }
            }
        };
        tracer.start(MultipathRequest.of(s.destination().getHostAddress()),
                StubStrategy.factory(2, false, made, callBack)).await();
        assertThat(onLoop.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine thread");
    }

    @Test
    void aSlowListenerDoesNotDelayProbes() throws Exception {
        Scenario s = Scenario.named("slow listener", 200);
        ScenarioTransport t = tracers.transport(s);
        CountDownLatch hold = new CountDownLatch(1);
        tracers.closeAfter(hold::countDown);
        Measurement<MultipathRequest, MultipathResult> d = tracers.tracer(t).start(MultipathRequest.builder(s.destination())
                .listener(new MultipathListener() {
                    @Override
                    public void started(MultipathRequest request, InetAddress destination, String transport) {
                        try {
                            hold.await(15, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build(), stub(8, false));
        MultipathResult r = ((MultipathHandle) d).await(); // the engine's end, not the listener's
        assertThat(r.nodes()).hasSize(8);
        assertThat(d.result()).isNotDone(); // published behind the held listener
        hold.countDown();
        assertThat(d.result().get(10, TimeUnit.SECONDS)).isSameAs(r);
    }
}
