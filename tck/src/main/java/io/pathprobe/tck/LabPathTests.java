package io.pathprobe.tck;

import static io.pathprobe.tck.ProbeTransportLabKit.HOPS;
import static io.pathprobe.tck.ProbeTransportLabKit.UDP_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.spi.FlowPolicy;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSession;
import io.pathprobe.spi.ResponseKind;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.spi.TransportCapability;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab kit's tests of real outcomes on the lab's path: every hop answers as expected, under every claimed
 * flow policy and flow; sequence numbers, answer fields and quoted checksums come back right; an unrouted
 * destination is reported by the first router; TCP probes, and payload sizes where the provider claims them.
 * Part of the kit: extend {@link ProbeTransportLabKit}, not this.
 */
abstract class LabPathTests extends LabKitSupport {
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

    // ---------------------------------------------------------------------------------------------
    // Flows and answer fields

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

    // ---------------------------------------------------------------------------------------------
    // TCP, and quoted checksums and payload sizes (for providers that claim them)

    /**
     * TCP providers, every claimed flow policy: each router answers Time Exceeded, silent hops
     * nobody, and the destination (nothing listens on port {@value ProbeTransportLabKit#UDP_PORT} there) a RST. Probes
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
}
