package io.pathprobe.core.internal.trace;

import io.pathprobe.core.internal.probe.ProbeLedger;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.core.internal.probe.ProbeTable;
import io.pathprobe.core.internal.ratelimit.RateLimitCharges;
import io.pathprobe.probe.ProbeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which of a trace's misses were lost on the way (a trace's and each traceAll target's). A round
 * (attempt number: one flow in a Paris trace) whose probe at the end of the path timed out (the destination's own
 * answer, which no ICMP limit explains, or which the rate-limit model did not call refused) and whose probes from some
 * TTL on all went unanswered (sent, and not answered: a TTL traceAll took from its stop set is no
 * evidence) was lost on the way from that TTL: those misses are forward loss even where
 * a router's budget may have been spent. Any other miss of a router whose budget may have been empty is
 * no evidence of loss. Computed once, when the trace ends, before any miss is reclassified.
 */
final class LostOnTheWay implements Predicate<ProbeState> {
    private final int perHop;
    /** Per round: the lowest TTL from which the round went unanswered to a timed-out end; MAX_VALUE: none. */
    private final int[] from;

    LostOnTheWay(ProbeTable table, int perHop, int last, RateLimitCharges responders) {
        this.perHop = perHop;
        this.from = new int[perHop];
        for (int a = 0; a < perHop; a++) {
            from[a] = Integer.MAX_VALUE;
            ProbeState end = last < table.firstTtl() ? null : table.probe(last, a);
            if (end == null || end.status() != ProbeStatus.TIMEOUT || responders.mayBeRefused(end)) {
                continue;
            }
            int t = last;
            while (t - 1 >= table.firstTtl() && table.probe(t - 1, a).sent() && !table.probe(t - 1, a).answered()) {
                t--;
            }
            from[a] = t;
        }
    }

    @Override
    public boolean test(ProbeState p) {
        return p.attempt() < perHop && p.ttl() >= from[p.attempt()];
    }

    /**
     * Reclassifies a trace's misses when it ends ({@link RateLimitCharges#classify}): every probe
     * of the table and the retries, the rounds lost on the way up to {@code last} kept as loss.
     */
    static void classify(RateLimitCharges responders, ProbeLedger ledger, ProbeTable table, int perHop, int last,
            @Nullable RefillRetries retries, long now) {
        List<ProbeState> all = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            all.add(table.at(i));
        }
        if (retries != null) {
            all.addAll(retries.all());
        }
        responders.chargeLate(all, now);
        responders.classify(ledger, new LostOnTheWay(table, perHop, last, responders), all, now);
        // a UDP trace that never heard its destination lost what it sent past the last router that answered, as an
        // ICMP or TCP trace does: a target that never answered is lost, whatever the transport (issue 68; it was
        // "unknown", counted as rate-limited, and a dead host read 0 %)
        // a TTL no probe of this tracer ever had an answer from (a router that never answers, or one drained
        // throughout; a router known from an earlier trace or round is judged by its budget above):
        // its misses whose rounds went on are the router's silence, not the path's loss; no rule can
        // exclude a limiter whose address is not even known
        for (int ttl = table.firstTtl(); ttl < last && ttl <= table.lastTtl(); ttl++) {
            List<ProbeState> hop = retries == null ? table.hop(ttl) : with(table.hop(ttl), retries.sent(ttl));
            if (responders.known(ttl, now) || hop.stream().anyMatch(ProbeState::answered)) {
                continue;
            }
            for (ProbeState p : hop) {
                if (p.status() != ProbeStatus.TIMEOUT) {
                    continue;
                }
                if (p.attempt() >= perHop || wentOn(table, p.attempt(), ttl, last)) {
                    ledger.rateLimited(p);
                } else if (mayHaveGoneOn(table, p.attempt(), ttl, last)) {
                    // its round's later probes were refused, or may have been: whether this one went on is not
                    // known, so its miss is no evidence of loss either (a bound, not a claim)
                    p.undecided(true);
                }
            }
        }
    }

    /**
     * Whether attempt {@code round} of the hop at {@code ttl} was answered at a later TTL, up to {@code last} (a
     * retry, round {@code perHop} and up, has no round of its own: any round). A class, not a lambda: a lambda is
     * generated at its first use, in a fresh JVM's first trace (docs/startup.md).
     */
    static final class AnsweredLater implements IntPredicate {
        private final ProbeTable table;
        private final int perHop;
        private final int ttl;
        private final int last;

        AnsweredLater(ProbeTable table, int perHop, int ttl, int last) {
            this.table = table;
            this.perHop = perHop;
            this.ttl = ttl;
            this.last = last;
        }

        @Override
        public boolean test(int round) {
            for (int r = round < perHop ? round : 0; r <= (round < perHop ? round : perHop - 1); r++) {
                if (wentOn(table, r, ttl, last)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether round {@code round} was answered at a TTL after {@code ttl}, up to {@code last}. */
    static boolean wentOn(ProbeTable table, int round, int ttl, int last) {
        for (int t = ttl + 1; t <= last; t++) {
            if (table.probe(t, round).answered()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether round {@code round} went unanswered after {@code ttl} up to {@code last} with some of those misses
     * judged refusals ({@link ProbeStatus#RATE_LIMITED}) or left {@link ProbeState#undecided undecided}: it may have
     * gone on, its later misses being drained routers' (a path whose routers each held one token answers one round).
     */
    static boolean mayHaveGoneOn(ProbeTable table, int round, int ttl, int last) {
        for (int t = ttl + 1; t <= last; t++) {
            ProbeState q = table.probe(t, round);
            if (q.status() == ProbeStatus.RATE_LIMITED || q.undecided()) {
                return true;
            }
        }
        return false;
    }

    /** A hop's own probes followed by its retries. */
    static List<ProbeState> with(List<ProbeState> own, List<ProbeState> retries) {
        if (retries.isEmpty()) {
            return own;
        }
        List<ProbeState> all = new ArrayList<>(own.size() + retries.size());
        all.addAll(own);
        all.addAll(retries);
        return all;
    }
}
