package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.sim.IcmpLimiter;
import io.pathprobe.core.internal.sim.Scenario;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A Fakeroute-like network for multipath tests: routers joined by edges from a virtual source to the
 * destination. A per-flow balancer picks its next hop by a uniform deterministic hash of (seed,
 * router, flow); a per-packet one at random (seeded). Routers may be silent, drop what they forward
 * (forward loss) or lose their own answers (backward loss).
 */
final class SimTopology {
    static final InetAddress DESTINATION = Scenario.DESTINATION;

    static final class Router {
        final int id;
        final InetAddress address;
        final List<Router> next = new ArrayList<>();
        boolean perPacket;
        boolean silent;
        double forwardLoss;
        double answerLoss;
        /** Its limit on the ICMP errors it sends (null: unlimited). */
        @org.jspecify.annotations.Nullable IcmpLimiter limit;
        /**
         * From this time (until {@link #faultUntil}) it forwards nothing: with {@link #unreachable} it
         * answers what reaches it with a network unreachable (a route replaced by {@code ip route replace
         * unreachable}: the lookup comes before the TTL check, so a probe expiring here gets one too),
         * else it drops it silently (a black hole).
         */
        long faultFrom = Long.MAX_VALUE;
        long faultUntil = Long.MAX_VALUE;
        boolean unreachable;
        /** Its limit on the unreachables it sends (Linux's ip_error: a burst of 5, then one a second); null: unlimited. */
        @org.jspecify.annotations.Nullable IcmpLimiter unreachableLimit;
        /** From {@link #rerouteFrom} (until {@link #rerouteUntil}) it forwards everything to this router instead (a route change). */
        @org.jspecify.annotations.Nullable Router reroute;
        long rerouteFrom = Long.MAX_VALUE;
        long rerouteUntil = Long.MAX_VALUE;
        /** At this time another prober spends its whole ICMP budget (once): what this prober never saw. */
        long drainAt = Long.MAX_VALUE;

        Router(int id, InetAddress address) {
            this.id = id;
            this.address = address;
        }
    }

    /** Where a probe ended: the router that answers (null: no answer); {@code unreachable}: a network unreachable. */
    record Answer(Router router, boolean destination, boolean unreachable) {
        Answer(Router router, boolean destination) {
            this(router, destination, false);
        }
    }

    final Router source = new Router(0, Scenario.address(127, 0, 0, 1));
    final Router destination;
    final List<Router> routers = new ArrayList<>();
    long hashSeed;
    /** Per-packet choices: a generator of their own, not interleaved with the driver's RTT and loss draws. */
    private java.util.SplittableRandom perPacketChoices = new java.util.SplittableRandom(0);

    SimTopology(long hashSeed) {
        this.hashSeed = hashSeed;
        this.perPacketChoices = new java.util.SplittableRandom(hashSeed * 31 + 7);
        this.destination = new Router(1, DESTINATION);
    }

    Router router(int ttl, int index) {
        Router r = new Router(routers.size() + 2, Scenario.address(10, 0, ttl, index));
        routers.add(r);
        return r;
    }

    SimTopology edge(Router from, Router... to) {
        for (Router t : to) {
            from.next.add(t);
        }
        return this;
    }

    /** Every limiter's bucket is empty at {@code now}: another tracer's burst just before ours (issue 47). */
    SimTopology drained(long now) {
        for (Router r : routers) {
            drain(r, now);
        }
        drain(destination, now);
        return this;
    }

    private static void drain(Router r, long now) {
        for (int i = 0; r.limit != null && i < 1_000 && r.limit.allows(now); i++) {
            // take every token
        }
    }

    /** Every router and the destination limit their ICMP errors as Linux does by default: 6, then 1 a second. */
    SimTopology kernelLimits() {
        for (Router r : routers) {
            limit(r, 6, 1_000_000_000L);
        }
        limit(destination, 6, 1_000_000_000L);
        return this;
    }

