package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.ROUND;
import static io.pathprobe.tck.ProbeTransportContractKit.ROUNDS;
import static io.pathprobe.tck.ProbeTransportContractKit.awaitLatch;
import static io.pathprobe.tck.ProbeTransportContractKit.expectation;
import static io.pathprobe.tck.ProbeTransportContractKit.plan;
import static io.pathprobe.tck.ProbeTransportContractKit.spin;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SessionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.Closing}, the contract kit's group of closing: a closed session's
 * listener is not called again, {@code afterPendingAnswers} waits for the answers already received, a throwing
 * listener does not stop the transport. The kit's nested class of that name extends this class, so that JUnit runs
 * these tests, and Surefire reports them, as that nested class's. Part of the kit: extend
 * {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractClosing extends ContractGroup {
    ContractClosing(ProbeTransportContractKit kit) {
        super(kit);
    }

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
                        // a listener that is too slow, on purpose: long enough that the subject's answer, sent
                        // while it runs, arrives within it also under Wine, whose echo completions come later
                        spin(Duration.ofMillis(250));
                    }
                })) {
            for (int attempt = 0; attempt < ROUNDS && blocking.getCount() > 0; attempt++) {
                blocker.send(ProbeSpec.of(attempt, 64));
                awaitLatch(blocking, ROUND);
            }
            assertThat(blocking.getCount()).as("the blocking session's answer never came").isZero();
            subject.send(ProbeSpec.of(5, 64));
            spin(Duration.ofMillis(60)); // the answer is in the kernel's queue by now (the blocker holds on longer)
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
