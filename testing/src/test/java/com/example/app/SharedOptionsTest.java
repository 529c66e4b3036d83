package com.example.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.enrich.EnrichMode;
import io.pathprobe.mtu.MtuRequest;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.options.ProbeOptions;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.testing.FakeTime;
import io.pathprobe.testing.ScriptedHop;
import io.pathprobe.testing.ScriptedTransport;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One {@link ProbeOptions} value configures every request, and its probe rate paces the measurement from the first
 * probe: run as an application would, on fake time (the spacing asserted is the engine's clock, exact, not a bar).
 */
class SharedOptionsTest {
    private static final ProbeOptions SITE = ProbeOptions.builder().protocol(ProbeProtocol.UDP).maxTtl(8)
            .probeTimeout(Duration.ofMillis(400)).packetsPerSecond(10).enrich(EnrichMode.OFF).build();

    @Test
    void oneValueConfiguresEveryRequestAndEachHandsItBack() {
        TraceRequest trace = TraceRequest.builder("198.18.7.1").options(SITE).build();
        MultipathRequest paths = MultipathRequest.builder("198.18.7.1").options(trace.options()).build();
        MtuRequest mtu = MtuRequest.builder("198.18.7.1").options(trace.options()).build();
        PingRequest ping = PingRequest.builder("198.18.7.1").options(SITE).build();

        assertThat(List.of(trace.maxTtl(), paths.maxTtl(), mtu.maxTtl(), ping.ttl())).containsOnly(8);
        assertThat(List.of(trace.packetsPerSecond(), paths.packetsPerSecond(), mtu.packetsPerSecond(),
                ping.packetsPerSecond())).containsOnly(10);
        assertThat(List.of(trace.probeTimeout(), paths.probeTimeout(), mtu.probeTimeout(), ping.probeTimeout()))
                .containsOnly(Duration.ofMillis(400));
        assertThat(trace.protocol()).isEqualTo(ProbeProtocol.UDP);
        assertThat(paths.protocol()).isEqualTo(ProbeProtocol.UDP);
        // every option the site set comes back from each request that has it
        assertThat(SITE.with(trace.options())).isEqualTo(trace.options());
        assertThat(SITE.with(paths.options())).isEqualTo(paths.options());
    }

    @Test
    void aPingsOwnRatePacesAllItsTargetsTogetherFromTheFirstProbe() {
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time).hop(ScriptedHop.router("198.18.7.254"))
                .destination(ScriptedHop.destination().delay(Duration.ofMillis(5))).build();
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build()) {
            PingResult ping = tracer.measure(PingRequest.builder("198.18.7.1", "198.18.7.2", "198.18.7.3")
                    .count(4).interval(Duration.ofMillis(1)).options(SITE).build());

            List<Duration> sent = ping.targets().stream().map(PingTargetResult::recent).flatMap(List::stream)
                    .map(PingProbe::sentAt).sorted().toList();
            assertThat(sent).hasSize(12);
            for (int i = 1; i < sent.size(); i++) {
                assertThat(sent.get(i).minus(sent.get(i - 1))).as("send %d after send %d", i, i - 1)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
            }
            assertThat(ping.targets()).allSatisfy(t -> assertThat(t.statistics().received()).isEqualTo(4));
        }
    }

    @Test
    void aTracesOwnRateHoldsOnTopOfTheTracersAndTheTraceStillCompletes() {
        FakeTime time = new FakeTime();
        ScriptedTransport path = ScriptedTransport.builder(time).hop(ScriptedHop.router("198.18.7.254"))
                .hop(ScriptedHop.router("198.18.8.254")).destination(ScriptedHop.destination()).build();
        try (PathTracer tracer = PathTracer.builder().transport(path).ticker(time).scheduler(time).offline().build()) {
            TraceResult trace = tracer.trace(TraceRequest.builder("198.18.7.1").options(SITE).build());

            assertThat(trace.hops()).hasSize(3);
            long sent = path.sentProbes();
            // sent probes of one measurement leave at most 10 a second: the last no sooner than (n - 1) / 10 s
            assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100 * (sent - 1)));
        }
    }
}
