package io.pathprobe.core.internal.ratelimit;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tracer-wide table of learned per-responder ICMP budgets ({@link RateLimitModel}), shared by
 * every measurement of one tracer: a thousand concurrent traces cross the same first hops, and
 * those routers limit what they send to this host, not to one trace. Confined to the engine loop;
 * pure (every time is passed in), so it is tested on fake time. This class holds the table, paces
 * and classifies silences; each responder's bucket and the learning below are a {@link RateLimitBucket}.
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
 * the model then says "over budget" only where the responder's own bucket would be empty. The burst is the most
 * answers it gave in a row before a miss
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
public final class RateLimitTable implements RateLimitModel {
    /** Linux's burst of ICMP errors per destination ({@code XRLIM_BURST_FACTOR}). */
    public static final int DEFAULT_BURST = 6;
    /** Linux's {@code net.ipv4.icmp_ratelimit}: one error a second after the burst. */
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    static final long MIN_INTERVAL_NANOS = 100_000L;
    static final long MAX_INTERVAL_NANOS = 10_000_000_000L;
    static final double PACE_MARGIN = 1.1;
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
    public static final long MIN_WINDOW_NANOS = DEFAULT_INTERVAL_NANOS / 10;

    private final int capacity;
    private final long idleNanos;
    private final LinkedHashMap<InetAddress, RateLimitBucket> table;
    private int operations;
    /** The responder last seen for a destination at a TTL, with when: at most 4 × capacity, idle-bounded. */
    private final LinkedHashMap<DestinationTtl, Seen> hops;

    /** Lookups reuse {@link #lookup} (the table is confined to one thread): a key is made only for a new hop. */
    private final DestinationTtl lookup = new DestinationTtl();

    /** A key of {@link #hops}; its fields are set once, but for {@link #lookup}, which is never stored. */
    private static final class DestinationTtl {
        private @org.jspecify.annotations.Nullable InetAddress destination;
        private int ttl;

        DestinationTtl set(InetAddress destination, int ttl) {
            this.destination = destination;
            this.ttl = ttl;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestinationTtl && ((DestinationTtl) o).ttl == ttl
                    && java.util.Objects.equals(((DestinationTtl) o).destination, destination);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(destination) * 31 + ttl;
        }
    }

    /** Updated in place when the same hop answers again. */
    private static final class Seen {
        private InetAddress responder;
        private long at;

        Seen(InetAddress responder, long at) {
            this.responder = responder;
            this.at = at;
        }
    }

    /**
     * @param capacity the most responders remembered
     * @param idleNanos how long an unused responder is remembered
     */
    public RateLimitTable(int capacity, long idleNanos) {
        if (capacity < 1 || idleNanos <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", idle " + idleNanos + " ns");
        }
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.table = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, RateLimitBucket> eldest) {
                return size() > RateLimitTable.this.capacity;
            }
        };
        this.hops = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<DestinationTtl, Seen> eldest) {
                return size() > 4 * RateLimitTable.this.capacity;
            }
        };
    }

    private RateLimitBucket budget(InetAddress responder, long now) {
        if (++operations % SWEEP_EVERY == 0) {
            sweep(now);
        }
        RateLimitBucket b = table.get(responder);
        if (b == null || now - b.lastUsed > idleNanos) {
            b = new RateLimitBucket(now);
            table.put(responder, b);
        }
        b.lastUsed = now;
        b.refill(now);
        return b;
    }

    /**
     * Forgets responders (and remembered hops) idle for longer than the idle bound. Both maps are in access order,
     * least recent first, so the sweep stops at the first entry still in use instead of reading the whole table (up
     * to 16,384 hops) every 256 operations: an entry read since without being renewed stays until
     * a later sweep or the capacity bound takes it, and every reader checks the idle bound itself.
     */
    public void sweep(long now) {
        for (Iterator<RateLimitBucket> it = table.values().iterator(); it.hasNext() && now - it.next().lastUsed
                > idleNanos;) {
            it.remove();
        }
        for (Iterator<Seen> it = hops.values().iterator(); it.hasNext() && now - it.next().at > idleNanos;) {
            it.remove();
        }
    }

    @Override
    public void remember(InetAddress destination, int ttl, InetAddress responder, long now) {
        Seen s = hops.get(lookup.set(destination, ttl));
        if (s != null) {
            s.responder = responder;
            s.at = now;
        } else {
            hops.put(new DestinationTtl().set(destination, ttl), new Seen(responder, now));
        }
    }

    @Override
    public @org.jspecify.annotations.Nullable InetAddress remembered(InetAddress destination, int ttl, long now) {
        Seen s = hops.get(lookup.set(destination, ttl));
        return s == null || now - s.at > idleNanos ? null : s.responder;
    }

    @Override
    public long delay(InetAddress responder, long now) {
        RateLimitBucket b = table.get(responder);
        if (b == null || !b.isPaced() || now - b.lastUsed > idleNanos) {
            return 0;
        }
        b.refill(now);
        return b.tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - b.tokens) * b.interval * PACE_MARGIN));
    }

    @Override
    public boolean mayBeDrained(InetAddress responder, long sentTick, long now) {
        RateLimitBucket b = table.get(responder);
        if (b == null || now - b.lastUsed > idleNanos) {
            return true; // not met yet, or forgotten: its bucket is anyone's guess
        }
        return b.mayBeDrained(sentTick);
    }

    @Override
    public boolean take(InetAddress responder, long now) {
        RateLimitBucket b = budget(responder, now);
        b.takeFloor(now);
        boolean over = b.tokens < 1;
        b.tokens = Math.max(0, b.tokens - 1); // a refused probe takes nothing from a real bucket
        b.took(over, now);
        return over;
    }

    @Override
    public boolean over(InetAddress responder, long now) {
        RateLimitBucket b = table.get(responder);
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
     * trace's pause), and bounds the interval instead ({@code RateLimitBucket.bound}). An answer read before
     * the refusal that precedes it in send time is held back and counted when that refusal is read.
     */
    @Override
    public void answered(InetAddress responder, boolean over, long now, long sentTick) {
        budget(responder, now).answered(over, now, sentTick);
    }

    @Override
    public void missed(InetAddress responder, boolean over, long now) {
        missed(responder, over, now, now);
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
        RateLimitBucket b = table.get(responder);
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
        RateLimitBucket b = table.get(responder);
        return b != null && b.isPaced();
    }

    /** A paced limiter whose interval was learned from its answers (see {@link RateLimitModel#learned}). */
    @Override
    public boolean learned(InetAddress responder) {
        RateLimitBucket b = table.get(responder);
        return b != null && b.isPaced() && b.intervalLearned;
    }

    /** An over-budget miss of a limiter, tentative or firm. */
    @Override
    public boolean rateLimited(InetAddress responder, boolean over) {
        RateLimitBucket b = table.get(responder);
        return over && b != null && b.isLimiter();
    }

    @Override
    public boolean rateLimited(InetAddress responder, boolean over, long sentTick) {
        RateLimitBucket b = table.get(responder);
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
        budget(responder, now).missed(over, now, sentTick);
    }

    /** The learned interval of a limiter that is paced, or -1 (not a limiter, a tentative one, or unknown). */
    @Override
    public long interval(InetAddress responder) {
        RateLimitBucket b = table.get(responder);
        return b == null || !b.isPaced() ? -1 : b.interval;
    }

    /** Responders remembered now. */
    public int size() {
        return table.size();
    }
}