    /**
     * Every router limits its ICMP errors as common vendor defaults do: {@code perSecond} a second
     * with a burst as large, whoever they go to; the destination keeps Linux's limit.
     */
    SimTopology vendorLimits(int perSecond) {
        for (Router r : routers) {
            limit(r, perSecond, 1_000_000_000L / perSecond);
        }
        limit(destination, 6, 1_000_000_000L);
        return this;
    }

    private static void limit(Router r, int burst, long interval) {
        r.limit = new IcmpLimiter(burst, interval);
    }

    /** The answer to a probe of this flow at this TTL sent at {@code now}, or null (the answerer's limit applies). */
    Answer probe(int flow, int ttl, Random random, long now) {
        return probe(flow, ttl, random, now, true);
    }

    /**
     * As above; {@code destinationLimited} false: the destination's answers are not ICMP errors (Echo
     * Replies), which its limit does not apply to.
     */
    Answer probe(int flow, int ttl, Random random, long now, boolean destinationLimited) {
        Answer a = walk(flow, ttl, random, now, true);
        if (a != null && now - a.router().drainAt >= 0) {
            drain(a.router(), now);
            a.router().drainAt = Long.MAX_VALUE;
        }
        if (a != null && a.destination() && !destinationLimited) {
            return a;
        }
        IcmpLimiter limit = a == null ? null : a.unreachable() ? a.router().unreachableLimit : a.router().limit;
        return limit == null || limit.allows(now) ? a : null;
    }

    /** The answer to a probe of this flow at this TTL, or null (no fault is in force). */
    Answer probe(int flow, int ttl, Random random) {
        return walk(flow, ttl, random, 0, false);
    }

    private static boolean during(long now, long from, long until) {
        return now - from >= 0 && now - until < 0;
    }

    private Answer walk(int flow, int ttl, Random random, long now, boolean timed) {
        Router at = source;
        for (int i = 0; i < ttl; i++) {
            if (at == destination) {
                break;
            }
            if (timed && at != source && during(now, at.faultFrom, at.faultUntil)) {
                return at.unreachable && !at.silent ? new Answer(at, false, true) : null;
            }
            if (at.forwardLoss > 0 && random.nextDouble() < at.forwardLoss) {
                return null;
            }
            if (timed && at.reroute != null && during(now, at.rerouteFrom, at.rerouteUntil)) {
                at = at.reroute;
                continue;
            }
            int n = at.next.size();
            if (n == 0) {
                return null;
            }
            int choice = n == 1 ? 0 : at.perPacket ? perPacketChoices.nextInt(n) : (int) Long.remainderUnsigned(hash(at.id, flow), n);
            at = at.next.get(choice);
        }
        if (timed && at != destination && during(now, at.faultFrom, at.faultUntil)) {
            // the route lookup comes before the TTL check: a probe that expires here meets the fault too
            return at.unreachable && !at.silent ? new Answer(at, false, true) : null;
        }
        if (at.silent || (at.answerLoss > 0 && random.nextDouble() < at.answerLoss)) {
            return null;
        }
        return new Answer(at, at == destination);
    }

    private long hash(int router, int flow) {
        long z = hashSeed ^ (router * 0x9E3779B97F4A7C15L) ^ ((long) flow * 0xC2B2AE3D27D4EB4FL);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- ready-made topologies -------------------------------------------------------------------

    /** src → r1 → {w middle routers} → r3 → dst (the lab's topology). */
    static SimTopology diamond(int width, long seed) {
        SimTopology t = new SimTopology(seed);
        Router r1 = t.router(1, 1);
        Router r3 = t.router(3, 1);
        t.edge(t.source, r1);
        for (int i = 1; i <= width; i++) {
            Router m = t.router(2, i);
            t.edge(r1, m).edge(m, r3);
        }
        t.edge(r3, t.destination);
        return t;
    }

    /** src → 10.0.1.1 → ... → 10.0.hops.1 → dst. */
    static SimTopology chain(int hops, long seed) {
        SimTopology t = new SimTopology(seed);
        Router prev = t.source;
        for (int i = 1; i <= hops; i++) {
            Router r = t.router(i, 1);
            t.edge(prev, r);
            prev = r;
        }
        t.edge(prev, t.destination);
        return t;
    }
}
