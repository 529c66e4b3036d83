package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.core.internal.ping.ProbesSeen;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Ping;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.ProbeStatus;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers after the timeout are late, not lost-and-received, through real kernel routers: router 2
 * is a bottleneck (tc tbf, 16 kbit/s, 500 ms of queue) and a probe every 10 ms exceeds its rate, so
 * the queue delay grows past a 50 ms timeout within a few probes, then the queue drops. Compared
 * with iputils ping on the same lab, which counts such answers as received.
 */
@LabTest
class PingLateLabTest {
    private static final Duration TIMEOUT = Duration.ofMillis(50);
    private static final int COUNT = 60;

    @RegisterExtension
    static final LabExtension lab = new LabExtension(Lab.chain(3)
            .bottleneck(2, 16_000, Duration.ofMillis(500)).inCurrentNamespace());

    @Test
    void answersAfterTheTimeoutAreLateAndLostNeverReceived() throws Exception {
        ProbesSeen seen = new ProbesSeen();
        List<PingProbe> completed = seen.completed;
        List<PingProbe> late = seen.late;
        PingResult ours;
        try (PathTracer tracer = PathTracer.builder().packetsPerSecond(0).build()) {
            ours = tracer.measure(PingRequest.builder().target(lab.lab().destination()).kind(PingKind.ICMP)
                    .count(COUNT).interval(Duration.ofMillis(10)).probeTimeout(TIMEOUT).listener(seen).build());
        }
        PingTargetResult t = ours.first();
        PingStatistics s = t.statistics();
        Thread.sleep(1500); // the bottleneck's queue (at most 0.8 s) drains
        Ping.Result iputils = Ping.ping(lab.lab(), List.of("-c", Integer.toString(COUNT), "-i", "0.01", "-W", "0.05"),
                lab.lab().destination());

        System.out.printf(Locale.ROOT, "pathprobe: sent %d, received %d, lost %d (late %d), RTT max %s; late RTTs %s%n",
                s.sent(), s.received(), s.lost(), s.late(), s.rtt().map(r -> ms(r.max())).orElse("-"),
                late.stream().map(p -> ms(p.rtt().orElseThrow())).collect(Collectors.joining(" ")));
        System.out.printf(Locale.ROOT, "iputils ping -W 0.05: transmitted %d, received %d (%.0f %% loss), RTT max %s%n",
                iputils.transmitted(), iputils.received(), iputils.lossPercent(),
                iputils.rtt().map(r -> ms(r.max())).orElse("-"));
        System.out.println("RTT by sequence, pathprobe (late in brackets, * lost): " + series(t.recent()));
        System.out.println("RTT by sequence, iputils: " + iputils.replies().stream().filter(r -> !r.duplicate())
                .map(r -> r.sequence() + ":" + r.rtt().map(PingLateLabTest::ms).orElse("?"))
                .collect(Collectors.joining(" ")));

        // the bottleneck made answers late
        assertThat(s.late()).as("late answers").isPositive();
        assertThat(late).hasSize((int) s.late());
        // every probe decided once: received or lost, and a late one is lost, never received
        assertThat(s.pending()).isZero();
        assertThat(s.sent()).isEqualTo(COUNT);
        assertThat(s.received() + s.lost()).isEqualTo(s.sent());
        assertThat(s.late()).isLessThanOrEqualTo(s.lost());
        assertThat(completed).hasSize(COUNT);
        Set<Long> receivedSeqs = completed.stream().filter(PingProbe::received).map(PingProbe::sequence)
                .collect(Collectors.toSet());
        assertThat((long) receivedSeqs.size()).isEqualTo(s.received());
        for (PingProbe p : late) {
            assertThat(p.late()).as("%s", p).isTrue();
            assertThat(p.received()).isFalse();
            assertThat(p.status()).isEqualTo(ProbeStatus.TIMEOUT);
            assertThat(p.rtt().orElseThrow()).isGreaterThan(TIMEOUT);
            assertThat(receivedSeqs).doesNotContain(p.sequence());
        }
        // the result's probes say late too; received RTTs are all within the timeout
        assertThat(t.recent()).hasSize(COUNT);
        assertThat(t.recent().stream().filter(PingProbe::late).map(PingProbe::sequence).toList())
                .isEqualTo(late.stream().map(PingProbe::sequence).sorted().toList());
        assertThat(s.rtt()).hasValueSatisfying(r -> assertThat(r.max()).isLessThanOrEqualTo(TIMEOUT));
        // iputils ping counts what came after its -W as received: its RTTs go beyond the timeout
        assertThat(iputils.rtt()).hasValueSatisfying(r -> assertThat(r.max()).isGreaterThan(TIMEOUT));
    }

    private static String series(List<PingProbe> probes) {
        return probes.stream().map(p -> p.sequence() + ":" + (p.received() ? ms(p.rtt().orElseThrow())
                : p.late() ? "[" + ms(p.rtt().orElseThrow()) + "]" : "*")).collect(Collectors.joining(" "));
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6);
    }
}
