package io.pathprobe.bufferbloat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.BufferbloatRequest;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.bufferbloat.LoadDirection;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load machinery adds no latency: a lab whose TCP takes a separate path
 * ({@link LabBuilder#separateLoadPath}: a direct host-destination link, 100 Mbit/s with 50 ms of
 * queue both ways) while ICMP keeps the unloaded 2-hop chain. A bufferbloat test against the server at
 * the destination loads the separate path (its TCP probes see that queue), its pings to the same
 * address cross the idle chain. What must always hold: the load ran, and the pings did not cross its
 * queue: their loaded latency and median stay within 10 ms of idle, a fifth of the 50 ms that queue
 * would add (on a quiet machine they stay within 1 ms; how close is the benchmark's figure,
 * {@code build/bench bufferbloat}, "isolation", as is the load's goodput). (The ping pacing under 16
 * load connections: {@link BufferbloatPacingLabTest}.)
 */
@LabTest
@Timeout(60)
class BufferbloatIsolationLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(2)
            .separateLoadPath(100_000_000, Duration.ofMillis(50)).inCurrentNamespace());

    private static URI url;

    @BeforeAll
    static void server() {
        url = LAB.lab().responsivenessServer(4443, true);
    }

    static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    @Test
    void pingsOverTheUnloadedPathDoNotSeeTheLoadsQueue() {
        BufferbloatResult r;
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            r = tracer.testBufferbloat(BufferbloatRequest.builder(url).insecure(true).direction(LoadDirection.DOWNLOAD)
                    .quick().build());
        }
        System.out.println("separate path: " + BufferbloatLabTest.describe(r));
        List<Double> loadedPings = r.samples().stream()
                .filter(s -> s.kind() == LatencySample.Kind.PING && s.phase() == BufferbloatPhase.DOWNLOAD)
                .map(s -> ms(s.rtt())).sorted().toList();
        List<Double> tcpUnderLoad = r.samples().stream()
                .filter(s -> s.kind() == LatencySample.Kind.TCP_FOREIGN && s.phase() == BufferbloatPhase.DOWNLOAD)
                .map(s -> ms(s.rtt())).sorted().toList();
        double idle = ms(r.idleLatency());
        double p90 = loadedPings.get((int) Math.ceil(0.9 * loadedPings.size()) - 1);
        System.out.printf(Locale.ROOT, "idle %.3f ms; %d loaded pings: median %.3f, p90 %.3f, max %.3f ms; loaded latency "
                + "%.3f ms; TCP connects over the loaded path: median %s ms%n", idle, loadedPings.size(),
                loadedPings.get(loadedPings.size() / 2), p90, loadedPings.get(loadedPings.size() - 1),
                ms(r.download().orElseThrow().loadedLatency()),
                tcpUnderLoad.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", tcpUnderLoad.get(tcpUnderLoad.size() / 2)));

        // the load ran (the separate path carried it) ...
        assertThat(r.download().orElseThrow().megabitsPerSecond()).isPositive();
        assertThat(loadedPings).hasSizeGreaterThan(10);
        // ... and the pings beside it did not cross its 50 ms queue
        assertThat(ms(r.download().orElseThrow().loadedLatency())).isLessThan(idle + 10);
        assertThat(loadedPings.get(loadedPings.size() / 2)).isLessThan(idle + 10);
    }
}
