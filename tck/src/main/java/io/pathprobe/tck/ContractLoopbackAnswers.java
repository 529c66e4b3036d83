package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.expectation;
import static io.pathprobe.tck.ProbeTransportContractKit.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import java.net.Inet6Address;
import java.net.InetAddress;
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
