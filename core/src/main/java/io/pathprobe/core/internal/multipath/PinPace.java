package io.pathprobe.core.internal.multipath;

import java.util.HashMap;
import java.util.Map;

/**
 * The pace of {@link TcpPathProbing}'s TTL-limited probes at each TTL where the paths part: at a TTL of
 * k nodes, a first 2k at once, then {@value #PROBES_PER_NODE_SECOND}k a second. Pure; confined to the
 * engine loop.
 */
final class PinPace {
    /**
     * TTL-limited probes a second per node at a TTL where the paths part: a Linux router answers one a
     * second once its burst is spent, and a probe it refuses costs it nothing, so probes that come more
     * often than that catch each answer as soon as its budget allows (at one a node a second, the flows
     * spread at random, they missed them: pinning took up to 4.8 s).
     */
    static final int PROBES_PER_NODE_SECOND = 4;
    static final long SECOND = 1_000_000_000L;

    /** A paced TTL: its nodes, the tokens left and when they were last refilled. */
    private static final class Pace {
        final int nodes;
        double tokens;
        long refilledAt;

        Pace(int nodes, long now) {
            this.nodes = nodes;
            this.tokens = 2.0 * nodes;
            this.refilledAt = now;
        }
    }

    /** Each TTL paced. */
    private final Map<Integer, Pace> paces = new HashMap<>();

    /** Paces the TTLs of {@code divergent} (TTL to its nodes) from {@code now}, each with its first burst. */
    void reset(Map<Integer, Integer> divergent, long now) {
        paces.clear();
        divergent.forEach((ttl, k) -> paces.put(ttl, new Pace(k, now)));
    }

    /** A token of the TTL's pace, if one is left (a TTL not paced always has one). */
    boolean take(int ttl, long now) {
        Pace t = paces.get(ttl);
        if (t == null) {
            return true;
        }
        int k = t.nodes;
        long since = now - t.refilledAt;
        t.tokens = Math.min(2.0 * k, t.tokens + PROBES_PER_NODE_SECOND * k * (since / (double) SECOND));
        t.refilledAt = now;
        if (t.tokens < 1) {
            return false;
        }
        t.tokens -= 1;
        return true;
    }

    /** Nanoseconds between two tokens at the most crowded TTL paced. */
    long interval() {
        int k = paces.values().stream().mapToInt(p -> p.nodes).max().orElse(1);
        return SECOND / (PROBES_PER_NODE_SECOND * (long) Math.max(1, k));
    }
}
