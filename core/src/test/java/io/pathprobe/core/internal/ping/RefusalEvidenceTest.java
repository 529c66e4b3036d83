package io.pathprobe.core.internal.ping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 68's rule for a UDP ping's misses, without an engine: a miss is a refusal only where the limiter's own
 * answers kept its refill clock around it. What always holds: a stream that never answered shows nothing; answers no
 * refill clock can keep show nothing however long they go on; a few gaps that fit a clock by chance show nothing; a
 * saturated limiter shows; and, with a Linux-like limiter and random loss on the way to it, no probe sent while the
 * limiter held a token (one it would have answered, had it arrived) is ever called refused, whenever the evidence is
 * asked: only misses sent before the earliest refill any fitting clock allows are.
 */
class RefusalEvidenceTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    /**
     * What happened to one probe of a simulated stream: answered; refused by the limiter; lost on the way while the
     * limiter held no token (it would have been refused); lost on the way while it held one (a loss it would have
     * shown).
     */
    private enum Fate { ANSWERED, REFUSED, LOST_NO_TOKEN, LOST }

    /** One stream's probes: sent every {@code spacing}, to a limiter of burst and interval, losing some on the way. */
    private record Probe(long tick, Fate fate) {}

    private static List<Probe> stream(int n, long spacing, int burst, long interval, double loss, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Probe> out = new ArrayList<>();
        double tokens = burst; // Linux's bucket (the simulator's IcmpLimiter, read here without taking a token)
        long last = 0;
        for (int i = 0; i < n; i++) {
            long tick = 1_000 * S + i * spacing + random.nextLong(spacing / 10 + 1); // a little send jitter
            if (burst > 0) {
                tokens = i == 0 ? burst : Math.min(burst, tokens + (double) (tick - last) / interval);
                last = tick;
            }
            boolean token = burst == 0 || tokens >= 1;
            if (random.nextDouble() < loss) {
                out.add(new Probe(tick, token ? Fate.LOST : Fate.LOST_NO_TOKEN)); // never reached the limiter
            } else if (!token) {
                out.add(new Probe(tick, Fate.REFUSED));
            } else {
                tokens -= burst > 0 ? 1 : 0;
                out.add(new Probe(tick, Fate.ANSWERED));
            }
        }
        return out;
    }

    /**
     * Feeds the stream (answers decided at once, misses a timeout later, so decisions come out of send order) and
     * asks, after every decision, which misses decided so far are in a refusal period, as a ping does whenever the
     * evidence changes. Returns the misses ever called refused.
     */
    private static List<Probe> claimed(List<Probe> probes, long timeout) {
        RefusalEvidence e = new RefusalEvidence();
        long[] tickets = new long[probes.size()];
        List<long[]> events = new ArrayList<>(); // {time, index}
        for (int i = 0; i < probes.size(); i++) {
            tickets[i] = e.sent(probes.get(i).tick());
            long at = probes.get(i).fate() == Fate.ANSWERED ? probes.get(i).tick() + MS : probes.get(i).tick() + timeout;
            events.add(new long[] {at, i});
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Probe> claimed = new ArrayList<>();
        boolean[] decided = new boolean[probes.size()];
        boolean[] counted = new boolean[probes.size()];
        for (long[] ev : events) {
            int i = (int) ev[1];
            if (probes.get(i).fate() == Fate.ANSWERED) {
                e.answered(tickets[i]);
            } else {
                e.missed(tickets[i]);
            }
            decided[i] = true;
            for (int j = 0; j < probes.size(); j++) {
                if (decided[j] && !counted[j] && probes.get(j).fate() != Fate.ANSWERED && e.refused(probes.get(j).tick())) {
                    counted[j] = true;
                    claimed.add(probes.get(j));
                }
            }
        }
        return claimed;
    }

    @Test
    void aStreamThatNeverAnsweredShowsNoLimiter() {
        List<Probe> dead = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            dead.add(new Probe(i * 200 * MS, Fate.LOST));
        }
        assertThat(claimed(dead, S)).isEmpty();
    }

    @Test
    void answersNoRefillClockCanKeepShowNothing() {
        // four misses between two answers, then two answers back to back, again and again: a saturated limiter's
        // answers are the first probes after its ticks, R apart; four refusals need R above four spacings, two
        // answers in a row R below about one. No clock keeps three answers across such a pair, however long it goes on
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int k = i % 6; // A M M M M A
            probes.add(new Probe(i * 200 * MS, k == 0 || k == 5 ? Fate.ANSWERED : Fate.LOST));
        }
        assertThat(claimed(probes, S)).isEmpty();
    }

    @Test
    void aFewGapsThatFitAClockByChanceShowNothing() {
        // perfect alternation fits a clock of two spacings; six such gaps are too likely for random loss (1 in 4096)
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            probes.add(new Probe(i * 200 * MS, i % 2 == 1 ? Fate.LOST : Fate.ANSWERED));
        }
        assertThat(claimed(probes, S)).isEmpty();
    }

    @Test
    void aSaturatedLimiterShowsItsRefusals() {
        // Linux's 6 then one a second, probed every 200 ms for 20 s: after its burst it refuses 4 in 5
        List<Probe> probes = stream(100, 200 * MS, 6, S, 0.0, 1);
        long refused = probes.stream().filter(p -> p.fate() == Fate.REFUSED).count();
        List<Probe> claimed = claimed(probes, S);
        assertThat(claimed).allMatch(p -> p.fate() == Fate.REFUSED);
        assertThat(claimed.size()).as("most of %d refusals shown", refused).isGreaterThan((int) (refused / 2));
        // twenty addresses of one host, each once a second: 20 a second against one a second
        List<Probe> aliases = stream(200, 50 * MS, 6, S, 0.0, 2);
        assertThat(claimed(aliases, S)).allMatch(p -> p.fate() == Fate.REFUSED).isNotEmpty();
    }

    @Test
    void withoutLossEveryProbeCalledRefusedWasRefused() {
        // the limiter's true clock fits every run (no loss, no delay varying): a miss sent before the earliest tick of
        // every fitting clock was sent before the true one, so the bucket was empty; this holds whatever the pace
        long shown = 0;
        for (long seed = 0; seed < 40; seed++) {
            for (long spacing : SPACINGS) {
                List<Probe> probes = stream(150, spacing, 6, S, 0.0, seed * 1000 + spacing / MS);
                List<Probe> claimed = claimed(probes, Math.max(S, 2 * spacing));
                assertThat(claimed).as("seed %d, every %d ms", seed, spacing / MS).allMatch(p -> p.fate() == Fate.REFUSED);
                shown += claimed.size();
            }
        }
        assertThat(shown).as("the limiter was shown in these runs").isPositive();
    }

    private static final long[] SPACINGS = {20 * MS, 50 * MS, 100 * MS, 200 * MS, 300 * MS, 500 * MS, 1000 * MS};

    /**
     * With loss on the way as well, a probe lost right after a refill (its token then goes to the next probe that
     * arrives) can be read as refused: the answers cannot tell it. Not a bar: the share is printed (for the report and
     * docs/ping.md), as is the share of misses called refused where there is no limiter at all.
     */
    @Test
    void withLossTheSharesReadAsRefusedArePrinted() {
        double[] losses = {0.1, 0.3, 0.5, 0.7};
        long claimedLost = 0;
        long lost = 0;
        long refused = 0;
        long claimedRefused = 0;
        long claimedWithoutLimiter = 0;
        long missesWithoutLimiter = 0;
        for (long seed = 0; seed < 40; seed++) {
            for (long spacing : SPACINGS) {
                for (double loss : losses) {
                    List<Probe> probes = stream(150, spacing, 6, S, loss, seed * 1000 + spacing / MS);
                    List<Probe> claimed = claimed(probes, Math.max(S, 2 * spacing));
                    claimedLost += claimed.stream().filter(p -> p.fate() == Fate.LOST).count();
                    claimedRefused += claimed.stream().filter(p -> p.fate() != Fate.LOST).count();
                    lost += probes.stream().filter(p -> p.fate() == Fate.LOST).count();
                    refused += probes.stream().filter(p -> p.fate() == Fate.REFUSED || p.fate() == Fate.LOST_NO_TOKEN)
                            .count();
                    List<Probe> plain = stream(150, spacing, 0, S, loss, seed * 1000 + spacing / MS + 7);
                    claimedWithoutLimiter += claimed(plain, Math.max(S, 2 * spacing)).size();
                    missesWithoutLimiter += plain.stream().filter(p -> p.fate() != Fate.ANSWERED).count();
                }
            }
        }
        System.out.printf("limiter and loss: %d of %d misses without a token read as refused; %d of %d lost with a token"
                + " (%.2f %%)%nno limiter: %d of %d misses read as refused (%.3f %%)%n", claimedRefused, refused,
                claimedLost, lost, 100.0 * claimedLost / lost, claimedWithoutLimiter, missesWithoutLimiter,
                100.0 * claimedWithoutLimiter / missesWithoutLimiter);
        assertThat(claimedRefused).as("the limiter shows through the loss").isPositive();
    }
}
