package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(5)
class HopFolderTest {

    /** Attempt {@code attempt} at {@code ttl} (its index too), in status {@code status}. */
    private static ProbeState probe(int ttl, int attempt, ProbeStatus status) {
        ProbeState p = new ProbeState(ttl, attempt, attempt);
        p.status(status);
        return p;
    }

    private static ProbeState answered(int attempt, int octet, long rttMicros, long answeredTick) {
        ProbeState p = probe(5, attempt, ProbeStatus.REPLY);
        p.answer(Scenario.address(198, 18, 1, octet), rttMicros * 1000, answeredTick, -1, -1, false, -1, -1, List.of());
        return p;
    }

    @Test
    void statisticsRespondersAndLoss() {
        ProbeState lost = probe(5, 3, ProbeStatus.TIMEOUT);
        ProbeState unsent = new ProbeState(5, 4, 4);
        // answered out of order: attempt 2's answer came first, attempt 0's last
        Hop hop = HopFolder.hop(5, List.of(answered(0, 7, 100, 30), answered(1, 8, 300, 20), answered(2, 7, 200, 10), lost, unsent), false);

        assertThat(hop.ttl()).isEqualTo(5);
        assertThat(hop.probes()).hasSize(4);
        assertThat(hop.responders()).containsExactly(
                new Responder(Scenario.address(198, 18, 1, 7), 2), new Responder(Scenario.address(198, 18, 1, 8), 1));
        assertThat(hop.address()).contains(Scenario.address(198, 18, 1, 7));
        assertThat(hop.statistics().sent()).isEqualTo(4);
        assertThat(hop.statistics().received()).isEqualTo(3);
        assertThat(hop.statistics().lost()).isEqualTo(1);
        assertThat(hop.statistics().loss()).isEqualTo(0.25);
        RttStatistics rtt = hop.statistics().rtt().orElseThrow();
        assertThat(rtt.min()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(rtt.max()).isEqualTo(Duration.ofNanos(300_000));
        assertThat(rtt.avg()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(rtt.last()).as("most recently answered").isEqualTo(Duration.ofNanos(100_000));
        // population standard deviation of 100, 300, 200 us = 81.65 us
        assertThat(rtt.stdDev().toNanos()).isBetween(81_600L, 81_700L);
        assertThat(hop.rtts()).containsExactly(Duration.ofNanos(100_000), Duration.ofNanos(300_000), Duration.ofNanos(200_000));
    }

    @Test
    void probesOfAHopShareTheirSmallValuesAndTheStatisticsShareTheProbesDurations() {
        java.net.InetAddress router = Scenario.address(198, 18, 1, 9);
        List<ProbeState> probes = new java.util.ArrayList<>();
        long[] rtts = {300, 100, 200};
        for (int i = 0; i < 3; i++) {
            ProbeState p = probe(6, i, ProbeStatus.REPLY);
            p.answer(router, rtts[i] * 1000, 10 + i, 11, 0, false, 250, 0, List.of());
            probes.add(p);
        }
        Hop hop = HopFolder.hop(6, probes, false);
        Hop again = HopFolder.hop(6, probes, false);
        List<io.pathprobe.trace.ProbeResult> r = hop.probes();
        assertThat(r).isEqualTo(again.probes()).hasSize(3);
        for (io.pathprobe.trace.ProbeResult p : r) {
            assertThat(p.responder()).contains(router).isSameAs(r.get(0).responder());
            assertThat(p.icmp()).contains(new io.pathprobe.probe.IcmpMessage(11, 0, false))
                    .isSameAs(again.probes().get(0).icmp());
            assertThat(p.replyTtl()).hasValue(250).isSameAs(again.probes().get(0).replyTtl());
            assertThat(p.natId()).hasValue(0).isSameAs(r.get(0).natId());
        }
        RttStatistics rtt = hop.statistics().rtt().orElseThrow();
        assertThat(rtt.max()).isEqualTo(Duration.ofNanos(300_000)).isSameAs(r.get(0).rtt().orElseThrow());
        assertThat(rtt.min()).isEqualTo(Duration.ofNanos(100_000)).isSameAs(r.get(1).rtt().orElseThrow());
        assertThat(rtt.last()).as("most recently answered").isSameAs(r.get(2).rtt().orElseThrow());
        assertThat(rtt.avg()).isEqualTo(Duration.ofNanos(200_000));
        // values outside the shared ranges are made as before
        ProbeState odd = probe(7, 0, ProbeStatus.UNREACHABLE);
        odd.answer(router, 5_000, 1, 3, 200, true, 64, 40_000, List.of());
        io.pathprobe.trace.ProbeResult o = odd.toResult(false);
        assertThat(o.icmp()).contains(new io.pathprobe.probe.IcmpMessage(3, 200, false));
        assertThat(o.natId()).hasValue(40_000);
        assertThat(o.replyTtl()).hasValue(64);
    }

    @Test
    void aRateLimitedProbeIsNeitherReceivedNorLostAndClaimsNoLoss() {
        ProbeState limited = probe(5, 1, ProbeStatus.RATE_LIMITED);
        ProbeState limited2 = probe(5, 2, ProbeStatus.RATE_LIMITED);
        Hop hop = HopFolder.hop(5, List.of(answered(0, 7, 100, 10), limited, limited2), false, false, round -> true);
        assertThat(hop.statistics().sent()).isEqualTo(3);
        assertThat(hop.statistics().received()).isEqualTo(1);
        assertThat(hop.statistics().rateLimited()).isEqualTo(2);
        assertThat(hop.statistics().lost()).isZero();
        assertThat(hop.statistics().forwardLost()).isZero();
        assertThat(hop.statistics().backwardLost()).isZero();
        assertThat(hop.statistics().loss()).isZero();
        assertThat(hop.probes()).extracting(io.pathprobe.trace.ProbeResult::outcomeText).containsExactly("0.100 ms", "*", "*");
        assertThat(hop.toString()).endsWith("(rate-limited: 2)").doesNotContain("loss:");
    }

    @Test
    void aSilentHopHasNoAddressAndNoRtt() {
        ProbeState a = probe(2, 0, ProbeStatus.TIMEOUT);
        ProbeState b = probe(2, 1, ProbeStatus.PENDING);
        Hop hop = HopFolder.hop(2, List.of(a, b), false);
        assertThat(hop.silent()).isTrue();
        assertThat(hop.address()).isEmpty();
        assertThat(hop.statistics().rtt()).isEmpty();
        assertThat(hop.statistics().sent()).isEqualTo(2);
        assertThat(hop.statistics().loss()).as("pending probes are not losses").isEqualTo(1.0);
    }

    @Test
    void abandonedProbesAreSentButNeitherReceivedNorLost() {
        ProbeState a = probe(2, 0, ProbeStatus.TIMEOUT);
        ProbeState b = probe(2, 1, ProbeStatus.ABANDONED);
        ProbeState c = probe(2, 2, ProbeStatus.SEND_FAILED);
        c.failure("sendmsg: EPERM");
        Hop hop = HopFolder.hop(2, List.of(a, b, c), false);
        assertThat(hop.statistics().sent()).isEqualTo(2);
        assertThat(hop.statistics().lost()).isEqualTo(1);
        assertThat(hop.statistics().abandoned()).isEqualTo(1);
        assertThat(hop.statistics().loss()).isEqualTo(1.0);
        assertThat(hop.probes()).extracting(p -> p.status())
                .containsExactly(ProbeStatus.TIMEOUT, ProbeStatus.ABANDONED, ProbeStatus.SEND_FAILED);
    }

    @Test
    void aLossWhoseRoundWasAnsweredLaterIsABackwardLoss() {
        ProbeState a = probe(3, 0, ProbeStatus.TIMEOUT);
        ProbeState b = probe(3, 1, ProbeStatus.TIMEOUT);
        Hop hop = HopFolder.hop(3, List.of(a, b), false, false, round -> round == 1);
        assertThat(hop.statistics().lost()).isEqualTo(2);
        assertThat(hop.statistics().backwardLost()).isEqualTo(1);
        assertThat(hop.statistics().forwardLost()).isEqualTo(1);
    }

    @Test
    void aTranslationIsAChangeOfNatIdSinceTheLastHopThatCarriedOne() {
        assertThat(HopFolder.natChanged(-1, 5)).isFalse();
        assertThat(HopFolder.natChanged(0, -1)).isFalse();
        assertThat(HopFolder.natChanged(7, -1)).isTrue();
        assertThat(HopFolder.natChanged(7, 7)).isFalse();
        assertThat(HopFolder.natChanged(7, 3)).isTrue();
    }
}
