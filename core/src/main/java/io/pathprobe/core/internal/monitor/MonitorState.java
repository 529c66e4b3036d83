package io.pathprobe.core.internal.monitor;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorRequest;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A monitor's rounds folded into per-TTL {@link HopAccumulator}s, the end-to-end figures, hop counts and
 * the current path, and the events each round raises. Pure: rounds in, events out; confined to the engine
 * loop. Memory: one accumulator per TTL (at most 255), each of fixed size.
 *
 * <p><b>Counting.</b> Each round's scheduled probe counts once at its TTL (a monitor's round has no retry): a
 * probe answered (a reply or an unreachable) is received at its TTL with its RTT and responder; one that timed out
 * is lost there (undecided where a refusal is not excluded: the loss is then a bound, {@code lossLow} to
 * {@code loss}); a probe a responder shown to limit refused ({@link ProbeStatus#RATE_LIMITED}) is sent there,
 * neither received nor lost; an abandoned probe or a failed send counts nowhere. A round that did not reach
 * the destination (a router answered unreachable and the round ended there, a routing loop answered time exceeded
 * at the destination's TTL, nothing answered) is lost at the destination's row (its TTL as last reached) and at
 * every TTL from the round's end to that row: a router's answer there is lost too, its responder listed at the
 * row (who answered in the destination's place is shown, not hidden); a probe the round did not send or abandoned
 * there is lost, and so is one a learned limiter refused there once a router answered in the destination's place
 * since it last answered (that router's unreachables are rate-limited too). End to end: the probes at the destination's
 * row, answered by the destination or lost; before the destination ever answered, a round that did not reach it is
 * {@code probesPerTtl} lost probes. So every round counts at the destination's row and end to end: {@code sent =
 * received + lost + rateLimited = rounds × probesPerTtl − failed sends}; the destination's row shows exactly these
 * figures (end to end and the destination count the same probes). Where only a probe past the destination's TTL
 * reached it, every TTL from that row on silent, its probe at its TTL was lost (the destination is not farther): the
 * round reached it at its row, with that loss; the second such round in a row is a longer path with a silent router
 * where the destination was.
 *
 * <p><b>Changes.</b> The current path holds the responders at each TTL. A round changes a hop only where
 * both the path and the round have responders at a TTL and they differ: a silent hop, a lost probe or a
 * destination that did not answer is never a change (a lost destination probe is loss at the
 * destination). The destination at another TTL shows as such a difference (a router where it was, or it
 * where a router was). Each round with a changed hop raises one {@link MonitorEvent.HopChanged} per TTL,
 * then one {@link MonitorEvent.PathChanged} with the path before and after; the path after is the round's
 * own. A round without change fills the path's silent TTLs with what it met.
 *
 * <p><b>Destination.</b> {@link MonitorEvent.DestinationLost} after {@code destinationLostAfter} rounds in
 * a row without the destination's answer (once it had answered), {@link MonitorEvent.DestinationRegained}
 * at its next answer. The next round probes up to the destination's TTL while it is known and not lost,
 * else up to the request's largest TTL.
 *
 * <p><b>Thresholds.</b> After each round, each TTL of the path whose window holds samples is compared
 * with the loss and latency thresholds (window loss percent, window mean RTT); crossing up or back down
 * raises {@link MonitorEvent.ThresholdCrossed}. Every hop starts below.
 */
final class MonitorState {
    private final MonitorRequest request;
    private final int firstTtl;
    private final int maxTtl;
    private final int windowSamples;
    private final HopAccumulator[] hops;
    private final HopAccumulator endToEnd;
    private final boolean[] lossUp;
    private final boolean[] latencyUp;
    private MonitorPath path;
    private final HeaderWatch headers = new HeaderWatch();
    private long pathChanges;
    /**
     * The destination's TTL as last reached, 0 when unknown or a router answered there since (the next round looks
     * further).
     */
    private int destinationTtl;
    /**
     * The destination's TTL as last reached, 0 before it answered: its row, where a round that did not reach it is
     * lost.
     */
    private int destinationRow;
    /**
     * The TTL at which the last round that reached the destination reached it only past {@link #destinationRow}, every
     * TTL from that row up silent (0: it did not).
     */
    private int pastItsTtl;
    /** Whether a router answered in the destination's place since the destination last answered. */
    private boolean routerInPlace;
    private boolean everReached;
    /** The lowest TTL a router answered unreachable at in any round (0: none): where the table ends, as mtr's. */
    private int unreachableAt;
    private long missedInRow;
    private boolean lost;
    private int minHops = Integer.MAX_VALUE;
    private int maxHops;
    private long hopSum;
    private long reachedRounds;
    /**
     * By TTL, the rounds that reached the destination there with nothing to show its distance (the TTL below silent, a
     * longer path taken from two such rounds included): hop counts only while no round met the destination nearer
     * ({@link #lowestReached}), as mtr places it.
     */
    private final long[] unshown;
    /** The lowest TTL the destination answered at in any round. */
    private int lowestReached = Integer.MAX_VALUE;
    private long rounds;

    /**
     * The undecided misses of earlier rounds (lost, a refusal not excluded) still waiting for evidence: a responder at
     * their TTL later shown to limit makes them refusals ({@link #revise}): its pace learned from its answers, or an
     * answer at their TTL in a round started a refill ({@link #SOON}) or more after theirs, as a drained limiter gives,
     * where the model calls that responder a limiter. Two answers at their TTL in rounds that started within
     * {@link #SOON} after theirs exclude a drained limiter (Linux's refills a token a second), and they stay lost. At
     * most {@link #MAX_PENDING}, the oldest dropped first (they stay lost, undecided).
     */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    static final int MAX_PENDING = 1024;
    static final Duration SOON = Duration.ofMillis(900);

    private static final class Pending {
        private final int ttl;
        private final Instant at;
        private final boolean endToEnd;
        private int soon;
        private boolean refilled;

        Pending(int ttl, Instant at, boolean endToEnd) {
            this.ttl = ttl;
            this.at = at;
            this.endToEnd = endToEnd;
        }
    }

    MonitorState(MonitorRequest request) {
        this.request = request;
        this.firstTtl = request.trace().firstTtl();
        this.maxTtl = request.trace().maxTtl();
        this.windowSamples = request.window() * request.trace().probesPerTtl();
        this.hops = new HopAccumulator[maxTtl - firstTtl + 1];
        this.unshown = new long[maxTtl + 1];
        this.endToEnd = new HopAccumulator(windowSamples);
        this.lossUp = new boolean[hops.length];
        this.latencyUp = new boolean[hops.length];
        this.path = new MonitorPath(firstTtl, List.of(), false);
    }

    /** An answer at {@code ttl} to a round started at {@code at}: a second soon after a pending miss excludes it. */
    private void answeredSoonAfter(int ttl, Instant at) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending q = it.next();
            if (q.ttl != ttl || !at.isAfter(q.at)) {
                continue;
            }
            if (at.isAfter(q.at.plus(SOON))) {
                q.refilled = true; // an answer on the refill schedule after the miss
            } else if (++q.soon >= 2) {
                it.remove(); // no drained limiter answers so soon twice: lost
            }
        }
    }

    /**
     * Revises the pending undecided misses shown to be refusals since they were counted to rate-limited, neither
     * received nor lost, on their row and end to end: at a TTL whose responder's pace was {@code learned}, or, followed
     * by an answer on the refill schedule, at one the model calls a {@code limiter}.
     *
     * @return how many were revised
     */
    int revise(IntPredicate learned, IntPredicate limiter) {
        int n = 0;
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending q = it.next();
            if (learned.test(q.ttl) || q.refilled && limiter.test(q.ttl)) {
                hop(q.ttl).undecidedRefused();
                if (q.endToEnd) {
                    endToEnd.undecidedRefused();
                }
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** The largest TTL the next round probes. */
    int horizon() {
        return destinationTtl > 0 && !lost ? destinationTtl : maxTtl;
    }

    /** Folds round {@code number}'s trace in; returns the round with the events it raised. */
    MonitorRound fold(TraceResult trace, long number) {
        rounds = number;
        int reachedAt = 0;
        for (Hop h : trace.hops()) {
            if (h.ttl() >= firstTtl && h.ttl() <= maxTtl && h.isDestination()) {
                reachedAt = h.ttl();
                break;
            }
        }
        // the round's hop count, where it shows the destination's distance: its answer at TTL t with a router's answer
        // at t - 1, or no deeper than the distance known (an Echo Reply quotes nothing: a probe at a TTL past the
        // destination reaches it as well, and one whose own probe was lost answers only there); 0: no such evidence
        int hopCount = reachedAt;
        boolean shown = reachedAt <= destinationRow || reachedAt == firstTtl || routerAnsweredAt(trace, reachedAt - 1);
        if (reachedAt > destinationRow && destinationRow > 0 && silentFrom(trace, destinationRow, reachedAt)) {
            // only a probe past the destination's TTL reached it, nothing answered from there: its own probe was lost
            // (a later TTL is not the destination's distance). At the same TTL in two such rounds in a row: the path
            // is longer, with a silent router where the destination was (a lossy path answers at random TTLs)
            if (pastItsTtl == reachedAt) {
                pastItsTtl = 0; // its hop count still waits for evidence (unshown): mtr places it where it answered
            } else {
                pastItsTtl = reachedAt;
                reachedAt = destinationRow;
                hopCount = 0; // a loss at its row, no hop count
            }
        } else if (reachedAt > 0) {
            pastItsTtl = 0;
        }
        boolean reached = reachedAt > 0;
        int row = reached ? reachedAt : destinationRow;
        boolean shortfall = !reached && (trace.status() == TraceStatus.UNREACHABLE
                || trace.status() == TraceStatus.MAX_HOPS_EXCEEDED);
        int cut = shortfall ? cut(trace) : Integer.MAX_VALUE;
        if (cut != Integer.MAX_VALUE && (unreachableAt == 0 || cut < unreachableAt)) {
            unreachableAt = cut;
        }
        // a router answered in the destination's place, in this round or since the destination last answered: a probe
        // at its row that a learned limiter "refused" is that router's silence (its unreachables are rate-limited by
        // the kernel too), not the destination's: lost, as the round is. Without that evidence (a destination that
        // limits its own answers) it stays rate-limited.
        routerInPlace = !reached && (routerInPlace || row > 0 && (cut <= row || routerAnsweredFrom(trace, row)));
        int perTtl = request.trace().probesPerTtl();
        int last = Math.max(row, trace.hops().isEmpty() ? 0 : trace.hops().get(trace.hops().size() - 1).ttl());
        List<Set<InetAddress>> seen = new ArrayList<>();
        for (int ttl = firstTtl; ttl <= Math.min(last, maxTtl); ttl++) {
            Optional<Hop> hop = trace.hop(ttl);
            Set<InetAddress> at = new LinkedHashSet<>();
            HopAccumulator acc = hop.isPresent() || (shortfall && ttl <= row) ? hop(ttl) : null;
            if (acc == null) {
                seen.add(at); // no hop, none missing: nothing to count at this TTL
                continue;
            }
            // in a round that did not reach the destination: its row, and every TTL beyond the round's end up to it
            boolean missed = !reached && ttl == row || shortfall && ttl > cut && ttl <= row;
            boolean endToEndRow = ttl == row;
            int counted = 0;
            // the hop's misses a refusal is not excluded for (its statistics count them, not which): the first ones
            int undecided = hop.map(h -> h.statistics().undecided()).orElse(0);
            for (ProbeResult p : hop.map(Hop::probes).orElse(List.of())) {
                if (p.answered() && p.responder().isPresent() && p.rtt().isPresent()) {
                    InetAddress responder = p.responder().get();
                    if (missed) {
                        acc.lostTo(responder); // a router answered in the destination's place: shown, lost
                    } else {
                        acc.received(p.rtt().get().toNanos(), responder);
                        answeredSoonAfter(ttl, trace.startedAt());
                    }
                    if (endToEndRow) {
                        if (!missed && p.fromDestination()) {
                            endToEnd.received(p.rtt().get().toNanos(), responder);
                        } else {
                            endToEnd.lost();
                        }
                    }
                    if (ttl <= cut) {
                        at.add(responder);
                    }
                    counted++;
                } else if (p.status() == ProbeStatus.TIMEOUT && undecided > 0 && !missed) {
                    undecided--;
                    acc.lostUndecided(); // lost, a refusal not excluded: the loss is a bound
                    pending.addLast(new Pending(ttl, trace.startedAt(), endToEndRow));
                    if (pending.size() > MAX_PENDING) {
                        pending.removeFirst();
                    }
                    if (endToEndRow) {
                        endToEnd.lostUndecided();
                    }
                    counted++;
                } else if (p.status() == ProbeStatus.TIMEOUT) {
                    acc.lost();
                    if (endToEndRow) {
                        endToEnd.lost();
                    }
                    counted++;
                } else if (p.status() == ProbeStatus.RATE_LIMITED && missed && routerInPlace) {
                    acc.lost();
                    if (endToEndRow) {
                        endToEnd.lost();
                    }
                    counted++;
                } else if (p.status() == ProbeStatus.RATE_LIMITED) {
                    acc.rateLimited(); // sent, refused by a learned limiter: neither received nor lost
                    if (endToEndRow) {
                        endToEnd.rateLimited();
                    }
                    counted++;
                } else if (p.status() == ProbeStatus.SEND_FAILED) {
                    counted++; // never sent: counted nowhere
                }
            }
            if (missed && shortfall) {
                for (int k = counted; k < perTtl; k++) {
                    acc.lost(); // not probed (the round ended before it: an unreachable) or abandoned at its end
                    if (endToEndRow) {
                        endToEnd.lost();
                    }
                }
            }
            seen.add(at);
        }
        if (shortfall && row == 0) {
            for (int k = 0; k < perTtl; k++) {
                endToEnd.lost(); // the destination never answered yet: where it is is unknown, the round lost it
            }
        }
        if (reached) {
            seen = new ArrayList<>(seen.subList(0, reachedAt - firstTtl + 1));
            destinationRow = reachedAt;
        }
        if (hopCount > 0) {
            lowestReached = Math.min(lowestReached, hopCount);
            if (shown) {
                minHops = Math.min(minHops, hopCount);
                maxHops = Math.max(maxHops, hopCount);
                hopSum += hopCount;
                reachedRounds++;
            } else {
                unshown[hopCount]++;
            }
        }
        MonitorPath roundPath = new MonitorPath(firstTtl, seen, reached);
        List<MonitorEvent> events = new ArrayList<>();
        comparePaths(number, roundPath, reachedAt, events);
        destination(number, roundPath, reachedAt, events);
        thresholds(number, events);
        headers.round(number, trace, events);
        return new MonitorRound(number, trace, roundPath, events);
    }

    /** Whether a router (not the destination) answered a probe of {@code trace} at {@code ttl} or beyond. */
    private static boolean routerAnsweredFrom(TraceResult trace, int ttl) {
        for (Hop h : trace.hops()) {
            if (h.ttl() >= ttl && h.probes().stream().anyMatch(p -> p.answered() && !p.fromDestination())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a router (not the destination) answered a probe of {@code trace} at {@code ttl}. */
    private static boolean routerAnsweredAt(TraceResult trace, int ttl) {
        return trace.hop(ttl).map(h -> h.probes().stream().anyMatch(p -> p.answered()
                && !p.fromDestination())).orElse(false);
    }

    /** Whether no probe of {@code trace} at TTLs {@code from} to {@code to - 1} was answered. */
    private static boolean silentFrom(TraceResult trace, int from, int to) {
        for (int ttl = from; ttl < to; ttl++) {
            if (trace.hop(ttl).map(h -> h.probes().stream().anyMatch(ProbeResult::answered)).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    /** The round's end: the lowest TTL a router answered unreachable at (the trace went no further), else none. */
    private static int cut(TraceResult trace) {
        for (Hop h : trace.hops()) {
            if (h.probes().stream().anyMatch(p -> p.status() == ProbeStatus.UNREACHABLE && !p.fromDestination())) {
                return h.ttl();
            }
        }
        return Integer.MAX_VALUE;
    }

    private void comparePaths(long number, MonitorPath round, int reachedAt, List<MonitorEvent> events) {
        MonitorPath before = path;
        int changed = 0;
        int common = Math.min(before.hops().size(), round.hops().size());
        for (int i = 0; i < common; i++) {
            Set<InetAddress> was = before.hops().get(i);
            Set<InetAddress> now = round.hops().get(i);
            if (!was.isEmpty() && !now.isEmpty() && !was.equals(now)) {
                events.add(new MonitorEvent.HopChanged(number, firstTtl + i, was, now));
                changed++;
            }
        }
        if (changed > 0) {
            path = round;
            pathChanges++;
            events.add(new MonitorEvent.PathChanged(number, before, round));
        } else {
            int length = reachedAt > 0 ? round.hops().size() : Math.max(before.hops().size(), round.hops().size());
            List<Set<InetAddress>> merged = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                Set<InetAddress> now = i < round.hops().size() ? round.hops().get(i) : Set.of();
                merged.add(!now.isEmpty() || i >= before.hops().size() ? now : before.hops().get(i));
            }
            boolean reached = reachedAt > 0 || (before.destinationReached() && length == before.hops().size() && !lost);
            path = new MonitorPath(firstTtl, merged, reached);
        }
    }

    private void destination(long number, MonitorPath round, int reachedAt, List<MonitorEvent> events) {
        if (reachedAt > 0) {
            if (lost) {
                events.add(new MonitorEvent.DestinationRegained(number, missedInRow));
            }
            lost = false;
            missedInRow = 0;
            everReached = true;
            destinationTtl = reachedAt;
            return;
        }
        missedInRow++;
        if (destinationTtl > 0 && !round.at(destinationTtl).isEmpty()) {
            destinationTtl = 0; // a router answered where the destination was: the path is longer now
        }
        if (everReached && !lost && missedInRow >= request.destinationLostAfter()) {
            lost = true;
            events.add(new MonitorEvent.DestinationLost(number, number - missedInRow + 1));
        }
    }

    private void thresholds(long number, List<MonitorEvent> events) {
        double lossLimit = request.lossThreshold().orElse(-1);
        double latencyLimit = request.latencyThreshold().map(d -> d.toNanos() / 1e6).orElse(-1.0);
        if (lossLimit < 0 && latencyLimit < 0) {
            return;
        }
        int last = Math.min(maxTtl, path.lastTtl());
        for (int ttl = firstTtl; ttl <= last; ttl++) {
            HopAccumulator acc = hops[ttl - firstTtl];
            if (acc == null) {
                continue;
            }
            int i = ttl - firstTtl;
            if (lossLimit > 0) {
                cross(events, number, ttl, MonitorEvent.ThresholdKind.LOSS, acc.windowLoss(), lossLimit, lossUp, i);
            }
            if (latencyLimit > 0) {
                cross(events, number, ttl, MonitorEvent.ThresholdKind.LATENCY, acc.windowMeanMillis(), latencyLimit,
                        latencyUp, i);
            }
        }
    }

    /** A crossing when {@code value} (negative: not known) moved to the other side of {@code limit} than {@code up}. */
    private static void cross(List<MonitorEvent> events, long number, int ttl, MonitorEvent.ThresholdKind kind,
            double value, double limit, boolean[] up, int i) {
        if (value >= 0 && (value >= limit) != up[i]) {
            up[i] = !up[i];
            events.add(new MonitorEvent.ThresholdCrossed(number, ttl, kind, value, limit, up[i]));
        }
    }

    private HopAccumulator hop(int ttl) {
        int i = ttl - firstTtl;
        HopAccumulator h = hops[i];
        if (h == null) {
            h = new HopAccumulator(windowSamples);
            hops[i] = h;
        }
        return h;
    }

    // ---- what the result shows ---------------------------------------------------------------

    long rounds() {
        return rounds;
    }

    MonitorPath path() {
        return path;
    }

    long pathChanges() {
        return pathChanges;
    }

    MonitorStatistics endToEnd() {
        return endToEnd.total();
    }

    /**
     * Hop counts, min/avg/max, over the rounds that showed the destination's distance, and those that reached it with
     * the TTL below silent at the lowest TTL it ever answered at (mtr's place for it): a round that met it only
     * deeper is no evidence of a longer path.
     */
    int minHopCount() {
        return unshownAtLowest() > 0 ? lowestReached : reachedRounds == 0 ? 0 : minHops;
    }

    double avgHopCount() {
        long n = reachedRounds + unshownAtLowest();
        return n == 0 ? 0 : (hopSum + (double) unshownAtLowest() * lowestReached) / n;
    }

    int maxHopCount() {
        return Math.max(maxHops, unshownAtLowest() > 0 ? lowestReached : 0);
    }

    private long unshownAtLowest() {
        return lowestReached <= maxTtl ? unshown[lowestReached] : 0;
    }

    /** The table: every TTL from the first to the end of the current path (or the last probed, without one). */
    List<MonitorHop> hops(Function<InetAddress, Lookup<String>> names, Function<InetAddress, Lookup<AsnInfo>> asns) {
        int last = path.lastTtl();
        if (path.hops().isEmpty()) {
            for (int i = hops.length - 1; i >= 0; i--) {
                if (hops[i] != null) {
                    last = firstTtl + i;
                    break;
                }
            }
        }
        if (!everReached) {
            // as mtr: before the destination ever answered, the table ends at the router that answered unreachable,
            // else one TTL past the last a router answered at; the TTLs beyond are not known to hold a hop, so no row
            // claims a hop there losing every probe (the end-to-end figures still count every round lost)
            int answered = firstTtl - 1;
            for (int i = 0; i < hops.length; i++) {
                if (hops[i] != null && hops[i].answered()) {
                    answered = firstTtl + i;
                }
            }
            last = Math.min(last, unreachableAt > 0 ? unreachableAt : answered + 1);
        }
        List<MonitorHop> out = new ArrayList<>();
        for (int ttl = firstTtl; ttl <= Math.min(last, maxTtl); ttl++) {
            HopAccumulator h = hops[ttl - firstTtl];
            // the destination's row counts the probes end to end counts, every round's at the row it reached (or
            // lost) the destination at: one figure, however the destination's TTL moved during the run (its row
            // and the end-to-end row read 106 and 108 received of the same rounds)
            boolean destination = path.destinationReached() && ttl == path.lastTtl();
            out.add(h == null ? new MonitorHop(ttl, List.of(), MonitorStatistics.NONE, MonitorStatistics.NONE)
                    : new MonitorHop(ttl, h.responders(names, asns), destination ? endToEnd.total() : h.total(),
                            destination ? endToEnd.window() : h.window()));
        }
        return out;
    }

    /** Entries held by every accumulator (the bound test). */
    int entries() {
        int n = endToEnd.entries();
        for (@Nullable HopAccumulator h : hops) {
            if (h != null) {
                n += h.entries();
            }
        }
        return n;
    }
}
