package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.PathTracer;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Ping;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ping under a 30 % random drop (nftables numgen at the destination), against fping on the same lab. */
@LabTest
class PingLossLabTest {
    @RegisterExtension
    static final LabExtension lab = new LabExtension(Lab.chain(3).dropToDestination(30).inCurrentNamespace());

    /**
     * 400 probes each: binomial loss with p = 0.3 has a standard deviation of 2.3 % per run, 3.2 %
     * for the difference of two runs; both must be within 4 standard deviations of 30 % and of each
     * other.
     */
    @Test
    void lossMatchesFpingWithinSamplingError() {
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            PingResult ours = tracer.measure(PingRequest.builder().target(lab.lab().destination()).kind(PingKind.ICMP)
                    .count(400).interval(Duration.ofMillis(5)).probeTimeout(Duration.ofMillis(500)).build());
            Ping.FpingResult f = Ping.fping(lab.lab(), List.of("-c", "400", "-p", "5", "-q"), lab.lab().destination());
            double theirs = f.target(lab.lab().destination()).lossFraction();
            PingStatistics s = ours.first().statistics();
            System.out.printf("loss at 30 %% drop: pathprobe %.3f (%d/%d), fping %.3f%n", s.loss(), s.lost(), s.sent(),
                    theirs);
            assertThat(s.sent()).isEqualTo(400);
            assertThat(s.loss()).isBetween(0.3 - 4 * 0.023, 0.3 + 4 * 0.023);
            assertThat(theirs).isBetween(0.3 - 4 * 0.023, 0.3 + 4 * 0.023);
            assertThat(Math.abs(s.loss() - theirs)).isLessThan(4 * 0.032);
            assertThat(s.duplicates()).isZero();
            assertThat(s.late()).isZero();
        }
    }
}
