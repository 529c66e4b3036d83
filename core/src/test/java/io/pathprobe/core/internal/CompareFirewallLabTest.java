package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * compare on real kernel routers where the router at TTL 4 of a 7-hop chain silently drops TCP to port 443 it
 * forwards (a firewall that lets ICMP and UDP through): TCP/443 stops after hop 4, ICMP and UDP reach the
 * destination, and that is no divergence (nothing answered TCP/443 from another address).
 */
@LabTest
@Timeout(120)
class CompareFirewallLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(7).dropTcpPortAfter(4, 443)
            .icmpUnlimited("three protocols' probes at once per router").inCurrentNamespace());

    @Test
    void tcp443StopsAfterHop4WhileIcmpAndUdpReachTheDestination() {
        Lab lab = LAB.lab();
        CompareResult r;
        try (PathTracer tracer = PathTracer.builder().offline().build()) {
            r = tracer.measure(CompareRequest.builder(lab.destination()).maxTtl(12)
                    .probeTimeout(Duration.ofMillis(500)).build());
        }
        System.out.println(r);
        assertThat(r.stopsAfter(ProbeProtocol.TCP)).hasValue(4);
        assertThat(r.end(ProbeProtocol.TCP).lastAddress()).isEqualTo(lab.expectedResponder(4));
        assertThat(r.trace(ProbeProtocol.TCP).status()).isNotEqualTo(TraceStatus.DESTINATION_REACHED);
        assertThat(r.end(ProbeProtocol.ICMP).reachedDestination()).isTrue();
        assertThat(r.end(ProbeProtocol.UDP).reachedDestination()).isTrue();
        assertThat(r.stopsAfter(ProbeProtocol.ICMP)).isEmpty();
        assertThat(r.stopsAfter(ProbeProtocol.UDP)).isEmpty();
        assertThat(r.divergences()).isEmpty();
        assertThat(r.findings()).contains("TCP/443 stops after hop 4 (" + lab.expectedResponder(4).orElseThrow()
                .getHostAddress() + "); ICMP, UDP reach the destination");
    }
}
