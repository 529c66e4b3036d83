package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportContractKit.expectation;
import static io.pathprobe.tck.ProbeTransportContractKit.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SendFailedException;
import io.pathprobe.spi.TransportCapability;
import org.junit.jupiter.api.Test;

/**
 * The tests of {@code ProbeTransportContractKit.ChecksumEvidence}, the contract kit's group of checksum evidence:
 * sent checksums follow the flow, answers that quote nothing have no delta. The kit's nested class of that name
 * extends this class, so that JUnit runs these tests, and Surefire reports them, as that nested class's. Part of
 * the kit: extend {@link ProbeTransportContractKit}, not this.
 */
abstract class ContractChecksumEvidence extends ContractGroup {
    ContractChecksumEvidence(ProbeTransportContractKit kit) {
        super(kit);
    }

    /**
     * Checksums are in range or UNKNOWN; an answer that quotes no probe (echo reply, SYN-ACK,
     * RST) has no delta; where QUOTED_CHECKSUM is claimed, an ICMP error from loopback (no NAT)
     * has a delta of 0; a FIXED session sends every probe with one checksum, an EXPLICIT one
     * every probe of a flow.
     */
    @Test
    void sentChecksumsFollowTheFlowAndQuoteLessAnswersHaveNoDelta() throws SendFailedException {
        boolean claimed = provider().capabilities().contains(TransportCapability.QUOTED_CHECKSUM);
        forEachLoopbackSession((s, recorder, protocol, target, policy) -> {
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
        });
    }
}
