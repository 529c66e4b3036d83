package io.pathprobe.core.internal.ratelimit;

import static io.pathprobe.core.internal.ratelimit.RateLimitTable.DEFAULT_BURST;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.DEFAULT_INTERVAL_NANOS;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.MAX_BURST_SHAPE;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.MAX_INTERVAL_NANOS;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.MIN_EVIDENCE;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.MIN_INTERVAL_NANOS;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.MIN_WINDOW_NANOS;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.OVER_RUNS;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.PACE_MARGIN;
import static io.pathprobe.core.internal.ratelimit.RateLimitTable.PENDING;

import java.net.InetAddress;

/**
 * One responder's token bucket and the evidence that teaches it: what {@link RateLimitTable} (the
 * tracer-wide table, its pacing and its verdicts on silences) learns per responder, and how. The
 * rules are the table's class documentation; this class applies them to one responder's answers and
 * misses. Confined to the engine loop; every time is passed in.
 */
final class RateLimitBucket {
    private static final int HALVE_AT = 64;
    /** Stretches a run's span when the refills during it are counted (see {@link #answered}). */
    private static final double REFILL_JITTER = 1.05;
    /**
     * How much short of a token the floor may be and still count as one: a monitor's rounds a second
     * apart leave a few milliseconds early or late, and a limiter's own clock ticks in jiffies. Without it,
     * half of a monitor's rounds through a lossy router would read as possibly refused, and its loss as half.
     */
    static final double FLOOR_SLACK = 0.05;
    /** Answers beyond a drained Linux limiter's pace (twice its burst) that show a responder is no such limiter. */
    static final int FAST_ANSWERS = 2 * DEFAULT_BURST;
    double tokens = DEFAULT_BURST;
    double burst = DEFAULT_BURST;
    long interval = DEFAULT_INTERVAL_NANOS;
    long refilled;
    long lastUsed;
    int answers;
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

    /**
     * The tokens this responder surely held, for all this tracer knows: 0 when first met,
     * because another prober (another process, another host) may have just spent its bucket, then refilled
     * at the slowest common pace ({@link #floorInterval}) up to the burst and spent by every probe charged
     * to it. A miss of a probe sent while this was below one token may have been a refusal; one sent with a
     * token here had a limiter excluded, as far as this tracer's own probes go.
     */
    double floor;
    long floorRefilled;
    /** The earliest send tick of a probe charged to this responder: when this tracer first met it. */
    long firstContact;

    RateLimitBucket(long now) {
        refilled = now;
        lastUsed = now;
        floorRefilled = now;
        firstContact = now;
    }

    /** The pace the floor refills at: Linux's one a second, or the limiter's own once learned from its answers. */
    long floorInterval() {
        return intervalLearned ? interval : DEFAULT_INTERVAL_NANOS;
    }

    void refillFloor(long now) {
        long elapsed = now - floorRefilled;
        if (elapsed > 0) {
            floor = Math.min(Math.max(burst, 1), floor + (double) elapsed / floorInterval());
            floorRefilled = now;
        }
    }

    /**
     * Whether a probe sent at {@code sentTick} may have found this responder's bucket empty, for all this
     * tracer knows: sent before one refill since it was first met, or with less than a token in the floor.
     * Nothing is taken.
     */
    boolean mayBeDrained(long sentTick) {
        if (!limiter && answers > FAST_ANSWERS + (double) (sentTick - firstContact) / DEFAULT_INTERVAL_NANOS) {
            // it answered more than a bucket drained when first met could have (Linux: one a second after at most
            // its burst): no limiter of that kind is drained here, and the learned model judges its misses. Without
            // this, a monitor at ten rounds a second read none of a lossy path's loss at the routers past the loss
            // (their misses all "may have been refused"), where mtr, as the truth, reads it
            return false;
        }
        if (sentTick - firstContact < (long) (floorInterval() * (1 - FLOOR_SLACK))) {
            return true;
        }
        refillFloor(sentTick);
        return floor < 1 - FLOOR_SLACK;
    }

    /**
     * A probe sent at {@code sentTick} was charged late (when its answer or its give-up came): the floor
     * counts from the earliest probe, and a first take charged at an answer counts from its send.
     */
    void met(long sentTick) {
        if (sentTick < firstContact) {
            if (floor == 0 && floorRefilled > sentTick) {
                floorRefilled = sentTick;
            }
            firstContact = sentTick;
        }
    }

