package io.pathprobe.bufferbloat.internal.strategy;

import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The arithmetic of draft-ietf-ippm-responsiveness-09, pure: single-sided trimmed means,
 * percentiles, moving averages and stability, confidence, RPM, and the DSLReports grade of the
 * average increase. Values are milliseconds (latencies) or any unit (throughput) as doubles.
 */
public final class Draft09 {
    /** MAD: moving average distance, in intervals. */
    public static final int MAD = 4;
    /** TMP: the share of the slowest samples a trimmed mean drops. */
    public static final double TMP = 0.05;
    /** SDT: the standard deviation tolerance, as a share of the current value. */
    public static final double SDT = 0.05;
    /** PTC: probes may use at most this share of the measured capacity. */
    public static final double PTC = 0.05;
    /** Bytes a foreign probe costs (draft estimate: connection set-up, TLS, request, response). */
    public static final int FOREIGN_PROBE_BYTES = 5000;
    /** Bytes a self probe costs (draft estimate). */
    public static final int SELF_PROBE_BYTES = 1000;

    private Draft09() {}

    /**
     * The single-sided trimmed mean: sort, drop the slowest {@code trim} share (rounded down, so
     * fewer than 20 samples at 5 % drop none), average the rest. NaN when empty.
     */
    public static double trimmedMean(Collection<Double> values, double trim) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = sorted(values);
        int keep = v.length - (int) Math.floor(v.length * trim + 1e-9);
        keep = Math.max(1, keep);
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            sum += v[i];
        }
        return sum / keep;
    }

    /** {@link #trimmedMean(Collection, double)} with the draft's TMP (5 %). */
    public static double trimmedMean(Collection<Double> values) {
        return trimmedMean(values, TMP);
    }

    /**
     * The p-th percentile (0..100) by the nearest-rank method: the value at rank ceil(p/100 × n)
     * of the sorted values (goresponsiveness's P90). NaN when empty.
     */
    public static double percentile(Collection<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * v.length - 1e-9);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    /** The median (mean of the two middle values for an even count). NaN when empty. */
    public static double median(Collection<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = sorted(values);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The arithmetic mean; NaN when empty. */
    public static double mean(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The population standard deviation; NaN when empty. */
    public static double stdDev(Collection<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double m = mean(values);
        double s = 0;
        for (double d : values) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / values.size());
    }

    /**
     * The moving averages of a series of per-interval values over {@code mad} intervals: element i
     * is the mean of values[i .. i+mad-1]; empty when fewer than mad values.
     */
    public static List<Double> movingAverages(List<Double> perInterval, int mad) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i + mad <= perInterval.size(); i++) {
            out.add(mean(perInterval.subList(i, i + mad)));
        }
        return out;
    }

    /**
     * draft-09 stability: with at least {@code mad} moving averages, the standard deviation of the
     * last {@code mad} of them is below {@code sdt} times the current (last) one.
     */
    public static boolean stable(List<Double> perInterval, int mad, double sdt) {
        List<Double> ma = movingAverages(perInterval, mad);
        if (ma.size() < mad) {
            return false;
        }
        List<Double> last = ma.subList(ma.size() - mad, ma.size());
        double current = last.get(last.size() - 1);
        return stdDev(last) < sdt * current;
    }

    /** {@link #stable(List, int, double)} with MAD and SDT. */
    public static boolean stable(List<Double> perInterval) {
        return stable(perInterval, MAD, SDT);
    }

    /**
     * draft-09 confidence: LOW when fewer than MAD intervals ran, MEDIUM when at least MAD ran but
     * the figure never became stable, HIGH when it did.
     */
    public static MeasurementConfidence confidence(int intervals, boolean stable) {
        if (intervals < MAD) {
            return MeasurementConfidence.LOW;
        }
        return stable ? MeasurementConfidence.HIGH : MeasurementConfidence.MEDIUM;
    }

    /** The lowest of some confidences (HIGH when none). */
    public static MeasurementConfidence lowest(Collection<MeasurementConfidence> cs) {
        MeasurementConfidence low = MeasurementConfidence.HIGH;
        for (MeasurementConfidence c : cs) {
            if (c.compareTo(low) < 0) {
                low = c;
            }
        }
        return low;
    }

    /** The round trips of a TLS handshake as draft-09 normalises it: 1 for TLS 1.3, 2 before. */
    public static int tlsRoundTrips(String protocol) {
        return "TLSv1.3".equals(protocol) ? 1 : 2;
    }

    /** The probes of one measurement window, milliseconds. tls empty for plain http. */
    public record Probes(List<Double> tcpForeign, List<Double> tlsForeign, List<Double> httpForeign,
            List<Double> httpSelf) {
        public Probes {
            tcpForeign = List.copyOf(tcpForeign);
            tlsForeign = List.copyOf(tlsForeign);
            httpForeign = List.copyOf(httpForeign);
            httpSelf = List.copyOf(httpSelf);
        }
    }

    /** The responsiveness of a window, with its parts (RPM); NaN parts are missing. */
    public record Rpm(double foreign, double loaded, double rpm, boolean selfProbes) {}

    /**
     * draft-09 responsiveness. Foreign: TLS case {@code 60000 / ((TM(tcp_f) + TM(tls_f) + TM(http_f)) / 3)},
     * TCP-only case (no TLS samples: plain http) {@code 60000 / ((TM(tcp_f) + TM(http_f)) / 2)}
     * (never a 0 for tls_f). Loaded: {@code 60000 / TM(http_l)}. RPM = (Foreign + Loaded) / 2; with
     * no self probes (HTTP/1.1: no multiplexing) RPM = Foreign. Empty when no foreign probe completed.
     */
    public static OptionalDouble rpm(Probes p, boolean tls) {
        return rpmParts(p, tls).stream().mapToDouble(Rpm::rpm).findFirst();
    }

    /**
     * RPM as {@link #rpm(Probes, boolean)} with the {@code pct}th percentile of each probe kind in place of
     * its trimmed mean (draft-09 leaves trimmed mean or percentiles open; a higher percentile of latency
     * is a lower RPM, the responsiveness the worst {@code 100 - pct} % of round trips had).
     */
    public static OptionalDouble rpmPercentile(Probes p, boolean tls, double pct) {
        return rpmParts(p, tls, v -> percentile(v, pct)).stream().mapToDouble(Rpm::rpm).findFirst();
    }

    /** {@link #rpm(Probes, boolean)} with its parts; empty when no foreign probe set is complete. */
    public static java.util.Optional<Rpm> rpmParts(Probes p, boolean tls) {
        return rpmParts(p, tls, Draft09::trimmedMean);
    }

    private static java.util.Optional<Rpm> rpmParts(Probes p, boolean tls,
            java.util.function.ToDoubleFunction<List<Double>> statistic) {
        double tcp = statistic.applyAsDouble(p.tcpForeign());
        double http = statistic.applyAsDouble(p.httpForeign());
        if (Double.isNaN(tcp) || Double.isNaN(http)) {
            return java.util.Optional.empty();
        }
        double foreignMs;
        if (tls) {
            double t = statistic.applyAsDouble(p.tlsForeign());
            if (Double.isNaN(t)) {
                return java.util.Optional.empty();
            }
            foreignMs = (tcp + t + http) / 3;
        } else {
            foreignMs = (tcp + http) / 2;
        }
        double foreign = 60_000 / Math.max(foreignMs, 1e-3);
        double selfMs = statistic.applyAsDouble(p.httpSelf());
        if (Double.isNaN(selfMs)) {
            return java.util.Optional.of(new Rpm(foreign, Double.NaN, foreign, false));
        }
        double loaded = 60_000 / Math.max(selfMs, 1e-3);
        return java.util.Optional.of(new Rpm(foreign, loaded, (foreign + loaded) / 2, true));
    }

    /**
     * The probes per second allowed: at most {@code mps}, at most PTC of the goodput (each second a
     * pair of probes costs FOREIGN + SELF bytes), at least 1.
     */
    public static double probeRate(int mps, double goodputBitsPerSecond, boolean selfProbes) {
        double perPair = FOREIGN_PROBE_BYTES + (selfProbes ? SELF_PROBE_BYTES : 0);
        double cap = PTC * goodputBitsPerSecond / 8 / perPair;
        return Math.max(1, Math.min(mps, cap));
    }

    /**
     * The DSLReports increase: the mean over the directions that ran of (loaded − idle); zero when
     * none ran.
     */
    public static Duration averageIncrease(Duration idle, Collection<Duration> loaded) {
        if (loaded.isEmpty()) {
            return Duration.ZERO;
        }
        long sum = 0;
        for (Duration d : loaded) {
            sum += d.toNanos() - idle.toNanos();
        }
        return Duration.ofNanos(sum / loaded.size());
    }

    /** The grade of the average increase. */
    public static BufferbloatGrade grade(Duration idle, Collection<Duration> loaded) {
        return BufferbloatGrade.of(averageIncrease(idle, loaded));
    }

    /** Milliseconds as a Duration (rounded to the nanosecond). */
    public static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    private static double[] sorted(Collection<Double> values) {
        double[] v = new double[values.size()];
        int i = 0;
        for (double d : values) {
            v[i++] = d;
        }
        Arrays.sort(v);
        return v;
    }
}
