package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.core.internal.ping.PingAccumulator.Answer;
import io.pathprobe.core.internal.ping.PingAccumulator.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reference values are worked out by hand in each test (in the comments), never by the class under
 * test: iputils' mdev, oping's nearest rank, RFC 3550's jitter.
 */
@Timeout(10)
class PingAccumulatorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** An arbitrary transport clock: the first probe leaves at this time, one every 10 ms. */
    private static final long T0 = 7_000_000_000_000L;
    private static final long INTERVAL = 10_000_000;

    private static long ms(double millis) {
        return Math.round(millis * 1_000_000);
    }

    private static Duration d(long nanos) {
        return Duration.ofNanos(nanos);
    }

    /** Drives one accumulator on the made-up clock: probe s leaves at T0 + s × 10 ms. */
    private static final class Pinger {
        final PingAccumulator stats;
        final int modulus;

        Pinger(PingAccumulator stats, int maxSequence) {
            this.stats = stats;
            this.modulus = maxSequence + 1;
        }

        Pinger() {
            this(new PingAccumulator(65535, TIMEOUT), 65535);
        }

        static long sendTime(long seq) {
            return T0 + seq * INTERVAL;
        }

        long send() {
            long seq = stats.nextSequence();
            return stats.sent(stats.nextWireSequence(), sendTime(seq));
        }

        void send(int n) {
            for (int i = 0; i < n; i++) {
                send();
            }
        }

        /** The answer to probe {@code seq} after {@code rtt} (its wire number, received at send + rtt). */
        Answer answer(long seq, long rtt) {
            return stats.answer((int) (seq % modulus), sendTime(seq) + rtt);
        }

        /** Sends one probe per RTT, each answered before the next leaves. */
        void replies(long... rtts) {
            for (long rtt : rtts) {
                long seq = send();
                assertThat(answer(seq, rtt).kind()).isEqualTo(Kind.REPLY);
            }
        }

        PingSnapshot.Rtt rtt() {
            return stats.snapshot().rtt().orElseThrow();
        }
    }

    // ---- mdev ----------------------------------------------------------------------------------

    @Test
    void mdevIsIputilsPopulationStandardDeviationNotTheSampleOne() {
        Pinger p = new Pinger();
        p.replies(ms(1), ms(2), ms(3), ms(4));
        // iputils: tsum = 10, tsum2 = 1 + 4 + 9 + 16 = 30 (ms, ms²); avg = 2.5; mdev = sqrt(30/4 − 2.5²)
        // = sqrt(1.25) = 1.1180339887 ms. (The sample standard deviation would be sqrt(5/3) = 1.29 ms.)
        PingSnapshot.Rtt r = p.rtt();
        assertThat(r.min()).isEqualTo(d(ms(1)));
        assertThat(r.avg()).isEqualTo(d(2_500_000));
        assertThat(r.max()).isEqualTo(d(ms(4)));
        assertThat(r.mdev()).isEqualTo(d(1_118_034));

        Pinger q = new Pinger();
        q.replies(ms(10), ms(10), ms(10), ms(50));
        // avg 20; mean(x²) = (3 × 100 + 2500) / 4 = 700; mdev = sqrt(700 − 400) = sqrt(300) = 17.3205080757 ms
        // (sample: sqrt(1200 / 3) = 20 ms)
        assertThat(q.rtt().avg()).isEqualTo(d(ms(20)));
        assertThat(q.rtt().mdev()).isEqualTo(d(17_320_508));

        Pinger one = new Pinger();
        one.replies(ms(3));
        assertThat(one.rtt().mdev()).isEqualTo(Duration.ZERO);
    }

    @Test
    void welfordKeepsMdevWhereTheTextbookFormulaCancels() {
        // 1 h ± 1 ns alternately: mean(x²) − mean² loses everything in doubles (x² ≈ 1.3e25, ulp ≈ 2e9);
        // the population standard deviation is exactly 1 ns.
        PingAccumulator s = new PingAccumulator(65535, Duration.ofHours(1));
        long big = Duration.ofHours(1).toNanos() - 1;
        for (int i = 0; i < 1000; i++) {
            long at = i * 10L * big;
            long seq = s.sent(s.nextWireSequence(), at);
            s.answer((int) seq, at + big + (i % 2 == 0 ? -1 : 1)); // big − 1 and big + 1 = 1 h alternately
        }
        PingSnapshot.Rtt r = s.snapshot().rtt().orElseThrow();
        assertThat(r.avg()).isEqualTo(d(big));
        assertThat(r.mdev()).isEqualTo(d(1));
    }

    // ---- nearest-rank percentiles ------------------------------------------------------------

    @Test
    void percentilesAreOpingNearestRankOnSmallCounts() {
        // index = ceil(p/100 × n) − 1 on the sorted RTTs
        // n = 1: every percentile is the sample
        assertPercentiles(List.of(7L), 7, 7, 7, 7);
        // n = 2, {10, 20}: p50 ceil(1.0) = rank 1 → 10; p90 ceil(1.8) = 2, p95 ceil(1.9) = 2, p99 ceil(1.98) = 2 → 20
        assertPercentiles(List.of(20L, 10L), 10, 20, 20, 20);
        // n = 19, 1..19: p50 ceil(9.5) = 10; p90 ceil(17.1) = 18; p95 ceil(18.05) = 19; p99 ceil(18.81) = 19
        assertPercentiles(range(19), 10, 18, 19, 19);
        // n = 20, 1..20: p50 ceil(10) = 10; p90 ceil(18) = 18; p95 ceil(19) = 19 (not 20: exact product);
        // p99 ceil(19.8) = 20
        assertPercentiles(range(20), 10, 18, 19, 20);
        // n = 100, 1..100: ranks 50, 90, 95, 99
        assertPercentiles(range(100), 50, 90, 95, 99);
        // repeated values: {5, 5, 5, 9}: p50 rank 2 → 5; p90 ceil(3.6) = 4 → 9
        assertPercentiles(List.of(5L, 9L, 5L, 5L), 5, 9, 9, 9);
    }

    /** 1..n in a shuffled order (the order answers arrive must not matter). */
    private static List<Long> range(int n) {
        List<Long> values = new ArrayList<>();
        for (long v = 1; v <= n; v++) {
            values.add(v);
        }
        Collections.shuffle(values, new Random(n));
        return values;
    }

    private static void assertPercentiles(List<Long> millis, long p50, long p90, long p95, long p99) {
        Pinger p = new Pinger();
        p.replies(millis.stream().mapToLong(m -> ms(m)).toArray());
        PingSnapshot.Rtt r = p.rtt();
        assertThat(r.exactPercentiles()).isTrue();
        assertThat(List.of(r.p50(), r.p90(), r.p95(), r.p99())).as("%s", millis)
                .containsExactly(d(ms(p50)), d(ms(p90)), d(ms(p95)), d(ms(p99)));
    }

    @Test
    void nearestRankIsIntegerCeiling() {
        assertThat(PingAccumulator.nearestRank(95, 20)).isEqualTo(19); // a whole product is its own ceiling
        assertThat(PingAccumulator.nearestRank(99, 100)).isEqualTo(99);
        assertThat(PingAccumulator.nearestRank(50, 1)).isEqualTo(1);
        assertThat(PingAccumulator.nearestRank(1, 1)).isEqualTo(1);
        assertThat(PingAccumulator.nearestRank(99, 10_000_000_001L)).isEqualTo(9_900_000_001L);
    }

    @Test
    void theHistogramTakesOverWithTheSameRanks() {
        // RTTs below 2048 ns sit in histogram buckets one nanosecond wide: the histogram is exact there,
        // so after the switch every percentile must still be the nearest-rank sample.
        PingAccumulator s = new PingAccumulator(65535, TIMEOUT, 64, 10);
        Pinger p = new Pinger(s, 65535);
        List<Long> all = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            long rtt = 1 + random.nextInt(2000);
            all.add(rtt);
            p.replies(rtt);
            PingSnapshot snap = s.snapshot();
            assertThat(snap.samplesDropped()).isEqualTo(i >= 10);
            assertThat(snap.rtt().orElseThrow().exactPercentiles()).isEqualTo(i < 10);
            List<Long> sorted = new ArrayList<>(all);
            Collections.sort(sorted);
            int n = sorted.size();
            PingSnapshot.Rtt r = snap.rtt().orElseThrow();
            // ceil(p n / 100) in integers: (p n + 99) / 100
            assertThat(r.p50()).isEqualTo(d(sorted.get((50 * n + 99) / 100 - 1)));
            assertThat(r.p90()).isEqualTo(d(sorted.get((90 * n + 99) / 100 - 1)));
            assertThat(r.p95()).isEqualTo(d(sorted.get((95 * n + 99) / 100 - 1)));
            assertThat(r.p99()).isEqualTo(d(sorted.get((99 * n + 99) / 100 - 1)));
            assertThat(r.min()).isEqualTo(d(sorted.get(0)));
            assertThat(r.max()).isEqualTo(d(sorted.get(n - 1)));
        }
    }

    // ---- RFC 3550 jitter -----------------------------------------------------------------------

    @Test
    void jitterIsRfc3550OverRttsInSendOrder() {
        Pinger p = new Pinger();
        p.replies(ms(10));
        assertThat(p.stats.snapshot().jitter()).as("one RTT: no difference yet").isEmpty();
        p.replies(ms(12), ms(11), ms(15));
        // D = 2, 1, 4 ms; J = 0 + (2 − 0)/16 = 0.125; + (1 − 0.125)/16 = 0.1796875;
        // + (4 − 0.1796875)/16 = 0.41845703125 ms
        assertThat(p.stats.snapshot().jitter()).contains(d(418_457));
    }

    @Test
    void jitterFollowsSendOrderWhenAnswersArriveReordered() {
        Pinger p = new Pinger();
        p.send(4);
        p.answer(0, ms(10));
        p.answer(2, ms(11)); // before probe 1's answer
        p.answer(3, ms(15));
        // probe 1 pending: consecutive received in send order are 10, 11, 15: D = 1, 4;
        // J = 1/16 = 0.0625; + (4 − 0.0625)/16 = 0.308593750 ms
        assertThat(p.stats.snapshot().jitter()).contains(d(308_594));
        assertThat(p.answer(1, ms(12)).outOfOrder()).isTrue();
        // now 10, 12, 11, 15 in send order, as in the test above: 0.41845703125 ms
        assertThat(p.stats.snapshot().jitter()).contains(d(418_457));
        assertThat(p.stats.snapshot().outOfOrder()).isEqualTo(1);
    }

    @Test
    void jitterSkipsLostProbesAndKeepsAPendingOnesPlace() {
        Pinger lost = new Pinger();
        lost.send(4);
        lost.answer(0, ms(10));
        lost.stats.timedOut(1);
        lost.answer(2, ms(12));
        lost.answer(3, ms(15));
        // consecutive received: 10, 12, 15: D = 2, 3; J = 0.125; + (3 − 0.125)/16 = 0.3046875 ms
        assertThat(lost.stats.snapshot().jitter()).contains(d(304_688));
        lost.answer(1, ms(11)); // late: changes nothing
        assertThat(lost.stats.snapshot().jitter()).contains(d(304_688));

        Pinger pending = new Pinger();
        pending.send(4);
        pending.answer(0, ms(10));
        pending.answer(2, ms(12));
        pending.answer(3, ms(15));
        assertThat(pending.stats.snapshot().jitter()).as("pending is skipped for now").contains(d(304_688));
        pending.answer(1, ms(11));
        // 10, 11, 12, 15: D = 1, 1, 3; J = 0.0625; + (1 − 0.0625)/16 = 0.12109375;
        // + (3 − 0.12109375)/16 = 0.301025390625 ms
        assertThat(pending.stats.snapshot().jitter()).contains(d(301_025));
    }

    // ---- duplicates, late, out of order, loss ------------------------------------------------

    @Test
    void aSecondAnswerIsADuplicateNeverASecondReceive() {
        Pinger p = new Pinger();
        p.send(2);
        assertThat(p.answer(0, ms(5)).kind()).isEqualTo(Kind.REPLY);
        Answer dup = p.answer(0, ms(7));
        assertThat(dup.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(dup.sequence()).isZero();
        assertThat(dup.rtt()).contains(d(ms(7)));
        assertThat(p.answer(0, ms(1)).kind()).isEqualTo(Kind.DUPLICATE);
        PingSnapshot s = p.stats.snapshot();
        assertThat(s.received()).isEqualTo(1);
        assertThat(s.duplicates()).isEqualTo(2);
        assertThat(s.pending()).isEqualTo(1);
        assertThat(s.rtt().orElseThrow().min()).as("a duplicate's RTT counts nowhere").isEqualTo(d(ms(5)));
        assertThat(s.rtt().orElseThrow().max()).isEqualTo(d(ms(5)));
        assertThat(s.recent()).hasSize(1);
    }

    @Test
    void anAnswerAfterTheTimeoutIsLateAndTheProbeStaysLost() {
        Pinger p = new Pinger();
        p.send(3);
        // probe 0: given up, then answered (within the timeout by its RTT, but after the give-up: late)
        assertThat(p.stats.timedOut(0)).isTrue();
        assertThat(p.stats.timedOut(0)).as("once").isFalse();
        Answer a = p.answer(0, ms(900));
        assertThat(a.kind()).isEqualTo(Kind.LATE);
        assertThat(a.rtt()).contains(d(ms(900)));
        // probe 1: still pending, but the answer took longer than the timeout: late, lost now
        assertThat(p.answer(1, ms(1000) + 1).kind()).isEqualTo(Kind.LATE);
        assertThat(p.stats.timedOut(1)).as("already decided").isFalse();
        // probe 2: exactly the timeout is in time
        assertThat(p.answer(2, ms(1000)).kind()).isEqualTo(Kind.REPLY);
        assertThat(p.answer(1, ms(1200)).kind()).as("a second late answer").isEqualTo(Kind.DUPLICATE);
        PingSnapshot s = p.stats.snapshot();
        assertThat(s.sent()).isEqualTo(3);
        assertThat(s.received()).isEqualTo(1);
        assertThat(s.lost()).isEqualTo(2);
        assertThat(s.late()).isEqualTo(2);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(s.pending()).isZero();
        assertThat(s.loss()).isEqualTo(2.0 / 3);
        assertThat(s.rtt().orElseThrow().max()).isEqualTo(d(ms(1000)));
    }

    @Test
    void outOfOrderIsAReplyBelowTheHighestReceivedSequence() {
        Pinger p = new Pinger();
        p.send(5);
        assertThat(p.answer(2, ms(1)).outOfOrder()).isFalse();
        assertThat(p.answer(0, ms(30)).outOfOrder()).isTrue();
        assertThat(p.answer(1, ms(25)).outOfOrder()).isTrue();
        assertThat(p.answer(3, ms(2)).outOfOrder()).isFalse();
        assertThat(p.answer(0, ms(31)).outOfOrder()).as("a duplicate is not counted").isFalse();
        p.stats.timedOut(4);
        assertThat(p.answer(4, ms(1500)).outOfOrder()).as("nor is a late answer").isFalse();
        assertThat(p.stats.snapshot().outOfOrder()).isEqualTo(2);
        assertThat(p.stats.snapshot().recent()).extracting(PingSample::sequence).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void lossIsAFractionOfDecidedProbesPendingExcluded() {
        Pinger p = new Pinger();
        assertThat(p.stats.snapshot().loss()).isZero();
        p.send(10);
        assertThat(p.stats.snapshot().loss()).as("nothing decided").isZero();
        assertThat(p.stats.snapshot().pending()).isEqualTo(10);
        for (int s = 0; s < 6; s++) {
            p.answer(s, ms(3));
        }
        p.stats.timedOut(6);
        p.stats.timedOut(7);
        PingSnapshot s = p.stats.snapshot();
        assertThat(s.pending()).isEqualTo(2);
        assertThat(s.loss()).isEqualTo(0.25); // 2 lost of 8 decided (not 4 of 10, nor 2 of 10)
        assertThat(p.stats.oldestPending()).isEqualTo(8);
    }

    @Test
    void answersThatMatchNoProbeAreUnmatched() {
        PingAccumulator s = new PingAccumulator(65535, TIMEOUT, 16, 100);
        Pinger p = new Pinger(s, 65535);
        assertThat(s.answer(0, T0).kind()).as("nothing sent").isEqualTo(Kind.UNMATCHED);
        p.send(3);
        assertThat(s.answer(10, T0 + ms(50)).kind()).as("not sent yet").isEqualTo(Kind.UNMATCHED);
        assertThat(s.answer(65536, T0).kind()).as("beyond the numbers").isEqualTo(Kind.UNMATCHED);
        assertThat(s.answer(-1, T0).kind()).isEqualTo(Kind.UNMATCHED);
        assertThat(s.answer(2, Pinger.sendTime(2) - 1).kind()).as("before its probe left").isEqualTo(Kind.UNMATCHED);
        for (int i = 0; i < 3; i++) {
            p.answer(i, ms(1));
        }
        for (int i = 3; i < 23; i++) { // probes 3..22, all answered but 7: probe 2 is more than 16 back
            p.send();
            if (i != 7) {
                p.answer(i, ms(1));
            }
        }
        assertThat(p.answer(2, ms(2)).kind()).as("forgotten").isEqualTo(Kind.UNMATCHED);
        assertThat(p.answer(7, ms(2)).kind()).as("remembered").isEqualTo(Kind.REPLY);
        PingSnapshot snap = s.snapshot();
        assertThat(snap.unmatched()).isEqualTo(6);
        assertThat(snap.received()).isEqualTo(23);
        assertThat(snap.duplicates()).isZero();
    }

    // ---- numbers, wrap, the window -------------------------------------------------------------

    @Test
    void wireNumbersWrapAt65535AndSequencesGoOn() {
        Pinger p = new Pinger();
        for (int i = 0; i < 65535; i++) {
            long seq = p.send();
            p.answer(seq, ms(1));
        }
        assertThat(p.stats.nextWireSequence()).isEqualTo(65535);
        long last = p.send(); // 65535 on the wire
        assertThat(last).isEqualTo(65535);
        assertThat(p.stats.nextWireSequence()).isZero();
        long wrapped = p.send(); // 0 again
        assertThat(wrapped).isEqualTo(65536);
        p.send(); // 1

        Answer a = p.stats.answer(0, Pinger.sendTime(65536) + ms(2));
        assertThat(a.kind()).isEqualTo(Kind.REPLY);
        assertThat(a.sequence()).isEqualTo(65536);
        Answer b = p.stats.answer(65535, Pinger.sendTime(65535) + ms(3)); // answered after the wrap
        assertThat(b.kind()).isEqualTo(Kind.REPLY);
        assertThat(b.sequence()).isEqualTo(65535);
        assertThat(b.outOfOrder()).isTrue();
        // an answer to probe 1 (wire 1) that comes after probe 65537 took number 1 again: received before
        // 65537 left, so not 65537's; probe 1 itself is no longer remembered
        assertThat(p.stats.answer(1, Pinger.sendTime(65537) - 1).kind()).isEqualTo(Kind.UNMATCHED);
        assertThat(p.stats.answer(1, Pinger.sendTime(65537) + ms(4)).sequence()).isEqualTo(65537);

        PingSnapshot s = p.stats.snapshot();
        assertThat(s.sent()).isEqualTo(65538);
        assertThat(s.received()).isEqualTo(65538);
        assertThat(s.recent()).hasSize(PingAccumulator.DEFAULT_RECENT_SAMPLES);
        assertThat(s.recent().get(s.recent().size() - 1).sequence()).isEqualTo(65537);
        assertThat(s.recent().get(s.recent().size() - 1).sentAt()).isEqualTo(Duration.ofNanos(65537 * INTERVAL));
        assertThat(s.samplesDropped()).isTrue();
    }

    @Test
    void aSmallNumberSpaceNeverHasOneNumberOutstandingTwice() {
        PingAccumulator s = new PingAccumulator(7, TIMEOUT, 1000, 100); // window capped at 8 numbers
        Pinger p = new Pinger(s, 7);
        p.send(8);
        assertThat(s.canSend()).isFalse();
        assertThatThrownBy(() -> s.sent(0, Pinger.sendTime(8))).isInstanceOf(IllegalStateException.class);
        p.answer(3, ms(1));
        assertThat(s.canSend()).as("probe 0, the oldest, still pending").isFalse();
        s.timedOut(0);
        assertThat(s.canSend()).isTrue();
        assertThatThrownBy(() -> s.sent(5, Pinger.sendTime(8))).as("not the next number")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(p.send()).isEqualTo(8);
        assertThat(s.canSend()).as("probe 1 pending, 8 back").isFalse();
        assertThat(p.answer(8, ms(1)).sequence()).isEqualTo(8);
        assertThatThrownBy(() -> s.timedOut(9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWindowFullOfPendingProbesStallsSending() {
        PingAccumulator s = new PingAccumulator(65535, TIMEOUT, 4, 100);
        Pinger p = new Pinger(s, 65535);
        p.send(4);
        assertThat(s.canSend()).isFalse();
        p.answer(1, ms(1));
        p.answer(2, ms(1));
        p.answer(3, ms(1));
        assertThat(s.canSend()).as("probe 0 holds its slot").isFalse();
        assertThat(s.oldestPending()).isZero();
        p.answer(0, ms(1));
        assertThat(s.oldestPending()).isEqualTo(-1);
        assertThat(s.canSend()).isTrue();
        p.send(4);
        assertThat(s.canSend()).isFalse();
    }

    // ---- bounded memory and the histogram's precision ----------------------------------------

    @Test
    @Timeout(120)
    void tenMillionProbesKeepMemoryBounded() {
        PingAccumulator s = new PingAccumulator(65535, TIMEOUT);
        Pinger p = new Pinger(s, 65535);
        Random random = new Random(10);
        long footprintAtStart = s.footprintBytes();
        long footprintWithHistogram = -1;
        long min = Long.MAX_VALUE;
        long max = 0;
        long lost = 0;
        for (int i = 0; i < 10_000_000; i++) {
            long seq = p.send();
            if (i % 100 == 99) {
                s.timedOut(seq);
                lost++;
                continue;
            }
            long rtt = 200_000 + (long) (random.nextDouble() * random.nextDouble() * 50_000_000);
            min = Math.min(min, rtt);
            max = Math.max(max, rtt);
            p.answer(seq, rtt);
            if (i == 20_000) {
                footprintWithHistogram = s.footprintBytes();
            }
        }
        assertThat(s.windowCapacity()).isEqualTo(PingAccumulator.DEFAULT_WINDOW);
        assertThat(s.recentCapacity()).isEqualTo(PingAccumulator.DEFAULT_RECENT_SAMPLES);
        assertThat(footprintAtStart).isLessThan(45_000);
        assertThat(s.histogramFootprintBytes()).isBetween(100_000, 200_000); // 1 s timeout: ~170 KB
        assertThat(s.footprintBytes()).isEqualTo(footprintWithHistogram);
        PingSnapshot snap = s.snapshot();
        assertThat(snap.sent()).isEqualTo(10_000_000);
        assertThat(snap.lost()).isEqualTo(lost);
        assertThat(snap.received()).isEqualTo(10_000_000 - lost);
        assertThat(snap.recent()).hasSize(PingAccumulator.DEFAULT_RECENT_SAMPLES);
        assertThat(snap.recent().get(0).sequence()).isGreaterThan(9_998_000);
        assertThat(snap.samplesDropped()).isTrue();
        PingSnapshot.Rtt r = snap.rtt().orElseThrow();
        assertThat(r.min()).isEqualTo(d(min));
        assertThat(r.max()).isEqualTo(d(max));
        assertThat(r.exactPercentiles()).isFalse();
        assertOrdered(r);
    }

    @Test
    @Timeout(60)
    void histogramPercentilesStayWithinTheStatedPrecisionOfTheExactOnes() {
        PingAccumulator s = new PingAccumulator(65535, Duration.ofSeconds(5));
        Pinger p = new Pinger(s, 65535);
        Random random = new Random(11);
        int n = 300_000;
        long[] all = new long[n];
        for (int i = 0; i < n; i++) {
            // log-uniform from 2 µs to 2 s: every histogram magnitude gets samples
            long rtt = (long) (2_000 * Math.pow(10, 6 * random.nextDouble()));
            all[i] = rtt;
            p.replies(rtt);
        }
        long[] sorted = all.clone();
        java.util.Arrays.sort(sorted);
        PingSnapshot.Rtt r = s.snapshot().rtt().orElseThrow();
        assertThat(r.exactPercentiles()).isFalse();
        int[] percents = {50, 90, 95, 99};
        Duration[] reported = {r.p50(), r.p90(), r.p95(), r.p99()};
        for (int k = 0; k < percents.length; k++) {
            long exact = sorted[(int) Math.ceil(percents[k] * (double) n / 100) - 1]; // p n / 100 is whole here
            long value = reported[k].toNanos();
            assertThat(value).as("p%d", percents[k]).isBetween(exact, exact + exact / 1024);
        }
        // min, max, mean and mdev are exact whatever the histogram does
        java.math.BigInteger sum = java.math.BigInteger.ZERO;
        for (long v : all) {
            sum = sum.add(java.math.BigInteger.valueOf(v));
        }
        double mean = sum.doubleValue() / n;
        double squares = 0;
        for (long v : all) {
            squares += (v - mean) * (v - mean); // two-pass: the reference, not Welford
        }
        assertThat(r.min()).isEqualTo(d(sorted[0]));
        assertThat(r.max()).isEqualTo(d(sorted[n - 1]));
        assertThat((double) r.avg().toNanos()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1.0));
        assertThat((double) r.mdev().toNanos()).isCloseTo(Math.sqrt(squares / n), org.assertj.core.data.Offset.offset(1.0));
    }

    static void assertOrdered(PingSnapshot.Rtt r) {
        assertThat(r.min()).isLessThanOrEqualTo(r.p50());
        assertThat(r.p50()).isLessThanOrEqualTo(r.p90());
        assertThat(r.p90()).isLessThanOrEqualTo(r.p95());
        assertThat(r.p95()).isLessThanOrEqualTo(r.p99());
        assertThat(r.p99()).isLessThanOrEqualTo(r.max());
        assertThat(r.avg()).isBetween(r.min(), r.max());
    }

    // ---- misuse ------------------------------------------------------------------------------

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new PingAccumulator(-1, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PingAccumulator(65535, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PingAccumulator(65535, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PingAccumulator(65535, TIMEOUT, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PingAccumulator(65535, TIMEOUT, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        PingAccumulator s = new PingAccumulator(65535, TIMEOUT);
        assertThatThrownBy(() -> s.timedOut(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.snapshot().rtt()).isEmpty();
        assertThat(s.snapshot().jitter()).isEmpty();
        assertThat(s.oldestPending()).isEqualTo(-1);
    }
}
