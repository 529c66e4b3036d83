package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportLabKit.HOPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab kit's tests of sessions and listeners: sessions to the same destination, and many sessions sending
 * from many threads, never see each other's answers; a closed session receives nothing more, whether closed
 * from a test thread or from a listener; {@code afterPendingAnswers} waits for the answers already received; a
 * throwing listener does not stop the transport. Part of the kit: extend {@link ProbeTransportLabKit}, not this.
 */
abstract class LabSessionTests extends LabPathTests {
    // ---------------------------------------------------------------------------------------------
    // Sessions apart, closing, listeners

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
                        // a listener that is too slow, on purpose: long enough that the subject's answer, sent
                        // while it runs, arrives within it also under Wine, whose echo completions come later
                        ProbeTransportContractKit.spin(Duration.ofMillis(250));
                    }
                })) {
            for (int attempt = 0; attempt < ROUNDS && blocking.getCount() > 0; attempt++) {
                blocker.send(ProbeSpec.of(attempt, lateRouters.get(3 % lateRouters.size())));
                ProbeTransportContractKit.awaitLatch(blocking, ROUND);
            }
            assertThat(blocking.getCount()).as("the blocking session's answer never came").isZero();
            subject.send(ProbeSpec.of(5, subjectTtl));
            // the answer is in the kernel's queue by now (the blocker holds the thread for longer still)
            ProbeTransportContractKit.spin(Duration.ofMillis(60));
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
}