    /** A probe charged to this responder left at {@code sentTick}: it takes a token from the floor too. */
    void takeFloor(long sentTick) {
        met(sentTick);
        refillFloor(sentTick);
        floor = Math.max(0, floor - 1);
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
                : answers > 0 && overMissed > 2 * overAnswered && (overMissed >= MIN_EVIDENCE || burstThenStop);
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
            if (a > sentTick && a - sentTick <= window()) { // sent with it: which the bucket met first is unknown
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

    /**
     * An answer to a probe sent at {@code sentTick} (over the model's budget or not), read at {@code now}; the probe
     * was {@link #met} first.
     */
    void answered(boolean over, long now, long sentTick) {
        met(sentTick);
        if (lastAnswerSent != Long.MIN_VALUE / 2 && sentTick - lastAnswerSent >= (long) (burst * interval)) {
            // the modelled bucket refilled whole since the answer before: a run of answers across such a pause
            // is two bursts, not one (counted as one, a middle router answering a discovery's 6 every 14 s was
            // learned to give 12, then 18, and its refusals were sent again until they made a silent node)
            inARow = 0;
        }
        answers++;
        runFirstSent = inARow == 0 ? sentTick : Math.min(runFirstSent, sentTick);
        inARow++;
        // the burst a run shows is its answers less what the bucket refilled while it lasted: Linux's 6 answered
        // 7 or 8 to traces in a row, and a model a token ahead took the router's first refusal after a pause for loss.
        // The span is stretched by REFILL_JITTER so a refill that send-time jitter put a hair past the run's last
        // answer still counts: the burst errs low, not high (a model a token behind the router calls an answered
        // probe over budget, which costs nothing; one a token ahead lets through a probe the router refuses)
        int burstOfRun = Math.max(1, inARow - (int) ((sentTick - runFirstSent) * REFILL_JITTER / interval));
        bestRow = Math.max(bestRow, burstOfRun);
        bound(sentTick);
        if (over) {
            if (!missedEver) {
                // before its first refusal read: a larger burst than the model's, learned; and held back too, as a
                // refusal sent before it may not be read yet (an engine whose wake-ups ran late read a lossy path's
                // misses all at once after the other paths' answers, and with none of those answers counted judged an
                // unlimited destination a limiter: its path probes capped at one a second)
                burst = Math.max(burst, burstOfRun);
                holdBack(sentTick);
            } else if (soonAfterRefusal(sentTick)) {
                overAnswered++;
            } else if (sentTick > lastOverMissSent) {
                holdBack(sentTick); // a refusal sent just before it may not be read yet
            }
        }
        if (!missedSinceAnswer && inARow > 1 && !over && !intervalLearned) {
            // two answers in a row, the second within the modelled budget: probes did not keep it saturated (a
            // saturated limiter refuses between two answers), so the answers after misses so far were spaced by
            // losses, not by its bucket (a monitor's one probe a second through a hop losing a fifth would
            // otherwise "learn" an interval of seconds). Answers in a row over the budget are a prober
            // outrunning the model (path probes a millisecond apart): they still teach the responder's pace
            firstOverAnswer = -1;
            lastOverAnswer = -1;
            overAnswersTimed = 0;
        }
        long previousAnswerSent = lastAnswerSent;
        lastAnswerSent = Math.max(lastAnswerSent, sentTick);
        if (missedSinceAnswer) {
            // an answer after refusals that went on until just before it: while probes keep it
            // saturated, answers come at the responder's own pace; any other answer (after a pause,
            // or paced) starts a new window
            missedSinceAnswer = false;
            long last = lastOverAnswer >= 0 ? lastOverAnswer : firstOverAnswer;
            // and in send time: a refusal known by now was sent between the previous answered probe and this
            // one. Answers with no refusal between them are a burst the bucket refilled during a pause (a hundred
            // traces' next round of probes, a second later): their spacing is the prober's, not the responder's.
            // Taken for a pace, it made a vendor's ten a second read as two hundred or more, and the refusals that
            // model could not explain read as forward loss
            boolean saturated = firstOverAnswer >= 0 && now - lastMiss <= (now - last) / 4
                    && lastOverMissSent > previousAnswerSent && lastOverMissSent < sentTick;
            if (!saturated) {
                firstOverAnswer = now;
                lastOverAnswer = -1;
                overAnswersTimed = 0;
            } else {
                overAnswersTimed++;
                lastOverAnswer = now;
                long learned = overAnswersTimed < 2 ? 0 : Math.max(MIN_INTERVAL_NANOS, Math.min(MAX_INTERVAL_NANOS,
                        (lastOverAnswer - firstOverAnswer) / overAnswersTimed));
                // a pace slower than the bound the answers after refusals proved is no pace of the
                // responder's (answers spaced by probe timeouts, not by its bucket): not learned
                if (overAnswersTimed >= 2 && learned <= ceiling * PACE_MARGIN) {
                    if (Math.abs(learned - interval) * 5 > interval) {
                        // the model was wrong by more than a fifth: what it called over budget
                        // proves nothing; the evidence starts again under the learned rate
                        overAnswered = 0;
                        overMissed = 0;
                    }
                    interval = learned;
                    intervalLearned = true;
                }
            }
        }
        if (over) {
            halve();
            judge(now);
        }
    }

    /**
     * A miss of a probe sent at {@code sentTick}, given up at {@code now}; an over-budget one also
     * extends the refusal period in send time (see {@link RateLimitTable#missed(InetAddress, boolean, long, long)});
     * the probe was {@link #met} first.
     */
    void missed(boolean over, long now, long sentTick) {
        met(sentTick);
        if (over) {
            refused(sentTick);
        }
        if (over && inARow >= DEFAULT_BURST - 1 && inARow <= MAX_BURST_SHAPE) {
            burstThenStop = true; // a burst of answers, then a refusal over the budget: a limiter's shape
        }
        inARow = 0;
        missedSinceAnswer = answers > 0;
        missedEver = true;
        lastMiss = now;
        if (over) {
            lastOverMiss = now;
            overMissed++;
            halve();
            judge(now);
            if (sentTick - refusedToSent > 4 * interval) {
                refusedFromSent = sentTick;
            }
            refusedToSent = Math.max(refusedToSent, sentTick);
        } else if (limiter) {
            tokens = 0; // refused within the model: its real bucket was empty
            refilled = now;
        }
    }
}
