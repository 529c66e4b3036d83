package io.pathprobe.core.internal.ping;

/**
 * Whether a stream of UDP probes shows the ICMP limiter that answers it refusing: the evidence a UDP ping needs
 * before it calls a miss rate-limited (issue 68's rule: a probe is rate-limited only when the responder is shown to
 * limit, never because a budget model says it could). One stream is one target's probes: its own answers are what
 * shows its limiter (addresses of one host share one, but one address answering every refill while another never
 * does looks the same as a live host beside a dead one).
 *
 * <p><b>A limiter's clock.</b> A limiter that refuses is saturated: its bucket is empty and refills one token per
 * interval R (Linux: {@code icmp_ratelimit}, 1 s), so it answers the first probe that reaches it after each refill
 * and refuses every probe in between. Its answers keep a clock: ticks {@code T0 + kR}, each answer the first probe
 * after a tick. Each answered probe k of a <em>run</em> is kept with its send time {@code s_k} and that of the probe
 * of the stream sent just before it, {@code lm_k}; the answers fit one clock when some T0 and R have {@code lm_k <
 * T0 + kR <= s_k} for k >= 1 and {@code s_0 - R < T0 <= s_0} (the run's first answer spent the bucket), each with a
 * slack of {@link #SLACK_NANOS}. The R that fit form an interval, found pairwise over the run's answers (at most
 * {@link #MAX_RUN}, the newest). An answer that fits no clock with the run starts it again from the longest tail
 * that fits; one right after another (no miss between: a burst, or a bucket a pause refilled) starts it again from
 * itself, the answer that spent the bucket.
 *
 * <p><b>Shown.</b> Random loss fits such a clock now and then for a few answers (answer, miss, answer, miss, answer
 * fits a clock of two probes' spacing). A run <em>shows</em> a limiter only when random loss would have kept its
 * gaps so regular with a chance below {@link #CHANCE}: its gaps after the first (the first answer spent the bucket
 * anywhere on the clock) hold {@code least..most} misses each, a share p of its probes; random loss at p gives such
 * a gap with {@code p^least (1 - p^(most - least + 1))}, every gap so with that to the power of the gaps, at least
 * two; a gap without a miss is no saturated limiter's. So a 1 s limiter probed every 200 ms (4 refusals a gap) shows
 * after 6 gaps, twenty addresses of one host probed once a second each (19 a gap) after 4; on the simulator
 * (RefusalEvidenceTest) random loss of 10 to 70 % with no limiter was never read as one in 67,000 misses.
 *
 * <p><b>What it says.</b> Once a run shows a limiter, a miss in gap k (sent after answer k - 1) was refused when it
 * was sent before the <em>earliest</em> tick k of every clock that fits the run; so are misses after the latest
 * answer sent before the earliest next tick. The limiter's own clock fits the run, so no probe sent after one of its
 * refills (one it would have answered) is called refused, whatever the pace. With loss on the way as well, a probe
 * lost right after a refill gives its token to the next one and can shift the clocks that fit: on the simulator
 * 0.3 % of such losses were read as refusals (in refusal periods a loss and a refusal look alike: neither answers).
 * An answer no clock of the run allows withdraws what the run said after its latest answer.
 * {@link #refused(long)} answers for a send time; {@link #version()} changes whenever a period grows.
 *
 * <p>Probes are reported in send order ({@link #sent}) and decided in any order ({@link #answered},
 * {@link #missed}); the stream is read in send order as its oldest probes are decided. Bounded memory: the
 * undecided probes (at most {@link #MAX_UNDECIDED}: beyond that the oldest are dropped and the run starts again),
 * the run, and {@link #PERIODS} periods. Pure and confined to the engine loop: every time is passed in.
 */
public final class RefusalEvidence {
    /** The chance below which a run's answers are not random loss's: one in a hundred thousand. */
    static final double CHANCE = 1e-5;
    private static final double LOG_CHANCE = Math.log(CHANCE);
    /** The most answers a run keeps. */
    static final int MAX_RUN = 16;
    /**
     * Slack on each tick: the one-way delay varying between probes, and send times read here, not where the limiter
     * counts (Linux counts in jiffies, but its refills stay R apart). More slack only calls fewer misses refused.
     */
    static final long SLACK_NANOS = 2_000_000L;
    /** The refusal periods kept: one per gap between answers, the newest (a target's window reaches no further). */
    static final int PERIODS = 256;
    /** The most probes kept undecided. */
    static final int MAX_UNDECIDED = 1 << 16;

    private static final byte PENDING = 0;
    private static final byte ANSWERED = 1;
    private static final byte MISSED = 2;

    /** The undecided probes, oldest first, a ring: the send tick and the state of ticket {@code first + i}. */
    private long[] ticks = new long[16];
    private byte[] states = new byte[16];
    private int head;
    private int size;
    private long first;
    private long next;

    // the stream so far, in send order
    private boolean any;
    private long lastSent;
    private int missesSince;

