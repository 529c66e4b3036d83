package io.pathprobe.core.internal.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.IcmpLimiter;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The learned per-responder budgets on fake time, against simulated limiters. */
@org.junit.jupiter.api.Timeout(10)
class RateLimitTableTest {
    private static final long MS = 1_000_000;
    private static final long S = 1000 * MS;
    private static final InetAddress R = addr(1);

    private static InetAddress addr(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends one probe to R at {@code now} through the table, answered by the limiter; true if answered. */
    private static boolean probe(RateLimitTable t, IcmpLimiter l, long now) {
        boolean over = t.take(R, now);
        boolean answered = l.allows(now);
        if (answered) {
            t.answered(R, over, now);
        } else {
            t.missed(R, over, now);
        }
        return answered;
    }

    /** Floods for {@code seconds}, one probe every {@code gap}; then paces for as long: the misses while paced. */
    private static int floodThenPace(RateLimitTable t, IcmpLimiter l, long gap, int seconds) {
        long now = 0;
        for (; now < seconds * S; now += gap) {
            probe(t, l, now);
        }
        int misses = 0;
        int sent = 0;
        long end = now + seconds * S;
        while (now < end) {
            long d = t.delay(R, now);
            if (d > 0) {
                now += d;
                continue;
            }
            sent++;
            if (!probe(t, l, now)) {
                misses++;
            }
            now += gap;
        }
        assertThat(sent).isGreaterThan(0);
        return misses;
    }

    @Test
    void aLinuxRouterIsLearnedAsBurstThenOneASecondAndPacedWithoutMisses() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter linux = new IcmpLimiter(6, S);
        int misses = floodThenPace(t, linux, 10 * MS, 5);
        assertThat(t.limited(R)).isTrue();
        assertThat(t.interval(R)).isBetween(900 * MS, 1100 * MS);
        assertThat(misses).isZero();
    }

