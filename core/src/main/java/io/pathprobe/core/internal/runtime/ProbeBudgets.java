package io.pathprobe.core.internal.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pathprobe.core.internal.ratelimit.RateLimitTable;
import io.pathprobe.options.ProbeBudget;
import io.pathprobe.spi.ProbeResponse;
import io.pathprobe.spi.ProbeSpec;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tracer's keyed probing budgets ({@link ProbeBudget}): one {@link RateBudget} (burst 1) per destination, per /24
 * (IPv4) or /48 (IPv6) prefix and per responding router, charged before a probe leaves; the overall one is the
 * {@link SendScheduler}'s. The router a probe asks is the one last seen answering at its TTL toward its destination
 * ({@link RateLimitTable#remembered}), else toward its prefix, else toward any destination (where a destination
 * answered itself, the one probed now is expected to), else the one "unknown router" bucket of the tracer (at the
 * per-router rate: a probe toward a TTL never heard from could reach any router); when the answer names another
 * router, that router's bucket is charged too (it may go into debt). Buckets and remembered
 * hops expire after {@value #IDLE_SECONDS} idle seconds, at most {@value #MAX_KEYS} of each (Caffeine, on the
 * engine's ticker). The budget may change while the tracer runs ({@link #rebudget}). Confined to the engine loop.
 */
public final class ProbeBudgets {
    static final int IDLE_SECONDS = 10;
    static final int MAX_KEYS = 1 << 18;
    private static final int DESTINATION = 0;
    private static final int PREFIX = 1;
    private static final int ROUTER = 2;
    private static final int UNKNOWN = 3;
    private static final int HOP = 4;
    private static final Key UNKNOWN_ROUTER = new Key(UNKNOWN, "any");

    /** A bucket's or a remembered hop's key: what it is of, and the address, prefix or prefix and TTL. */
    private record Key(int kind, Object of) {}

    private ProbeBudget budget;
    private final Ticker ticker;
    private final RateLimitTable hops;
    /** The buckets, and the routers seen, while a keyed budget is set (null otherwise: Caffeine is not loaded). */
    private @Nullable Cache<Key, Bucket> buckets;
    /** (TTL and prefix) and (TTL) → the router last seen answering there, or {@link #SELF}: the destination. */
    private @Nullable Cache<Key, Object> seen;
    private static final Object SELF = "the destination itself";
    /** Counts the budget's changes: a turn booked before the last one is void ({@link #rebudget}). */
    private int generation;

    private ProbeBudgets(ProbeBudget budget, Ticker ticker, RateLimitTable hops) {
        this.ticker = ticker;
        this.hops = hops;
        this.budget = budget;
        if (budget.keyed()) {
            this.buckets = cache(ticker);
            this.seen = cache(ticker);
        }
    }

    private static <V> Cache<Key, V> cache(Ticker ticker) {
        return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(java.time.Duration.ofSeconds(IDLE_SECONDS))
                .executor(Runnable::run).ticker(ticker::read).build();
    }

    /** {@return the keyed budgets of {@code budget} (none charged while it has none: {@link ProbeBudget#keyed})} */
    public static ProbeBudgets of(ProbeBudget budget, Ticker ticker, RateLimitTable hops) {
        return new ProbeBudgets(budget, ticker, hops);
    }

    /**
     * The tracer's budget changed (on the loop, at {@code now}): each bucket takes its kind's new rate, keeping the
     * tokens it holds ({@link RateBudget#retune}), or goes if its kind is now unlimited (all go, and the routers seen
     * with them, when none is keyed); every turn booked is void, so the probes held re-book theirs under the new rates
     * when the scheduler asks them again ({@link SendScheduler#rebudget}).
     */
    void rebudget(ProbeBudget next, long now) {
        budget = next;
        generation++;
        Cache<Key, Bucket> b = buckets;
        if (!next.keyed()) {
            buckets = null;
            seen = null;
        } else if (b == null) {
            buckets = cache(ticker);
            seen = cache(ticker);
        } else {
            b.asMap().entrySet().removeIf(e -> {
                int rate = rateOf(e.getKey().kind());
                if (rate > 0) {
                    e.getValue().retune(rate, now);
                }
                return rate == 0;
            });
        }
    }

    private int rateOf(int kind) {
        return kind == DESTINATION ? budget.perDestination() : kind == PREFIX ? budget.perPrefix() : budget.perRouter();
    }

    /** {@return the charges of one run's probes toward {@code destination}} */
    public Run run(InetAddress destination) {
        return new Run(destination);
    }

    private static Object prefix(InetAddress a) {
        byte[] b = a.getAddress();
        long p = b.length == 4 ? 1L << 40 : 2L << 48; // IPv4 /24, IPv6 /48 (the family in the top bits)
        for (int i = 0; i < (b.length == 4 ? 3 : 6); i++) {
            p |= (b[i] & 0xffL) << (8 * (5 - i));
        }
        return p;
    }

    private Bucket bucket(Cache<Key, Bucket> in, int kind, Object of, int perSecond, long now) {
        return in.get(new Key(kind, of), k -> new Bucket(new RateBudget(perSecond, 1, now)));
    }

    /**
     * A keyed token bucket and the turns booked on it: a probe it holds back books the turn after the last one
     * booked and is asked again then, so those waiting wake one by one. A probe takes its token when it leaves
     * (the bucket's own rate holds at the send), and one that finds turns booked ahead of it books one too.
     */
    private static final class Bucket {
        final RateBudget rate;
        long period;
        long booked;

        Bucket(RateBudget rate) {
            this.rate = rate;
            this.period = rate.nanosPerToken();
            this.booked = Long.MIN_VALUE;
        }

        /** A new rate from {@code now}: its tokens kept, no turn booked. */
        void retune(int perSecond, long now) {
            rate.retune(perSecond, 1, now);
            period = rate.nanosPerToken();
            booked = Long.MIN_VALUE;
        }

        /** Nanoseconds a probe must wait here: for a token, and, unless it holds a turn, behind the turns booked. */
        long wait(long now, boolean turnHeld) {
            long w = rate.nanosUntilToken(now);
            return turnHeld || booked == Long.MIN_VALUE ? w : Math.max(w, booked - now);
        }

        /** Books the next turn; returns when it comes. */
        long book(long now, long wait) {
            long at = booked == Long.MIN_VALUE ? now + wait : Math.max(now + wait, booked);
            booked = at + period;
            return at;
        }
    }

    /** The charges of one run's probes: what each probe was charged to, until its answer. Engine loop only. */
    public final class Run {
        private final InetAddress destination;
        private final Object prefix;
        /** Per outstanding probe (by sequence): its TTL and the router key it was charged to (null: none). */
        private @Nullable Map<Integer, Object[]> charged;
        /** The bucket where the held probe (its sequence) has a turn booked, under budget {@link #turnOf}. */
        private @Nullable Bucket turn;
        private int turnFor = -1;
        private int turnOf;

        private Run(InetAddress destination) {
            this.destination = destination;
            this.prefix = prefix(destination);
        }

        /**
         * Charges {@code probe} to every budget it falls under if all have room now (returns 0), else returns the
         * nanoseconds until they may have: it books a turn on the budget that holds it longest ({@link Bucket}).
         */
        public long tryCharge(ProbeSpec probe, long now) {
            Cache<Key, Bucket> in = buckets;
            if (in == null) {
                turn = null;
                turnFor = -1;
                return 0; // no keyed budget
            }
            Bucket d = budget.perDestination() > 0
                    ? bucket(in, DESTINATION, destination, budget.perDestination(), now) : null;
            Bucket p = budget.perPrefix() > 0 ? bucket(in, PREFIX, prefix, budget.perPrefix(), now) : null;
            Key router = budget.perRouter() > 0 ? expected(probe.ttl(), now) : null;
            Bucket r = router != null ? bucket(in, router.kind(), router.of(), budget.perRouter(), now) : null;
            Bucket held = turnFor == probe.sequence() && turnOf == generation ? turn : null;
            Bucket[] all = {d, p, r};
            Bucket worst = null;
            long wait = 0;
            for (Bucket b : all) {
                long w = b == null ? 0 : b.wait(now, b == held);
                if (w > wait) {
                    wait = w;
                    worst = b;
                }
            }
            if (worst != null) {
                if (worst != held) { // a turn of its own there (one held elsewhere, or before a change, is given up)
                    turn = worst;
                    turnFor = probe.sequence();
                    turnOf = generation;
                    return Math.max(1, worst.book(now, wait) - now);
                }
                return wait; // its turn came a little before its token
            }
            turn = null;
            turnFor = -1;
            for (Bucket b : all) {
                if (b != null) {
                    b.rate.charge(now);
                }
            }
            Map<Integer, Object[]> c = charged;
            if (c == null) {
                charged = c = new HashMap<>();
            }
            c.put(probe.sequence(), new Object[] {probe.ttl(), router});
            return 0;
        }

        /** The router key a probe at {@code ttl} asks: the one last seen there, toward the destination or prefix. */
        private Key expected(int ttl, long now) {
            Object r = hops.remembered(destination, ttl, now);
            Cache<Key, Object> s = seen;
            if (r == null && s != null) {
                r = s.getIfPresent(new Key(HOP, new Key(ttl, prefix)));
            }
            if (r == null && s != null) {
                r = s.getIfPresent(new Key(HOP, ttl));
            }
            return r == SELF ? new Key(ROUTER, destination) : r != null ? new Key(ROUTER, r) : UNKNOWN_ROUTER;
        }

        /**
         * An answer: its responder is remembered at its probe's TTL (toward the destination and its prefix), and
         * charged if its probe was charged to another router (or to none known).
         */
        public void answered(ProbeResponse answer) {
            Map<Integer, Object[]> all = charged;
            Object[] c = all == null ? null : all.remove(answer.sequence());
            Cache<Key, Bucket> in = buckets;
            Cache<Key, Object> s = seen;
            if (c == null || in == null || s == null) {
                return; // a duplicate, no probe of this run's, or no keyed budget any more
            }
            long now = ticker.read();
            int ttl = (Integer) c[0];
            InetAddress responder = answer.responder();
            hops.remember(destination, ttl, responder, now);
            Object seenThere = responder.equals(destination) ? SELF : responder;
            s.put(new Key(HOP, new Key(ttl, prefix)), seenThere);
            s.put(new Key(HOP, ttl), seenThere);
            Key router = new Key(ROUTER, responder);
            if (c[1] != null && !router.equals(c[1]) && budget.perRouter() > 0) {
                bucket(in, ROUTER, responder, budget.perRouter(), now).rate.charge(now);
            }
        }
    }
}
