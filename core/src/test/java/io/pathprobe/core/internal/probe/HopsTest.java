package io.pathprobe.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.Hop;
import io.pathprobe.ProbeStatus;
import io.pathprobe.Responder;
import io.pathprobe.RttStatistics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {

    private static ProbeState answered(int attempt, int octet, long rttMicros, long answeredTick) {
        ProbeState p = new ProbeState(5, attempt, attempt);
        p.status = ProbeStatus.REPLY;
        p.responder = SimulatedTransport.address(1, octet);
        p.rttNanos = rttMicros * 1000;
        p.answeredTick = answeredTick;
        return p;
    }

    @Test
    void statisticsRespondersAndLoss() {
        ProbeState lost = new ProbeState(5, 3, 3);
        lost.status = ProbeStatus.TIMEOUT;
        ProbeState unsent = new ProbeState(5, 4, 4);
        // answered out of order: attempt 2's answer came first, attempt 0's last
        Hop hop = Results.hop(5, List.of(answered(0, 7, 100, 30), answered(1, 8, 300, 20), answered(2, 7, 200, 10), lost, unsent));

        assertThat(hop.ttl()).isEqualTo(5);
        assertThat(hop.probes()).hasSize(4);
        assertThat(hop.responders()).containsExactly(
                new Responder(SimulatedTransport.address(1, 7), 2), new Responder(SimulatedTransport.address(1, 8), 1));
        assertThat(hop.address()).contains(SimulatedTransport.address(1, 7));
        assertThat(hop.statistics().sent()).isEqualTo(4);
        assertThat(hop.statistics().received()).isEqualTo(3);
        assertThat(hop.statistics().lost()).isEqualTo(1);
        assertThat(hop.statistics().loss()).isEqualTo(0.25);
        RttStatistics rtt = hop.statistics().rtt().orElseThrow();
        assertThat(rtt.min()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(rtt.max()).isEqualTo(Duration.ofNanos(300_000));
        assertThat(rtt.mean()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(rtt.last()).as("most recently answered").isEqualTo(Duration.ofNanos(100_000));
        // population standard deviation of 100, 300, 200 us = 81.65 us
        assertThat(rtt.stdDev().toNanos()).isBetween(81_600L, 81_700L);
        assertThat(hop.rtts()).containsExactly(Duration.ofNanos(100_000), Duration.ofNanos(300_000), Duration.ofNanos(200_000));
    }

    @Test
    void aSilentHopHasNoAddressAndNoRtt() {
        ProbeState a = new ProbeState(2, 0, 0);
        a.status = ProbeStatus.TIMEOUT;
        ProbeState b = new ProbeState(2, 1, 1);
        b.status = ProbeStatus.PENDING;
        Hop hop = Results.hop(2, List.of(a, b));
        assertThat(hop.silent()).isTrue();
        assertThat(hop.address()).isEmpty();
        assertThat(hop.statistics().rtt()).isEmpty();
        assertThat(hop.statistics().sent()).isEqualTo(2);
        assertThat(hop.statistics().loss()).as("pending probes are not losses").isEqualTo(1.0);
    }
}
