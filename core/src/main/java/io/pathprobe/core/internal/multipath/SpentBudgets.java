package io.pathprobe.core.internal.multipath;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * When another protocol's probes of this run (the TCP flows pinned to paths, {@link TcpPathProbing}) went to the
 * routers at each TTL: they spend the same ICMP budgets as the path phase's own probes, which the path phase's
 * rate-limit model does not see (it never learns which router refused a flow's probe). A path probe to a router
 * that went unanswered soon after is no evidence of loss. Confined to the engine loop.
 */
final class SpentBudgets {
    /**
     * How long after a probe a router's budget may still be short for it: a drained Linux limiter (a burst of 6,
     * one token a second) is full again after 6 s.
     */
    static final long WINDOW_NANOS = 6_000_000_000L;

    private final Map<Integer, TreeSet<Long>> sent = new HashMap<>();

    /** A probe to a router at {@code ttl} left at {@code tick}. */
    void sent(int ttl, long tick) {
        sent.computeIfAbsent(ttl, t -> new TreeSet<>()).add(tick);
    }

    /** Whether a probe to a router at {@code ttl} left in the {@link #WINDOW_NANOS} before {@code tick}. */
    boolean spent(int ttl, long tick) {
        TreeSet<Long> at = sent.get(ttl);
        Long before = at == null ? null : at.floor(tick);
        return before != null && tick - before <= WINDOW_NANOS;
    }
}
