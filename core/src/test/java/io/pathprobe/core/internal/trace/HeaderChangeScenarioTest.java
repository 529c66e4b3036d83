package io.pathprobe.core.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.monitor.MonitorHandle;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.json.TraceJson;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorListener;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.spi.SessionSpec;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Header changes through the engine on a simulated path whose box re-marks what it forwards: the marking
 * reaches the sessions, each probe's quote is compared with what was sent, the first hop showing the change
 * is named, and a monitor says when the change appears and goes away.
 */
@Timeout(60)
class HeaderChangeScenarioTest {
    private static final TrafficClass EF_ECT0 = new TrafficClass(46, Ecn.ECT_0);

    @Test
    void theMarkingReachesTheSessionAndTheFirstRemarkedHopIsNamed() {
        Scenario s = Scenario.named("re-marked after hop 3", 6).remarkAt(3, 0x02);
        try (FakeTracer t = new FakeTracer(s)) {
            TraceResult r = t.run(TraceRequest.builder(s.destination()).protocol(ProbeProtocol.UDP)
                    .trafficClass(EF_ECT0).build());
            assertThat(t.transport.sessionSpecs).extracting(SessionSpec::trafficClass).containsOnly(0xba);
            assertThat(r.headerChanges()).extracting(FirstChange::ttl).containsExactly(4);
            FirstChange c = r.headerChanges().get(0);
            assertThat(c.change()).isEqualTo(new HeaderChange(HeaderField.DSCP, "46", "0"));
            assertThat(c.responder()).contains(s.router(4));
            for (int ttl = 1; ttl <= 3; ttl++) {
                assertThat(r.hop(ttl).orElseThrow().quotedTrafficClass()).as("ttl %d", ttl).contains(EF_ECT0);
                assertThat(r.hop(ttl).orElseThrow().headerChanges()).isEmpty();
            }
            assertThat(r.hop(5).orElseThrow().quotedTrafficClass()).contains(new TrafficClass(0, Ecn.ECT_0));
            assertThat(r.toString()).contains("[DSCP 46 -> 0]").contains("changed on the way: DSCP 46 -> 0 from hop 4");
            assertThat(TraceJson.write(r)).contains("\"field\" : \"DSCP\"").contains("\"dscp\" : 46");
        }
    }

    @Test
    void pingMultipathAndMtuSessionsCarryTheMarking() {
        Scenario s = Scenario.named("every measurement", 4);
        try (FakeTracer t = new FakeTracer(s)) {
            List<io.pathprobe.Measurement<?, ?>> all = List.of(
                    t.tracer.start(io.pathprobe.ping.PingRequest.builder().targets(s.destination().getHostAddress())
                            .count(2).interval(Duration.ofMillis(100)).trafficClass(EF_ECT0).build()),
                    t.tracer.start(io.pathprobe.multipath.MultipathRequest.builder(s.destination())
                            .protocol(ProbeProtocol.UDP).maxTtl(6).trafficClass(EF_ECT0).build()),
                    t.tracer.start(io.pathprobe.mtu.MtuRequest.builder(s.destination()).maxTtl(6)
                            .trafficClass(EF_ECT0).build()));
            assertThat(t.clock.advanceUntil(() -> all.stream().allMatch(m -> m.result().isDone()),
                    Duration.ofMinutes(10))).isTrue();
            assertThat(t.transport.sessionSpecs).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(spec -> assertThat(spec.trafficClass()).as("%s", spec).isEqualTo(0xba));
        }
    }

    @Test
    void anUnmarkedTraceOnACleanPathShowsNothing() {
        Scenario s = Scenario.named("clean", 5).remarkAt(9, 0);
        try (FakeTracer t = new FakeTracer(s)) {
            TraceResult r = t.run(TraceRequest.builder(s.destination()).protocol(ProbeProtocol.UDP).build());
            assertThat(t.transport.sessionSpecs).extracting(SessionSpec::trafficClass).containsOnly(0);
            assertThat(r.headerChanges()).isEmpty();
            assertThat(r.hops()).allSatisfy(h -> assertThat(h.toString()).doesNotContain("["));
        }
    }

    @Test
    void aMonitorSaysWhenARemarkingAppearsAndGoesAway() {
        Scenario s = Scenario.named("re-marked for a while", 5)
                .remarkAt(2, 0xb8, Duration.ofSeconds(3), Duration.ofSeconds(6));
        List<MonitorEvent> events = new CopyOnWriteArrayList<>();
        try (FakeTracer t = new FakeTracer(s)) {
            MonitorRequest request = MonitorRequest.builder(TraceRequest.builder(s.destination())
                    .protocol(ProbeProtocol.UDP).probesPerTtl(1).trafficClass(EF_ECT0).build()).rounds(10)
                    .listener(new MonitorListener() {
                        @Override
                        public void event(MonitorEvent e) {
                            events.add(e);
                        }
                    }).build();
            MonitorHandle h = (MonitorHandle) t.tracer.start(request);
            assertThat(t.clock.advanceUntil(h::ended, Duration.ofHours(1))).isTrue();
        }
        List<MonitorEvent.HeaderChanged> changes = events.stream().filter(MonitorEvent.HeaderChanged.class::isInstance)
                .map(MonitorEvent.HeaderChanged.class::cast).toList();
        assertThat(changes).as("%s", events).extracting(MonitorEvent.HeaderChanged::appeared)
                .containsExactly(true, false);
        assertThat(changes.get(0).change().ttl()).isEqualTo(3);
        assertThat(changes.get(0).change().change().field()).isEqualTo(HeaderField.ECN);
        assertThat(changes.get(0).round()).isBetween(3L, 5L);
        assertThat(changes.get(1).round()).isGreaterThan(changes.get(0).round());
        assertThat(changes.get(0).toString()).contains("ECN ECT(0) -> Not-ECT from hop 3");
        assertThat(changes.get(1).toString()).contains("gone: ECN");
    }
}
