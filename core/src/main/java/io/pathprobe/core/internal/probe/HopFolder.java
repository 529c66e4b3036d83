package io.pathprobe.core.internal.probe;

import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The one place probe outcomes become the API's {@link Hop}: the probes of one TTL fold into
 * counters, responders, RTT statistics and the forward/backward split of losses (as trippy folds
 * rounds in its {@code state.rs}, outside the strategy). A trace folds each TTL of its table; a
 * multipath run folds each hop of a path in its path phase (and the answers of a node).
 */
public final class HopFolder {
    private HopFolder() {}

    /**
     * The hop of these probes (all of one TTL, in attempt order), every loss a forward one; only
     * probes that were sent count, and send failures are not counted as sent.
     */
    public static Hop hop(int ttl, List<ProbeState> probes, boolean ipv6) {
        return hop(ttl, probes, ipv6, false, round -> false);
    }

    /**
     * The hop of these probes, {@code nat} as the caller found it ({@link #natChanged}). A timed-out
     * probe is a backward loss when {@code answeredLater} holds for its round (attempt number: the
     * same flow in a Paris or path round) (the probe went through and its answer was lost on the
     * way back), else a forward loss.
     */
    public static Hop hop(int ttl, List<ProbeState> probes, boolean ipv6, boolean nat, IntPredicate answeredLater) {
        // arrays, made into the hop's lists once (List.of, which Hop keeps as it is): an ArrayList here was copied
        // twice more by Hop's List.copyOf
        ProbeResult[] results = new ProbeResult[probes.size()];
        int count = 0;
        int sent = 0;
        int received = 0;
        int lost = 0;
        int backward = 0;
        int abandoned = 0;
        int rateLimited = 0;
        int undecided = 0;
        ProbeState last = null;
        // the results whose round-trip times are the hop's last, least and greatest: their Durations are shared
        ProbeResult lastResult = null;
        ProbeResult minResult = null;
        ProbeResult maxResult = null;
        ProbeResult previous = null;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double sum = 0;
        double sumSquares = 0;
        int rttCount = 0;
        InetAddress[] answering = null; // the responder of each answered probe, in order (made at the first)
        int answers = 0;
        for (ProbeState p : probes) {
            if (!p.sent()) {
                continue;
            }
            ProbeResult r = p.toResult(ipv6, previous);
            previous = r;
            results[count++] = r;
            if (p.status() == ProbeStatus.SEND_FAILED) {
                continue;
            }
            sent++;
            if (p.answered()) {
                received++;
                InetAddress by = p.responder();
                if (by != null) {
                    if (answering == null) {
                        answering = new InetAddress[probes.size()];
                    }
                    answering[answers++] = by;
                }
                if (p.rttNanos() >= 0) {
                    rttCount++;
                    if (p.rttNanos() < min) {
                        min = p.rttNanos();
                        minResult = r;
                    }
                    if (p.rttNanos() > max) {
                        max = p.rttNanos();
                        maxResult = r;
                    }
                    sum += p.rttNanos();
                    sumSquares += (double) p.rttNanos() * p.rttNanos();
                    if (last == null || p.answeredTick() >= last.answeredTick()) {
                        last = p;
                        lastResult = r;
                    }
                }
            } else if (p.status() == ProbeStatus.TIMEOUT) {
                lost++;
                undecided += p.undecided() ? 1 : 0;
                if (answeredLater.test(p.attempt())) {
                    backward++;
                }
            } else if (p.status() == ProbeStatus.ABANDONED) {
                abandoned++;
            } else if (p.status() == ProbeStatus.RATE_LIMITED) {
                rateLimited++; // its responder was over its learned limit: neither received nor lost
            }
        }
        Optional<RttStatistics> rtt = Optional.empty();
        if (rttCount > 0 && last != null) {
            double mean = sum / rttCount;
            double variance = Math.max(0, sumSquares / rttCount - mean * mean);
            rtt = Optional.of(new RttStatistics(
                    rttOf(lastResult, last.rttNanos()),
                    rttOf(minResult, min),
                    Duration.ofNanos(Math.round(mean)),
                    rttOf(maxResult, max),
                    Duration.ofNanos(Math.round(Math.sqrt(variance)))));
        }
        return new Hop(ttl, List.of(count == results.length ? results : Arrays.copyOf(results, count)),
                answering == null ? List.of() : responders(answering, answers),
                new HopStatistics(sent, received, lost, lost - backward, backward, abandoned, rtt, rateLimited,
                        undecided), nat);
    }

    /**
     * Who answered (the first {@code n} responders of the answered probes, in order) and how often, most replies
     * first, equal counts in first-seen order. By index, without a map: a hop has a few probes.
     */
    private static List<Responder> responders(InetAddress[] answering, int n) {
        Responder[] out = new Responder[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            InetAddress a = answering[i];
            boolean seen = false;
            for (int j = 0; j < i && !seen; j++) {
                seen = a.equals(answering[j]);
            }
            if (seen) {
                continue;
            }
            int count = 1;
            for (int j = i + 1; j < n; j++) {
                count += a.equals(answering[j]) ? 1 : 0;
            }
            out[size++] = new Responder(a, count);
        }
        if (size == 1) {
            return List.of(out[0]); // the usual hop: one responder, no array kept
        }
        if (size > 1) { // stable: equal counts keep first-seen order
            Arrays.sort(out, 0, size, MOST_REPLIES_FIRST);
        }
        return List.of(size == n ? out : Arrays.copyOf(out, size));
    }

    /** A class of its own, not {@code Comparator.comparingInt(...).reversed()}: no lambda to link in a first trace. */
    private static final Comparator<Responder> MOST_REPLIES_FIRST = new Comparator<>() {
        @Override
        public int compare(Responder a, Responder b) {
            return Integer.compare(b.replies(), a.replies());
        }
    };

    /** The NAT ID most answers among these probes carried, or -1. */
    public static int natId(List<ProbeState> probes) {
        int best = -1;
        int bestCount = 0;
        int n = probes.size(); // by index: a result asks this of every earlier hop, for each hop (no iterators)
        for (int i = 0; i < n; i++) {
            ProbeState p = probes.get(i);
            if (!p.answered() || p.natId() < 0) {
                continue;
            }
            int count = 0;
            for (int j = 0; j < n; j++) {
                ProbeState q = probes.get(j);
                if (q.answered() && q.natId() == p.natId()) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = p.natId();
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * Whether a hop whose NAT ID is {@code here} shows a translation since the previous hop that
     * carried one ({@code before}, -1 if none: then since the sender, whose ID is 0).
     */
    public static boolean natChanged(int here, int before) {
        return here >= 0 && here != (before >= 0 ? before : 0);
    }

    /** The round-trip time {@code result} already holds (one {@code Duration} fewer per statistic), else a new one. */
    private static Duration rttOf(@Nullable ProbeResult result, long nanos) {
        if (result != null) {
            Optional<Duration> d = result.rtt();
            if (d.isPresent() && d.get().toNanos() == nanos) {
                return d.get();
            }
        }
        return Duration.ofNanos(nanos);
    }
}
