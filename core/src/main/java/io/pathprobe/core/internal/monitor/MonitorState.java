package io.pathprobe.core.internal.monitor;

import io.pathprobe.AsnInfo;
import io.pathprobe.Hop;
import io.pathprobe.Lookup;
import io.pathprobe.MonitorEvent;
import io.pathprobe.MonitorHop;
import io.pathprobe.MonitorPath;
import io.pathprobe.MonitorRequest;
import io.pathprobe.MonitorRound;
import io.pathprobe.MonitorStatistics;
import io.pathprobe.ProbeResult;
import io.pathprobe.ProbeStatus;
import io.pathprobe.TraceResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A monitor's rounds folded into per-TTL {@link HopAccumulator}s, the end-to-end figures, hop counts and
 * the current path, and the events each round raises. Pure: rounds in, events out; confined to the engine
 * loop. Memory: one accumulator per TTL (at most 255), each of fixed size.
 *
 * <p><b>Counting.</b> A probe answered (a reply or an unreachable) is received at its TTL with its RTT and
 * responder; one that timed out is lost there; a probe a learned rate limiter refused
 * ({@link ProbeStatus#RATE_LIMITED}), an abandoned or a failed send counts nowhere. End to end: the probes
 * at the destination's TTL (where this round reached it, else where it was last reached), answered by
 * the destination or lost; a router answering there (a longer path) counts nowhere.
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
    private long pathChanges;
    /** The destination's TTL as last reached, 0 when unknown. */
    private int destinationTtl;
    private boolean everReached;
    private long missedInRow;
    private boolean lost;
    private int minHops = Integer.MAX_VALUE;
    private int maxHops;
    private long hopSum;
    private long reachedRounds;
    private long rounds;

    MonitorState(MonitorRequest request) {
        this.request = request;
        this.firstTtl = request.trace().firstTtl();
        this.maxTtl = request.trace().maxHops();
        this.windowSamples = request.window() * request.trace().probesPerTtl();
        this.hops = new HopAccumulator[maxTtl - firstTtl + 1];
        this.endToEnd = new HopAccumulator(windowSamples);
        this.lossUp = new boolean[hops.length];
        this.latencyUp = new boolean[hops.length];
        this.path = new MonitorPath(firstTtl, List.of(), false);
    }

    /** The largest TTL the next round probes. */
    int horizon() {
        return destinationTtl > 0 && !lost ? destinationTtl : maxTtl;
    }

    /** Folds round {@code number}'s trace in; returns the round with the events it raised. */
    MonitorRound fold(TraceResult trace, long number) {
        rounds = number;
        int reachedAt = 0;
        List<Set<InetAddress>> seen = new ArrayList<>();
        for (Hop h : trace.hops()) {
            if (h.ttl() < firstTtl || h.ttl() > maxTtl) {
                continue;
            }
            while (firstTtl + seen.size() < h.ttl()) {
                seen.add(Set.of());
            }
            Set<InetAddress> at = new LinkedHashSet<>();
            HopAccumulator acc = hop(h.ttl());
            for (ProbeResult p : h.probes()) {
                if (p.answered() && p.responder().isPresent() && p.rtt().isPresent()) {
                    acc.received(p.rtt().get().toNanos(), p.responder().get());
                    at.add(p.responder().get());
                } else if (p.status() == ProbeStatus.TIMEOUT) {
                    acc.lost();
                }
            }
            seen.add(at);
            if (reachedAt == 0 && h.isDestination()) {
                reachedAt = h.ttl();
            }
        }
        if (reachedAt > 0) {
            seen = new ArrayList<>(seen.subList(0, reachedAt - firstTtl + 1));
        }
        foldEndToEnd(trace, reachedAt);
        MonitorPath roundPath = new MonitorPath(firstTtl, seen, reachedAt > 0);
        List<MonitorEvent> events = new ArrayList<>();
        comparePaths(number, roundPath, reachedAt, events);
        destination(number, roundPath, reachedAt, events);
        thresholds(number, events);
        return new MonitorRound(number, trace, roundPath, events);
    }

    private void foldEndToEnd(TraceResult trace, int reachedAt) {
        if (reachedAt > 0) {
            minHops = Math.min(minHops, reachedAt);
            maxHops = Math.max(maxHops, reachedAt);
            hopSum += reachedAt;
            reachedRounds++;
        }
        int ttl = reachedAt > 0 ? reachedAt : destinationTtl;
        if (ttl <= 0) {
            return;
        }
        trace.hop(ttl).ifPresent(h -> {
            for (ProbeResult p : h.probes()) {
                if (p.answered() && p.fromDestination() && p.responder().isPresent() && p.rtt().isPresent()) {
                    endToEnd.received(p.rtt().get().toNanos(), p.responder().get());
                } else if (p.status() == ProbeStatus.TIMEOUT) {
                    endToEnd.lost();
                }
            }
        });
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
                double loss = acc.windowLossPercent();
                if (loss >= 0 && (loss >= lossLimit) != lossUp[i]) {
                    lossUp[i] = !lossUp[i];
                    events.add(new MonitorEvent.ThresholdCrossed(number, ttl, MonitorEvent.ThresholdKind.LOSS, loss,
                            lossLimit, lossUp[i]));
                }
            }
            if (latencyLimit > 0) {
                double mean = acc.windowMeanMillis();
                if (mean >= 0 && (mean >= latencyLimit) != latencyUp[i]) {
                    latencyUp[i] = !latencyUp[i];
                    events.add(new MonitorEvent.ThresholdCrossed(number, ttl, MonitorEvent.ThresholdKind.LATENCY, mean,
                            latencyLimit, latencyUp[i]));
                }
            }
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

    int minHopCount() {
        return reachedRounds == 0 ? 0 : minHops;
    }

    double avgHopCount() {
        return reachedRounds == 0 ? 0 : (double) hopSum / reachedRounds;
    }

    int maxHopCount() {
        return maxHops;
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
        List<MonitorHop> out = new ArrayList<>();
        for (int ttl = firstTtl; ttl <= Math.min(last, maxTtl); ttl++) {
            HopAccumulator h = hops[ttl - firstTtl];
            out.add(h == null ? new MonitorHop(ttl, List.of(), MonitorStatistics.NONE, MonitorStatistics.NONE)
                    : new MonitorHop(ttl, h.responders(names, asns), h.total(), h.window()));
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
