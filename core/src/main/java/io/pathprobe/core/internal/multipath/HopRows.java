package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import io.pathprobe.core.internal.probe.HopFolder;
import io.pathprobe.core.internal.probe.ProbeState;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.trace.HopStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The hop rows of one path from its path probes (part of {@link PathProbing}). Each round's probe of a hop
 * counts once (a round's probe refused over a budget is sent again: the round counts its first answered
 * try, else its last); an answer from a router off the path is not the hop's (a drift, noted); a round
 * whose probe a router answered in the hop's place (an unreachable, a router in the destination's place) is
 * a forward loss there. Every row closes: {@code sent = received + lost + rateLimited + abandoned}.
 *
 * <p>A hop before the path's end claims loss only as far as the path beyond it lost too: the path's loss
 * is its last hop's, and a miss at a router short of the end that the path beyond did not lose is the
 * router's own silence (its ICMP rate limit: Linux answers 6 back to back, then one a second, and the path
 * probes of every path ask every router at once), not loss. So a hop's lost probes are at most its decided
 * probes times the loss of the nearest later hop that decided any (its claimed loss, not its misses), and
 * all forward; its other misses are rate-limited (refused). A lossy link shows at every hop behind it, a
 * rate-limited router at none. Pure.
 */
final class HopRows {
    private HopRows() {}

    /**
     * @param path the path's nodes, one per TTL
     * @param hops each hop's path probes, in send order
     * @param ipv6 whether the destination is IPv6
     * @param end the statistics of the path's end measured otherwise (TCP end to end: {@link PathsElsewhere}),
     *     or null: its last hop's own
     * @return the path's hops, the last one with {@code end} when given
     */
    static List<PathHop> of(List<Node> path, List<List<Sent>> hops, boolean ipv6, @Nullable HopStatistics end) {
        List<HopStatistics> own = new ArrayList<>(path.size());
        List<Integer> unreachedCounts = new ArrayList<>(path.size());
        for (int h = 0; h < path.size(); h++) {
            List<ProbeState> states = new ArrayList<>();
            int unreached = 0;
            if (h < hops.size()) {
                Map<Integer, ProbeState> byRound = new LinkedHashMap<>();
                Set<Integer> unreachedRounds = new TreeSet<>();
                for (Sent s : hops.get(h)) {
                    if (s.drift || s.superseded) {
                        // another router's answer: not this hop's (see PathProbing.pathNotes); or a round's probe sent
                        // again after a miss the evidence showed lost (MultipathRateLimits.classify)
                        continue;
                    }
                    if (s.unreached) {
                        unreachedRounds.add(s.state.attempt());
                        continue;
                    }
                    ProbeState kept = byRound.get(s.state.attempt());
                    if (kept == null || !kept.answered()) {
                        byRound.put(s.state.attempt(), s.state);
                    }
                }
                for (int round : unreachedRounds) {
                    ProbeState kept = byRound.get(round);
                    if (kept == null || !kept.answered()) {
                        byRound.remove(round);
                        unreached++;
                    }
                }
                states.addAll(byRound.values());
            }
            own.add(HopFolder.hop(path.get(h).ttl, states, ipv6, false, round -> false).statistics());
            unreachedCounts.add(unreached);
        }
        int last = path.size() - 1;
        List<HopStatistics> rows = new ArrayList<>(own);
        HopStatistics mine = own.get(last);
        rows.set(last, end != null ? end : withUnreached(mine, mine.lost(), unreachedCounts.get(last)));
        HopStatistics beyond = rows.get(last);
        double beyondLoss = loss(beyond);
        for (int h = last - 1; h >= 0; h--) {
            HopStatistics s = own.get(h);
            int decided = s.received() + s.lost();
            // a loss the path beyond shows too (the nearest later hop that decided probes); the rest is refused
            int claimed = (int) Math.min(s.lost(), Math.floor(beyondLoss * decided + 1e-9));
            HopStatistics row = withUnreached(s, claimed, unreachedCounts.get(h));
            rows.set(h, row);
            if (row.received() + row.lost() > 0) {
                beyondLoss = loss(row);
            }
        }
        List<PathHop> out = new ArrayList<>(path.size());
        for (int h = 0; h < path.size(); h++) {
            Node n = path.get(h);
            out.add(new PathHop(n.ttl, Optional.ofNullable(n.address), rows.get(h)));
        }
        return out;
    }

    private static double loss(HopStatistics s) {
        int decided = s.received() + s.lost();
        return decided == 0 ? 0 : s.lost() / (double) decided;
    }

    /**
     * {@code s} with {@code claimed} of its misses lost (forward) and the rest rate-limited, and {@code unreached}
     * rounds lost on the way (forward).
     */
    private static HopStatistics withUnreached(HopStatistics s, int claimed, int unreached) {
        int refused = s.lost() - claimed;
        return new HopStatistics(s.sent() + unreached, s.received(), claimed + unreached, claimed + unreached, 0,
                s.abandoned(), s.rtt(), s.rateLimited() + refused);
    }
}
