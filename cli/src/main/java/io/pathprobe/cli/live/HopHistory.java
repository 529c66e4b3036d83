package io.pathprobe.cli.live;

import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One TTL's statistics on the live screen, counted from the rounds it heard since the start or the last reset (mtr's
 * {@code r}): mtr's fields (loss, drop, received, sent, last, best, average, worst, standard deviation, geometric
 * mean, jitter, mean jitter, worst jitter, interarrival jitter), the responders seen with their latest lookups, the
 * latest MPLS labels, and the recent samples the charts draw. A probe refused by a router shown to limit its ICMP
 * errors ({@link ProbeStatus#RATE_LIMITED}) is counted apart, never as loss, as the report does; a probe abandoned
 * at the end or that could not be sent is counted nowhere.
 */
final class HopHistory {
    /** A sample that was lost. */
    static final double LOST = Double.NaN;
    /** A sample a rate-limiting router refused. */
    static final double LIMITED = Double.NEGATIVE_INFINITY;
    /** The samples kept for the charts: wider than any terminal. */
    static final int SAMPLES = 512;

    long sent;
    long received;
    long rateLimited;
    double last = Double.NaN;
    double best = Double.NaN;
    double worst = Double.NaN;
    private double sum;
    private double squares;
    private double logs;
    double jitter;
    private double jitterSum;
    double jitterWorst;
    double interarrival;
    private final ArrayDeque<Double> samples = new ArrayDeque<>();
    private final Map<InetAddress, Long> replies = new LinkedHashMap<>();
    private final Map<InetAddress, Responder> named = new LinkedHashMap<>();
    List<MplsLabel> mpls = List.of();
    boolean masked;

    /** Counts {@code hop}'s probes of one round. */
    void add(Hop hop) {
        masked = hop.masked();
        for (Responder r : hop.responders()) {
            named.put(r.address(), r);
        }
        for (ProbeResult p : hop.probes()) {
            if (p.status() == ProbeStatus.ABANDONED || p.status() == ProbeStatus.PENDING
                    || p.status() == ProbeStatus.SEND_FAILED) {
                continue;
            }
            sent++;
            if (p.status() == ProbeStatus.RATE_LIMITED) {
                rateLimited++;
                sample(LIMITED);
            } else if (p.answered() && p.rtt().isPresent()) {
                received++;
                p.responder().ifPresent(a -> replies.merge(a, 1L, Long::sum));
                if (!p.mplsLabels().isEmpty()) {
                    mpls = p.mplsLabels();
                }
                rtt(p.rtt().get().toNanos() / 1e6);
            } else {
                sample(LOST);
            }
        }
    }

    /** Counts {@code probes} lost at this TTL in a round that ended before it (a router answered unreachable). */
    void lost(int probes) {
        for (int i = 0; i < probes; i++) {
            sent++;
            sample(LOST);
        }
    }

    private void rtt(double ms) {
        if (received > 1) {
            jitter = Math.abs(ms - last);
            jitterSum += jitter;
            jitterWorst = Math.max(jitterWorst, jitter);
            interarrival += (jitter - interarrival) / 16; // RFC 3550's interarrival jitter, as mtr's Jint
        }
        last = ms;
        best = received == 1 ? ms : Math.min(best, ms);
        worst = received == 1 ? ms : Math.max(worst, ms);
        sum += ms;
        squares += ms * ms;
        logs += Math.log(Math.max(ms, 1e-6));
        sample(ms);
    }

    private void sample(double value) {
        samples.addLast(value);
        while (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
    }

    /** The probes that timed out: neither answered nor refused by a rate limiter. */
    long lost() {
        return sent - received - rateLimited;
    }

    /** The loss in percent of the probes decided (rate-limited ones left out, as the report's). */
    double lossPercent() {
        long decided = sent - rateLimited;
        return decided == 0 ? 0 : 100.0 * lost() / decided;
    }

    double avg() {
        return received == 0 ? Double.NaN : sum / received;
    }

    double stdDev() {
        if (received == 0) {
            return Double.NaN;
        }
        double mean = avg();
        return Math.sqrt(Math.max(0, squares / received - mean * mean));
    }

    double geomean() {
        return received == 0 ? Double.NaN : Math.exp(logs / received);
    }

    double jitterAvg() {
        return received < 2 ? 0 : jitterSum / (received - 1);
    }

    /** The latest {@code n} samples, oldest first: an RTT in ms, {@link #LOST} or {@link #LIMITED}. */
    List<Double> recent(int n) {
        List<Double> all = new ArrayList<>(samples);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /** The responders that answered, the most frequent first, each with its latest lookups. */
    List<Responder> responders() {
        return replies.entrySet().stream()
                .sorted(Map.Entry.<InetAddress, Long>comparingByValue(Comparator.reverseOrder()))
                .map(e -> named.getOrDefault(e.getKey(), new Responder(e.getKey(), e.getValue().intValue())))
                .toList();
    }

    /** The most frequent responder, or null when none answered. */
    @Nullable Responder first() {
        List<Responder> r = responders();
        return r.isEmpty() ? null : r.get(0);
    }
}
