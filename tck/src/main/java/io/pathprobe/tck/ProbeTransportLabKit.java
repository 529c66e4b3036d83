package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportCounters;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Linux-lab part of the transport compatibility kit: what every {@link ProbeTransportProvider}
 * must do on a real routed network. The portable part, {@link ProbeTransportContractKit}, checks the
 * contract on loopback (lifecycle, ranges, refusals, close-then-silence, counters, leaks) and runs
 * anywhere; this one needs Linux and root. A transport's tests extend both, once per provider:
 *
 * <pre>{@code
 * // tagged "lab" through this class
 * class MyTransportLabTest extends ProbeTransportLabKit {
 *     @Override
 *     protected ProbeTransportProvider provider() {
 *         return new MyTransportProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>Tagged {@code lab}: pathprobe's build runs these tests only in its lab run. The network is a
 * {@link Lab}: a chain of {@value #HOPS} hops built from Linux network namespaces, whose routers at
 * TTL 5, 12 and 20 never answer, with this JVM's namespace as the probing host. So the test JVM
 * should run in a private network namespace (pathprobe's build runs it through
 * {@code build/netns/bin/java}); it probes only the lab. The provider must be usable there:
 * {@code availability()} available.
 *
 * <p>The lab is an optional dependency of this kit: a transport that extends this class adds
 * {@code io.pathprobe:pathprobe-lab} to its test dependencies (one that extends only the contract
 * kit never gets it).
 *
 * <p>Every protocol the provider claims of ICMP and UDP is checked; UDP sessions use destination
 * port {@value #UDP_PORT}; sessions use the first flow policy the provider claims, and one test
 * each claimed policy. What it checks, at the SPI level:
 * <ul>
 *   <li>each TTL 1..{@value #HOPS} is answered by exactly the lab's expected responder with the
 *       right kind (Time Exceeded from routers; echo reply, or port unreachable for UDP, from the
 *       destination), silent hops by nobody, beyond the destination by the destination;
 *   <li>sequence numbers come back unchanged, including 0, byte boundaries and {@code maxSequence()};
 *       RTTs ({@code receivedNanos - send()}) are positive and plausible;
 *   <li>every claimed flow policy (and, for {@link FlowPolicy#EXPLICIT}, flows 0, 1 and
 *       {@code maxFlow()}) reaches routers and the destination;
 *   <li>fields the transport fills are right: the reply TTL (64 less one per router on the way
 *       back), the quoted TTL of a Time Exceeded (1);
 *   <li>an address with no route is reported DESTINATION_UNREACHABLE code 0 by the first router;
 *   <li>sessions to the same destination, and many sessions sending from many threads at once,
 *       never see each other's answers; answers come on a transport thread;
 *   <li>after a session's {@code close()} returns its listener is not called again, whether it was
 *       closed from a test thread while answers were on their way or from a listener on the
 *       transport's thread while its answer was already queued; a session may be used and closed
 *       from a listener; a throwing listener does not stop the transport;
 *   <li>{@link ProbeSession#afterPendingAnswers} runs its action only after answers that had
 *       already arrived were delivered, even while the transport's thread is held up;
 *   <li>the transport's counters, if it keeps them, add up after all that.
 * </ul>
 *
 * <p>Linux routers rate-limit ICMP errors (about 6 at once per source, then one per second); the
 * kit spreads its probes over the routers and sends a probe again (same sequence) when its answer
 * does not come within a round, so it passes with the kernel's default limits.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProbeTransportLabKit {
    /** Hops in the lab chain; the destination answers at this TTL. */
    protected static final int HOPS = 29;
    /** UDP sessions' destination port (sequence 0). */
    protected static final int UDP_PORT = 33434;

    private static final Duration ROUND = Duration.ofMillis(1300);
    private static final int ROUNDS = 5;
    private static final Duration QUIET = Duration.ofMillis(300);

    /** The lab: built before the first test of each concrete class, torn down after its last. */
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(HOPS).silentHops(5, 12, 20).inCurrentNamespace());

    private @Nullable ProbeTransport transport;

    /** The provider under test; a new instance or a shared one. */
    protected abstract ProbeTransportProvider provider();

    /** The lab of the running test class. */
    protected final Lab lab() {
        return LAB.lab();
    }

    @BeforeAll
    final void openTransport() {
        Availability availability = provider().availability();
        assertThat(availability.isAvailable())
                .as("%s must be available in the test environment, but: %s", provider().name(), availability.reason())
                .isTrue();
        transport = provider().open();
    }

    @AfterAll
    final void closeTransport() {
        ProbeTransport t = transport;
        if (t != null) {
            t.close();
        }
    }

    /** The transport the tests share (opened before all tests, closed after). */
    protected final ProbeTransport transport() {
        ProbeTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("transport not open");
        }
        return t;
    }

    /** The protocols the provider claims that the lab can check (ICMP, UDP, TCP). */
    protected final Stream<ProbeProtocol> protocols() {
        return Claims.protocols(provider(), List.of(ProbeProtocol.ICMP, ProbeProtocol.UDP, ProbeProtocol.TCP)).stream();
    }

    // ---------------------------------------------------------------------------------------------
    // Describing itself

    @Test
    void isAvailableInTheTestEnvironment() {
        Availability a = provider().availability();
        assertThat(a.isAvailable()).as(a.reason()).isTrue();
        assertThat(a.unavailabilityCause()).isNull();
        assertThat(a.reason()).isEqualTo("available");
    }


    // ---------------------------------------------------------------------------------------------
    // Real outcomes in the lab

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void everyHopOfThePathAnswersAsExpected(ProbeProtocol protocol) {
        Recorder recorder = new Recorder();
        try (ProbeSession session = open(protocol, lab().destination(), recorder)) {
            ProbePlan plan = plan();
            for (int ttl = 1; ttl <= HOPS + 1; ttl++) {
                plan.add(session, recorder, 1000 + ttl, ttl, expectationAt(protocol, ttl));
            }
            plan.runAndVerify();
            assertThat(recorder.threads()).as("answers are delivered on a transport thread")
                    .doesNotContain(Thread.currentThread().getName());
        }
    }

    /** The whole path again, under every claimed flow policy (the test above uses the first one). */
    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("flowCases")
    void everyHopAnswersUnderEveryClaimedFlowPolicy(ProbeProtocol protocol, FlowPolicy policy) {
        Recorder recorder = new Recorder();
        try (ProbeSession session = transport().openSession(
                new SessionSpec(protocol, lab().destination(), UDP_PORT, policy, 0), recorder)) {
            ProbePlan plan = plan();
            for (int ttl = 1; ttl <= HOPS + 1; ttl++) {
                plan.add(session, recorder, 2000 + ttl, ttl, expectationAt(protocol, ttl));
            }
            plan.runAndVerify();
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void sequenceNumbersSurviveTheRoundTrip(ProbeProtocol protocol) {
        Recorder recorder = new Recorder();
        try (ProbeSession session = open(protocol, lab().destination(), recorder)) {
            int max = session.maxSequence();
            assertThat(max).as("maxSequence").isGreaterThanOrEqualTo(HOPS * 4);
            List<Integer> sequences = new ArrayList<>();
            for (int s : new int[] {0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe}) {
                if (s < max - 1 && !sequences.contains(s)) {
                    sequences.add(s);
                }
            }
            sequences.add(max - 1);
            List<Integer> routers = answeringRouterTtls(2);
            ProbePlan plan = plan();
            for (int i = 0; i < sequences.size(); i++) {
                int ttl = routers.get(i % routers.size());
                plan.add(session, recorder, sequences.get(i), ttl, expectationAt(protocol, ttl));
            }
            plan.add(session, recorder, max, HOPS, expectationAt(protocol, HOPS));
            plan.runAndVerify();
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void anUnroutedDestinationIsReportedUnreachableByTheFirstRouter(ProbeProtocol protocol) {
        Recorder recorder = new Recorder();
        InetAddress router1 = lab().expectedResponder(1).orElseThrow();
        try (ProbeSession session = open(protocol, lab().unroutedAddress(), recorder)) {
            // A "no route" ICMP costs a Linux router twice the tokens of a Time Exceeded: give it time.
            new ProbePlan(Duration.ofMillis(2200), 4, QUIET)
                    .add(session, recorder, 7, 64, ProbePlan.Expectation.from(router1,
                            ResponseKind.DESTINATION_UNREACHABLE, 0, "net unreachable from router 1"))
                    .runAndVerify();
            assertThat(recorder.forSequence(7)).allSatisfy(r -> assertThat(r.icmpType()).isEqualTo(3));
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void sessionsToTheSameDestinationNeverSeeEachOthersAnswers(ProbeProtocol protocol) {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (ProbeSession sa = open(protocol, lab().destination(), a);
                ProbeSession sb = open(protocol, lab().destination(), b)) {
            // Same sequences in both sessions, sent to different hops: a misrouted answer shows.
            plan().add(sa, a, 42, 13, expectationAt(protocol, 13))
                    .add(sa, a, 43, HOPS, expectationAt(protocol, HOPS))
                    .add(sb, b, 42, HOPS, expectationAt(protocol, HOPS))
                    .add(sb, b, 43, 14, expectationAt(protocol, 14))
                    .runAndVerify();
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void manySessionsSendingFromManyThreadsGetOnlyTheirOwnAnswers(ProbeProtocol protocol) throws Exception {
        List<Integer> routers = answeringRouterTtls(2);
        int count = Math.min(16, routers.size());
        List<ProbeSession> sessions = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < count; i++) {
                Recorder r = new Recorder();
                recorders.add(r);
                sessions.add(open(protocol, lab().destination(), r));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ProbeSession s = sessions.get(i);
                int ttl = routers.get(i);
                sent.add(pool.submit(() -> {
                    start.await();
                    // the same sequence everywhere: only the session tells answers apart
                    return s.send(ProbeSpec.of(7, ttl));
                }));
            }
            start.countDown();
            for (Future<Long> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < count; i++) {
                Recorder r = recorders.get(i);
                int ttl = routers.get(i);
                if (!r.awaitCount(1, ROUND)) {
                    sessions.get(i).send(ProbeSpec.of(7, ttl)); // rate-limited: once more
                    r.awaitCount(1, ROUND.multipliedBy(2));
                }
            }
            ProbePlan.sleep(QUIET);
            for (int i = 0; i < count; i++) {
                int ttl = routers.get(i);
                InetAddress expected = lab().expectedResponder(ttl).orElseThrow();
                assertThat(recorders.get(i).responses()).as("session %d (ttl %d)", i, ttl)
                        .isNotEmpty()
                        .allSatisfy(r -> {
                            assertThat(r.sequence()).isEqualTo(7);
                            assertThat(r.responder()).isEqualTo(expected);
                            assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
                        });
            }
        } finally {
            pool.shutdownNow();
            for (ProbeSession s : sessions) {
                s.close();
            }
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void aClosedSessionReceivesNothingMore(ProbeProtocol protocol) throws SendFailedException {
        // Close while an answer is on its way, at varying moments so that some answers land after
        // close() returned (in the lab an answer takes some tens of microseconds). ICMP probes go to
        // the destination (echo replies are not rate-limited), UDP probes to the last routers.
        List<Integer> lateRouters = answeringRouterTtls(21);
        List<Recorder> closed = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Recorder recorder = new Recorder();
            ProbeSession session = open(protocol, lab().destination(), recorder);
            int ttl = protocol == ProbeProtocol.ICMP ? HOPS : lateRouters.get(i % lateRouters.size());
            session.send(ProbeSpec.of(9, ttl));
            ProbeTransportContractKit.spin(Duration.ofNanos((i % 8) * 10_000L));
            session.close();
            recorder.sessionClosed();
            session.close(); // idempotent
            closed.add(recorder);
            if (i == 0) {
                Throwable t = catchThrowable(() -> session.send(ProbeSpec.of(10, HOPS)));
                assertThat(t).as("send on a closed session").isNotNull()
                        .isInstanceOfAny(IllegalStateException.class, SendFailedException.class);
            }
        }

        // Closed from a listener, on the transport's own thread, while its answer is already queued
        // behind: close() returns at once there, and the queued answer must be dropped.
        Recorder closedFromListener = new Recorder();
        ProbeSession c = open(protocol, lab().destination(), closedFromListener);
        int cTtl = protocol == ProbeProtocol.ICMP ? HOPS : lateRouters.get(lateRouters.size() - 1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> listenerFailure = new AtomicReference<>();
        try (ProbeSession trigger = transport().openSession(spec(protocol, lab().destination()), r -> {
            if (done.getCount() == 0) {
                return;
            }
            try {
                c.send(ProbeSpec.of(11, cTtl));
                // the answer arrives meanwhile and waits in the socket
                ProbeTransportContractKit.spin(Duration.ofMillis(2));
                c.close();
                closedFromListener.sessionClosed();
            } catch (Throwable t) {
                listenerFailure.set(t);
            } finally {
                done.countDown();
            }
        })) {
            for (int attempt = 0; attempt < ROUNDS && done.getCount() > 0; attempt++) {
                trigger.send(ProbeSpec.of(attempt, lateRouters.get(0)));
                ProbeTransportContractKit.awaitLatch(done, ROUND);
            }
        }
        assertThat(done.getCount()).as("the trigger session's answer never came").isZero();
        assertThat(listenerFailure.get()).as("send/close from a listener").isNull();
        closed.add(closedFromListener);

        // Another session's answer proves answers kept flowing while the closed ones stayed silent.
        Recorder other = new Recorder();
        try (ProbeSession s2 = open(protocol, lab().destination(), other)) {
            plan().add(s2, other, 9, 15, expectationAt(protocol, 15)).runAndVerify();
        }
        for (Recorder r : closed) {
            assertThat(r.responsesAfterClose()).as("answers delivered after close() returned").isEmpty();
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void afterPendingAnswersRunsOnlyOnceAnswersAlreadyReceivedWereDelivered(ProbeProtocol protocol) throws Exception {
        // A listener of another session holds the transport's thread while the subject's answer
        // arrives; afterPendingAnswers must still hand that answer over before running its action.
        List<Integer> lateRouters = answeringRouterTtls(21);
        int subjectTtl = protocol == ProbeProtocol.ICMP ? HOPS : lateRouters.get(2 % lateRouters.size());
        Recorder subjectAnswers = new Recorder();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch actionRan = new CountDownLatch(1);
        AtomicReference<Boolean> answerSeenByAction = new AtomicReference<>();
        try (ProbeSession subject = open(protocol, lab().destination(), subjectAnswers);
                ProbeSession blocker = transport().openSession(spec(protocol, lab().destination()), r -> {
                    if (blocking.getCount() > 0) {
                        blocking.countDown();
                        // a listener that is too slow, on purpose
                        ProbeTransportContractKit.spin(Duration.ofMillis(50));
                    }
                })) {
            for (int attempt = 0; attempt < ROUNDS && blocking.getCount() > 0; attempt++) {
                blocker.send(ProbeSpec.of(attempt, lateRouters.get(3 % lateRouters.size())));
                ProbeTransportContractKit.awaitLatch(blocking, ROUND);
            }
            assertThat(blocking.getCount()).as("the blocking session's answer never came").isZero();
            subject.send(ProbeSpec.of(5, subjectTtl));
            ProbeTransportContractKit.spin(Duration.ofMillis(10)); // the answer is in the kernel's queue by now
            subject.afterPendingAnswers(() -> {
                answerSeenByAction.set(!subjectAnswers.forSequence(5).isEmpty());
                actionRan.countDown();
            });
            ProbeTransportContractKit.awaitLatch(actionRan, Duration.ofSeconds(5));
            assertThat(actionRan.getCount()).as("the action never ran").isZero();
            assertThat(answerSeenByAction.get()).as("the answer had been delivered when the action ran").isTrue();
        }
    }

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void aThrowingListenerDoesNotStopTheTransport(ProbeProtocol protocol) {
        Recorder throwing = new Recorder(true);
        Recorder fine = new Recorder();
        try (ProbeSession bad = open(protocol, lab().destination(), throwing);
                ProbeSession good = open(protocol, lab().destination(), fine)) {
            plan().add(bad, throwing, 1, 16, expectationAt(protocol, 16)).runAndVerify();
            plan().add(good, fine, 1, 17, expectationAt(protocol, 17)).runAndVerify();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Flows, answer fields, counters

    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("flowCases")
    void everyClaimedFlowPolicyReachesRoutersAndTheDestination(ProbeProtocol protocol, FlowPolicy policy) {
        Recorder recorder = new Recorder();
        try (ProbeSession session = transport().openSession(
                new SessionSpec(protocol, lab().destination(), UDP_PORT, policy,
                        policy == FlowPolicy.FIXED ? 0x5150 : 0),
                recorder)) {
            int maxFlow = session.maxFlow();
            List<Integer> routers = answeringRouterTtls(2);
            ProbePlan plan = plan();
            int[] flows = maxFlow == 0 ? new int[] {0} : new int[] {0, 1, maxFlow};
            for (int i = 0; i < flows.length; i++) {
                int ttl = routers.get((i * 5) % routers.size());
                plan.add(session, recorder, 2 * i, ttl, flows[i], expectationAt(protocol, ttl));
                plan.add(session, recorder, 2 * i + 1, HOPS, flows[i], expectationAt(protocol, HOPS));
            }
            plan.runAndVerify();
        }
    }

    /** Every claimed protocol with every claimed flow policy. */
    protected final Stream<org.junit.jupiter.params.provider.Arguments> flowCases() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        protocols().forEach(protocol -> {
            for (FlowPolicy policy : Claims.flowPolicies(provider())) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(protocol, policy));
            }
        });
        return out.stream();
    }

    /**
     * Fields a transport may leave {@link ProbeResponse#UNKNOWN}, checked where it fills them: a
     * router's Time Exceeded quotes the probe's header as it arrived there (TTL 1), and every answer
     * left its sender with a TTL of 64 (Linux) and lost one per router on the way back.
     */
    @ParameterizedTest(allowZeroInvocations = true) // a provider claiming neither ICMP nor UDP (TCP only)
    @MethodSource("protocols")
    void answerFieldsTheTransportFillsAreRight(ProbeProtocol protocol) {
        Recorder recorder = new Recorder();
        try (ProbeSession session = open(protocol, lab().destination(), recorder)) {
            List<Integer> routers = answeringRouterTtls(1);
            int nearRouter = routers.get(0);
            int farRouter = routers.get(routers.size() - 1);
            plan().add(session, recorder, 1, nearRouter, expectationAt(protocol, nearRouter))
                    .add(session, recorder, 2, farRouter, expectationAt(protocol, farRouter))
                    .add(session, recorder, 3, HOPS, expectationAt(protocol, HOPS))
                    .runAndVerify();
            int[] ttls = {0, nearRouter, farRouter, HOPS};
            for (int sequence = 1; sequence <= 3; sequence++) {
                int hop = ttls[sequence];
                for (ProbeResponse r : recorder.forSequence(sequence)) {
                    if (r.replyTtl() != ProbeResponse.UNKNOWN) {
                        assertThat(r.replyTtl()).as("reply TTL of the answer from hop %d: %s", hop, r)
                                .isEqualTo(64 - (hop - 1));
                    }
                    if (r.kind() == ResponseKind.TIME_EXCEEDED && r.quotedTtl() != ProbeResponse.UNKNOWN) {
                        assertThat(r.quotedTtl()).as("quoted TTL: %s", r).isEqualTo(1);
                    }
                    if (r.kind() == ResponseKind.TIME_EXCEEDED) {
                        assertThat(r.quotedIpId()).isBetween(ProbeResponse.UNKNOWN, 0xffff);
                        assertThat(r.quotedChecksum()).isBetween(ProbeResponse.UNKNOWN, 0xffff);
                        assertThat(r.extensions()).as("Linux routers add no RFC 4884 extensions").isEmpty();
                    }
                }
            }
        }
    }

    /**
     * Where {@link TransportCapability#QUOTED_CHECKSUM} is claimed: every router's Time Exceeded
     * carries the quoted and the sent checksum, and, the lab translating nothing, their delta is 0;
     * a FIXED session's probes all carry one checksum.
     */
    @ParameterizedTest
    @MethodSource("flowCases")
    void quotedChecksumsComeBackAsSent(ProbeProtocol protocol, FlowPolicy policy) {
        assumeTrue(provider().capabilities().contains(TransportCapability.QUOTED_CHECKSUM),
                "QUOTED_CHECKSUM is not claimed");
        Recorder recorder = new Recorder();
        try (ProbeSession session = transport().openSession(
                new SessionSpec(protocol, lab().destination(), UDP_PORT, policy,
                        policy == FlowPolicy.FIXED ? 0x2222 : 0),
                recorder)) {
            List<Integer> routers = answeringRouterTtls(2);
            ProbePlan plan = plan();
            for (int i = 0; i < 4; i++) {
                int ttl = routers.get((i * 3) % routers.size());
                plan.add(session, recorder, 100 + i, ttl, 0, expectationAt(protocol, ttl));
            }
            plan.runAndVerify();
            List<Integer> sent = new ArrayList<>();
            for (ProbeResponse r : recorder.responses()) {
                assertThat(r.quotedChecksum()).as("quoted checksum: %s", r).isBetween(0, 0xffff);
                assertThat(r.sentChecksum()).as("sent checksum: %s", r).isBetween(0, 0xffff);
                assertThat(r.checksumDelta()).as("no NAT in the lab: %s", r).isZero();
                sent.add(r.sentChecksum());
            }
            // UDP/TCP checksums carry the probe number
            if (policy == FlowPolicy.FIXED && protocol == ProbeProtocol.ICMP) {
                assertThat(sent).as("one flow, one checksum").containsOnly(sent.get(0));
            }
        }
    }

    /** After everything the lab threw at it: {@code read == delivered + dropped}. */
    @Test
    void countersAddUpAfterLabTraffic() {
        Optional<TransportCounters> present = transport().counters();
        assumeTrue(present.isPresent(), "the transport does not count");
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        TransportCounters c = present.get();
        while (c.read() != c.delivered() + c.droppedTotal() && System.nanoTime() < deadline) {
            ProbePlan.sleep(Duration.ofMillis(20));
            c = transport().counters().orElseThrow();
        }
        assertThat(c.read()).as("read == delivered + dropped: %s", c).isEqualTo(c.delivered() + c.droppedTotal());
    }

    // ---------------------------------------------------------------------------------------------
    // TCP, and quoted checksums (for providers that claim them)

    /**
     * TCP providers, every claimed flow policy: each router answers Time Exceeded, silent hops
     * nobody, and the destination (nothing listens on port {@value #UDP_PORT} there) a RST. Probes
     * go out at most {@link ProbeSession#maxInFlight()} at a time.
     */
    @Test
    void tcpProbesAreAnsweredByEveryHopAndTheDestinationWithAReset() {
        assumeTrue(provider().capabilities().contains(TransportCapability.TCP), "TCP is not claimed");
        assumeTrue(provider().capabilities().contains(TransportCapability.IPV4), "the lab is IPv4");
        for (FlowPolicy policy : Claims.flowPolicies(provider())) {
            Recorder recorder = new Recorder();
            try (ProbeSession session = transport().openSession(
                    new SessionSpec(ProbeProtocol.TCP, lab().destination(), UDP_PORT, policy, 0), recorder)) {
                ProbePlan plan = plan(); // waits for each answer where the session allows few in flight
                for (int ttl = 1; ttl <= HOPS + 1; ttl++) {
                    plan.add(session, recorder, 100 + ttl, ttl, tcpExpectationAt(ttl));
                }
                plan.runAndVerify();
                for (ProbeResponse r : recorder.responses()) {
                    if (r.kind() == ResponseKind.TCP_RESET) {
                        assertThat(r.icmpType()).as("a TCP answer has no ICMP type: %s", r)
                                .isEqualTo(ProbeResponse.UNKNOWN);
                        assertThat(r.quotedTtl()).as("a TCP answer quotes nothing: %s", r)
                                .isEqualTo(ProbeResponse.UNKNOWN);
                    }
                }
            }
        }
    }

    /**
     * Providers claiming {@link TransportCapability#QUOTED_CHECKSUM}, every claimed protocol: on the
     * lab's clean path (no NAT), every Time Exceeded of a flow carries the checksum it was sent with
     * ({@code quotedChecksum == sentChecksum}, {@code checksumDelta() == 0}) where the router quoted
     * it, and {@code sentChecksum} is always known.
     */
    @Test
    void quotedChecksumsComeBackAsSentOnACleanPath() {
        assumeTrue(provider().capabilities().contains(TransportCapability.QUOTED_CHECKSUM),
                "QUOTED_CHECKSUM is not claimed");
        assumeTrue(provider().capabilities().contains(TransportCapability.IPV4), "the lab is IPv4");
        List<ProbeProtocol> protocols = Claims.protocols(provider(), List.of(ProbeProtocol.values()));
        List<Integer> routers = answeringRouterTtls(1);
        for (ProbeProtocol protocol : protocols) {
            Recorder recorder = new Recorder();
            FlowPolicy policy = Claims.flowPolicies(provider()).get(0);
            try (ProbeSession session = transport().openSession(
                    new SessionSpec(protocol, lab().destination(), UDP_PORT, policy, 0), recorder)) {
                ProbePlan plan = plan(); // waits for each answer where the session allows few in flight
                for (int ttl : routers) {
                    plan.add(session, recorder, 300 + ttl, ttl, protocol == ProbeProtocol.TCP
                            ? tcpExpectationAt(ttl) : expectationAt(protocol, ttl));
                }
                plan.runAndVerify();
                assertThat(recorder.responses()).as("%s answers", protocol).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.kind()).isEqualTo(ResponseKind.TIME_EXCEEDED);
                    assertThat(r.sentChecksum()).as("%s sentChecksum: %s", protocol, r).isBetween(0, 0xffff);
                    if (r.quotedChecksum() != ProbeResponse.UNKNOWN) {
                        assertThat(r.quotedChecksum()).as("%s quoted checksum on a clean path: %s", protocol, r)
                                .isEqualTo(r.sentChecksum());
                        assertThat(r.checksumDelta()).isZero();
                    }
                });
                if (protocol != ProbeProtocol.TCP) { // in the first 8 bytes: every router quotes it
                    assertThat(recorder.responses()).as("%s: Linux routers quote the checksum", protocol)
                            .allSatisfy(r -> assertThat(r.quotedChecksum()).isNotEqualTo(ProbeResponse.UNKNOWN));
                }
            }
        }
    }

    /** The cases of {@link #payloadSizesOnTheWire}: ICMP and UDP, where the provider claims PAYLOAD_SIZE. */
    Stream<org.junit.jupiter.params.provider.Arguments> payloadCases() {
        if (!provider().capabilities().contains(TransportCapability.PAYLOAD_SIZE)) {
            return Stream.empty();
        }
        return protocols().filter(p -> p != ProbeProtocol.TCP)
                .flatMap(p -> Stream.of(56, 1000, 1472).map(n -> org.junit.jupiter.params.provider.Arguments.of(p, n)));
    }

    /**
     * A PAYLOAD_SIZE transport: a session with payload size N reaches the destination and is answered;
     * an echo reply is N + 8 bytes ({@link ProbeResponse#replyLength()}), a port unreachable's length
     * is unknown or that of an ICMP error (more than 8 bytes); a router's Time Exceeded still comes
     * back with the sequence. 1472 bytes fill a 1500-byte IPv4 MTU exactly.
     */
    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("payloadCases")
    void payloadSizesOnTheWire(ProbeProtocol protocol, int size) {
        Recorder recorder = new Recorder();
        SessionSpec spec = spec(protocol, lab().destination()).withPayloadSize(size);
        try (ProbeSession session = transport().openSession(spec, recorder)) {
            List<Integer> routers = answeringRouterTtls(2);
            int ttl = routers.get(size % routers.size());
            plan().add(session, recorder, 11, HOPS, expectationAt(protocol, HOPS))
                    .add(session, recorder, 12, ttl, expectationAt(protocol, ttl))
                    .runAndVerify();
            assertThat(recorder.forSequence(11)).as("%s, payload %d: the destination's answer", protocol, size)
                    .isNotEmpty().allSatisfy(r -> {
                        if (protocol == ProbeProtocol.ICMP) {
                            assertThat(r.replyLength()).as("echo reply length").isEqualTo(size + 8);
                        } else if (r.replyLength() != ProbeResponse.UNKNOWN) {
                            assertThat(r.replyLength()).as("port unreachable length").isGreaterThan(8);
                        }
                    });
        }
    }

    /** What a TCP SYN with {@code ttl} toward the lab destination must bring back. */
    private ProbePlan.Expectation tcpExpectationAt(int ttl) {
        if (ttl >= HOPS) {
            return ProbePlan.Expectation.from(lab().destination(), ResponseKind.TCP_RESET, -1,
                    "RST from the destination (nothing listens on the port)");
        }
        return expectationAt(ProbeProtocol.TCP, ttl);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** A session spec for the lab (UDP on {@value #UDP_PORT}) with the first flow policy the provider claims. */
    protected final SessionSpec spec(ProbeProtocol protocol, InetAddress destination) {
        List<FlowPolicy> policies = Claims.flowPolicies(provider());
        if (policies.isEmpty()) {
            throw new AssertionError(provider().name() + " claims no flow policy");
        }
        return new SessionSpec(protocol, destination, UDP_PORT, policies.get(0), 0);
    }

    private ProbeSession open(ProbeProtocol protocol, InetAddress destination, Recorder recorder) {
        assumeTrue(destination instanceof Inet6Address || provider().capabilities().contains(TransportCapability.IPV4),
                "the lab is IPv4; this transport does not claim IPv4");
        return transport().openSession(spec(protocol, destination), recorder);
    }

    private static ProbePlan plan() {
        return new ProbePlan(ROUND, ROUNDS, QUIET);
    }

    /** What a probe with {@code ttl} toward the lab destination must bring back. */
    private ProbePlan.Expectation expectationAt(ProbeProtocol protocol, int ttl) {
        if (ttl >= HOPS) {
            InetAddress destination = lab().destination();
            assertThat(lab().expectedResponder(HOPS)).contains(destination);
            if (protocol == ProbeProtocol.TCP) { // nothing listens on the destination's port {@value #UDP_PORT}
                return ProbePlan.Expectation.from(destination, ResponseKind.TCP_RESET, -1, "RST from the destination");
            }
            return protocol == ProbeProtocol.ICMP
                    ? ProbePlan.Expectation.from(destination, ResponseKind.ECHO_REPLY, 0,
                            "echo reply from the destination")
                    : ProbePlan.Expectation.from(destination, ResponseKind.DESTINATION_UNREACHABLE, 3,
                            "port unreachable from the destination");
        }
        Optional<InetAddress> router = lab().expectedResponder(ttl);
        return router.map(r -> ProbePlan.Expectation.from(r, ResponseKind.TIME_EXCEEDED, 0,
                        "time exceeded from router " + r.getHostAddress()))
                .orElseGet(ProbePlan.Expectation::silence);
    }

    /** The TTLs (from {@code from}, below the destination) whose router answers. */
    private List<Integer> answeringRouterTtls(int from) {
        List<Integer> out = new ArrayList<>();
        for (int ttl = from; ttl < HOPS; ttl++) {
            if (lab().expectedResponder(ttl).isPresent()) {
                out.add(ttl);
            }
        }
        return Collections.unmodifiableList(out);
    }



}
