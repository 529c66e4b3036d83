package io.pathprobe.core.internal.multipath;

import io.pathprobe.core.internal.multipath.MultipathGraph.Node;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a multipath run's path probes met besides answers on their paths (part of {@link PathProbing}):
 * per path, the rounds that did not reach a hop (a router's unreachable, a router in the
 * destination's place) and every router's answers in round order; per path and TTL, the answers from
 * a router off the path. And the notes that say so, built afresh for each result (a snapshot's counts
 * do not linger). Pure; confined to the engine loop.
 */
final class PathEvents {
    /** Ranges of rounds a note lists before "...". */
    static final int MAX_RANGES = 8;

    /** Per path and TTL ({@code path * 256 + ttl}): the path probes answered there by a router off the path. */
    final Map<Integer, OffPath> offPath = new HashMap<>();
    /** Per path: the rounds a probe of it did not reach its hop in, and who answered instead. */
    final Map<Integer, Outage> outages = new HashMap<>();

    void clear() {
        offPath.clear();
        outages.clear();
    }

    Outage outage(int path) {
        return outages.computeIfAbsent(path, k -> new Outage());
    }

    OffPath offPath(int path, int ttl) {
        return offPath.computeIfAbsent(path * 256 + ttl, k -> new OffPath());
    }

    /** The answers a path's probes got off the path at one TTL, in the order they came. */
    static final class OffPath {
        int count;
        int firstRound = Integer.MAX_VALUE;
        int lastRound = -1;
        /** 0: on the path only; 1: off it; 2: back on it after being off it. */
        private int phase;
        /** Off, on, off again: the answers interleave, as per-packet balancing makes them (a route change does not). */
        boolean interleaved;
        final Set<String> responders = new TreeSet<>();
        /** Set by the first {@link #off}. */
        @org.jspecify.annotations.Nullable InetAddress firstResponder;
        /** Answers on the path before the first off it. */
        int onBefore;
        /** A node of the path at an earlier TTL answered here: the probe went through it again (a routing loop). */
        boolean loop;

        /** Judged a route change ({@link #judgeDrifts}). */
        boolean routeChange;

        void onPath() {
            if (phase == 0) {
                onBefore++;
            } else if (phase == 1) {
                phase = 2;
            }
        }

        void off(int round, InetAddress responder) {
            if (firstResponder == null) {
                firstResponder = responder;
            }
            count++;
            firstRound = Math.min(firstRound, round);
            lastRound = Math.max(lastRound, round);
            responders.add(responder.getHostAddress());
            if (phase == 2) {
                interleaved = true;
            } else if (phase == 0) {
                phase = 1;
            }
        }
    }

    /** A path's rounds that did not reach one of its hops, and who answered in the path's place (with the TTLs). */
    static final class Outage {
        final TreeSet<Integer> rounds = new TreeSet<>();
        final Map<String, TreeSet<Integer>> who = new java.util.TreeMap<>();

        /** Per router: the rounds it answered this path's probes in, and whether with an unreachable. */
        final Map<InetAddress, java.util.TreeMap<Integer, Boolean>> words = new HashMap<>();

        void answeredInstead(String text, int ttl) {
            who.computeIfAbsent(text, k -> new TreeSet<>()).add(ttl);
        }

        void word(InetAddress router, int round, boolean unreachable) {
            words.computeIfAbsent(router, k -> new java.util.TreeMap<>()).merge(round, unreachable, Boolean::logicalOr);
        }

        /**
         * Whether {@code router}, silent in {@code round}, had answered this path's probes in the
         * {@value PathProbing#FULL_RATE_RUN} rounds in a row before its silence: at the path's rate, more than any ICMP
         * limiter's burst (Linux's is 6), so its silence is not its limit but a path that stopped there.
         */
        boolean stoppedAfterRun(InetAddress router, int round) {
            java.util.TreeMap<Integer, Boolean> w = words.get(router);
            Map.Entry<Integer, Boolean> latest = w == null ? null : w.lowerEntry(round);
            if (w == null || latest == null || latest.getValue()) {
                return false;
            }
            int last = latest.getKey();
            for (int k = 1; k < PathProbing.FULL_RATE_RUN; k++) {
                if (!w.containsKey(last - k)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether {@code router}'s latest answer to this path up to {@code round} was an unreachable (it forwards
         * nothing).
         */
        boolean refusing(InetAddress router, int round) {
            java.util.TreeMap<Integer, Boolean> w = words.get(router);
            Map.Entry<Integer, Boolean> e = w == null ? null : w.floorEntry(round);
            return e != null && e.getValue();
        }
    }

    /**
     * The notes: per path, a path no flow follows ({@code measuring}: path probes were asked for;
     * {@code pinned}: flows were tried to pin one), the rounds that did not reach a hop and who
     * answered instead, and per TTL the answers off the path: a route change
     * ({@link PathProbing#judgeDrifts}), per-packet balancing at the node before, or who answered.
     */
    List<String> notes(List<List<Node>> paths, List<Integer> pathFlows, boolean measuring, boolean pinned, int rounds) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            List<Node> p = paths.get(i);
            String name = "path " + (i + 1) + " " + p.stream().map(MultipathGraph::text).toList();
            if (pathFlows.get(i) < 0 && measuring) {
                out.add("no flow is known to follow the path " + p.stream().map(MultipathGraph::text).toList()
                        + (pinned ? " (flows were tried to pin one, in vain)" : "") + ": not measured");
            }
            Outage o = outages.get(i);
            if (o != null && !o.rounds.isEmpty()) {
                Node end = p.get(p.size() - 1);
                out.add(name + ": from round " + (o.rounds.first() + 1) + ", " + who(o)
                        + " answered in the path's place" + " (in rounds " + rounds(o.rounds) + "): "
                        + (end.destination ? "the destination was not reached" : "the path was cut short")
                        + " in those rounds, counted as lost on the way (forward), not"
                        + " as answers, and so in the rounds after them that nothing answered beyond it");
            } else if (o != null && !o.who.isEmpty()) {
                out.add(name + ": " + who(o) + " answered its probes");
            }
            for (int h = 1; h < p.size(); h++) {
                Node n = p.get(h);
                OffPath d = offPath.get(i * 256 + n.ttl);
                if (d == null || d.count == 0) {
                    continue;
                }
                String span = d.firstRound == d.lastRound ? "in round " + (d.firstRound + 1)
                        : "in rounds " + (d.firstRound + 1) + " to " + (d.lastRound + 1);
                Node pred = p.get(h - 1);
                String what;
                if (d.loop) {
                    what = "a routing loop: " + String.join(", ", d.responders) + " answered in the place of "
                            + MultipathGraph.text(n) + ", " + (p.stream().filter(x -> x.ttl < n.ttl && x.address != null
                                    && x.address.equals(n.address)).findFirst().isPresent()
                                    ? "found at an earlier TTL of this path too (the path was found in a loop)"
                                    : "a router at an earlier TTL of this path (the probes went through it again)")
                            + ", not per-packet balancing";
                } else if (d.routeChange) {
                    what = "a route change: " + String.join(", ", d.responders) + " answered in the place of "
                            + MultipathGraph.text(n) + " every time from round " + (d.firstRound + 1)
                            + (d.lastRound + 1 < rounds ? " to round " + (d.lastRound + 1) : "")
                            + ", not interleaved with it as per-packet balancing would be";
                } else if (pred.perPacket) {
                    what = String.join(", ", d.responders) + ": per-packet load balancing at "
                            + MultipathGraph.text(pred);
                } else {
                    what = "answered by " + String.join(", ", d.responders);
                }
                out.add(name + ": " + d.count + " path probe" + (d.count == 1 ? "" : "s") + " at TTL " + n.ttl
                        + " answered off the path " + span + " (" + what + "), not counted for that hop");
            }
        }
        return out;
    }

    private static String who(Outage o) {
        List<String> parts = new ArrayList<>();
        o.who.forEach((text, ttls) -> parts.add(text + " at TTL " + rounds(ttls, 0)));
        return String.join(", ", parts);
    }

    /** Rounds (0-based) as 1-based ranges: "3, 5 to 9". */
    private static String rounds(Set<Integer> rounds) {
        return rounds(rounds, 1);
    }

    private static String rounds(Set<Integer> values, int offset) {
        List<String> parts = new ArrayList<>();
        int ranges = 0;
        int start = -1;
        int prev = -2;
        for (int v : values) {
            if (v != prev + 1) {
                if (start >= 0 && ++ranges > MAX_RANGES) {
                    return String.join(", ", parts) + ", ...";
                }
                if (start >= 0) {
                    parts.add(start == prev ? String.valueOf(start + offset)
                            : (start + offset) + " to " + (prev + offset));
                }
                start = v;
            }
            prev = v;
        }
        if (start >= 0) {
            parts.add(start == prev ? String.valueOf(start + offset) : (start + offset) + " to " + (prev + offset));
        }
        return String.join(", ", parts);
    }
}