    /**
     * Fifteen traces in a row, then a hundred at once through a vendor-like router (10 a second, burst
     * 10), as RateLimitLabTest runs them. The traces in a row are all answered (more than Linux's model
     * allows: the table learns a larger burst). The hundred send their three attempts in three rounds a
     * second apart, each round leaving in 45 ms: the router answers the first ten of a round (its
     * bucket refilled during the pause) and refuses the rest, whose give-ups are read while the next
     * round's answers come in; each trace is classified when its last probe is decided. The answers of
     * a round are a burst spaced by the prober, not by the router: taken for its pace, the table learned
     * the prober's spacing (0.45 ms here, about 5 ms in the lab: twenty times too fast or more), thought
     * the router had budget where it had none, and in about half the lab runs some refusals of the last
     * round read as forward loss. Every refusal must be rate-limited when its trace is classified.
     */
    /**
     * 100 traces at once share a router's bucket and the model of it is off by a token now and then:
     * the router refuses the last probe the model let through before it called the next ones over. In
     * RateLimitLabTest's vendor-limited chain, one trace of 100 then claimed a forward loss at every hop
     * (its first round, all given up before that round's over-budget misses made a refusal period, and
     * classified at its end against the third round's), in 2 of 7 runs. Such a miss, at a limiter, is
     * rate-limited; one the model let through long before any over-run is still a loss.
     */
    @Test
    void theLastProbeTheModelLetThroughBeforeItsOverRunIsAsLikelyRefused() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        for (int i = 0; i < 6; i++) {
            long now = i * MS;
            boolean o = t.take(R, now);
            t.answered(R, o, now + 50_000, now);
        }
        for (int i = 6; i < 10; i++) {
            long now = i * MS;
            boolean o = t.take(R, now);
            assertThat(o).isTrue();
            t.missed(R, o, now + S, now);
        }
        assertThat(t.rateLimited(R, true)).as("a limiter").isTrue();
        long base = 20 * S; // its bucket full again
        long[] sent = new long[10];
        boolean[] over = new boolean[10];
        for (int i = 0; i < 10; i++) {
            sent[i] = base + i * MS;
            over[i] = t.take(R, sent[i]);
        }
        assertThat(over[5]).isFalse();
        assertThat(over[6]).isTrue();
        assertThat(t.rateLimited(R, false, sent[5])).as("the last let through, refused").isTrue();
        assertThat(t.rateLimited(R, false, base - 5 * S)).as("long before any over-run: a loss").isFalse();
    }

    /**
     * Traces in a row through a router with Linux's limits (6, then one a second): three probes a
     * second, the first traces after a pause answered 3, 3, then 2, a run of 8 while the bucket refilled
     * twice. Learned as a burst of 8, the model was two tokens ahead of the router after every pause:
     * in the ratelimit bench's 29-hop chain, 100 traces at once after 100 in a row, the router refused
     * the 7th probe the model let through (the next one paced a second later, so no over-run marked
     * it), and a trace claimed a loss in about one run of ten under load. The burst a run shows is its
     * answers less what the bucket refilled while it lasted.
     */
    @Test
    void aRunOfAnswersAcrossRefillsIsLearnedAsTheBurstNotTheRun() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter linux = new IcmpLimiter(6, S);
        for (int trace = 0; trace < 10; trace++) {
            for (int k = 0; k < 3; k++) {
                probe(t, linux, trace * S + k * MS);
            }
        }
        assertThat(t.limited(R)).as("a limiter").isTrue();
        long base = 20 * S; // both buckets full again
        for (int i = 0; i < 10; i++) {
            long now = base + i * MS;
            boolean over = t.take(R, now);
            boolean answered = linux.allows(now);
            assertThat(over).as("probe %d after the pause: over the model's budget exactly when refused", i + 1)
                    .isEqualTo(!answered);
        }
    }

    /**
     * A run of answers across a pause in which the modelled bucket refilled whole is two bursts, not
     * one. Counted as one, the lab's middle routers, answering a discovery's 6 or 7 every 14 s, were
     * learned to give 12, then 18: their refusals then looked within budget, were sent again, and made a
     * silent node and a third path on a diamond of 2 (the fourth discovery on one tracer).
     */
    @Test
    void answersAcrossARefillAreTwoBurstsNotOne() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        long[] starts = {0, 14 * S};
        int[] counts = {7, 8};
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < counts[r]; i++) {
                long now = starts[r] + i * MS;
                boolean o = t.take(R, now);
                t.answered(R, o, now + 50_000, now);
            }
        }
        long base = 28 * S;
        for (int i = 0; i < 8; i++) {
            assertThat(t.take(R, base + i * MS)).as("probe %d of the third round", i + 1).isFalse();
        }
        assertThat(t.take(R, base + 8 * MS)).as("the ninth: over the largest burst it gave, 8").isTrue();
    }

    @Test
    void aBurstAfterAPauseIsNotTakenForTheRespondersPace() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter vendor = new IcmpLimiter(10, 100 * MS);
        for (int trace = 0; trace < 15; trace++) {
            for (int k = 0; k < 3; k++) {
                long now = trace * S + k * 10_000;
                boolean o = t.take(R, now);
                assertThat(vendor.allows(now)).isTrue();
                t.answered(R, o, now + 50_000, now);
            }
        }
        int n = 100;
        int rounds = 3;
        long gap = 450_000; // a round of 100 probes leaves in 45 ms
        long start = 16 * S;
        long giveUp = S - 5 * MS; // a probe is given up just before the next round leaves
        boolean[][] over = new boolean[rounds][n];
        boolean[][] refused = new boolean[rounds][n];
        long[][] sent = new long[rounds][n];
        // events in time order: {time, kind (0 send, 1 answer, 2 give-up), round, probe}
        java.util.PriorityQueue<long[]> events = new java.util.PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < n; i++) {
                events.add(new long[] {start + round * S + i * gap, 0, round, i});
            }
        }
        int checked = 0;
        while (!events.isEmpty()) {
            long[] e = events.poll();
            long now = e[0];
            int round = (int) e[2];
            int i = (int) e[3];
            if (e[1] == 0) {
                sent[round][i] = now;
                over[round][i] = t.take(R, now);
                refused[round][i] = !vendor.allows(now);
                events.add(refused[round][i] ? new long[] {now + giveUp, 2, round, i} : new long[] {now + 50_000, 1, round, i});
            } else if (e[1] == 1) {
                t.answered(R, over[round][i], now, sent[round][i]);
            } else {
                t.missed(R, over[round][i], now, sent[round][i]);
            }
            if (e[1] != 0 && round == rounds - 1) {
                // trace i's last probe is decided: the trace is classified now
                for (int r = 0; r < rounds; r++) {
                    if (refused[r][i] && (r < round || e[1] == 2)) {
                        assertThat(t.rateLimited(R, over[r][i], sent[r][i]))
                                .as("round %d, trace %d: over %s, learned interval %d ns, at %d ms", r, i, over[r][i],
                                        t.interval(R), (now - start) / MS)
                                .isTrue();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(200);
        assertThat(t.limited(R)).isTrue();
    }

    @Test
    void aVendorProfileIsLearnedAtItsOwnRate() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter vendor = new IcmpLimiter(10, 200 * MS); // 5/s burst 10
        int misses = floodThenPace(t, vendor, 10 * MS, 5);
        assertThat(t.limited(R)).isTrue();
        assertThat(t.interval(R)).isBetween(180 * MS, 220 * MS);
        assertThat(misses).isZero();
    }

    @Test
    void pacedProbesLeaveAtTheLearnedRateNotSlower() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter vendor = new IcmpLimiter(10, 200 * MS);
        long now = 0;
        for (; now < 3 * S; now += 10 * MS) {
            probe(t, vendor, now);
        }
        int sent = 0;
        long end = now + 10 * S;
        while (now < end) {
            long d = t.delay(R, now);
            if (d > 0) {
                now += d;
                continue;
            }
            probe(t, vendor, now);
            sent++;
            now += MS;
        }
        // 10 s at 5/s: 50, give or take the burst the model allows
        assertThat(sent).isBetween(40, 62);
    }

    @Test
    void aLossyButUnlimitedResponderIsNeverALimiterNorPaced() {
        // a run of answers then a loss can look like a burst and a refusal for a moment: the
        // over-budget answers that follow clear it at once
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        Random random = new Random(21);
        int limitedMoments = 0;
        int moments = 0;
        for (long now = 0; now < 10 * S; now += 5 * MS) {
            boolean over = t.take(R, now);
            if (random.nextDouble() < 0.3) {
                t.missed(R, over, now);
            } else {
                t.answered(R, over, now);
            }
            moments++;
            if (t.limited(R)) {
                limitedMoments++;
            }
        }
        assertThat(limitedMoments).as("of %d", moments).isLessThan(moments / 20);
        assertThat(t.limited(R)).isFalse();
        assertThat(t.delay(R, 10 * S)).isZero();
    }

    /**
     * One probe a second (mtr's pace, a monitor's default: the model's own rate for a Linux router) to a responder
     * that loses a fifth at random and limits nothing: never a limiter, no miss rate-limited, never paced, for
     * 2,000 probes with the answer read 1 ms after each send. Before, the model refilled a tenth slower than its
     * rate and ran dry after about 60 probes, and answers after losses were taken for a limiter's pace of seconds:
     * a monitor then slowed to one round in 1.65 s and counted its losses as refusals.
     */
    @Test
    void aLossyResponderProbedAtTheModelsOwnRateIsNeverALimiter() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        Random random = new Random(11);
        int rateLimited = 0;
        int lost = 0;
        for (int i = 0; i < 2_000; i++) {
            long sent = i * S;
            assertThat(t.delay(R, sent)).as("probe %d", i).isZero();
            boolean over = t.take(R, sent);
            if (random.nextDouble() < 0.2) {
                lost++;
                t.missed(R, over, sent + S / 2, sent);
                rateLimited += t.rateLimited(R, over, sent) ? 1 : 0;
            } else {
                t.answered(R, over, sent + MS, sent);
            }
            assertThat(t.limited(R)).as("probe %d", i).isFalse();
        }
        assertThat(lost).isGreaterThan(300);
        assertThat(rateLimited).isZero();
        assertThat(t.interval(R)).isEqualTo(-1);
    }

    @Test
    void aBurstThenOneRefusalIsRateLimitedAndThreePace() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter linux = new IcmpLimiter(6, S);
        for (int i = 0; i < 6; i++) {
            assertThat(probe(t, linux, i * MS)).isTrue();
        }
        assertThat(t.limited(R)).isFalse();
        assertThat(probe(t, linux, 6 * MS)).isFalse();
        // tentative: the refusal is called one, but nothing is paced on a single miss
        assertThat(t.rateLimited(R, true)).isTrue();
        assertThat(t.limited(R)).isFalse();
        assertThat(t.delay(R, 6 * MS)).isZero();
        assertThat(t.interval(R)).isEqualTo(-1);
        assertThat(probe(t, linux, 7 * MS)).isFalse();
        assertThat(probe(t, linux, 8 * MS)).isFalse();
        assertThat(t.limited(R)).isTrue();
        assertThat(t.delay(R, 8 * MS)).isPositive();
    }

    @Test
    void aDestinationReachedByOneLossyPathAmongFourIsNeverPaced() {
        // MultipathLabTest's diamond: path probes of 4 flows to one destination, interleaved 1 ms
        // apart, the flows of one branch losing 30 %. A loss right after the first run of answers
        // has a limiter's shape; pacing on it spaced the path probes a second apart and cut 500 of
        // them to 9 (seen beside a CPU hog). Over many seeds: never paced, never given an interval.
        for (int seed = 0; seed < 200; seed++) {
            RateLimitTable t = new RateLimitTable(16, 600 * S);
            Random random = new Random(seed);
            long now = 0;
            for (int i = 0; i < 2000; i++, now += MS / 4) {
                boolean over = t.take(R, now);
                boolean lossyFlow = i % 4 == 2;
                if (lossyFlow && random.nextDouble() < 0.3) {
                    t.missed(R, over, now, now);
                } else {
                    t.answered(R, over, now);
                }
                assertThat(t.limited(R)).as("seed %d, probe %d", seed, i).isFalse();
                assertThat(t.interval(R)).isEqualTo(-1);
            }
        }
    }

    @Test
    void aResponderThatNeverAnsweredIsNotALimiter() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        for (long now = 0; now < 5 * S; now += 10 * MS) {
            t.missed(R, t.take(R, now), now);
        }
        assertThat(t.limited(R)).isFalse();
        assertThat(t.rateLimited(R, true)).isFalse();
        assertThat(t.delay(R, 5 * S)).isZero();
    }

    @Test
    void onlyOverBudgetMissesOfALimiterAreRateLimited() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter linux = new IcmpLimiter(6, S);
        for (long now = 0; now < 2 * S; now += 10 * MS) {
            probe(t, linux, now);
        }
        assertThat(t.rateLimited(R, true)).isTrue();
        assertThat(t.rateLimited(R, false)).isFalse();
        assertThat(t.rateLimited(addr(2), true)).isFalse();
    }

    @Test
    void theTableIsBoundedBySizeAndIdleTime() {
        RateLimitTable t = new RateLimitTable(3, 10 * S);
        for (int i = 0; i < 10; i++) {
            t.take(addr(i), i * MS);
        }
        assertThat(t.size()).isEqualTo(3);
        t.sweep(5 * S);
        assertThat(t.size()).isEqualTo(3);
        t.sweep(20 * S);
        assertThat(t.size()).isZero();
        // a limiter forgotten after idling is a fresh responder again
        IcmpLimiter linux = new IcmpLimiter(6, S);
        for (long now = 0; now < 2 * S; now += 10 * MS) {
            probe(t, linux, now);
        }
        assertThat(t.limited(R)).isTrue();
        assertThat(t.delay(R, 100 * S)).isZero();
        t.take(R, 100 * S);
        assertThat(t.limited(R)).isFalse();
    }

    @Test
    void missesThatWereAnswersReadLateAreTakenBackAndTheVerdictWithThem() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        long now = 0;
        // twenty answers, then five probes over the model's budget given up at once (a stalled CPU)
        boolean[] over = new boolean[25];
        for (int i = 0; i < 25; i++) {
            over[i] = t.take(R, now);
        }
        for (int i = 0; i < 20; i++) {
            t.answered(R, over[i], now + MS, now); // sent with the misses: no evidence against their refusal
        }
        for (int i = 20; i < 25; i++) {
            assertThat(over[i]).isTrue();
            t.missed(R, over[i], now + 10 * MS, now);
        }
        assertThat(t.limited(R)).as("five misses in a row over budget: paced").isTrue();
        // their answers come after all
        for (int i = 20; i < 25; i++) {
            t.revised(R, over[i], now + 12 * MS);
        }
        assertThat(t.limited(R)).isFalse();
        assertThat(t.interval(R)).isEqualTo(-1);
        assertThat(t.delay(R, now + 12 * MS)).isZero();
        assertThat(t.rateLimited(R, true)).isFalse();
    }
    /** What {@link #bursts} saw: bursts that ended with a verdict, refusals, refusals called rate-limited. */
    private record Bursts(int withVerdict, int refused, int calledRateLimited) {}

    /**
     * 30 bursts as back-to-back traces send them: 14 probes 10 µs apart, answers read 1 ms after
     * they left, misses given up 1 s after they left, the next burst as the last give-up is read.
     * {@code answers} says whether a probe sent then is answered.
     */
    private static Bursts bursts(RateLimitTable t, java.util.function.LongPredicate answers) {
        int withVerdict = 0;
        int refused = 0;
        int called = 0;
        long start = 0;
        for (int b = 0; b < 30; b++) {
            long[] sent = new long[14];
            boolean[] over = new boolean[14];
            boolean[] answered = new boolean[14];
            for (int i = 0; i < 14; i++) {
                sent[i] = start + i * 10_000L;
                over[i] = t.take(R, sent[i]);
                answered[i] = answers.test(sent[i]);
            }
            for (int i = 0; i < 14; i++) {
                if (answered[i]) {
                    t.answered(R, over[i], sent[i] + MS, sent[i]);
                }
            }
            for (int i = 0; i < 14; i++) {
                if (!answered[i]) {
                    t.missed(R, over[i], sent[i] + S, sent[i]);
                    refused++;
                    if (t.rateLimited(R, over[i], sent[i])) {
                        called++;
                    }
                }
            }
            if (t.rateLimited(R, true)) {
                withVerdict++;
            }
            start = sent[13] + S + MS;
        }
        return new Bursts(withVerdict, refused, called);
    }

    @Test
    void aVendorLimiterProbedInBurstsAfterPausesKeepsItsVerdict() {
        // ten answers after every pause are over Linux's model (one a second), but sent long after
        // the last refusal: they say the bucket refills faster, not that the refusals were losses
        for (long interval : new long[] {50 * MS, 100 * MS, 200 * MS}) {
            RateLimitTable t = new RateLimitTable(16, 600 * S);
            IcmpLimiter vendor = new IcmpLimiter(10, interval);
            Bursts b = bursts(t, vendor::allows);
            assertThat(b.refused()).as("%d ms: the limiter refused", interval / MS).isPositive();
            assertThat(b.withVerdict()).as("%d ms: bursts ending with a verdict", interval / MS).isGreaterThanOrEqualTo(28);
            assertThat(b.calledRateLimited()).as("%d ms: refusals called rate-limited", interval / MS)
                    .isGreaterThanOrEqualTo(b.refused() - 4);
            assertThat(t.rateLimited(R, true)).isTrue();
        }
    }

    @Test
    void aLossyResponderProbedInBurstsLosesAnyVerdict() {
        // 30 % lost at random, no limit: the answers right after its misses withdraw what a loss
        // after a run of answers suggested
        for (int seed = 0; seed < 20; seed++) {
            RateLimitTable t = new RateLimitTable(16, 600 * S);
            Random random = new Random(seed);
            Bursts b = bursts(t, sent -> random.nextDouble() >= 0.3);
            assertThat(b.withVerdict()).as("seed %d: bursts ending with a verdict", seed).isLessThanOrEqualTo(3);
            assertThat(t.limited(R)).as("seed %d", seed).isFalse();
        }
    }

    @Test
    void aRevisionOfTheLastRefusalWithdrawsTheVerdict() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        IcmpLimiter linux = new IcmpLimiter(6, S);
        long now = 0;
        long lastOverSent = -1;
        for (int i = 0; i < 12; i++, now += MS) {
            boolean over = t.take(R, now);
            if (linux.allows(now)) {
                t.answered(R, over, now + MS / 2, now);
            } else {
                t.missed(R, over, now + S, now);
                lastOverSent = over ? now : lastOverSent;
            }
        }
        assertThat(t.rateLimited(R, true)).as("six answers, then refusals: a limiter").isTrue();
        // the last "refusal" was an answer read late: the verdict it confirmed goes with it
        t.revised(R, true, now + 2 * S, lastOverSent);
        assertThat(t.rateLimited(R, true)).isFalse();
        assertThat(t.limited(R)).isFalse();
    }

    /**
     * Issue 47: a new tracer counts a responder's bucket as empty when it first meets it (another prober may
     * have spent it), and refilled at Linux's one token a second from there, less what its own probes took.
     */
    @Test
    void aFirstMetBucketMayBeDrainedUntilOneRefillAndThenAsItsOwnProbesLeaveIt() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        assertThat(t.mayBeDrained(R, 0, 0)).as("never met").isTrue();
        t.take(R, 0);
        t.take(R, 1 * MS);
        t.take(R, 2 * MS);
        assertThat(t.mayBeDrained(R, 500 * MS, 500 * MS)).as("half a refill after the first probe").isTrue();
        assertThat(t.mayBeDrained(R, 1050 * MS, 1050 * MS)).as("a refill later: a token for sure").isFalse();
        t.take(R, 1050 * MS);
        assertThat(t.mayBeDrained(R, 1100 * MS, 1100 * MS)).as("that token taken").isTrue();
        assertThat(t.mayBeDrained(R, 2100 * MS, 2100 * MS)).isFalse();
    }

    /** A monitor's one probe a second keeps a token in the floor: its misses after the first second are evidence. */
    @Test
    void oneProbeASecondKeepsATokenAfterTheFirstRefill() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        long now = 0;
        for (int round = 0; round < 30; round++, now += S) {
            boolean drained = t.mayBeDrained(R, now, now);
            assertThat(drained).as("round %d", round).isEqualTo(round == 0);
            t.take(R, now);
            if (round % 3 == 0) {
                t.missed(R, false, now + MS, now);
            } else {
                t.answered(R, false, now + MS, now);
            }
        }
    }

    /** A responder forgotten (idle past the table's bound) is as unknown as a new one. */
    @Test
    void aForgottenResponderIsUnknownAgain() {
        RateLimitTable t = new RateLimitTable(16, 10 * S);
        t.take(R, 0);
        assertThat(t.mayBeDrained(R, 2 * S, 2 * S)).isFalse();
        assertThat(t.mayBeDrained(R, 60 * S, 60 * S)).isTrue();
    }

    /**
     * A responder that answers ten probes a second is no drained Linux limiter (one a second after a refill):
     * once it answered more than such a limiter could, its misses are judged by the learned model again, as
     * a monitor at ten rounds a second through a lossy path needs (mtr reads that loss, and so must we).
     */
    @Test
    void aResponderAnsweringFasterThanAnyDrainedLimiterIsNoLongerCalledDrained() {
        RateLimitTable t = new RateLimitTable(16, 600 * S);
        long now = 0;
        int drainedAfterTwoSeconds = 0;
        for (int i = 0; i < 50; i++, now += 100 * MS) {
            boolean drained = t.mayBeDrained(R, now, now);
            if (now >= 2 * S && drained) {
                drainedAfterTwoSeconds++;
            }
            t.take(R, now);
            if (i % 5 == 4) {
                t.missed(R, false, now + MS, now);
            } else {
                t.answered(R, false, now + MS, now);
            }
        }
        assertThat(drainedAfterTwoSeconds).isZero();
    }
}
