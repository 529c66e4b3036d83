package io.pathprobe.core.internal.runtime;

import io.pathprobe.core.internal.probe.ResponderPacing;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tracer-wide table of learned per-responder ICMP budgets ({@link ResponderPacing}), shared by
 * every measurement of one tracer: a thousand concurrent traces cross the same first hops, and
 * those routers limit what they send to this host, not to one trace. Confined to the engine loop;
 * pure (every time is passed in), so it is tested on fake time.
 *
 * <p><b>The model.</b> Each responder has a token bucket: {@value #DEFAULT_BURST} tokens (the
 * burst Linux allows, {@code XRLIM_BURST_FACTOR}) refilled one per {@code interval} (first
 * {@link #DEFAULT_INTERVAL_NANOS}: Linux's {@code icmp_ratelimit}, 1 s). Every probe expected to be
 * answered by a responder takes a token, whether or not the responder is paced; a probe sent with
 * the bucket empty is "over budget".
 *
 * <p><b>Learning.</b> A responder is a limiter when it answered something and, among the probes
 * sent to it over budget, misses outnumber answers more than two to one, and either there were at least
 * {@value #MIN_EVIDENCE} such misses or the first came right after a burst of answers (a responder that loses
 * 30 % of everything answers most over-budget probes; one that stops after its burst answers few);
 * it stays one while over-budget misses outnumber over-budget answers by a third. Answers before a
 * responder's first refusal only show that its burst is larger than the model's (it is learned).
 * Once a limiter: its bucket is empty at the first such miss; the steady rate is learned from the
 * answers that follow a refusal (answers that came back at the responder's own pace while probes
 * kept it saturated, each with a refusal sent between it and the answer before it: answers back to
 * back in send time are a burst the bucket refilled during a pause, spaced by the prober): the
 * interval is the span between the first and the last of them over their
 * count less one, once three are known in one window (a pause of four intervals starts a new one, and two
 * answers in a row within the budget end it: a saturated limiter refuses between two answers, a lossy
 * responder probed at its modelled pace does not);
 * the model then says "over budget" only where the responder's own bucket would be empty. The burst is the most answers it gave in a row before a miss
 * less the tokens its bucket refilled while they came (at least 1; a run across a pause in which the
 * modelled bucket refilled whole counts as two). The counters halve as they
 * grow, so the verdict follows a router that changes.
 *
 * <p><b>Tentative and firm.</b> A verdict on a burst then a single refusal is tentative: the misses
 * around it are {@link #rateLimited rate-limited}, but the responder is not paced, nor
 * {@link #limited} nor given an {@link #interval}, until {@value #MIN_EVIDENCE} over-budget misses
 * confirm it. Pacing a responder stops the over-budget probes whose answers would show it was only
 * lossy (a 30 %-lossy path's first loss after a run of answers has a limiter's shape): a verdict that
 * paces must not rest on one miss, or a lossy destination's path probes are spaced at one a second
 * and cut to a handful.
 *
 * <p><b>At the edge.</b> Many measurements share a router's bucket and the model drifts from it by a
 * token now and then: a limiter's miss of the last probe the model let through, sent just before the
 * model called the next ones over, is rate-limited too, not lost (the starts of the last
 * {@value #OVER_RUNS} such runs are remembered per responder).
 *
 * <p><b>Pacing.</b> {@link #delay} is 0 for a responder not learned (firmly) to be a limiter; for a
 * limiter it is the time until its bucket holds a token again.
 *
 * <p><b>Bounds.</b> At most {@code capacity} responders (the least recently used goes first) and
 * none idle for longer than {@code idleNanos} (swept as the table is used): a monitor runs for days.
 */
public final class ResponderBudgets implements ResponderPacing {
    /** Linux's burst of ICMP errors per destination ({@code XRLIM_BURST_FACTOR}). */
    public static final int DEFAULT_BURST = 6;
    /** Linux's {@code net.ipv4.icmp_ratelimit}: one error a second after the burst. */
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    static final long MIN_INTERVAL_NANOS = 100_000L;
    static final long MAX_INTERVAL_NANOS = 10_000_000_000L;
    static final double PACE_MARGIN = 1.1;
    private static final int HALVE_AT = 64;
    /**
     * The longest run of answers before a refusal that still looks like a limiter's burst (Linux:
     * 6; common vendor defaults: 10 or so), and a run often spans two bursts with a pause between
     * them that refilled the bucket (a discovery's answers, then the first rounds of path probes: 7,
     * a second, then 10 answers of a vendor router's 10 a second, and a refusal); a longer run then
     * one miss is as likely a loss. A verdict on this shape alone is tentative and cheap to get wrong:
     * it paces nothing, and the first over-budget answer after it withdraws it.
     */
    static final int MAX_BURST_SHAPE = 32;
    /** Over-budget misses needed before a responder is called a limiter. */
    static final int MIN_EVIDENCE = 3;
    private static final int SWEEP_EVERY = 256;
    /** The starts of runs of over-budget probes remembered per responder (a trace's three rounds, and more). */
    static final int OVER_RUNS = 8;
    /** Over-budget answers held back until the refusal they may follow in send time is read. */
    static final int PENDING = 16;
    /**
     * The shortest window after a refusal in which an over-budget answer counts against a verdict,
     * whatever interval was learned: a lossy router's answers, read at saturation, can look like a
     * limiter's pace of a few milliseconds, and a window that short would drop the evidence that
     * withdraws the verdict.
     */
    static final long MIN_WINDOW_NANOS = DEFAULT_INTERVAL_NANOS / 10;

    private final int capacity;
    private final long idleNanos;
    private final LinkedHashMap<InetAddress, Budget> table;
    private int operations;
    /** The responder last seen for a destination at a TTL, with when: at most 4 × capacity, idle-bounded. */
    private final LinkedHashMap<Hop, Seen> hops;

    private record Hop(InetAddress destination, int ttl) {}

    private record Seen(InetAddress responder, long at) {}

    /** One responder's bucket and evidence. */
    static final class Budget {
        double tokens = DEFAULT_BURST;
        double burst = DEFAULT_BURST;
        long interval = DEFAULT_INTERVAL_NANOS;
        long refilled;
        long lastUsed;
        int answered;
        int overAnswered;
        int overMissed;
        int inARow;
        long runFirstSent; // the send tick of the first answer of the current run of answers in a row
        int bestRow;
        boolean limiter;
        /** A verdict on {@value #MIN_EVIDENCE} or more over-budget misses: only then is the responder paced. */
        boolean firm;
        boolean intervalLearned;
        boolean missedSinceAnswer;
        boolean burstThenStop;
        boolean missedEver;
        long lastOverMiss = Long.MIN_VALUE / 2;
        /** The latest refusal period in send time: the first and the last over-budget miss sent in it. */
        long refusedFromSent = Long.MIN_VALUE / 2;
        long refusedToSent = Long.MIN_VALUE / 2;
        long lastMiss = Long.MIN_VALUE / 2;
        long firstOverAnswer = -1;
        long lastOverAnswer = -1;
        int overAnswersTimed;
        /** The send tick of the latest answered probe. */
        long lastAnswerSent = Long.MIN_VALUE / 2;
        /** The send tick of the latest over-budget miss (a refusal, if this is a limiter). */
        long lastOverMissSent = Long.MIN_VALUE / 2;
        /** Send ticks of over-budget answers read before a refusal sent just before them was read. */
        final long[] pending = new long[PENDING];
        int pendingCount;
        /** Answers sent after the latest refusal: how many, whether the first came after a pause, the last. */
        int runAnswers;
        boolean runAfterPause;
        long runLast;
        /** An upper bound on the interval, from the answers after refusals; MAX_INTERVAL_NANOS until one is known. */
        long ceiling = MAX_INTERVAL_NANOS;

        Budget(long now) {
            refilled = now;
            lastUsed = now;
        }

        void refill(long now) {
            long elapsed = now - refilled;
            if (elapsed > 0) {
                // at the modelled rate itself: a prober as steady as the model (one probe a second to a router
                // of Linux's one a second: mtr's and a monitor's default pace) never runs the bucket dry, so its
                // random losses are never read as refusals; the margin that keeps a paced probe from arriving a
                // little early is in the wait (delay), not in the model
                tokens = Math.min(burst, tokens + (double) elapsed / interval);
                refilled = now;
            }
        }

        boolean isLimiter() {
            return limiter;
        }

        /** Send ticks at which the model's probes to this responder went from within its budget to over it. */
        final long[] overRuns = new long[OVER_RUNS];
        int overRunCount;
        boolean lastTakeOver;

        void took(boolean over, long now) {
            if (over && !lastTakeOver) {
                overRuns[overRunCount++ % OVER_RUNS] = now;
            }
            lastTakeOver = over;
        }

        /**
         * Whether the model called probes to this responder over budget from a moment just after
         * {@code sentTick}: a probe sent then, the last the model let through, is where a model off by
         * a token from the router's own bucket (the traces of a burst share it) refuses.
         */
        boolean atTheEdgeOfAnOverRun(long sentTick) {
            long window = Math.min(interval, MIN_WINDOW_NANOS);
            for (int i = 0; i < Math.min(overRunCount, OVER_RUNS); i++) {
                long d = overRuns[i] - sentTick;
                if (d >= 0 && d <= window) {
                    return true;
                }
            }
            return false;
        }

        /** A limiter on enough evidence to pace probes to it (a tentative one is not paced: see the class doc). */
        boolean isPaced() {
            return limiter && firm;
        }

        void judge(long now) {
            boolean was = limiter;
            // hysteresis: a limiter stays one while over-budget misses outnumber answers by a third
            // (probes at three times its rate are answered one in three; a lossy router that does
            // not limit answers most of them)
            limiter = was ? 3 * overMissed >= 4 * overAnswered
                    : answered > 0 && overMissed > 2 * overAnswered && (overMissed >= MIN_EVIDENCE || burstThenStop);
            if (limiter && !was) {
                tokens = 0; // it just refused: its real bucket is empty now
                refilled = now;
                burst = Math.max(1, Math.max(bestRow, 1));
            }
            firm = limiter && (firm || overMissed >= MIN_EVIDENCE);
        }

        /** The window after a refusal in which an over-budget answer contradicts the model. */
        long window() {
            return Math.max(interval, MIN_WINDOW_NANOS);
        }

        boolean soonAfterRefusal(long sentTick) {
            return sentTick >= lastOverMissSent && sentTick - lastOverMissSent <= window();
        }

        /**
         * An answer to a probe sent at {@code sentTick}: after a refusal (its bucket held less than
         * one token), n answers sent since took at least n − 1 tokens refilled since, so the
         * interval is at most the span over n − 1. Counted only when the first of them came after a
         * pause: answers sent a moment after a refusal are as likely reordered as refilled.
         */
        void bound(long sentTick) {
            if (lastOverMissSent <= Long.MIN_VALUE / 4 || sentTick <= lastOverMissSent) {
                return;
            }
            if (runAnswers == 0) {
                runAfterPause = sentTick - lastOverMissSent >= Math.max(MIN_WINDOW_NANOS / 10, interval / 8);
                runLast = sentTick;
            }
            runAnswers++;
            runLast = Math.max(runLast, sentTick);
            if (!runAfterPause || runAnswers < 2) {
                return;
            }
            long bound = Math.max(MIN_INTERVAL_NANOS, (runLast - lastOverMissSent) / (runAnswers - 1));
            ceiling = Math.min(ceiling, bound);
            if (bound * 5 <= interval * 4) {
                // the model's rate was too slow by a fifth or more: what it called over budget
                // proves nothing; the evidence starts again under the bound
                interval = bound;
                overAnswered = 0;
                overMissed = 0;
            }
        }

        /** A refusal sent at {@code sentTick}: a new run of answers after it, and the answers held back that follow it. */
        void refused(long sentTick) {
            if (sentTick > lastOverMissSent) {
                lastOverMissSent = sentTick;
                runAnswers = 0;
                runAfterPause = false;
            }
            int kept = 0;
            for (int i = 0; i < pendingCount; i++) {
                long a = pending[i];
                if (a >= sentTick && a - sentTick <= window()) {
                    overAnswered++;
                } else if (a > sentTick) { // may follow a later refusal
                    pending[kept++] = a;
                }
            }
            pendingCount = kept;
        }

        void holdBack(long sentTick) {
            if (pendingCount == PENDING) {
                System.arraycopy(pending, 1, pending, 0, PENDING - 1);
                pendingCount--;
            }
            pending[pendingCount++] = sentTick;
        }

        void halve() {
            if (overAnswered + overMissed > HALVE_AT) {
                overAnswered = (overAnswered + 1) / 2;
                overMissed = (overMissed + 1) / 2;
            }
        }
    }

    /**
     * @param capacity the most responders remembered
     * @param idleNanos how long an unused responder is remembered
     */
    public ResponderBudgets(int capacity, long idleNanos) {
        if (capacity < 1 || idleNanos <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", idle " + idleNanos + " ns");
        }
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.table = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Budget> eldest) {
                return size() > ResponderBudgets.this.capacity;
            }
        };
        this.hops = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Hop, Seen> eldest) {
                return size() > 4 * ResponderBudgets.this.capacity;
            }
        };
    }

    private Budget budget(InetAddress responder, long now) {
        if (++operations % SWEEP_EVERY == 0) {
            sweep(now);
        }
        Budget b = table.get(responder);
        if (b == null || now - b.lastUsed > idleNanos) {
            b = new Budget(now);
            table.put(responder, b);
        }
        b.lastUsed = now;
        b.refill(now);
        return b;
    }

    /** Forgets responders (and remembered hops) idle for longer than the idle bound. */
    public void sweep(long now) {
        for (Iterator<Budget> it = table.values().iterator(); it.hasNext();) {
            if (now - it.next().lastUsed > idleNanos) {
                it.remove();
            }
        }
        hops.values().removeIf(s -> now - s.at() > idleNanos);
    }

    @Override
    public void remember(InetAddress destination, int ttl, InetAddress responder, long now) {
        hops.put(new Hop(destination, ttl), new Seen(responder, now));
    }

    @Override
    public @org.jspecify.annotations.Nullable InetAddress remembered(InetAddress destination, int ttl, long now) {
        Seen s = hops.get(new Hop(destination, ttl));
        return s == null || now - s.at() > idleNanos ? null : s.responder();
    }

    @Override
    public long delay(InetAddress responder, long now) {
        Budget b = table.get(responder);
        if (b == null || !b.isPaced() || now - b.lastUsed > idleNanos) {
            return 0;
        }
        b.refill(now);
        return b.tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - b.tokens) * b.interval * PACE_MARGIN));
    }

    @Override
    public boolean take(InetAddress responder, long now) {
        Budget b = budget(responder, now);
        boolean over = b.tokens < 1;
        b.tokens = Math.max(0, b.tokens - 1); // a refused probe takes nothing from a real bucket
        b.took(over, now);
        return over;
    }

    @Override
    public boolean over(InetAddress responder, long now) {
        Budget b = table.get(responder);
        if (b == null || now - b.lastUsed > idleNanos) {
            return false;
        }
        b.refill(now);
        return b.tokens < 1;
    }

    @Override
    public void answered(InetAddress responder, boolean over, long now) {
        answered(responder, over, now, now);
    }

    /**
     * An over-budget answer counts against a verdict only when its probe left within one interval
     * (at least {@link #MIN_WINDOW_NANOS}) after a refusal, in send time: then the responder answered
     * where the model says its bucket was empty. One sent after a pause only says the bucket refilled
     * faster than modelled (a vendor limiter at ten a second answers its whole burst after each
     * trace's pause), and bounds the interval instead ({@code Budget.bound}). An answer read before
     * the refusal that precedes it in send time is held back and counted when that refusal is read.
     */
    @Override
    public void answered(InetAddress responder, boolean over, long now, long sentTick) {
        Budget b = budget(responder, now);
        if (b.lastAnswerSent != Long.MIN_VALUE / 2 && sentTick - b.lastAnswerSent >= (long) (b.burst * b.interval)) {
            // the modelled bucket refilled whole since the answer before: a run of answers across such a pause
            // is two bursts, not one (counted as one, a middle router answering a discovery's 6 every 14 s was
            // learned to give 12, then 18, and its refusals were sent again until they made a silent node)
            b.inARow = 0;
        }
        b.answered++;
        b.runFirstSent = b.inARow++ == 0 ? sentTick : Math.min(b.runFirstSent, sentTick);
        // the burst a run shows is its answers less what the bucket refilled while it lasted: Linux's 6 answered
        // 7 or 8 to traces in a row, and a model a token ahead took the router's first refusal after a pause for loss
        int burstOfRun = Math.max(1, b.inARow - (int) ((sentTick - b.runFirstSent) * 1.05 / b.interval));
        b.bestRow = Math.max(b.bestRow, burstOfRun);
        b.bound(sentTick);
        if (over) {
            if (!b.missedEver) {
                b.burst = Math.max(b.burst, burstOfRun); // before its first refusal: a larger burst than the model's, learned
            } else if (b.soonAfterRefusal(sentTick)) {
                b.overAnswered++;
            } else if (sentTick > b.lastOverMissSent) {
                b.holdBack(sentTick); // a refusal sent just before it may not be read yet
            }
        }
        if (!b.missedSinceAnswer && b.inARow > 1 && !over && !b.intervalLearned) {
            // two answers in a row, the second within the modelled budget: probes did not keep it saturated (a
            // saturated limiter refuses between two answers), so the answers after misses so far were spaced by
            // losses, not by its bucket (a monitor's one probe a second through a hop losing a fifth would
            // otherwise "learn" an interval of seconds). Answers in a row over the budget are a prober
            // outrunning the model (path probes a millisecond apart): they still teach the responder's pace
            b.firstOverAnswer = -1;
            b.lastOverAnswer = -1;
            b.overAnswersTimed = 0;
        }
        long previousAnswerSent = b.lastAnswerSent;
        b.lastAnswerSent = Math.max(b.lastAnswerSent, sentTick);
        if (b.missedSinceAnswer) {
            // an answer after refusals that went on until just before it: while probes keep it
            // saturated, answers come at the responder's own pace; any other answer (after a pause,
            // or paced) starts a new window
            b.missedSinceAnswer = false;
            long last = b.lastOverAnswer >= 0 ? b.lastOverAnswer : b.firstOverAnswer;
            // and in send time: a refusal known by now was sent between the previous answered probe and this
            // one. Answers with no refusal between them are a burst the bucket refilled during a pause (a hundred
            // traces' next round of probes, a second later): their spacing is the prober's, not the responder's.
            // Taken for a pace, it made a vendor's ten a second read as two hundred or more, and the refusals that
            // model could not explain read as forward loss
            boolean saturated = b.firstOverAnswer >= 0 && now - b.lastMiss <= (now - last) / 4
                    && b.lastOverMissSent > previousAnswerSent && b.lastOverMissSent < sentTick;
            if (!saturated) {
                b.firstOverAnswer = now;
                b.lastOverAnswer = -1;
                b.overAnswersTimed = 0;
            } else {
                b.overAnswersTimed++;
                b.lastOverAnswer = now;
                long learned = b.overAnswersTimed < 2 ? 0 : Math.max(MIN_INTERVAL_NANOS, Math.min(MAX_INTERVAL_NANOS,
                        (b.lastOverAnswer - b.firstOverAnswer) / b.overAnswersTimed));
                // a pace slower than the bound the answers after refusals proved is no pace of the
                // responder's (answers spaced by probe timeouts, not by its bucket): not learned
                if (b.overAnswersTimed >= 2 && learned <= b.ceiling * PACE_MARGIN) {
                    if (Math.abs(learned - b.interval) * 5 > b.interval) {
                        // the model was wrong by more than a fifth: what it called over budget
                        // proves nothing; the evidence starts again under the learned rate
                        b.overAnswered = 0;
                        b.overMissed = 0;
                    }
                    b.interval = learned;
                    b.intervalLearned = true;
                }
            }
        }
        if (over) {
            b.halve();
            b.judge(now);
        }
    }

    @Override
    public void missed(InetAddress responder, boolean over, long now) {
        missed(responder, over, now, now);
    }

    private void miss(InetAddress responder, boolean over, long now, long sentTick) {
        Budget b = budget(responder, now);
        if (over) {
            b.refused(sentTick);
        }
        if (over && b.inARow >= DEFAULT_BURST - 1 && b.inARow <= MAX_BURST_SHAPE) {
            b.burstThenStop = true; // a burst of answers, then a refusal over the budget: a limiter's shape
        }
        b.inARow = 0;
        b.missedSinceAnswer = b.answered > 0;
        b.missedEver = true;
        b.lastMiss = now;
        if (over) {
            b.lastOverMiss = now;
            b.overMissed++;
            b.halve();
            b.judge(now);
        } else if (b.limiter) {
            b.tokens = 0; // refused within the model: its real bucket was empty
            b.refilled = now;
        }
    }

    /**
     * Takes back a miss that was an answer read late: an over-budget miss no longer counts (and a
     * burst-then-stop shape that rested on it alone goes with it), then the answer counts as one.
     */
    @Override
    public void revised(InetAddress responder, boolean over, long now) {
        revised(responder, over, now, Long.MIN_VALUE);
    }

    /**
     * As {@link #revised(InetAddress, boolean, long)}; a revision that takes back the latest
     * over-budget miss (its probe's send tick) withdraws the verdict that miss last confirmed: the
     * refusal that made the responder look limited was an answer read late.
     */
    @Override
    public void revised(InetAddress responder, boolean over, long now, long sentTick) {
        Budget b = table.get(responder);
        if (b != null && over && sentTick == b.lastOverMissSent && b.limiter) {
            // the misses before it are as suspect (read late while the CPUs were busy): the evidence restarts
            b.limiter = false;
            b.firm = false;
            b.burstThenStop = false;
            b.overMissed = 0;
            b.overAnswered = 0;
            answered(responder, over, now, sentTick);
            return;
        }
        if (b != null && over && b.overMissed > 0) {
            b.overMissed--;
            if (b.overMissed == 0) {
                b.burstThenStop = false;
            }
            if (b.overMissed < MIN_EVIDENCE) {
                b.firm = false; // paced on misses that were answers: not any more
            }
        }
        answered(responder, over, now, sentTick == Long.MIN_VALUE ? now : sentTick);
    }

    @Override
    public boolean limited(InetAddress responder) {
        Budget b = table.get(responder);
        return b != null && b.isPaced();
    }

    /** A paced limiter whose interval was learned from its answers (see {@link ResponderPacing#learned}). */
    @Override
    public boolean learned(InetAddress responder) {
        Budget b = table.get(responder);
        return b != null && b.isPaced() && b.intervalLearned;
    }

    /** An over-budget miss of a limiter, tentative or firm. */
    @Override
    public boolean rateLimited(InetAddress responder, boolean over) {
        Budget b = table.get(responder);
        return over && b != null && b.isLimiter();
    }

    @Override
    public boolean rateLimited(InetAddress responder, boolean over, long sentTick) {
        Budget b = table.get(responder);
        if (b == null || !b.isLimiter()) {
            return false;
        }
        return over || Math.abs(sentTick - b.lastOverMiss) <= b.interval
                || (sentTick >= b.refusedFromSent - b.interval && sentTick <= b.refusedToSent + b.interval)
                || b.atTheEdgeOfAnOverRun(sentTick);
    }

    /**
     * Also remembers the refusal period in send time: over-budget misses sent less than four
     * intervals apart make one period, and a probe sent within it (an interval's margin either
     * side) that went unanswered was as likely refused as lost, whatever the model said when it left
     * (many measurements share one router's bucket, and the model drifts from it).
     */
    @Override
    public void missed(InetAddress responder, boolean over, long now, long sentTick) {
        miss(responder, over, now, sentTick);
        Budget b = table.get(responder);
        if (over && b != null) {
            if (sentTick - b.refusedToSent > 4 * b.interval) {
                b.refusedFromSent = sentTick;
            }
            b.refusedToSent = Math.max(b.refusedToSent, sentTick);
        }
    }

    /** The learned interval of a limiter that is paced, or -1 (not a limiter, a tentative one, or unknown). */
    @Override
    public long interval(InetAddress responder) {
        Budget b = table.get(responder);
        return b == null || !b.isPaced() ? -1 : b.interval;
    }

    /** Responders remembered now. */
    public int size() {
        return table.size();
    }

    /** Destination-and-TTL hops remembered now. */
    public int hopsRemembered() {
        return hops.size();
    }
}
