package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.QUIET;
import static io.pathprobe.tck.ProbeTransportContractKit.awaitLatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ProbeTransport;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.Lifecycle}, the contract kit's group of lifecycle: what a closed
 * transport and a closed session refuse, and that closing is idempotent. The kit's nested class of that name
 * extends this class, so that JUnit runs these tests, and Surefire reports them, as that nested class's. Part of
 * the kit: extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractLifecycle extends ContractGroup {
    ContractLifecycle(ProbeTransportContractKit kit) {
        super(kit);
    }

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
