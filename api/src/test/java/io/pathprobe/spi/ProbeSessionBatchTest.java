package io.pathprobe.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbeSession#sendBatch}'s default, what a transport without a batch of its own gets: each probe through
 * {@link ProbeSession#send} in order, a refusal kept as that probe's outcome, and a probe {@code send} rejects with an
 * unchecked exception ends the batch before it (thrown when it is the first, so a caller that sends the rest again
 * meets it).
 */
class ProbeSessionBatchTest {
    /**
     * Sends in order; refuses sequence 2 (a full buffer) and 4 (no route: permanent), as the OS would; rejects
     * sequences over 5 (as a bad argument).
     */
    private static final class Session implements ProbeSession {
        final List<Integer> sent = new ArrayList<>();

        @Override
        public int maxSequence() {
            return 5;
        }

        @Override
        public long send(ProbeSpec probe) throws SendFailedException {
            if (probe.sequence() > 5) {
                throw new IllegalArgumentException("sequence must be 0..5, was " + probe.sequence());
            }
            if (probe.sequence() == 2) {
                throw new SendFailedException("sendmsg: ENOBUFS", false);
            }
            if (probe.sequence() == 4) {
                throw new SendFailedException("sendmsg: ENETUNREACH", true);
            }
            sent.add(probe.sequence());
            return 1000L + probe.sequence();
        }

        @Override
        public void close() {
        }
    }

    private static List<ProbeSpec> probes(int... sequences) {
        List<ProbeSpec> probes = new ArrayList<>();
        for (int s : sequences) {
            probes.add(new ProbeSpec(s, 64, 0));
        }
        return probes;
    }

    @Test
    void eachProbeIsSentInOrderAndARefusalIsThatProbesOutcome() {
        Session s = new Session();
        long[] sent = new long[4];
        SendFailedException[] failures = new SendFailedException[4];
        failures[0] = new SendFailedException("left over from an earlier batch", false);

        assertThat(s.sendBatch(probes(0, 1, 2, 3), sent, failures)).isEqualTo(4);

        assertThat(s.sent).containsExactly(0, 1, 3);
        assertThat(sent[0]).isEqualTo(1000L);
        assertThat(sent[1]).isEqualTo(1001L);
        assertThat(sent[3]).isEqualTo(1003L);
        assertThat(failures[0]).isNull();
        assertThat(failures[1]).isNull();
        assertThat(failures[2]).hasMessage("sendmsg: ENOBUFS");
        assertThat(failures[3]).isNull();
    }

    @Test
    void aBatchStopsBeforeAProbeSendRejectsAndACallStartingWithItThrows() {
        Session s = new Session();
        long[] sent = new long[3];
        SendFailedException[] failures = new SendFailedException[3];

        assertThat(s.sendBatch(probes(0, 9, 1), sent, failures)).as("the first handled, the second not").isEqualTo(1);
        assertThat(s.sent).containsExactly(0);
        assertThatThrownBy(() -> s.sendBatch(probes(9, 1), sent, failures))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 9");
        assertThat(s.sent).as("nothing after the rejected probe was sent").containsExactly(0);
    }

    @Test
    void aPermanentFailureEndsTheBatchAfterIt() {
        Session s = new Session();
        long[] sent = new long[3];
        SendFailedException[] failures = new SendFailedException[3];

        assertThat(s.sendBatch(probes(4, 0, 1), sent, failures)).as("no probe can leave: the rest are not sent")
                .isEqualTo(1);
        assertThat(failures[0].permanent()).isTrue();
        assertThat(s.sent).isEmpty();
    }

    @Test
    void anEmptyBatchOrShortArraysAreRefusedBeforeAnythingIsSent() {
        Session s = new Session();
        assertThatThrownBy(() -> s.sendBatch(List.of(), new long[1], new SendFailedException[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sendBatch(probes(0, 1), new long[1], new SendFailedException[2]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sendBatch(probes(0, 1), new long[2], new SendFailedException[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(s.sent).isEmpty();
    }
}
