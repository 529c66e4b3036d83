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

/** Ping when the destination duplicates every reply (nftables dup), against iputils ping. */
@LabTest
class PingDuplicateLabTest {
    @RegisterExtension
    static final LabExtension lab = new LabExtension(Lab.chain(3).duplicateFromDestination().inCurrentNamespace());

    @Test
    void duplicatesAreCountedNotReceivedTwice() {
        try (PathTracer tracer = PathTracer.builder().offline().packetsPerSecond(0).build()) {
            PingResult ours = tracer.measure(PingRequest.builder().target(lab.lab().destination()).kind(PingKind.ICMP)
                    .count(10).interval(Duration.ofMillis(20)).build());
            PingStatistics s = ours.first().statistics();
            Ping.Result iputils = Ping.ping(lab.lab(), List.of("-c", "10", "-i", "0.02"), lab.lab().destination());
            System.out.printf("duplicates: pathprobe %d received + %d dup, iputils %d received + %d dup%n",
                    s.received(), s.duplicates(), iputils.received(), iputils.duplicates());
            assertThat(s.received()).isEqualTo(10);
            assertThat(s.loss()).isZero();
            // as iputils with -c: the duplicate of the last reply may come after the ping ended
            assertThat(s.duplicates()).isBetween(9L, 10L);
        }
    }
}
