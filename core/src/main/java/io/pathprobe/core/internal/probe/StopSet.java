package io.pathprobe.core.internal.probe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Doubletree's stop set for one tracer (Donnet et al., SIGMETRICS 2005), single vantage point: the
 * routers its traces saw, each as (TTL, responder, flow), with the path below it as the trace that
 * last confirmed it saw it. A trace of {@code traceAll} probes backward from its start TTL and stops
 * at the first router already in the set; the hops below come from the set ({@link #below}). It also
 * remembers the distance of recently reached destinations, from which the next traces start
 * ({@link #startTtl}).
 *
 * <p>The flow is part of the key: in a Paris trace every probe of a session carries one flow, and a
 * router seen at a TTL on flow 0 says nothing about another flow's path through a load balancer; a
 * classic trace's flows are unknown ({@link #UNKNOWN_FLOW}). Only routers (Time Exceeded) are
 * entered: a destination's own answer ends its path, it is never a stop.
 *
 * <p><b>What decides the branch.</b> "Flow 0" of two traces is not one flow: their destinations differ, and so do
 * their ports or echo identifiers, and a load balancer hashes those (issue 68: behind a diamond that hashes on
 * addresses, traces took the hop below a merge router from a sibling that went through the other branch). So the path
 * below a router is another trace's path, true for this trace only where no load balancer splits the traces' flows.
 * What a trace can take from the set is the router before a router it met: the router at TTL t whose successor, at
 * t + 1, is the router this trace met there, or a destination of this trace's prefix that answered there ({@link
 * Above}: a network's gateway is its addresses' own, so destinations of one network share it; a destination of
 * another network proves nothing here). That one is
 * <em>single</em> ({@link #proven}) when the last n distinct traces that met that successor met one and the same router
 * at t ({@link #observe}), the newest lately (so a trace probes again once the proof went stale, and renews it),
 * and no kept trace met another since two were met: a merge router's several
 * predecessors are met by the flows through it (a load balancer's share each), so n flows would have met a second at
 * MDA's confidence (DoubletreeStrategy asks n(2) at 99 %: 8). A router with one predecessor, as on a chain, is proven
 * so after n traces; a merge router never is, and the TTL before it is probed by every trace.
 *
 * <p>Bounded for a tracer that lives for days: at most {@code capacity} entries (the least recently
 * used goes first) and none older than {@code idleNanos} since it was last confirmed. Pure: every time
 * is passed in; confined to the engine loop.
 */
public final class StopSet {
    /** The flow of a classic trace (the transport varies it per probe). */
    public static final int UNKNOWN_FLOW = -1;
    /** Destination distances kept for {@link #startTtl}. */
    static final int DISTANCES = 64;

    /**
     * A router in the set.
     *
     * @param ttl its TTL
     * @param responder its address
     * @param flow the flow it was seen on
     * @param below the responders at TTLs 1..ttl-1 as the trace that confirmed it saw them (index
     *     ttl-1; null: silent, or not probed by that trace)
     * @param confirmed when a probe last confirmed it (engine tick)
     * @param last whether a destination was reached right behind it (at {@code ttl + 1})
     */
    public record Entry(int ttl, InetAddress responder, int flow, @Nullable InetAddress[] below, long confirmed,
            boolean last) {
        /** The responder below it at {@code t} (1 ≤ t < ttl), or null when that trace saw none there. */
        public @Nullable InetAddress at(int t) {
            return t >= 1 && t <= below.length ? below[t - 1] : null;
        }
    }

    private record Key(int ttl, InetAddress responder, int flow) {}

    private record Slot(int ttl, int flow) {}

    private final int capacity;
    private final long idleNanos;
    private final LinkedHashMap<Key, Entry> entries;
    /** Per (TTL, flow) the keys of the entries there: the candidates a probe at that TTL expects. */
    private final Map<Slot, List<Key>> bySlot = new HashMap<>();
    /** The most traces {@link #proven} may ask for: the observations kept per TTL and flow key. */
    public static final int OBSERVED = 16;

    /**
     * What a trace met one TTL above a hop: a router, or its destination's answer. Destinations are told apart by
     * their prefix (a /24, a /64): the router before a destination is its network's gateway, shared by the addresses
     * of one network and by no other's. A load balancer right before the destinations shows as several routers met
     * there, and nothing is proven.
     *
     * <p>And by the TTL its answer arrived with: addresses of one prefix may sit at different distances behind
     * different last routers (a /24 cut in two), and one that answered the same probe TTL from nearer would take a
     * farther sibling's last router for its own; the return path's length tells them apart.
     *
     * @param address the router, or the destination's prefix (its address with the host part cleared)
     * @param destination whether it is a destination's prefix
     * @param replyTtl the TTL the destination's answer arrived with; -1 for a router
     */
    public record Above(InetAddress address, boolean destination, int replyTtl) {
        /** {@return the router {@code router}, met above} */
        public static Above router(InetAddress router) {
            return new Above(router, false, -1);
        }

        /**
         * {@return {@code destination}'s prefix, its answer met above, arrived with {@code replyTtl}}
         *
         * @throws IllegalArgumentException if the reply's TTL is not known (negative): nothing can be proven then
         */
        public static Above destination(InetAddress destination, int replyTtl) {
            if (replyTtl < 0) {
                throw new IllegalArgumentException("a destination's answer without its TTL proves nothing");
            }
            byte[] a = destination.getAddress();
            for (int i = a.length == 4 ? 3 : 8; i < a.length; i++) {
                a[i] = 0;
            }
            try {
                return new Above(InetAddress.getByAddress(a), true, replyTtl);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // a 4- or 16-byte address is never refused
            }
        }
    }

    /** Where observations are kept: a TTL on a flow key, behind what was met one TTL further. */
    private record Behind(int ttl, int flow, Above above) {}

    /** The routers the last {@link #OBSERVED} traces met at a TTL on a flow key behind one router: a ring each. */
    private static final class Seen {
        final long[] trace = new long[OBSERVED];
        final InetAddress[] router = new InetAddress[OBSERVED];
        final long[] at = new long[OBSERVED];
        int count;
        int next;
        long lastUsed;
        /**
         * Whether traces met more than one router here: a load balancer (or a route that moved). Not single-path
         * until the last {@link #OBSERVED} traces met one router again.
         */
        boolean branching;
    }

    private final Map<Behind, Seen> seen = new HashMap<>();
    private long traces;
    private final int[] distances = new int[DISTANCES];
    private int distanceCount;
    private int enters;
    private static final int SWEEP_EVERY = 256;
    private int distanceNext;

    /**
     * @param capacity the most entries kept
     * @param idleNanos how long an entry is kept after it was last confirmed
     */
    public StopSet(int capacity, long idleNanos) {
        if (capacity < 1 || idleNanos <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", idle " + idleNanos + " ns");
        }
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                if (size() > StopSet.this.capacity) {
                    unslot(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    /** The entry of this router at this TTL on this flow, if the set holds it (and it is not idle). */
    public @Nullable Entry find(int ttl, InetAddress responder, int flow, long now) {
        Key k = new Key(ttl, responder, flow);
        Entry e = entries.get(k);
        if (e != null && now - e.confirmed() > idleNanos) {
            entries.remove(k);
            unslot(k);
            return null;
        }
        return e;
    }

    /**
     * The routers the set holds at this TTL on this flow (not idle): those a probe there may reach, one of them
     * whichever branch a new destination takes; empty when it holds none.
     */
    public List<InetAddress> candidates(int ttl, int flow, long now) {
        List<Key> keys = bySlot.get(new Slot(ttl, flow));
        if (keys == null || keys.isEmpty()) {
            return List.of();
        }
        List<InetAddress> routers = new ArrayList<>(keys.size());
        for (Key k : List.copyOf(keys)) {
            if (find(k.ttl(), k.responder(), k.flow(), now) != null) {
                routers.add(k.responder());
            }
        }
        return routers;
    }

    /**
     * The router a probe at this TTL on this flow is expected to reach: the only one the set holds there
     * confirmed within {@code freshNanos}, else the only one it holds there at all; null when it holds
     * none, or several alike (the paths of this tracer's traces part there: which one a new destination
     * takes is unknown). A route that moved leaves the old router's entry unconfirmed: the new one is
     * then expected.
     */
    public @Nullable Entry expected(int ttl, int flow, long now, long freshNanos) {
        List<Key> keys = bySlot.get(new Slot(ttl, flow));
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        if (keys.size() == 1) {
            Key k = keys.get(0);
            return find(k.ttl(), k.responder(), k.flow(), now);
        }
        Entry fresh = null;
        for (Key k : List.copyOf(keys)) {
            Entry e = find(k.ttl(), k.responder(), k.flow(), now);
            if (e != null && now - e.confirmed() < freshNanos) {
                if (fresh != null) {
                    return null;
                }
                fresh = e;
            }
        }
        return fresh;
    }

    /**
     * Enters a trace's path: {@code path[t-1]} is the router that answered at TTL t (null: silent, the
     * destination, or not known), up to the last TTL before the destination; each router becomes (or
     * is refreshed as) an entry with the path below it. {@code confirmed[t-1]} says whether this trace
     * probed the router itself (its time is refreshed) or took it from the set (its time is kept).
     * {@code reachedAt} is the TTL the destination answered at (0: it did not).
     */
    public void enter(@Nullable InetAddress[] path, boolean[] confirmed, int flow, long now, int reachedAt) {
        if (++enters % SWEEP_EVERY == 0) {
            sweep(now);
        }
        for (int t = 1; t <= path.length; t++) {
            InetAddress r = path[t - 1];
            if (r == null) {
                continue;
            }
            Key k = new Key(t, r, flow);
            Entry old = entries.get(k);
            long at = confirmed[t - 1] || old == null ? now : old.confirmed();
            boolean last = t == reachedAt - 1 || (old != null && old.last());
            entries.put(k, new Entry(t, r, flow, Arrays.copyOf(path, t - 1), at, last));
            if (old == null) {
                bySlot.computeIfAbsent(new Slot(t, flow), s -> new ArrayList<>(1)).add(k);
            }
        }
    }

    /** A number for a new trace, for {@link #observe}: traces are told apart by it. */
    public long newTrace() {
        return ++traces;
    }

    /**
     * Trace {@code trace} met router {@code router} at {@code ttl} on {@code flow} (a Time Exceeded; the trace's first
     * router there) and {@code above} at {@code ttl + 1} (the router it met there, or its destination's answer). Once
     * per trace, TTL and what was above. Kept for {@link #proven}: the last {@link #OBSERVED} traces each.
     */
    public void observe(int ttl, int flow, Above above, long trace, InetAddress router, long now) {
        Seen r = seen.computeIfAbsent(new Behind(ttl, flow, above), k -> new Seen());
        for (int i = 0; i < r.count; i++) {
            if (r.trace[i] == trace) {
                return; // once per trace
            }
        }
        for (int i = 0; i < r.count; i++) {
            if (!router.equals(r.router[i])) {
                r.branching = true;
            }
        }
        r.trace[r.next] = trace;
        r.router[r.next] = router;
        r.at[r.next] = now;
        r.next = (r.next + 1) % OBSERVED;
        r.count = Math.min(OBSERVED, r.count + 1);
        r.lastUsed = now;
        if (r.branching && r.count == OBSERVED) {
            boolean one = true;
            for (int i = 1; i < OBSERVED; i++) {
                one &= r.router[i].equals(r.router[0]);
            }
            r.branching = !one; // a route that moved, settled: every kept trace met the new router
        }
    }

    /**
     * The one router at {@code ttl} on {@code flow} before {@code above} (the router at {@code ttl + 1}, or a
     * destination of that prefix answering there), when it is single for all this tracer knows: the last {@code
     * traces} distinct traces (at most {@link #OBSERVED}) that met {@code above} there met it at {@code ttl}, the
     * newest within {@code freshNanos} of
     * {@code now}, and no kept trace met another there since traces met two (a merge router stays one: only when the
     * last {@link #OBSERVED} traces all met one router, as after a route moved, is it single again); else null.
     */
    public @Nullable InetAddress proven(int ttl, int flow, Above above, long now, long freshNanos,
            int traces) {
        if (traces < 1 || traces > OBSERVED) {
            throw new IllegalArgumentException("traces must be 1.." + OBSERVED + ", was " + traces);
        }
        Seen r = seen.get(new Behind(ttl, flow, above));
        if (r == null || r.count < traces || r.branching) {
            return null;
        }
        InetAddress one = null;
        for (int n = 1; n <= traces; n++) {
            int i = (r.next - n + OBSERVED) % OBSERVED;
            if ((one != null && !r.router[i].equals(one)) || (n == 1 && now - r.at[i] > freshNanos)) {
                return null;
            }
            one = r.router[i];
        }
        return one;
    }


    /** A destination was reached at {@code ttl}: the next traces start from the distances seen. */
    public void reached(int ttl) {
        distances[distanceNext] = ttl;
        distanceNext = (distanceNext + 1) % DISTANCES;
        distanceCount = Math.min(DISTANCES, distanceCount + 1);
    }

    /**
     * The TTL a new trace starts its forward probing from: the median distance of the destinations
     * reached lately (a destination at about that distance answers the first probe; a nearer one
     * answers it too, and backward probing finds its distance), or {@code firstTtl} when none was.
     * Clamped to {@code firstTtl..maxTtl}.
     */
    public int startTtl(int firstTtl, int maxTtl) {
        if (distanceCount == 0) {
            return firstTtl;
        }
        int[] d = Arrays.copyOf(distances, distanceCount);
        Arrays.sort(d);
        return Math.max(firstTtl, Math.min(maxTtl, d[(d.length - 1) / 2]));
    }

    /** Forgets the entries not confirmed for longer than the idle bound. */
    public void sweep(long now) {
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Entry> e = it.next();
            if (now - e.getValue().confirmed() > idleNanos) {
                unslot(e.getKey());
                it.remove();
            }
        }
        seen.values().removeIf(r -> now - r.lastUsed > idleNanos);
    }

    private void unslot(Key k) {
        Slot s = new Slot(k.ttl(), k.flow());
        List<Key> keys = bySlot.get(s);
        if (keys != null) {
            keys.remove(k);
            if (keys.isEmpty()) {
                bySlot.remove(s);
            }
        }
    }

    /** Entries held. */
    public int size() {
        return entries.size();
    }
}
