package io.pathprobe.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pathprobe.Measurement;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.trace.TraceRequest;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
/** The monitor binder reads the monitor's snapshot: 4 rounds on fake time, one loss at hop 2. */
class MonitorMetricsTest {
    @Test
    void theMetersReadTheMonitor() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Scenario s = Scenario.named("monitor metrics", 5).lose(2, 1);
        try (FakeTracer ft = new FakeTracer(s)) {
            Measurement<MonitorRequest, MonitorResult> m = ft.tracer.start(MonitorRequest.builder(TraceRequest.builder(s.destination()).probesPerTtl(1).protocol(ProbeProtocol.ICMP).maxTtl(8).build())
                    .rounds(4).build());
            new MonitorMetrics(m, Tags.of("site", "lab"), Duration.ZERO, ft.clock::read).bindTo(registry);
            // on fake time the loop runs only when the test advances it: wait for the end, then read
            assertThat(ft.clock.advanceUntil(((io.pathprobe.core.internal.monitor.MonitorHandle) m)::ended,
                    Duration.ofSeconds(30))).isTrue();
            assertThat(registry.get("pathprobe.monitor.hop.loss.ratio").tag("hop", "2").tag("target", "192.0.2.1")
                    .tag("site", "lab").gauge().value()).isEqualTo(0.25);
            assertThat(registry.get("pathprobe.monitor.hop.loss.ratio").tag("hop", "3").gauge().value()).isZero();
            assertThat(registry.get("pathprobe.monitor.hop.rtt.avg").tag("hop", "3").gauge().value())
                    .isCloseTo(0.0003, Offset.offset(1e-9));
            assertThat(registry.get("pathprobe.monitor.hop.loss.ratio").tag("hop", "7").gauge().value()).isNaN();
            assertThat(registry.get("pathprobe.path.hops").gauge().value()).isEqualTo(5);
            assertThat(registry.get("pathprobe.monitor.loss.ratio").gauge().value()).isZero();
            assertThat(registry.get("pathprobe.monitor.rounds").functionCounter().count()).isEqualTo(4);
            assertThat(registry.get("pathprobe.monitor.path.changes").functionCounter().count()).isZero();
        }
    }
}
