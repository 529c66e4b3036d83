package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.ProbeProtocol;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.ProbeTransportProvider;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
 * The transport compatibility kit: what every {@link ProbeTransportProvider} must do, checked
 * against a real routed network. A transport's tests extend it once per provider:
 *
 * <pre>{@code
 * class MyTransportCompatibilityTest extends ProbeTransportCompatibilityKit {
 *     @Override
 *     protected ProbeTransportProvider provider() {
 *         return new MyTransportProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>The network is a {@link Lab}: a chain of {@value #HOPS} hops built from Linux network
 * namespaces, whose routers at TTL 5, 12 and 20 never answer, with this JVM's namespace as the
 * probing host. So the kit needs Linux and root, and the test JVM should run in a private network
 * namespace (pathprobe's build runs it through {@code build/netns/bin/java}); it probes only the lab
 * and loopback. The provider must be usable there: {@code availability()} available.
 *
 * <p>Every protocol the provider claims ({@link TransportCapability#ICMP}, {@link TransportCapability#UDP})
 * is checked; UDP sessions use destination port {@value #UDP_PORT}. What it checks, at the SPI level
 * (open a transport, open sessions, {@code send(sequence, ttl)}, collect {@link ProbeResponse}s):
 * <ul>
 *   <li>each TTL 1..{@value #HOPS} is answered by exactly the lab's expected responder with the
 *       right kind (Time Exceeded from routers; echo reply, or port unreachable for UDP, from the
 *       destination), silent hops by nobody, beyond the destination by the destination;
 *   <li>sequence numbers come back unchanged, including 0, byte boundaries and {@code maxSequence()};
 *       RTTs ({@code receivedNanos - send()}) are positive and plausible;
 *   <li>an address with no route is reported DESTINATION_UNREACHABLE code 0 by the first router;
 *   <li>sessions to the same destination, and many sessions sending from many threads at once,
 *       never see each other's answers; answers come on a transport thread;
 *   <li>after a session's {@code close()} returns its listener is not called again, whether it was
 *       closed from a test thread while answers were on their way or from a listener on the
 *       transport's thread while its answer was already queued; a session may be used and closed
 *       from a listener; a throwing listener does not stop the transport;
 *   <li>{@link ProbeSession#afterPendingAnswers} runs its action only after answers that had
 *       already arrived were delivered, even while the transport's thread is held up;
 *   <li>sending after close fails cleanly ({@link IllegalStateException} or
 *       {@link SendFailedException}); opening a session after close throws {@link TransportException};
 *       close is idempotent;
 *   <li>opening and closing 2000 sessions, and transports, leaks no file descriptors nor threads;
 *   <li>the kill switch {@code pathprobe.transport.<name>.disabled=true} makes the provider
 *       unavailable, and {@code open()} then throws {@link TransportException} saying why;
 *   <li>unsupported protocols and address families are refused with {@link TransportException};
 *       out-of-range sequences and TTLs with {@link IllegalArgumentException};
 *   <li>loopback answers (IPv4, and IPv6 when claimed).
 * </ul>
 *
 * <p>Linux routers rate-limit ICMP errors (about 6 at once per source, then one per second); the
 * kit spreads its probes over the routers and sends a probe again (same sequence) when its answer
 * does not come within a round, so it passes with the kernel's default limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProbeTransportCompatibilityKit {
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

    /** The protocols the provider claims. */
    protected final Stream<ProbeProtocol> protocols() {
        List<ProbeProtocol> out = new ArrayList<>();
        if (provider().capabilities().contains(TransportCapability.ICMP)) {
            out.add(ProbeProtocol.ICMP);
        }
        if (provider().capabilities().contains(TransportCapability.UDP)) {
            out.add(ProbeProtocol.UDP);
        }
        return out.stream();
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

    @Test
    void describesItselfConsistently() {
        ProbeTransportProvider p = provider();
        assertThat(p.name()).isNotBlank().doesNotContainAnyWhitespaces();
        assertThat(p.capabilities()).as("capabilities must name at least one protocol")
                .containsAnyOf(TransportCapability.ICMP, TransportCapability.UDP);
        assertThat(p.capabilities()).as("capabilities must name at least one address family")
                .containsAnyOf(TransportCapability.IPV4, TransportCapability.IPV6);
        assertThat(transport().name()).isEqualTo(p.name());
        assertThat(transport().capabilities()).isEqualTo(p.capabilities());
    }

    // ---------------------------------------------------------------------------------------------
    // Real outcomes in the lab

    @ParameterizedTest
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

    @ParameterizedTest
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

    @ParameterizedTest
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

    @ParameterizedTest
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

    @ParameterizedTest
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
                    return s.send(7, ttl); // the same sequence everywhere: only the session tells answers apart
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
                    sessions.get(i).send(7, ttl); // rate-limited: once more
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

    @ParameterizedTest
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
            session.send(9, ttl);
            spin(Duration.ofNanos((i % 8) * 10_000L));
            session.close();
            recorder.sessionClosed();
            session.close(); // idempotent
            closed.add(recorder);
            if (i == 0) {
                Throwable t = catchThrowable(() -> session.send(10, HOPS));
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
                c.send(11, cTtl);
                spin(Duration.ofMillis(2)); // the answer arrives meanwhile and waits in the socket
                c.close();
                closedFromListener.sessionClosed();
            } catch (Throwable t) {
                listenerFailure.set(t);
            } finally {
                done.countDown();
            }
        })) {
            for (int attempt = 0; attempt < ROUNDS && done.getCount() > 0; attempt++) {
                trigger.send(attempt, lateRouters.get(0));
                awaitLatch(done, ROUND);
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

    @ParameterizedTest
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
                        spin(Duration.ofMillis(50)); // a listener that is too slow, on purpose
                    }
                })) {
            for (int attempt = 0; attempt < ROUNDS && blocking.getCount() > 0; attempt++) {
                blocker.send(attempt, lateRouters.get(3 % lateRouters.size()));
                awaitLatch(blocking, ROUND);
            }
            assertThat(blocking.getCount()).as("the blocking session's answer never came").isZero();
            subject.send(5, subjectTtl);
            spin(Duration.ofMillis(10)); // the answer is in the kernel's queue by now
            subject.afterPendingAnswers(() -> {
                answerSeenByAction.set(!subjectAnswers.forSequence(5).isEmpty());
                actionRan.countDown();
            });
            awaitLatch(actionRan, Duration.ofSeconds(5));
            assertThat(actionRan.getCount()).as("the action never ran").isZero();
            assertThat(answerSeenByAction.get()).as("the answer had been delivered when the action ran").isTrue();
        }
    }

    @ParameterizedTest
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

    @ParameterizedTest
    @MethodSource("protocols")
    void loopbackAnswers(ProbeProtocol protocol) throws UnknownHostException {
        List<InetAddress> targets = new ArrayList<>();
        targets.add(InetAddress.getByName("127.0.0.1"));
        if (provider().capabilities().contains(TransportCapability.IPV6)) {
            InetAddress v6 = InetAddress.getByName("::1");
            assumeTrue(hasLoopbackAddress(v6), "::1 is not configured on lo");
            targets.add(v6);
        }
        for (InetAddress target : targets) {
            Recorder recorder = new Recorder();
            try (ProbeSession session = open(protocol, target, recorder)) {
                boolean v6 = target instanceof Inet6Address;
                ProbePlan.Expectation e = protocol == ProbeProtocol.ICMP
                        ? ProbePlan.Expectation.from(target, ResponseKind.ECHO_REPLY, 0, "echo reply from " + target)
                        : ProbePlan.Expectation.from(target, ResponseKind.DESTINATION_UNREACHABLE, v6 ? 4 : 3,
                                "port unreachable from " + target);
                plan().add(session, recorder, 0x1234, 64, e).runAndVerify();
                assertThat(recorder.responses()).allSatisfy(r -> {
                    if (protocol == ProbeProtocol.ICMP) {
                        assertThat(r.icmpType()).isEqualTo(v6 ? 129 : 0);
                    } else {
                        assertThat(r.portUnreachable()).isTrue();
                    }
                });
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle and resources

    @Test
    void sendingAfterTheTransportIsClosedFailsCleanly() throws Exception {
        ProbeProtocol protocol = protocols().findFirst().orElseThrow();
        ProbeTransport t = provider().open();
        Recorder recorder = new Recorder();
        ProbeSession session = t.openSession(spec(protocol, lab().destination()), recorder);
        t.close();
        recorder.sessionClosed();
        t.close(); // idempotent

        Throwable thrown = catchThrowable(() -> session.send(1, HOPS));
        assertThat(thrown).as("send after the transport closed").isNotNull()
                .isInstanceOfAny(IllegalStateException.class, SendFailedException.class);
        assertThatThrownBy(() -> t.openSession(spec(protocol, lab().destination()), new Recorder()))
                .isInstanceOf(TransportException.class);
        session.close(); // still fine
        ProbePlan.sleep(QUIET);
        assertThat(recorder.responsesAfterClose()).isEmpty();
    }

    @Test
    void openingAndClosingManySessionsLeaksNeitherFileDescriptorsNorThreads() throws SendFailedException {
        ProbeProtocol protocol = protocols().findFirst().orElseThrow();
        InetAddress destination = lab().destination();
        for (int i = 0; i < 50; i++) { // warm up: lazily created pools, caches, classes
            transport().openSession(spec(protocol, destination), r -> { }).close();
        }
        OptionalInt fdsBefore = Resources.openFileDescriptors();
        int threadsBefore = Resources.liveThreads();
        List<String> threadNamesBefore = Resources.liveThreadNames();
        for (int i = 0; i < 2000; i++) {
            ProbeSession s = transport().openSession(spec(protocol, destination), r -> { });
            if (i % 500 == 0) {
                s.send(i, 2 + i / 500); // some of them actually send
            }
            s.close();
        }
        if (fdsBefore.isPresent()) {
            int fdsAfter = Resources.settle(() -> Resources.openFileDescriptors().orElse(0),
                    fdsBefore.getAsInt(), Duration.ofSeconds(5));
            assertThat(fdsAfter).as("open file descriptors after 2000 sessions").isLessThanOrEqualTo(fdsBefore.getAsInt());
        }
        int threadsAfter = Resources.settle(Resources::liveThreads, threadsBefore, Duration.ofSeconds(5));
        assertThat(threadsAfter).as("live threads after 2000 sessions; before: %s, after: %s",
                threadNamesBefore, Resources.liveThreadNames()).isLessThanOrEqualTo(threadsBefore);
    }

    @Test
    void openingAndClosingTransportsLeaksNeitherFileDescriptorsNorThreads() {
        ProbeProtocol protocol = protocols().findFirst().orElseThrow();
        Runnable cycle = () -> {
            try (ProbeTransport t = provider().open()) {
                t.openSession(spec(protocol, lab().destination()), r -> { }); // left open: transport close closes it
            }
        };
        cycle.run();
        OptionalInt fdsBefore = Resources.openFileDescriptors();
        int threadsBefore = Resources.settle(Resources::liveThreads, 0, Duration.ofSeconds(3));
        for (int i = 0; i < 20; i++) {
            cycle.run();
        }
        if (fdsBefore.isPresent()) {
            int fdsAfter = Resources.settle(() -> Resources.openFileDescriptors().orElse(0),
                    fdsBefore.getAsInt(), Duration.ofSeconds(5));
            assertThat(fdsAfter).as("open file descriptors after 20 transports").isLessThanOrEqualTo(fdsBefore.getAsInt());
        }
        // Libraries may keep an idle helper thread for a second or so (Netty's global executor): wait it out.
        int threadsAfter = Resources.settle(Resources::liveThreads, threadsBefore, Duration.ofSeconds(10));
        assertThat(threadsAfter).as("live threads after 20 transports: %s", Resources.liveThreadNames())
                .isLessThanOrEqualTo(threadsBefore);
    }

    @Test
    void theKillSwitchMakesItUnavailableAndOpenSaysWhy() {
        String property = "pathprobe.transport." + provider().name() + ".disabled";
        String previous = System.getProperty(property);
        System.setProperty(property, "true");
        try {
            Availability a = provider().availability();
            assertThat(a.isAvailable()).isFalse();
            assertThat(a.unavailabilityCause()).isNotNull();
            assertThat(a.reason()).contains(property);
            Throwable thrown = catchThrowable(() -> provider().open().close());
            assertThat(thrown).isInstanceOf(TransportException.class);
            assertThat(thrown.getMessage()).contains(a.reason());
        } finally {
            if (previous == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, previous);
            }
        }
        assertThat(provider().availability().isAvailable()).isTrue();
    }

    @Test
    void unsupportedProtocolsAndAddressFamiliesAreRefused() throws UnknownHostException {
        for (ProbeProtocol protocol : ProbeProtocol.values()) {
            TransportCapability c = protocol == ProbeProtocol.ICMP ? TransportCapability.ICMP : TransportCapability.UDP;
            if (!provider().capabilities().contains(c)) {
                assertThatThrownBy(() -> transport().openSession(spec(protocol, lab().destination()), new Recorder()))
                        .as(protocol + " is not claimed").isInstanceOf(TransportException.class);
            }
        }
        ProbeProtocol supported = protocols().findFirst().orElseThrow();
        if (!provider().capabilities().contains(TransportCapability.IPV6)) {
            InetAddress v6 = InetAddress.getByName("::1");
            assertThatThrownBy(() -> transport().openSession(spec(supported, v6), new Recorder()))
                    .as("IPv6 is not claimed").isInstanceOf(TransportException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void outOfRangeSequencesAndTtlsAreRejected(ProbeProtocol protocol) {
        try (ProbeSession s = open(protocol, lab().destination(), new Recorder())) {
            int max = s.maxSequence();
            if (protocol == ProbeProtocol.UDP) {
                assertThat(max).as("UDP maxSequence keeps ports within 65535").isLessThanOrEqualTo(65535 - UDP_PORT);
            } else {
                assertThat(max).isLessThanOrEqualTo(65535);
            }
            assertThatThrownBy(() -> s.send(-1, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.send(max + 1, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.send(1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.send(1, 256)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** A session spec for the lab (UDP on {@value #UDP_PORT}). */
    protected static SessionSpec spec(ProbeProtocol protocol, InetAddress destination) {
        return new SessionSpec(protocol, destination, UDP_PORT);
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
            return protocol == ProbeProtocol.ICMP
                    ? ProbePlan.Expectation.from(destination, ResponseKind.ECHO_REPLY, 0, "echo reply from the destination")
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

    private static void awaitLatch(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Busy-waits {@code d} (microseconds: too short for sleep) to vary where a race falls. */
    private static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static boolean hasLoopbackAddress(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