    // the run: answers 0..runLength-1, newest last
    private final long[] answerSent = new long[MAX_RUN];
    private final long[] lastBefore = new long[MAX_RUN];
    private final int[] missesBefore = new int[MAX_RUN];
    private int runLength;

    // refusal periods [from, to], a ring, the newest at periodNext - 1
    private final long[] periodFrom = new long[PERIODS];
    private final long[] periodTo = new long[PERIODS];
    private int periodCount;
    private int periodNext;
    private long version;

    /**
     * A probe of the stream left at {@code sendTick} (in send order: never before the previous one).
     *
     * @return its ticket, for {@link #answered} or {@link #missed}
     */
    public long sent(long sendTick) {
        if (size == MAX_UNDECIDED) {
            head = (head + 1) % ticks.length;
            size--;
            first++;
            runLength = 0; // a hole in the stream: what went before says nothing of what follows
        } else if (size == ticks.length) {
            long[] t = new long[ticks.length * 2];
            byte[] s = new byte[ticks.length * 2];
            for (int i = 0; i < size; i++) {
                t[i] = ticks[(head + i) % ticks.length];
                s[i] = states[(head + i) % ticks.length];
            }
            ticks = t;
            states = s;
            head = 0;
        }
        int at = (head + size) % ticks.length;
        ticks[at] = sendTick;
        states[at] = PENDING;
        size++;
        return next++;
    }

    /** The probe of {@code ticket} was answered (by the stream's responder, in time). */
    public void answered(long ticket) {
        decide(ticket, ANSWERED);
    }

    /** The probe of {@code ticket} got no answer in time. */
    public void missed(long ticket) {
        decide(ticket, MISSED);
    }

    private void decide(long ticket, byte state) {
        long i = ticket - first;
        if (i < 0 || i >= size) {
            return; // dropped, or decided already
        }
        int at = (int) ((head + i) % ticks.length);
        if (states[at] == PENDING) {
            states[at] = state;
        }
        while (size > 0 && states[head] != PENDING) {
            long tick = ticks[head];
            byte s = states[head];
            head = (head + 1) % ticks.length;
            size--;
            first++;
            if (s == ANSWERED) {
                answer(tick);
            } else {
                miss(tick);
            }
        }
    }

    private void miss(long sendTick) {
        missesSince++;
        lastSent = sendTick;
        any = true;
    }

    private void answer(long sendTick) {
        if (runLength == MAX_RUN) {
            drop(1);
        }
        answerSent[runLength] = sendTick;
        lastBefore[runLength] = any ? lastSent : sendTick;
        missesBefore[runLength] = missesSince;
        runLength++;
        if (runLength > 1 && !fits()) {
            // an answer where every clock that kept the run's answers said refused: the limiter is not the one the run
            // showed; what the latest period said beyond the run's last answer (the next refill not come yet) goes
            truncate(answerSent[runLength - 2]);
            do {
                drop(1); // the oldest answers do not keep this answer's clock: the run starts later
            } while (runLength > 1 && !fits());
        }
        if (runLength > 1 && missesBefore[runLength - 1] == 0) {
            // two answers back to back: the bucket held more than the clock gives (a burst, or a pause that refilled
            // it); a saturated limiter's clock starts after the last of them, which spent the bucket
            truncate(answerSent[runLength - 2]);
            drop(runLength - 1);
        }
        missesSince = 0;
        lastSent = sendTick;
        any = true;
        if (shown()) {
            // each gap: the misses sent before the earliest tick any fitting clock has there; then the tail
            for (int k = 1; k <= runLength; k++) {
                period(answerSent[k - 1], earliestTick(k));
            }
        }
    }

    private void drop(int n) {
        System.arraycopy(answerSent, n, answerSent, 0, runLength - n);
        System.arraycopy(lastBefore, n, lastBefore, 0, runLength - n);
        System.arraycopy(missesBefore, n, missesBefore, 0, runLength - n);
        runLength -= n;
    }

    /** The bounds on the refill interval R that the run's answers allow: {lo, hi}, exclusive. */
    private final double[] bounds = new double[2];

    /**
     * Whether some clock fits the run, and its refill bounds in {@link #bounds}. For answers k > j:
     * {@code (k - j) R > lm_k - s_j - 2 slack}; for 1 <= j < k: {@code (k - j) R < s_k - lm_j + 2 slack}; for k >= 2:
     * {@code (k - 1) R < s_k - s_0 + slack} (the run's first answer spent the bucket, so its tick was less than R
     * before it).
     */
    private boolean fits() {
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        for (int k = 1; k < runLength; k++) {
            for (int j = 0; j < k; j++) {
                lo = Math.max(lo, (double) (lastBefore[k] - answerSent[j] - 2 * SLACK_NANOS) / (k - j));
                if (j >= 1) {
                    hi = Math.min(hi, (double) (answerSent[k] - lastBefore[j] + 2 * SLACK_NANOS) / (k - j));
                }
            }
            if (k >= 2) {
                hi = Math.min(hi, (double) (answerSent[k] - answerSent[0] + SLACK_NANOS) / (k - 1));
            }
        }
        bounds[0] = lo;
        bounds[1] = hi;
        return lo < hi;
    }

