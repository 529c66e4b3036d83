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

    /** The nodes at each TTL paced. */
    private final Map<Integer, Integer> nodes = new HashMap<>();
    private final Map<Integer, double[]> tokens = new HashMap<>();
    private final Map<Integer, Long> refilledAt = new HashMap<>();

    /** Paces the TTLs of {@code divergent} (TTL to its nodes) from {@code now}, each with its first burst. */
    void reset(Map<Integer, Integer> divergent, long now) {
        nodes.clear();
        tokens.clear();
        refilledAt.clear();
        divergent.forEach((ttl, k) -> {
            nodes.put(ttl, k);
            tokens.put(ttl, new double[] {2.0 * k});
            refilledAt.put(ttl, now);
        });
    }

    /** A token of the TTL's pace, if one is left (a TTL not paced always has one). */
    boolean take(int ttl, long now) {
        double[] t = tokens.get(ttl);
        if (t == null) {
            return true;
        }
        int k = nodes.get(ttl);
        long since = now - refilledAt.get(ttl);
        t[0] = Math.min(2.0 * k, t[0] + PROBES_PER_NODE_SECOND * k * (since / (double) SECOND));
        refilledAt.put(ttl, now);
        if (t[0] < 1) {
            return false;
        }
        t[0] -= 1;
        return true;
    }

    /** Nanoseconds between two tokens at the most crowded TTL paced. */
    long interval() {
        int k = nodes.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        return SECOND / (PROBES_PER_NODE_SECOND * (long) Math.max(1, k));
    }
}
