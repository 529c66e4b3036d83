package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.ping.PingAccumulator.Kind;
import io.pathprobe.ping.PingKind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parts of the rule for UDP pings (issues 47 and 68) that need no engine: the accumulator's lost probes, those a
 * limit could have refused (the bound), the rate-limited ones shown refused (neither received nor lost), and the ping's
 * floor of its destinations' ICMP budget.
 */
class PingRefusalTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    // ---- the accumulator ----------------------------------------------------------------------

    @Test
    void aMissALimitCouldExplainIsLostAndCountedForTheBound() {
        PingAccumulator s = new PingAccumulator(65535, Duration.ofSeconds(1));
        for (int i = 0; i < 4; i++) {
            s.sent(s.nextWireSequence(), i * 100 * MS);
        }
        assertThat(s.answer(0, 1 * MS).kind()).isEqualTo(Kind.REPLY);
        assertThat(s.timedOut(1, true)).isTrue();
        assertThat(s.timedOut(2, false)).isTrue();
        assertThat(s.timedOut(1, false)).as("decided once").isFalse();
        PingSnapshot snap = s.snapshot();
        assertThat(snap.sent()).isEqualTo(4);
        assertThat(snap.received()).isEqualTo(1);
        assertThat(snap.lost()).as("nothing showed a refusal: both lost").isEqualTo(2);
        assertThat(snap.mayBeRefused()).isEqualTo(1);
        assertThat(snap.rateLimited()).isZero();
        assertThat(snap.pending()).isEqualTo(1);
        assertThat(snap.received() + snap.lost() + snap.rateLimited() + snap.pending()).isEqualTo(snap.sent());
        assertThat(snap.loss()).isEqualTo(2 / 3.0); // lost / (received + lost)
        assertThat(s.oldestPending()).isEqualTo(3);
    }

    @Test
    void aMissShownRefusedIsNeitherReceivedNorLostAndNotInTheLoss() {
        PingAccumulator s = new PingAccumulator(65535, Duration.ofSeconds(1));
        for (int i = 0; i < 4; i++) {
            s.sent(s.nextWireSequence(), i * 100 * MS);
        }
        s.answer(0, 1 * MS);
        s.timedOut(1, true);
        s.timedOut(2, false);
        assertThat(s.lostUnanswered(1)).isTrue();
        assertThat(s.lostUnanswered(0)).as("answered").isFalse();
        assertThat(s.lostUnanswered(3)).as("pending").isFalse();
        assertThat(s.refused(1)).isTrue();
        assertThat(s.refused(1)).as("once").isFalse();
        assertThat(s.refused(0)).as("an answered probe is never refused").isFalse();
        assertThat(s.refused(3)).as("nor a pending one").isFalse();
        PingSnapshot snap = s.snapshot();
        assertThat(snap.lost()).isEqualTo(1);
        assertThat(snap.rateLimited()).isEqualTo(1);
        assertThat(snap.mayBeRefused()).as("shown refused: no longer in the bound").isZero();
        assertThat(snap.loss()).isEqualTo(0.5);
        assertThat(snap.received() + snap.lost() + snap.rateLimited() + snap.pending()).isEqualTo(snap.sent());
    }

    @Test
    void aLateAnswerToARateLimitedProbeShowsItWasNotRefused() {
        PingAccumulator s = new PingAccumulator(65535, Duration.ofSeconds(1));
        s.sent(s.nextWireSequence(), 0);
        s.sent(s.nextWireSequence(), 100 * MS);
        assertThat(s.timedOut(0, true)).isTrue();
        assertThat(s.timedOut(1, true)).isTrue();
        assertThat(s.refused(0)).isTrue();
        assertThat(s.snapshot().rateLimited()).isEqualTo(1);
        assertThat(s.snapshot().mayBeRefused()).isEqualTo(1);
        assertThat(s.answer(1, 1600 * MS).kind()).isEqualTo(Kind.LATE);
        assertThat(s.snapshot().mayBeRefused()).as("answered late: not refused").isZero();
        PingAccumulator.Answer late = s.answer(0, 1500 * MS);
        assertThat(late.kind()).isEqualTo(Kind.LATE);
        PingSnapshot snap = s.snapshot();
        assertThat(snap.rateLimited()).isZero();
        assertThat(snap.lost()).isEqualTo(2);
        assertThat(snap.late()).isEqualTo(2);
        assertThat(snap.late()).isLessThanOrEqualTo(snap.lost());
        assertThat(s.answer(0, 1600 * MS).kind()).isEqualTo(Kind.DUPLICATE);
    }

    @Test
    void jitterSkipsRateLimitedProbesAsItSkipsLostOnes() {
        PingAccumulator s = new PingAccumulator(65535, Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            s.sent(s.nextWireSequence(), i * 10 * MS);
        }
        s.answer(0, 1 * MS); // rtt 1 ms
        s.timedOut(1, true);
        s.refused(1);
        s.answer(2, 20 * MS + 3 * MS); // rtt 3 ms
        // J = |3 − 1| / 16 = 0.125 ms
        assertThat(s.snapshot().jitter()).contains(Duration.ofNanos(125_000));
    }

    // ---- the floor ----------------------------------------------------------------------------

    @Test
    void theFloorStartsEmptyBecauseAnotherProberMayHaveSpentTheBucket() {
        RefusalFloor f = new RefusalFloor();
        assertThat(f.send(5 * S)).as("the first probe: nothing says the bucket held a token").isTrue();
    }

    @Test
    void oneProbeASecondHasATokenForEveryProbeAfterTheFirst() {
        RefusalFloor f = new RefusalFloor();
        assertThat(f.send(0)).isTrue();
        for (int k = 1; k <= 20; k++) {
            assertThat(f.send(k * S)).as("probe " + k).isFalse();
        }
        // no slack: 0.98 of a token is not one (the ping's own probes may have emptied the bucket)
        assertThat(f.send(21 * S - 20 * MS)).isTrue();
    }

    @Test
    void probesFasterThanTheRefillMayBeRefused() {
        RefusalFloor f = new RefusalFloor();
        f.send(0);
        int maybe = 0;
        for (int k = 1; k <= 50; k++) {
            if (f.send(k * 200 * MS)) {
                maybe++;
            }
        }
        // 10 s at 5 a second: 10 tokens came in, so at most 10 probes had one
        assertThat(50 - maybe).isLessThanOrEqualTo(10);
        assertThat(maybe).isGreaterThanOrEqualTo(40);
    }

    @Test
    void theFloorRefillsUpToTheBurstOnly() {
        RefusalFloor f = new RefusalFloor();
        f.send(0);
        assertThat(f.tokens(100 * S)).isEqualTo(RefusalFloor.BURST);
        // a burst of 6 after a long pause had tokens; the 7th did not
        for (int k = 0; k < RefusalFloor.BURST; k++) {
            assertThat(f.send(100 * S)).as("probe " + k + " of the burst").isFalse();
        }
        assertThat(f.send(100 * S)).isTrue();
    }

    @Test
    void onlyAUdpPingSaysItFellBackInOneLineNamingTheFix() {
        Optional<String> why = Optional.of("ICMP not usable: linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range"
                + " (now '1 0')");
        assertThat(PingHandle.kindNote(PingKind.UDP, true, why)).hasValueSatisfying(n -> assertThat(n)
                .startsWith("fell back to UDP: ICMP not usable").contains("ping_group_range").doesNotContain("\n"));
        assertThat(PingHandle.kindNote(PingKind.UDP, false, Optional.empty())).as("UDP asked for: no fallback to tell")
                .isEmpty();
        Optional<String> flows = Optional.of("UDP probes use classic flows");
        assertThat(PingHandle.kindNote(PingKind.UDP, false, flows)).as("UDP asked for: its note as it is")
                .isEqualTo(flows);
        assertThat(PingHandle.kindNote(PingKind.TCP, false, why)).isEqualTo(why);
    }
}