    /**
     * The earliest the k-th tick of the run (k = runLength: the one after its latest answer) can be, over every
     * clock that fits the run: a miss sent before it was sent while the bucket was empty, whichever of those clocks
     * the limiter keeps. For a refill R, the tick {@code T0 + kR} is above each {@code lm_j - slack + (k - j) R}
     * (j >= 1) and above {@code s_0 + (k - 1) R}: the least, over R in the run's bounds, of their maximum (convex and
     * piecewise linear: its least value is at an end of the bounds or where two of them cross).
     */
    private long earliestTick(int k) {
        fits();
        double lo = bounds[0];
        double hi = Math.min(bounds[1], lo + 1e12); // a run of two answers bounds R from below only
        double best = Math.min(tickAt(k, lo), tickAt(k, hi));
        for (int a = 0; a < runLength; a++) {
            for (int b = a + 1; b < runLength; b++) {
                double sa = a == 0 ? k - 1 : k - a;
                double sb = k - b;
                double ca = a == 0 ? answerSent[0] : lastBefore[a] - SLACK_NANOS;
                double cb = lastBefore[b] - SLACK_NANOS;
                if (sa != sb) {
                    double r = (cb - ca) / (sa - sb);
                    if (r > lo && r < hi) {
                        best = Math.min(best, tickAt(k, r));
                    }
                }
            }
        }
        return (long) Math.floor(best);
    }

    /** The least the k-th tick can be for a refill {@code r}: the largest of the lines below it. */
    private double tickAt(int k, double r) {
        double t = answerSent[0] + (k - 1) * r;
        for (int j = 1; j < runLength; j++) {
            t = Math.max(t, lastBefore[j] - SLACK_NANOS + (k - j) * r);
        }
        return t;
    }

    /** Whether the run is too unlikely for random loss at its own share of misses (see the class doc). */
    private boolean shown() {
        // the run's first gap is left out: its first answer spent the bucket at any point of the clock (the last of
        // a burst, say), so the misses after it say nothing of the clock's regularity
        int gaps = runLength - 2;
        long misses = 0;
        int least = Integer.MAX_VALUE;
        int most = 0;
        for (int k = 2; k < runLength; k++) {
            misses += missesBefore[k];
            least = Math.min(least, missesBefore[k]);
            most = Math.max(most, missesBefore[k]);
        }
        if (gaps < 2 || least == 0) {
            return false;
        }
        // random loss at the gaps' own share of misses p gives a gap of least..most misses with p^least (1 - p^(most -
        // least + 1)); every gap so: that to the power of the gaps
        double p = (double) misses / (misses + gaps);
        double logChance = gaps * (least * Math.log(p) + Math.log1p(-Math.pow(p, most - least + 1)));
        return logChance < LOG_CHANCE;
    }

    /**
     * The misses sent from {@code from} (an answer's send time, excluded) until {@code to} are refusals: the period
     * that starts there is made, or grows.
     */
    private void period(long from, long to) {
        if (to <= from) {
            return;
        }
        for (int n = 0; n < periodCount; n++) {
            int i = (periodNext + PERIODS - 1 - n) % PERIODS;
            if (periodFrom[i] == from) {
                if (to > periodTo[i]) {
                    periodTo[i] = to;
                    version++;
                }
                return;
            }
            if (periodFrom[i] < from) {
                break;
            }
        }
        if (periodCount > 0 && from < periodFrom[(periodNext + PERIODS - 1) % PERIODS]) {
            return; // before the newest period and none of its own: left out, as the periods stay in order
        }
        periodFrom[periodNext] = from;
        periodTo[periodNext] = to;
        periodNext = (periodNext + 1) % PERIODS;
        periodCount = Math.min(PERIODS, periodCount + 1);
        version++;
    }

    /** The period that starts at the answer sent at {@code from} ends there: what it said after it is withdrawn. */
    private void truncate(long from) {
        for (int n = 0; n < periodCount; n++) {
            int i = (periodNext + PERIODS - 1 - n) % PERIODS;
            if (periodFrom[i] == from) {
                periodTo[i] = from;
                return;
            }
            if (periodFrom[i] < from) {
                return;
            }
        }
    }

    /** Whether a probe sent at {@code sendTick} was sent in a refusal period this stream showed. */
    public boolean refused(long sendTick) {
        for (int n = 0; n < periodCount; n++) {
            int i = (periodNext + PERIODS - 1 - n) % PERIODS;
            if (periodFrom[i] < sendTick) {
                return sendTick <= periodTo[i]; // periods never overlap: each ends before the next answer
            }
        }
        return false;
    }

    /** Changes whenever a refusal period is added or grows. */
    public long version() {
        return version;
    }

    /** Whether a refusal period was shown yet. */
    public boolean shownAny() {
        return periodCount > 0;
    }
}
