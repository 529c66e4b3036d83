package io.pathprobe.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.Availability;
import io.pathprobe.spi.DropReason;
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
import io.pathprobe.spi.TransportException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The portable transport contract: what every {@link ProbeTransportProvider} must do, checked on
 * loopback only ({@code 127.0.0.1}, and {@code ::1} when the provider claims IPv6 and the host has
 * it). It needs no lab, no root and no particular operating system, so it runs in a plain
 * {@code mvn test} anywhere. A transport's tests extend it once per provider:
 *
 * <pre>{@code
 * class MyTransportContractTest extends ProbeTransportContractKit {
 *     @Override
 *     protected ProbeTransportProvider provider() {
 *         return new MyTransportProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>When the provider is unavailable here ({@code availability()}), the kit checks that it says
 * why and that {@code open()} refuses, and skips (JUnit assumptions) every test that needs an open
 * transport. The groups:
 * <ul>
 *   <li>{@link DescribingItself}: name, capabilities (a protocol, an address family, a flow policy),
 *       availability with a reason, the open transport describing itself as its provider;
 *   <li>{@link Lifecycle}: closing is idempotent; after a transport is closed, opening a session
 *       throws {@link TransportException} and sending throws {@link IllegalStateException} or
 *       {@link SendFailedException}; the same for a closed session; {@code afterPendingAnswers} on a
 *       closed session runs its action at once;
 *   <li>{@link Arguments}: sequences beyond {@code maxSequence()} and flows beyond {@code maxFlow()}
 *       are rejected with {@link IllegalArgumentException}; unclaimed protocols, address families
 *       and flow policies with {@link TransportException} (naming the policy); a payload size is
 *       accepted by {@link TransportCapability#PAYLOAD_SIZE} transports (ICMP, UDP) and refused with
 *       {@link IllegalArgumentException} by others and by TCP (but 0), a size below a transport's
 *       minimum naming it;
 *   <li>{@link LoopbackAnswers}: every claimed protocol, family and flow policy gets its answer from
 *       loopback (echo reply for ICMP, port unreachable for UDP, SYN-ACK or RST for TCP) with the
 *       sequence number unchanged, 0 and {@code maxSequence()} included, a positive RTT, on a
 *       transport thread, and fields that are either {@link ProbeResponse#UNKNOWN} or in range;
 *   <li>{@link Closing}: once {@code close()} returns, whether it was called from a test thread while
 *       answers were on their way or from the listener on the transport's thread, the listener is
 *       not called again; {@code afterPendingAnswers} runs its action only after the answers already
 *       received were delivered, even while the transport's thread is held up; a throwing listener
 *       does not stop the transport;
 *   <li>{@link Counting}: when the transport counts ({@code counters()}), {@code read == delivered +
 *       dropped}, delivered answers are exactly those listeners took, and a throwing listener's are
 *       dropped as {@link DropReason#LISTENER_FAILED};
 *   <li>{@link Leaks}: opening and closing many sessions, and transports, leaks neither file
 *       descriptors nor threads.
 * </ul>
 *
 * <p>Loopback answers are quick; a probe is sent again (same sequence) when its answer does not come
 * within a round, which covers the kernel's global ICMP error rate limit.
 *
 * <p>The groups are nested classes of this one, so build tools that report by class name (Maven
 * Surefire) report every provider's groups under the same names; a failure's message therefore
 * starts with the provider's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ProbeTransportContractKit.NamesTheProvider.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProbeTransportContractKit {
    /** UDP and TCP sessions' destination port: nothing listens there on loopback. */
    protected static final int PORT = 33434;

    private static final Duration ROUND = Duration.ofMillis(1000);
    private static final int ROUNDS = 4;
    private static final Duration QUIET = Duration.ofMillis(200);

    private @Nullable Availability availability;
    private @Nullable ProbeTransport transport;

    /** The provider under test; a new instance or a shared one. */
    protected abstract ProbeTransportProvider provider();

    @BeforeAll
    final void openTransportIfAvailable() {
        Availability a = provider().availability();
        availability = a;
        if (a.isAvailable()) {
            transport = provider().open();
        }
    }

    @AfterAll
    final void closeTransport() {
        ProbeTransport t = transport;
        if (t != null) {
            t.close();
        }
    }

    /** Skips the calling test when the provider is unavailable here, saying why. */
    protected final void assumeAvailable() {
        Availability a = availability();
        assumeTrue(a.isAvailable(), () -> provider().name() + " is unavailable here: " + a.reason());
    }

    private Availability availability() {
        Availability a = availability;
        return a != null ? a : provider().availability();
    }

    /** The transport the tests share (opened before all tests, closed after); skips when unavailable. */
    protected final ProbeTransport transport() {
        assumeAvailable();
        ProbeTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("transport not open");
        }
        return t;
    }

    /** The protocols the provider claims. */
    protected final List<ProbeProtocol> protocols() {
        return Claims.protocols(provider(), List.of(ProbeProtocol.values()));
    }

    /** The flow policies the provider claims. */
    protected final List<FlowPolicy> flowPolicies() {
        return Claims.flowPolicies(provider());
    }

    /** The loopback addresses to probe: 127.0.0.1 if IPv4 is claimed, ::1 if IPv6 is and the host has it. */
    protected final List<InetAddress> loopbackTargets() {
        List<InetAddress> out = new ArrayList<>();
        if (provider().capabilities().contains(TransportCapability.IPV4)) {
            out.add(address("127.0.0.1"));
        }
        if (provider().capabilities().contains(TransportCapability.IPV6)) {
            InetAddress v6 = address("::1");
            if (hasLoopbackAddress(v6)) {
                out.add(v6);
            }
        }
        return out;
    }

    /** A session spec toward {@code destination} (port {@value #PORT}, flow 0). */
    protected static SessionSpec spec(ProbeProtocol protocol, InetAddress destination, FlowPolicy policy) {
        return new SessionSpec(protocol, destination, PORT, policy, 0);
    }

    /** The first claimed protocol, loopback target and flow policy: what single-session tests use. */
    private SessionSpec anySpec() {
        List<InetAddress> targets = loopbackTargets();
        assumeFalse(targets.isEmpty(), "no loopback address of a claimed family");
        return spec(protocols().get(0), targets.get(0), flowPolicies().get(0));
    }

    /** What a probe toward loopback {@code target} must bring back. */
    private static ProbePlan.Expectation expectation(ProbeProtocol protocol, InetAddress target) {
        boolean v6 = target instanceof Inet6Address;
        switch (protocol) {
            case ICMP:
                return ProbePlan.Expectation.from(target, ResponseKind.ECHO_REPLY, 0, "echo reply from " + target);
            case UDP:
                return ProbePlan.Expectation.from(target, ResponseKind.DESTINATION_UNREACHABLE, v6 ? 4 : 3,
                        "port unreachable from " + target);
            default:
                return ProbePlan.Expectation.from(target, ResponseKind.TCP_RESET, -1, "RST from " + target);
        }
    }

    private static ProbePlan plan() {
        return new ProbePlan(ROUND, ROUNDS, QUIET);
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    @DisplayName("describing itself")
    class DescribingItself {
        @Test
        void nameAndCapabilitiesAreConsistent() {
            ProbeTransportProvider p = provider();
            assertThat(p.name()).isNotBlank().doesNotContainAnyWhitespaces();
            assertThat(p.capabilities()).as("capabilities must name at least one protocol")
                    .containsAnyOf(TransportCapability.ICMP, TransportCapability.UDP, TransportCapability.TCP);
            assertThat(p.capabilities()).as("capabilities must name at least one address family")
                    .containsAnyOf(TransportCapability.IPV4, TransportCapability.IPV6);
            assertThat(p.capabilities()).as("capabilities must name at least one flow policy")
                    .containsAnyOf(TransportCapability.FLOW_FIXED, TransportCapability.FLOW_PER_PROBE,
                            TransportCapability.FLOW_EXPLICIT);
        }

        @Test
        void availabilityGivesAReasonAndAnUnavailableProviderRefusesToOpen() {
            Availability a = provider().availability();
            if (a.isAvailable()) {
                assertThat(a.unavailabilityCause()).isNull();
                assertThat(a.reason()).isEqualTo("available");
                return;
            }
            assertThat(a.unavailabilityCause()).as("an unavailable provider says why").isNotNull();
            assertThat(a.reason()).isNotBlank().isNotEqualTo("available");
            Throwable thrown = catchThrowable(() -> provider().open().close());
            assertThat(thrown).as("open() of an unavailable provider (%s)", a.reason())
                    .isInstanceOf(TransportException.class);
        }

        @Test
        void theOpenTransportDescribesItselfAsItsProvider() {
            assertThat(transport().name()).isEqualTo(provider().name());
            assertThat(transport().capabilities()).isEqualTo(provider().capabilities());
        }
    }

    @Nested
    @DisplayName("lifecycle")
    class Lifecycle {
        @Test
        void afterTheTransportClosesOpeningThrowsAndSendingFailsCleanly() {
            assumeAvailable();
            SessionSpec spec = anySpec();
            ProbeTransport t = provider().open();
            Recorder recorder = new Recorder();
            ProbeSession session = t.openSession(spec, recorder);
            t.close();
            recorder.sessionClosed();
            t.close(); // idempotent

            Throwable thrown = catchThrowable(() -> session.send(ProbeSpec.of(1, 64)));
            assertThat(thrown).as("send after the transport closed").isNotNull()
                    .isInstanceOfAny(IllegalStateException.class, SendFailedException.class);
            assertThatThrownBy(() -> t.openSession(spec, new Recorder())).as("openSession after close")
                    .isInstanceOf(TransportException.class);
            session.close(); // still fine
            ProbePlan.sleep(QUIET);
            assertThat(recorder.responsesAfterClose()).isEmpty();
        }

        @Test
        void aClosedSessionRefusesToSendAndClosingIsIdempotent() {
            ProbeSession session = transport().openSession(anySpec(), new Recorder());
            session.close();
            session.close();
            Throwable thrown = catchThrowable(() -> session.send(ProbeSpec.of(1, 64)));
            assertThat(thrown).as("send on a closed session").isNotNull()
                    .isInstanceOfAny(IllegalStateException.class, SendFailedException.class);
        }

        @Test
        void afterPendingAnswersOnAClosedSessionRunsAtOnce() {
            ProbeSession session = transport().openSession(anySpec(), new Recorder());
            session.close();
            CountDownLatch ran = new CountDownLatch(1);
            session.afterPendingAnswers(ran::countDown);
            awaitLatch(ran, Duration.ofSeconds(1));
            assertThat(ran.getCount()).as("the action on a closed session").isZero();
        }
    }

    @Nested
    @DisplayName("arguments")
    class Arguments {
        @Test
        void sequencesAndFlowsBeyondTheSessionsRangesAreRejected() {
            ProbeTransport t = transport();
            SessionSpec base = anySpec();
            for (ProbeProtocol protocol : protocols()) {
                for (FlowPolicy policy : flowPolicies()) {
                    try (ProbeSession s = t.openSession(spec(protocol, base.destination(), policy), new Recorder())) {
                        String what = protocol + " " + policy;
                        int max = s.maxSequence();
                        assertThat(max).as("%s maxSequence", what).isGreaterThanOrEqualTo(255)
                                .isLessThanOrEqualTo(65535);
                        // only where the port counts with the sequence: UDP classic (Paris carries it
                        // elsewhere; TCP varies the source port)
                        if (protocol == ProbeProtocol.UDP && policy == FlowPolicy.PER_PROBE) {
                            assertThat(max).as("%s maxSequence keeps ports within 65535", what)
                                    .isLessThanOrEqualTo(65535 - PORT);
                        }
                        if (policy == FlowPolicy.EXPLICIT) {
                            assertThat(s.maxFlow()).as("%s offers at least two flows", what).isPositive();
                        } else {
                            assertThat(s.maxFlow()).as("%s maxFlow", what).isZero();
                        }
                        int maxFlow = s.maxFlow();
                        assertThatThrownBy(() -> s.send(ProbeSpec.of(max + 1, 5))).as(what)
                                .isInstanceOf(IllegalArgumentException.class);
                        assertThatThrownBy(() -> s.send(new ProbeSpec(1, 5, maxFlow + 1))).as(what)
                                .isInstanceOf(IllegalArgumentException.class);
                    }
                }
            }
        }

        /**
         * Payload sizes: a transport without {@link TransportCapability#PAYLOAD_SIZE} refuses any size
         * but the default (TCP: but 0) with IllegalArgumentException; one with it accepts 56 for ICMP
         * and UDP, and refuses a size below its minimum naming a number. TCP never takes data.
         */
        @Test
        void payloadSizesAreHonouredOrRefused() {
            ProbeTransport t = transport();
            SessionSpec base = anySpec();
            boolean claimed = provider().capabilities().contains(TransportCapability.PAYLOAD_SIZE);
            for (ProbeProtocol protocol : protocols()) {
                for (FlowPolicy policy : flowPolicies()) {
                    SessionSpec spec = spec(protocol, base.destination(), policy);
                    String what = protocol + " " + policy;
                    if (protocol == ProbeProtocol.TCP || !claimed) {
                        assertThatThrownBy(() -> t.openSession(spec.withPayloadSize(100), new Recorder()).close())
                                .as("%s: payload size 100 refused", what).isInstanceOf(IllegalArgumentException.class);
                    } else {
                        t.openSession(spec.withPayloadSize(56), new Recorder()).close();
                    }
                    if (protocol == ProbeProtocol.TCP) {
                        t.openSession(spec.withPayloadSize(0), new Recorder()).close(); // a SYN carries no data anyway
                        continue;
                    }
                    Throwable zero = catchThrowable(() -> t.openSession(spec.withPayloadSize(0),
                            new Recorder()).close());
                    if (zero != null) {
                        assertThat(zero).as("%s: payload size 0", what).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageMatching("(?s).*\\d.*");
                    }
                }
            }
        }

        @Test
        void unclaimedProtocolsFamiliesAndFlowPoliciesAreRefused() {
            ProbeTransport t = transport();
            SessionSpec base = anySpec();
            for (ProbeProtocol protocol : ProbeProtocol.values()) {
                if (!protocols().contains(protocol)) {
                    assertThatThrownBy(() -> t.openSession(spec(protocol, base.destination(), base.flowPolicy()),
                            new Recorder())).as(protocol + " is not claimed").isInstanceOf(TransportException.class);
                }
            }
            for (FlowPolicy policy : FlowPolicy.values()) {
                if (!flowPolicies().contains(policy)) {
                    assertThatThrownBy(() -> t.openSession(base.withFlowPolicy(policy), new Recorder()))
                            .as(policy + " is not claimed").isInstanceOf(TransportException.class)
                            .hasMessageContaining(policy.name());
                }
            }
            if (!provider().capabilities().contains(TransportCapability.IPV6)) {
                assertThatThrownBy(() -> t.openSession(spec(base.protocol(), address("::1"), base.flowPolicy()),
                        new Recorder())).as("IPv6 is not claimed").isInstanceOf(TransportException.class);
            }
            if (!provider().capabilities().contains(TransportCapability.IPV4)) {
                assertThatThrownBy(() -> t.openSession(spec(base.protocol(), address("127.0.0.1"), base.flowPolicy()),
                        new Recorder())).as("IPv4 is not claimed").isInstanceOf(TransportException.class);
            }
        }
    }

    @Nested
    @DisplayName("loopback answers")
    class LoopbackAnswers {
        @Test
        void everyProtocolFamilyAndFlowPolicyIsAnsweredWithItsSequenceNumbers() {
            ProbeTransport t = transport();
            assumeFalse(loopbackTargets().isEmpty(), "no loopback address of a claimed family");
            for (ProbeProtocol protocol : protocols()) {
                for (InetAddress target : loopbackTargets()) {
                    for (FlowPolicy policy : flowPolicies()) {
                        Recorder recorder = new Recorder();
                        try (ProbeSession s = t.openSession(spec(protocol, target, policy), recorder)) {
                            int max = s.maxSequence();
                            int maxFlow = s.maxFlow();
                            int[] sequences = {0, 1, 0xff, 0x100, max};
                            ProbePlan plan = plan();
                            for (int i = 0; i < sequences.length; i++) {
                                int flow = maxFlow == 0 ? 0 : new int[] {0, 1, maxFlow}[i % 3];
                                plan.add(s, recorder, sequences[i], 64, flow, expectation(protocol, target));
                            }
                            plan.runAndVerify();
                            assertThat(recorder.threads()).as("answers are delivered on a transport thread")
                                    .doesNotContain(Thread.currentThread().getName());
                            assertThat(recorder.responses()).allSatisfy(r -> checkFields(protocol, target, r));
                        }
                    }
                }
            }
        }

        private void checkFields(ProbeProtocol protocol, InetAddress target, ProbeResponse r) {
            boolean v6 = target instanceof Inet6Address;
            if (protocol == ProbeProtocol.ICMP) {
                assertThat(r.icmpType()).as("echo reply type").isEqualTo(v6 ? 129 : 0);
            } else if (protocol == ProbeProtocol.UDP) {
                assertThat(r.portUnreachable()).as("port unreachable").isTrue();
            }
            assertThat(r.replyTtl()).as("replyTtl").isBetween(ProbeResponse.UNKNOWN, 255).isNotZero();
            assertThat(r.quotedTtl()).as("quotedTtl").isBetween(ProbeResponse.UNKNOWN, 255);
            assertThat(r.quotedIpId()).as("quotedIpId").isBetween(ProbeResponse.UNKNOWN, 0xffff);
            assertThat(r.quotedChecksum()).as("quotedChecksum").isBetween(ProbeResponse.UNKNOWN, 0xffff);
            if (r.kind() == ResponseKind.ECHO_REPLY || r.kind() == ResponseKind.TCP_RESET
                    || r.kind() == ResponseKind.TCP_SYN_ACK) {
                assertThat(r.quotedTtl()).as("an answer that quotes nothing").isEqualTo(ProbeResponse.UNKNOWN);
                assertThat(r.extensions()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("closing")
    class Closing {
        @Test
        void aClosedSessionsListenerIsNeverCalledAgain() throws Exception {
            ProbeTransport t = transport();
            SessionSpec spec = anySpec();
            List<Recorder> closed = new ArrayList<>();
            // Closed from a test thread while answers are on their way, at varying moments.
            for (int i = 0; i < 16; i++) {
                Recorder recorder = new Recorder();
                ProbeSession session = t.openSession(spec, recorder);
                for (int s = 0; s < 2; s++) {
                    session.send(ProbeSpec.of(s, 64));
                }
                spin(Duration.ofNanos((i % 8) * 5_000L));
                session.close();
                recorder.sessionClosed();
                closed.add(recorder);
            }
            // Closed from its own listener, on the transport's thread, with more answers queued behind.
            Recorder fromListener = new Recorder();
            CountDownLatch closedThere = new CountDownLatch(1);
            AtomicReference<@Nullable ProbeSession> self = new AtomicReference<>();
            AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
            ProbeSession c = t.openSession(spec, r -> {
                fromListener.onResponse(r);
                ProbeSession me = self.get();
                if (me != null && closedThere.getCount() > 0) {
                    try {
                        spin(Duration.ofMillis(2)); // the other answers arrive meanwhile
                        me.close();
                        fromListener.sessionClosed();
                    } catch (Throwable x) {
                        failure.set(x);
                    } finally {
                        closedThere.countDown();
                    }
                }
            });
            self.set(c);
            for (int attempt = 0; attempt < ROUNDS && closedThere.getCount() > 0; attempt++) {
                for (int s = 0; s < 8; s++) {
                    try {
                        c.send(ProbeSpec.of(attempt * 8 + s, 64));
                    } catch (IllegalStateException closedMeanwhile) {
                        break;
                    }
                }
                awaitLatch(closedThere, ROUND);
            }
            assertThat(closedThere.getCount()).as("the session's first answer never came").isZero();
            assertThat(failure.get()).as("close() from the listener").isNull();
            c.close();
            closed.add(fromListener);

            // Another session's answer proves answers kept flowing while the closed ones stayed silent.
            Recorder other = new Recorder();
            try (ProbeSession s2 = t.openSession(spec, other)) {
                plan().add(s2, other, 9, 64, expectation(spec.protocol(), spec.destination())).runAndVerify();
            }
            for (Recorder r : closed) {
                assertThat(r.responsesAfterClose()).as("answers delivered after close() returned").isEmpty();
            }
        }

        @Test
        void afterPendingAnswersRunsOnlyOnceAnswersAlreadyReceivedWereDelivered() throws Exception {
            // A listener of another session holds the transport's thread while the subject's answer
            // arrives; afterPendingAnswers must still hand that answer over before running its action.
            ProbeTransport t = transport();
            SessionSpec spec = anySpec();
            Recorder subjectAnswers = new Recorder();
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch actionRan = new CountDownLatch(1);
            AtomicReference<@Nullable Boolean> answerSeenByAction = new AtomicReference<>();
            try (ProbeSession subject = t.openSession(spec, subjectAnswers);
                    ProbeSession blocker = t.openSession(spec, r -> {
                        if (blocking.getCount() > 0) {
                            blocking.countDown();
                            spin(Duration.ofMillis(50)); // a listener that is too slow, on purpose
                        }
                    })) {
                for (int attempt = 0; attempt < ROUNDS && blocking.getCount() > 0; attempt++) {
                    blocker.send(ProbeSpec.of(attempt, 64));
                    awaitLatch(blocking, ROUND);
                }
                assertThat(blocking.getCount()).as("the blocking session's answer never came").isZero();
                subject.send(ProbeSpec.of(5, 64));
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

        @Test
        void aThrowingListenerDoesNotStopTheTransport() {
            ProbeTransport t = transport();
            SessionSpec spec = anySpec();
            Recorder throwing = new Recorder(true);
            Recorder fine = new Recorder();
            try (ProbeSession bad = t.openSession(spec, throwing); ProbeSession good = t.openSession(spec, fine)) {
                plan().add(bad, throwing, 1, 64, expectation(spec.protocol(), spec.destination())).runAndVerify();
                plan().add(good, fine, 1, 64, expectation(spec.protocol(), spec.destination())).runAndVerify();
            }
        }
    }

    @Nested
    @DisplayName("counting")
    class Counting {
        @Test
        void countersAddUpAndCountWhatListenersTook() {
            assumeAvailable();
            SessionSpec spec = anySpec();
            try (ProbeTransport t = provider().open()) {
                assumeTrue(t.counters().isPresent(), "the transport does not count");
                Recorder fine = new Recorder();
                Recorder throwing = new Recorder(true);
                try (ProbeSession good = t.openSession(spec, fine); ProbeSession bad = t.openSession(spec, throwing)) {
                    ProbePlan.Expectation e = expectation(spec.protocol(), spec.destination());
                    plan().add(good, fine, 1, 64, e).add(good, fine, 2, 64, e).add(good, fine, 3, 64, e)
                            .add(bad, throwing, 1, 64, e).runAndVerify();
                }
                TransportCounters c = settledCounters(t);
                assertThat(c.read()).as("read == delivered + dropped: %s", c)
                        .isEqualTo(c.delivered() + c.droppedTotal());
                assertThat(c.delivered()).as("delivered: %s", c).isEqualTo(fine.responses().size());
                assertThat(c.dropped(DropReason.LISTENER_FAILED)).as("listener failures: %s", c)
                        .isEqualTo(throwing.responses().size());
                assertThat(c.dropped().values()).allSatisfy(n -> assertThat(n).isNotNegative());
            }
        }

        @Test
        void theSharedTransportsCountersAddUp() {
            Optional<TransportCounters> counters = transport().counters();
            assumeTrue(counters.isPresent(), "the transport does not count");
            TransportCounters c = settledCounters(transport());
            assertThat(c.read()).as("read == delivered + dropped: %s", c).isEqualTo(c.delivered() + c.droppedTotal());
        }

        /** The counters once the I/O thread is done with what it is handling (bounded wait). */
        private TransportCounters settledCounters(ProbeTransport t) {
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            TransportCounters c = t.counters().orElseThrow();
            while (c.read() != c.delivered() + c.droppedTotal() && System.nanoTime() < deadline) {
                ProbePlan.sleep(Duration.ofMillis(20));
                c = t.counters().orElseThrow();
            }
            return c;
        }
    }

    @Nested
    @DisplayName("TCP answers")
    class TcpAnswers {
        /**
         * A listening port answers SYN-ACK (every claimed family and flow policy); a closed one RST (see
         * LoopbackAnswers).
         */
        @Test
        void aListeningPortAnswersSynAck() throws Exception {
            ProbeTransport t = transport();
            assumeTrue(protocols().contains(ProbeProtocol.TCP), "TCP is not claimed");
            assumeFalse(loopbackTargets().isEmpty(), "no loopback address of a claimed family");
            for (InetAddress target : loopbackTargets()) {
                try (ServerSocket server = new ServerSocket(0, 128, target)) {
                    Thread acceptor = acceptAndClose(server);
                    try {
                        for (FlowPolicy policy : flowPolicies()) {
                            Recorder recorder = new Recorder();
                            try (ProbeSession s = t.openSession(
                                    new SessionSpec(ProbeProtocol.TCP, target, server.getLocalPort(),
                                            policy, 0), recorder)) {
                                ProbePlan plan = plan();
                                int[] sequences = {0, 1, 0x100, s.maxSequence()};
                                for (int i = 0; i < sequences.length; i++) {
                                    int flow = s.maxFlow() == 0 ? 0 : i % 2;
                                    plan.add(s, recorder, sequences[i], 64, flow, ProbePlan.Expectation.from(target,
                                            ResponseKind.TCP_SYN_ACK, -1, "SYN-ACK from the listening " + target));
                                }
                                plan.runAndVerify();
                                assertThat(recorder.responses()).allSatisfy(r -> {
                                    assertThat(r.quotedTtl()).isEqualTo(ProbeResponse.UNKNOWN);
                                    assertThat(r.checksumDelta()).as("a SYN-ACK quotes nothing")
                                            .isEqualTo(ProbeResponse.UNKNOWN);
                                });
                            }
                        }
                    } finally {
                        acceptor.interrupt();
                    }
                }
            }
        }

        private Thread acceptAndClose(ServerSocket server) {
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        server.accept().close();
                    } catch (java.io.IOException e) {
                        return; // closed
                    }
                }
            }, "tck-tcp-acceptor");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }
    }

    @Nested
    @DisplayName("probes in flight")
    class InFlight {
        /**
         * {@code maxInFlight()} is at least 1; a session of one probe in flight accepts a second send
         * while the first is outstanding (releasing the first, whose answer may be lost), answers the
         * second, and never answers with a sequence it was not sent.
         */
        @Test
        void aSessionOfOneProbeInFlightReleasesTheOutstandingOneWhenItSendsTheNext() throws SendFailedException {
            ProbeTransport t = transport();
            assumeFalse(loopbackTargets().isEmpty(), "no loopback address of a claimed family");
            for (ProbeProtocol protocol : protocols()) {
                for (InetAddress target : loopbackTargets()) {
                    for (FlowPolicy policy : flowPolicies()) {
                        Recorder recorder = new Recorder();
                        try (ProbeSession s = t.openSession(spec(protocol, target, policy), recorder)) {
                            String what = protocol + " " + policy + " " + target.getHostAddress();
                            assertThat(s.maxInFlight()).as("%s maxInFlight", what).isPositive();
                            if (s.maxInFlight() != 1) {
                                continue;
                            }
                            for (int round = 0; round < ROUNDS && recorder.forSequence(2).isEmpty(); round++) {
                                s.send(ProbeSpec.of(1, 64));
                                s.send(ProbeSpec.of(2, 64)); // the first is (most likely) still outstanding
                                recorder.awaitUntil(r -> r.stream().anyMatch(x -> x.sequence() == 2), ROUND);
                            }
                            ProbePlan.sleep(QUIET);
                            assertThat(recorder.forSequence(2)).as("%s: the second probe's answer", what).isNotEmpty();
                            assertThat(recorder.responses()).as("%s: only sequences sent", what)
                                    .allSatisfy(r -> assertThat(r.sequence()).isIn(1, 2));
                        }
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("checksum evidence")
    class ChecksumEvidence {
        /**
         * Checksums are in range or UNKNOWN; an answer that quotes no probe (echo reply, SYN-ACK,
         * RST) has no delta; where QUOTED_CHECKSUM is claimed, an ICMP error from loopback (no NAT)
         * has a delta of 0; a FIXED session sends every probe with one checksum, an EXPLICIT one
         * every probe of a flow.
         */
        @Test
        void sentChecksumsFollowTheFlowAndQuoteLessAnswersHaveNoDelta() {
            ProbeTransport t = transport();
            assumeFalse(loopbackTargets().isEmpty(), "no loopback address of a claimed family");
            boolean claimed = provider().capabilities().contains(TransportCapability.QUOTED_CHECKSUM);
            for (ProbeProtocol protocol : protocols()) {
                for (InetAddress target : loopbackTargets()) {
                    for (FlowPolicy policy : flowPolicies()) {
                        Recorder recorder = new Recorder();
                        try (ProbeSession s = t.openSession(spec(protocol, target, policy), recorder)) {
                            String what = protocol + " " + policy + " " + target.getHostAddress();
                            int[] sequences = {3, 4, 0x1ff, 0x200, 0x3000, 0x3001};
                            int[] flows = new int[sequences.length];
                            ProbePlan plan = plan();
                            for (int i = 0; i < sequences.length; i++) {
                                flows[i] = s.maxFlow() == 0 ? 0 : (i % 2) * Math.min(7, s.maxFlow());
                                plan.add(s, recorder, sequences[i], 64, flows[i], expectation(protocol, target));
                            }
                            plan.runAndVerify();
                            java.util.Map<Integer, Integer> byFlow = new java.util.HashMap<>();
                            for (int i = 0; i < sequences.length; i++) {
                                for (ProbeResponse r : recorder.forSequence(sequences[i])) {
                                    assertThat(r.sentChecksum()).as("%s sentChecksum", what)
                                            .isBetween(ProbeResponse.UNKNOWN, 0xffff);
                                    assertThat(r.quotedChecksum()).as("%s quotedChecksum", what)
                                            .isBetween(ProbeResponse.UNKNOWN, 0xffff);
                                    boolean icmpError = r.kind() == ResponseKind.TIME_EXCEEDED
                                            || r.kind() == ResponseKind.DESTINATION_UNREACHABLE
                                            || r.kind() == ResponseKind.PACKET_TOO_BIG;
                                    if (!icmpError) {
                                        assertThat(r.quotedChecksum()).as("%s: %s quotes nothing", what, r.kind())
                                                .isEqualTo(ProbeResponse.UNKNOWN);
                                        assertThat(r.checksumDelta()).isEqualTo(ProbeResponse.UNKNOWN);
                                    } else if (claimed) {
                                        assertThat(r.checksumDelta()).as("%s: loopback translates nothing: %s", what, r)
                                                .isZero();
                                    }
                                    // ICMP's flow is its checksum; UDP and TCP checksums carry the probe number
                                    if (r.sentChecksum() != ProbeResponse.UNKNOWN && policy != FlowPolicy.PER_PROBE
                                            && protocol == ProbeProtocol.ICMP) {
                                        Integer before = byFlow.putIfAbsent(flows[i], r.sentChecksum());
                                        if (before != null) {
                                            assertThat(r.sentChecksum()).as("%s: one checksum per flow (flow %d)", what,
                                                    flows[i]).isEqualTo(before);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("leaks")
    class Leaks {
        @Test
        void openingAndClosingManySessionsLeaksNeitherFileDescriptorsNorThreads() throws SendFailedException {
            ProbeTransport t = transport();
            SessionSpec spec = anySpec();
            for (int i = 0; i < 50; i++) { // warm up: lazily created pools, caches, classes
                t.openSession(spec, r -> { }).close();
            }
            OptionalInt fdsBefore = Resources.openFileDescriptors();
            int threadsBefore = Resources.liveThreads();
            List<String> threadNamesBefore = Resources.liveThreadNames();
            for (int i = 0; i < 1000; i++) {
                ProbeSession s = t.openSession(spec, r -> { });
                if (i % 100 == 0) {
                    s.send(ProbeSpec.of(i % 256, 64)); // some of them actually send
                }
                s.close();
            }
            if (fdsBefore.isPresent()) {
                int fdsAfter = Resources.settle(
                        () -> Resources.openFileDescriptors().orElse(0),
                        fdsBefore.getAsInt(), Duration.ofSeconds(5));
                assertThat(fdsAfter).as("open file descriptors after 1000 sessions")
                        .isLessThanOrEqualTo(fdsBefore.getAsInt());
            }
            int threadsAfter = Resources.settle(Resources::liveThreads,
                    threadsBefore, Duration.ofSeconds(5));
            assertThat(threadsAfter).as("live threads after 1000 sessions; before: %s, after: %s", threadNamesBefore,
                    Resources.liveThreadNames()).isLessThanOrEqualTo(threadsBefore);
        }

        @Test
        void openingAndClosingTransportsLeaksNeitherFileDescriptorsNorThreads() {
            assumeAvailable();
            SessionSpec spec = anySpec();
            Runnable cycle = () -> {
                try (ProbeTransport t = provider().open()) {
                    t.openSession(spec, r -> { }); // left open: closing the transport closes it
                }
            };
            cycle.run();
            OptionalInt fdsBefore = Resources.openFileDescriptors();
            int threadsBefore = Resources.settle(Resources::liveThreads, 0,
                    Duration.ofSeconds(3));
            for (int i = 0; i < 20; i++) {
                cycle.run();
            }
            if (fdsBefore.isPresent()) {
                int fdsAfter = Resources.settle(
                        () -> Resources.openFileDescriptors().orElse(0),
                        fdsBefore.getAsInt(), Duration.ofSeconds(5));
                assertThat(fdsAfter).as("open file descriptors after 20 transports")
                        .isLessThanOrEqualTo(fdsBefore.getAsInt());
            }
            // Libraries may keep an idle helper thread for a second or so (Netty's global executor): wait it out.
            int threadsAfter = Resources.settle(Resources::liveThreads,
                    threadsBefore, Duration.ofSeconds(10));
            assertThat(threadsAfter).as("live threads after 20 transports: %s",
                    Resources.liveThreadNames()).isLessThanOrEqualTo(threadsBefore);
        }
    }

    /** Prefixes a failure with the provider's name (the nested groups' names are the same for every provider). */
    static final class NamesTheProvider implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            Object outer = context.getRequiredTestInstances().getAllInstances().get(0);
            if (thrown instanceof AssertionError && outer instanceof ProbeTransportContractKit) {
                String name = ((ProbeTransportContractKit) outer).provider().name();
                AssertionError named = new AssertionError("[" + name + "] " + thrown.getMessage(), thrown.getCause());
                named.setStackTrace(thrown.getStackTrace());
                throw named;
            }
            throw thrown;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers shared with the lab kit

    static void awaitLatch(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Busy-waits {@code d} (microseconds: too short for sleep) to vary where a race falls. */
    static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static boolean hasLoopbackAddress(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
