package io.pathprobe.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pathprobe.TracerStats;
import io.pathprobe.core.internal.sim.FakeTracer;
import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.core.internal.trace.TraceHandle;
import io.pathprobe.trace.TraceRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Micrometer binder reads {@code stats()}: a trace on fake time, then the meters against the stats. */
class PathProbeMetricsTest {

    @Test
    void theMetersReadTheTracersStats() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // TTL 3 silent, noise the transport drops, all 30 TTLs at once toward a destination at TTL 5
        try (FakeTracer ft = new FakeTracer(Scenario.named("metrics", 5).silent(3).noise(1, 0))) {
            new PathProbeMetrics(ft.tracer, Tags.of("tracer", "test")).bindTo(registry);
            assertThat(registry.get("pathprobe.probes.sent").tag("tracer", "test").functionCounter().count())
                    .isZero();

            TraceHandle running = ft.start(TraceRequest.builder("192.0.2.1").probeTimeout(Duration.ofMillis(300))
                    .build());
            assertThat(registry.get("pathprobe.measurements.active").tag("kind", "trace").gauge().value()).isEqualTo(1);
            assertThat(ft.clock.advanceUntil(running::ended, Duration.ofSeconds(10))).isTrue();

            TracerStats s = ft.tracer.stats();
            assertThat(s.probesSent()).isPositive();
            assertThat(s.timeouts()).isPositive();
            assertThat(registry.get("pathprobe.probes.sent").functionCounter().count()).isEqualTo(s.probesSent());
            assertThat(registry.get("pathprobe.probes.timeouts").functionCounter().count()).isEqualTo(s.timeouts());
            assertThat(registry.get("pathprobe.probes.abandoned").functionCounter().count()).isEqualTo(s.abandoned());
            assertThat(registry.get("pathprobe.probes.pending").gauge().value()).isZero();
            assertThat(registry.get("pathprobe.answers").tag("result", "matched").functionCounter().count())
                    .isEqualTo(s.answersMatched());
            assertThat(registry.get("pathprobe.answers").tag("result", "late").functionCounter().count())
                    .isEqualTo(s.lateAnswers());
            assertThat(registry.get("pathprobe.answers").tag("result", "beyond_path").functionCounter().count())
                    .isEqualTo(s.answersBeyondPath());
            assertThat(registry.get("pathprobe.answers").tag("result", "unmatched").functionCounter().count())
                    .isEqualTo(s.unmatchedAnswers());
            assertThat(registry.get("pathprobe.answers.dropped").tag("reason", "unrelated").functionCounter().count())
                    .isEqualTo(s.probesSent());
            assertThat(registry.get("pathprobe.answers.dropped").tag("reason", "malformed").functionCounter().count())
                    .isZero();
            assertThat(registry.get("pathprobe.measurements.active").tag("kind", "trace").gauge().value()).isZero();
            assertThat(registry.get("pathprobe.ratelimit.wait").functionCounter().count()).isZero();
            assertThat(registry.find("pathprobe.measurements.active").gauges()) // one per type
                    .hasSize(io.pathprobe.MeasurementType.all().size());
            assertThat(registry.get("pathprobe.measurements.active").tag("kind", "traceAll").gauge().value()).isZero();
            assertThat(registry.get("pathprobe.measurements.active").tag("kind", "mtu").gauge().value()).isZero();
            assertThat(registry.getMeters()).allMatch(m -> "test".equals(m.getId().getTag("tracer")));
        }
    }
}
