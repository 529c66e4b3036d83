package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.IpVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ping of IPv6 targets in the dual-stack lab, every packet kind. */
@LabTest
class PingIpv6LabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3).ipv6().inCurrentNamespace());

    @Test
    void ipv6TargetsAnswerEveryKind() {
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            // a fresh IPv6 lab resolves its neighbours first (the first answer took ~1 s, and the kernel
            // dropped the probes queued behind it): warm the path up once
            tracer.measure(PingRequest.builder().target(LAB.lab().destination6()).count(1).probeTimeout(Duration.ofSeconds(3))
                    .build());
            for (PingKind kind : new PingKind[] {PingKind.ICMP, PingKind.UDP, PingKind.TCP}) {
                PingResult r = tracer.measure(PingRequest.builder().target(LAB.lab().destination6()).kind(kind).count(3)
                        .interval(Duration.ofMillis(20)).build());
                PingTargetResult t = r.first();
                assertThat(t.statistics().received()).as(kind + " " + t).isEqualTo(3);
                assertThat(t.address().orElseThrow()).isEqualTo(LAB.lab().destination6());
            }
            // a too-small hop limit: ICMPv6 time exceeded from the first router, as an error
            PingResult r = tracer.measure(PingRequest.builder().target(LAB.lab().destination6()).ttl(1).count(2)
                    .interval(Duration.ofMillis(20)).ipVersion(IpVersion.IPV6).build());
            assertThat(r.first().statistics().received()).isZero();
            assertThat(r.first().error().orElseThrow().icmp().orElseThrow().isTimeExceeded()).isTrue();
        }
    }
}
