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
 * engine's ticker). Confined to the engine loop.
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

    private final ProbeBudget budget;
    private final Ticker ticker;
    private final RateLimitTable hops;
    private final Cache<Key, Bucket> buckets;
    /** (TTL and prefix) and (TTL) → the router last seen answering there, or {@link #SELF}: the destination. */
    private final Cache<Key, Object> seen;
    private static final Object SELF = "the destination itself";

    private ProbeBudgets(ProbeBudget budget, Ticker ticker, RateLimitTable hops) {
        this.budget = budget;
        this.ticker = ticker;
        this.hops = hops;
        this.buckets = cache(ticker);
        this.seen = cache(ticker);
    }

    private static <V> Cache<Key, V> cache(Ticker ticker) {
        return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(java.time.Duration.ofSeconds(IDLE_SECONDS))
                .executor(Runnable::run).ticker(ticker::read).build();
    }

    /** {@return the keyed budgets of {@code budget}, or null when it has none} */
    public static @Nullable ProbeBudgets of(ProbeBudget budget, Ticker ticker, RateLimitTable hops) {
        return budget.keyed() ? new ProbeBudgets(budget, ticker, hops) : null;
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

    private Bucket bucket(int kind, Object of, int perSecond, long now) {
        return buckets.get(new Key(kind, of), k -> new Bucket(new RateBudget(perSecond, 1, now)));
    }

    /**
     * A keyed token bucket and the turns booked on it: a probe it holds back books the turn after the last one
     * booked and is asked again then, so those waiting wake one by one. A probe takes its token when it leaves
     * (the bucket's own rate holds at the send), and one that finds turns booked ahead of it books one too.
     */
    private static final class Bucket {
        final RateBudget rate;
        final long period;
        long booked;

        Bucket(RateBudget rate) {
            this.rate = rate;
            this.period = rate.nanosPerToken();
            this.booked = Long.MIN_VALUE;
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
        private final Map<Integer, Object[]> charged = new HashMap<>();
        /** The bucket where the held probe (its sequence) has a turn booked. */
        private @Nullable Bucket turn;
        private int turnFor = -1;

        private Run(InetAddress destination) {
            this.destination = destination;
            this.prefix = prefix(destination);
        }

        /**
         * Charges {@code probe} to every budget it falls under if all have room now (returns 0), else returns the
         * nanoseconds until they may have: it books a turn on the budget that holds it longest ({@link Bucket}).
         */
        public long tryCharge(ProbeSpec probe, long now) {
            Bucket d = budget.perDestination() > 0 ? bucket(DESTINATION, destination, budget.perDestination(), now)
                    : null;
            Bucket p = budget.perPrefix() > 0 ? bucket(PREFIX, prefix, budget.perPrefix(), now) : null;
            Key router = budget.perRouter() > 0 ? expected(probe.ttl(), now) : null;
            Bucket r = router != null ? bucket(router.kind(), router.of(), budget.perRouter(), now) : null;
            Bucket held = turnFor == probe.sequence() ? turn : null;
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
                if (worst != held) { // a turn of its own there (one held elsewhere is given up)
                    turn = worst;
                    turnFor = probe.sequence();
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
            charged.put(probe.sequence(), new Object[] {probe.ttl(), router});
            return 0;
        }

        /** The router key a probe at {@code ttl} asks: the one last seen there, toward the destination or prefix. */
        private Key expected(int ttl, long now) {
            Object r = hops.remembered(destination, ttl, now);
            if (r == null) {
                r = seen.getIfPresent(new Key(HOP, new Key(ttl, prefix)));
            }
            if (r == null) {
                r = seen.getIfPresent(new Key(HOP, ttl));
            }
            return r == SELF ? new Key(ROUTER, destination) : r != null ? new Key(ROUTER, r) : UNKNOWN_ROUTER;
        }

        /**
         * An answer: its responder is remembered at its probe's TTL (toward the destination and its prefix), and
         * charged if its probe was charged to another router (or to none known).
         */
        public void answered(ProbeResponse answer) {
            Object[] c = charged.remove(answer.sequence());
            if (c == null) {
                return; // a duplicate, or no probe of this run's
            }
            long now = ticker.read();
            int ttl = (Integer) c[0];
            InetAddress responder = answer.responder();
            hops.remember(destination, ttl, responder, now);
            Object seenThere = responder.equals(destination) ? SELF : responder;
            seen.put(new Key(HOP, new Key(ttl, prefix)), seenThere);
            seen.put(new Key(HOP, ttl), seenThere);
            Key router = new Key(ROUTER, responder);
            if (c[1] != null && !router.equals(c[1])) {
                bucket(ROUTER, responder, budget.perRouter(), now).rate.charge(now);
            }
        }
    }
}
