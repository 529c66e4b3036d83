package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.expectation;
import static io.pathprobe.tck.ProbeTransportContractKit.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ProbeSpec;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.LoopbackAnswers}, the contract kit's group of loopback answers:
 * every claimed protocol, family and flow policy answered from loopback with its sequence numbers, and the answers'
 * fields in range. The kit's nested class of that name extends this class, so that JUnit runs these tests, and
 * Surefire reports them, as that nested class's. Part of the kit: extend {@link ProbeTransportContractKit}, not
 * this.
 */
abstract class ContractLoopbackAnswers extends ContractGroup {
    ContractLoopbackAnswers(ProbeTransportContractKit kit) {
        super(kit);
    }

    @Test
    void everyProtocolFamilyAndFlowPolicyIsAnsweredWithItsSequenceNumbers() throws SendFailedException {
        forEachLoopbackSession((s, recorder, protocol, target, policy) -> {
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
        });
    }

    /**
     * {@link ProbeSession#sendBatch}: a batch (the transport's own, or the default that sends one by
     * one) hands back each probe's send time on the clock of a single send, in the same call, and each probe is
     * answered with its own sequence, as a single send's. Sessions that allow fewer probes in flight than a batch
     * are skipped (their probes release each other).
     */
    @Test
    void aBatchIsAnsweredProbeByProbeAsSingleSendsAre() throws SendFailedException {
        forEachLoopbackSession((s, recorder, protocol, target, policy) -> {
            int count = 5;
            if (s.maxInFlight() < count) {
                return;
            }
            List<ProbeSpec> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(new ProbeSpec(i, 64, s.maxFlow() == 0 ? 0 : i % (s.maxFlow() + 1)));
            }
            long[] sent = new long[count];
            SendFailedException[] failures = new SendFailedException[count];
            long single = s.send(new ProbeSpec(count, 64, 0));
            int done = 0;
            while (done < count) {
                long[] t = new long[count - done];
                SendFailedException[] f = new SendFailedException[count - done];
                int handled = s.sendBatch(batch.subList(done, count), t, f);
                assertThat(handled).as("probes handled").isBetween(1, count - done);
                System.arraycopy(t, 0, sent, done, handled);
                System.arraycopy(f, 0, failures, done, handled);
                done += handled;
            }
            assertThat(failures).as("loopback refuses no probe").containsOnlyNulls();
            for (int i = 0; i < count; i++) {
                assertThat(sent[i]).as("probe %d's send time, on the clock of a single send", i)
                        .isBetween(single - 60_000_000_000L, single + 60_000_000_000L);
            }
            assertThat(recorder.awaitUntil(got -> IntStream.rangeClosed(0, count)
                    .allMatch(i -> got.stream().anyMatch(r -> r.sequence() == i)), Duration.ofSeconds(5)))
                    .as("every probe of the batch answered with its own sequence").isTrue();
            assertThat(recorder.responses()).allSatisfy(r -> {
                assertThat(r.sequence()).isBetween(0, count);
                checkFields(protocol, target, r);
            });
        });
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
