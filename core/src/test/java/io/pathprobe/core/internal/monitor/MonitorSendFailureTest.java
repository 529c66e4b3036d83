package io.pathprobe.core.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorStatus;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A target no probe can reach from this host (adversarial-4 D3): the monitor ends after its first round with the
 * typed status, as a trace does, not COMPLETED with rows of {@code 0.0% 0}; a send failing so after probes went out is
 * a failed send in its round (counted nowhere) and the monitor goes on.
 */
@org.junit.jupiter.api.Timeout(120)
class MonitorSendFailureTest {

    private static MonitorResult run(Scenario s, MonitorRequest r) {
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorHandle h = (MonitorHandle) t.tracer.start(r);
            assertThat(t.clock.advanceUntil(h::ended, Duration.ofHours(2))).as("monitor ends").isTrue();
            return h.snapshot();
        }
    }

    @Test
    void noRouteEndsTheMonitorAfterItsFirstRoundWithNoRoute() {
        Scenario s = Scenario.named("no route", 5).allSendsFail(true);
        MonitorResult r = run(s, MonitorRequest.builder(TraceRequest.builder(s.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP).build()).rounds(60).build());
        assertThat(r.status()).isEqualTo(MonitorStatus.NO_ROUTE);
        assertThat(r.rounds()).isEqualTo(1);
        assertThat(r.lastRound().orElseThrow().trace().status()).isEqualTo(TraceStatus.NO_ROUTE);
        assertThat(r.lastRound().orElseThrow().trace().sendFailure()).hasValueSatisfying(f -> assertThat(f).contains("ENETUNREACH"));
        assertThat(r.endToEnd().sent()).as("failed sends are not sent").isZero();
    }

    @Test
    void anIpv6TargetOnAnIpv4OnlyHostIsSendFailedAndAnUnboundedMonitorEndsToo() {
        Scenario s = Scenario.named("IPv4 only", 5).ipv6().ipv4Only();
        MonitorResult r = run(s, MonitorRequest.builder(TraceRequest.builder(s.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP).build()).build());
        assertThat(r.status()).isEqualTo(MonitorStatus.SEND_FAILED);
        assertThat(r.rounds()).isEqualTo(1);
        assertThat(r.lastRound().orElseThrow().trace().sendFailure()).hasValueSatisfying(f -> assertThat(f).contains("EADDRNOTAVAIL"));
    }

    @Test
    void aSendFailingForGoodAfterProbesWentOutIsNotTheMonitorsEnd() {
        // TTL 3's sends fail "no route" in every round: the first probes (TTLs 1, 2) left, so the monitor goes on
        Scenario s = Scenario.named("no route at TTL 3", 5).sendFails(3, true);
        MonitorResult r = run(s, MonitorRequest.builder(TraceRequest.builder(s.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP).build()).rounds(4).build());
        assertThat(r.status()).isEqualTo(MonitorStatus.COMPLETED);
        assertThat(r.rounds()).isEqualTo(4);
    }
}
