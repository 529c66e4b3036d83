package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ProbeTable;
import io.pathprobe.probe.ProbeStatus;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Where each flow's path ends in a trace of several explicit flows sent all TTLs at once: a flow's
 * path ends at the TTL where its destination (or an unreachable) answered, so flows whose path is
 * longer, or that reach a farther site of an anycast destination, are followed beyond the nearest
 * end, hop by hop rather than flooded to the last TTL. Attempt {@code a} at a TTL belongs to flow
 * {@code a % flows}. When the trace is not such a trace ({@link #active()} false) every probe is
 * included and wanted, and only {@link #ended} bookkeeping is skipped. Part of {@link TraceStrategy};
 * confined to the engine loop.
 */
final class FlowEnds {
    private final boolean active;
    private final int flows;
    private final int firstTtl;
    private final int maxHops;
    private final int perHop;
    private final ProbeTable table;
    private final ProbeLedger ledger;
    /** The TTL at which each flow's path ended; the highest TTL until then. */
    private final int[] end;
    /** The lowest of {@link #end} (they only come down). */
    private int nearestEnd;
    /** The highest TTL at which each flow met a router (Time Exceeded), 0 if none. */
    private final int[] routerTtl;
    /** Per TTL, the attempt sent last, -1 before the first. */
    private final int[] lastSent;
    /** Not {@link #active()}: how many probes of the table, from the first, are known settled. */
    private int settledPrefix;

    FlowEnds(boolean active, int flows, int firstTtl, int maxHops, int perHop, ProbeTable table, ProbeLedger ledger) {
        this.active = active;
        this.flows = flows;
        this.firstTtl = firstTtl;
        this.maxHops = maxHops;
        this.perHop = perHop;
        this.table = table;
        this.ledger = ledger;
        this.end = new int[flows];
        this.routerTtl = new int[flows];
        this.lastSent = new int[maxHops - firstTtl + 1];
        Arrays.fill(end, maxHops);
        this.nearestEnd = maxHops;
        Arrays.fill(lastSent, -1);
        if (active) {
            ledger.endsPerFlow(p -> !included(p));
        }
    }

    boolean active() {
        return active;
    }

    private int flowOf(int attempt) {
        return attempt % flows;
    }

    /** {@code p} left. */
    void sent(ProbeState p) {
        lastSent[p.ttl() - firstTtl] = p.attempt();
    }

    /**
     * The first attempt at {@code ttl} from {@code from} on that is not sent and is wanted, if it may
     * leave: the first at its TTL, or the path goes on ({@code ttl <= highestRouterTtl}), or the one
     * sent last there is done.
     */
    @Nullable ProbeState nextWanted(int ttl, int from, int highestRouterTtl) {
        for (int a = from; a < perHop; a++) {
            ProbeState p = table.probe(ttl, a);
            if (p.sent() || !wanted(ttl, a)) {
                continue;
            }
            int last = lastSent[ttl - firstTtl];
            return last < 0 || ttl <= highestRouterTtl || table.probe(ttl, last).completed() ? p : null;
        }
        return null;
    }

    /**
     * Whether attempt {@code a} at {@code ttl} is to be sent: not beyond its flow's end, and beyond
     * the nearest end of any flow only one TTL past the farthest router its flow met there (its path
     * certainly goes on). Always true when not {@link #active()}.
     */
    boolean wanted(int ttl, int a) {
        if (!active) {
            return true;
        }
        int f = flowOf(a);
        if (ttl > end[f]) {
            return false;
        }
        return ttl <= nearestEnd || (routerTtl[f] >= nearestEnd && ttl <= routerTtl[f] + 1);
    }

    /** Whether the probe is part of the trace: not beyond its flow's end (always, unless active). */
    boolean included(ProbeState p) {
        return !active || p.ttl() <= end[flowOf(p.attempt())];
    }

    /**
     * Whether every probe of the table below index {@code end} is {@link #settled}. Asked after every answer: with
     * one path (not {@link #active()}) settled is completed, which lasts, so the probes found settled from the first
     * on are not looked at again.
     */
    boolean settledBelow(int end) {
        for (int i = active ? 0 : settledPrefix; i < end; i++) {
            if (!settled(table.at(i))) {
                return false;
            }
            if (!active) {
                settledPrefix = i + 1;
            }
        }
        return true;
    }

    /** Whether the probe needs no more waiting: done, or not sent and not wanted. */
    boolean settled(ProbeState p) {
        return p.completed() || !included(p) || (!p.sent() && !wanted(p.ttl(), p.attempt()));
    }

    /** {@code p} was answered: by a router (the path goes on) or by the end of its flow's path. */
    void answered(ProbeState p, boolean router) {
        if (!active) {
            return;
        }
        int f = flowOf(p.attempt());
        if (router) {
            routerTtl[f] = Math.max(routerTtl[f], p.ttl());
        } else {
            ended(f, p.ttl());
        }
    }

    /** Flow {@code f}'s path ended at {@code ttl}: its probes beyond are abandoned. */
    private void ended(int f, int ttl) {
        if (ttl >= end[f]) {
            return;
        }
        end[f] = ttl;
        nearestEnd = Math.min(nearestEnd, ttl);
        for (int t = ttl + 1; t <= maxHops; t++) {
            for (int a = f; a < perHop; a += flows) {
                ProbeState p = table.probe(t, a);
                if (p.pending()) {
                    ledger.finish(p, ProbeStatus.ABANDONED);
                }
            }
        }
    }

    /** The farthest flow's end. */
    int farthestEnd() {
        int h = firstTtl;
        for (int e : end) {
            h = Math.max(h, e);
        }
        return h;
    }
}
