package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.compare.Divergence;
import io.pathprobe.compare.ProtocolEnd;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * compare on real kernel routers: a 7-hop chain where the router at TTL 2 policy-routes TCP to port 443 over a
 * router of its own at TTL 3 (198.18.200.2), which hands it to the router at TTL 4. TCP/443 parts from ICMP and
 * UDP after hop 2 and meets them again at hop 4; TCP to another port keeps to the chain, and a comparison with it
 * finds one path. The routers' ICMP errors are unlimited, so no hop is silent for one protocol only.
 */
@LabTest
@Timeout(120)
class CompareLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(7).protocolBranch(3, 443)
            .icmpUnlimited("three protocols' probes at once per router").inCurrentNamespace());

    @Test
    void tcp443PartsFromIcmpAndUdpAfterHop2AndMeetsThemAgainAtHop4() throws Exception {
        Lab lab = LAB.lab();
        CompareResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.measure(CompareRequest.builder(lab.destination()).build());
        }
        System.out.println(r);
        assertThat(r.status()).isEqualTo(TraceAllStatus.COMPLETED);
        for (TraceResult t : r.traces()) {
            assertThat(t.status()).as("%s", t).isEqualTo(TraceStatus.DESTINATION_REACHED);
        }
        assertThat(r.ends()).allMatch(ProtocolEnd::reachedDestination).noneMatch(ProtocolEnd::stops);
        assertThat(r.divergences()).as("%s", r).hasSize(1);
        Divergence d = r.divergences().get(0);
        assertThat(d.protocols()).containsExactly(ProbeProtocol.TCP);
        assertThat(d.from()).containsExactly(ProbeProtocol.ICMP, ProbeProtocol.UDP);
        assertThat(d.lastCommonTtl()).hasValue(2);
        assertThat(d.lastCommonAddress()).isEqualTo(lab.expectedResponder(2));
        assertThat(d.partTtl()).isEqualTo(3);
        assertThat(d.partAddress()).contains(InetAddress.getByName("198.18.200.2"));
        assertThat(d.fromPartAddress()).isEqualTo(lab.expectedResponder(3));
        assertThat(d.meetTtl()).hasValue(4);
        assertThat(d.fromMeetTtl()).hasValue(4);
        assertThat(d.meetAddress()).isEqualTo(lab.expectedResponder(4));
        assertThat(r.findings().get(0)).startsWith("TCP/443 parts from ICMP, UDP after hop 2 (")
                .contains("and meets them again at hop 4 (");
        // the probes were the traces' own: every protocol's hops, each of them sent
        assertThat(r.probesSent()).isPositive();
    }

    @Test
    void anotherTcpPortKeepsToTheChainAndTheProtocolsTakeOnePath() {
        Lab lab = LAB.lab();
        CompareResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.measure(CompareRequest.builder(lab.destination()).tcpPort(80).build());
        }
        System.out.println(r);
        assertThat(r.divergences()).as("%s", r).isEmpty();
        assertThat(r.samePath()).isTrue();
        for (ProbeProtocol p : r.request().protocols()) {
            for (int ttl = 1; ttl < lab.hops(); ttl++) {
                Optional<InetAddress> expected = lab.expectedResponder(ttl);
                assertThat(r.trace(p).hop(ttl).orElseThrow().address()).as("%s at TTL %d", p, ttl)
                        .isEqualTo(expected);
            }
        }
    }
}
