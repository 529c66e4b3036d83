package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.bufferbloat.RpmCategory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** draft-ietf-ippm-responsiveness-09's arithmetic, worked by hand. */
class Draft09Test {

    @Test
    void trimmedMeanDropsTheSlowestFivePercent() {
        // 20 samples 1..20 ms: 5 % of 20 = 1 sample dropped (the slowest, 20).
        // mean of 1..19 = (19 × 20 / 2) / 19 = 190 / 19 = 10.0
        List<Double> v = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            v.add((double) i); // unsorted on purpose
        }
        assertThat(Draft09.trimmedMean(v)).isEqualTo(10.0);
        // 19 samples: 5 % of 19 = 0.95, rounded down = 0 dropped: mean of 1..19 = 10
        assertThat(Draft09.trimmedMean(v.subList(1, 20))).isEqualTo(10.0);
        // 40 samples of 10 ms and... 38 × 10 + 2 × 1000: 5 % of 40 = 2 dropped, both outliers: 10
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < 38; i++) {
            w.add(10.0);
        }
        w.add(1000.0);
        w.add(1000.0);
        assertThat(Draft09.trimmedMean(w)).isEqualTo(10.0);
        // single-sided: a fast outlier is kept. 19 × 10 + 1 × 0: drop the slowest (a 10): (18 × 10 + 0) / 19
        List<Double> x = new ArrayList<>(w.subList(0, 19));
        x.add(0.0);
        assertThat(Draft09.trimmedMean(x)).isCloseTo(180.0 / 19, within(1e-12));
        assertThat(Draft09.trimmedMean(List.of())).isNaN();
    }

    @Test
    void percentileIsNearestRank() {
        // 1..10: P90 rank = ceil(0.9 × 10) = 9 -> 9; P50 rank 5 -> 5; P100 -> 10
        List<Double> v = List.of(10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(Draft09.percentile(v, 90)).isEqualTo(9.0);
        assertThat(Draft09.percentile(v, 50)).isEqualTo(5.0);
        assertThat(Draft09.percentile(v, 100)).isEqualTo(10.0);
        // 1..20: rank ceil(18) = 18
        List<Double> w = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            w.add((double) i);
        }
        assertThat(Draft09.percentile(w, 90)).isEqualTo(18.0);
        assertThat(Draft09.median(List.of(3.0, 1.0, 2.0, 4.0))).isEqualTo(2.5);
    }

    @Test
    void movingAveragesAndStability() {
        // goodput per interval (Mbit/s): 10, 20, 30, 40, 40, 40, 40
        // moving averages over 4: (10+20+30+40)/4 = 25, (20+30+40+40)/4 = 32.5, (30+40+40+40)/4 = 37.5,
        // (40+40+40+40)/4 = 40. Last 4: 25, 32.5, 37.5, 40: mean 33.75, deviations -8.75, -1.25, 3.75, 6.25,
        // squares 76.5625 + 1.5625 + 14.0625 + 39.0625 = 131.25, /4 = 32.8125, sd = 5.728 > 5 % of 40 = 2: not stable
        List<Double> g = new ArrayList<>(List.of(10.0, 20.0, 30.0, 40.0, 40.0, 40.0, 40.0));
        assertThat(Draft09.movingAverages(g, 4)).containsExactly(25.0, 32.5, 37.5, 40.0);
        assertThat(Draft09.stable(g)).isFalse();
        // three more intervals at 40: last 4 moving averages 40, 40, 40, 40 -> sd 0 < 2: stable
        g.addAll(List.of(40.0, 40.0, 40.0));
        assertThat(Draft09.stable(g)).isTrue();
        // 40, 41, 39, 40, 40, 41, 40: MAs 40, 40, 40, 40.25: mean 40.0625, sd = sqrt(3×0.0625²+0.1875²)/2
        // = sqrt((0.01171875+0.03515625)/4) = 0.108 < 2.0125: stable
        assertThat(Draft09.stable(List.of(40.0, 41.0, 39.0, 40.0, 40.0, 41.0, 40.0))).isTrue();
        // fewer than MAD moving averages (6 intervals give 3): never stable
        assertThat(Draft09.stable(List.of(40.0, 40.0, 40.0, 40.0, 40.0, 40.0))).isFalse();
    }

    @Test
    void confidence() {
        assertThat(Draft09.confidence(3, true)).isEqualTo(MeasurementConfidence.LOW);
        assertThat(Draft09.confidence(4, false)).isEqualTo(MeasurementConfidence.MEDIUM);
        assertThat(Draft09.confidence(7, true)).isEqualTo(MeasurementConfidence.HIGH);
        assertThat(Draft09.lowest(List.of(MeasurementConfidence.HIGH, MeasurementConfidence.MEDIUM)))
                .isEqualTo(MeasurementConfidence.MEDIUM);
    }

    @Test
    void rpmTlsCase() {
        // TM(tcp_f) = 10 ms, TM(tls_f) = 20 ms (already divided by its round trips), TM(http_f) = 30 ms
        // Foreign = 60000 / ((10 + 20 + 30) / 3) = 60000 / 20 = 3000
        // TM(http_l) = 100 ms: Loaded = 60000 / 100 = 600
        // RPM = (3000 + 600) / 2 = 1800 -> GOOD
        Draft09.Probes p = new Draft09.Probes(List.of(10.0, 10.0), List.of(20.0), List.of(30.0), List.of(100.0, 100.0));
        Draft09.Rpm r = Draft09.rpmParts(p, true).orElseThrow();
        assertThat(r.foreign()).isEqualTo(3000.0);
        assertThat(r.loaded()).isEqualTo(600.0);
        assertThat(r.rpm()).isEqualTo(1800.0);
        assertThat(RpmCategory.of(r.rpm())).isEqualTo(RpmCategory.GOOD);
    }

    @Test
    void percentileRpmUsesEachKindsPercentileInPlaceOfItsTrimmedMean() {
        // 20 samples per kind, 1..20 ms times a factor: P90 (nearest rank 18) = 18 x, P99 (rank 20) = 20 x
        List<Double> tcp = new java.util.ArrayList<>();
        List<Double> tls = new java.util.ArrayList<>();
        List<Double> http = new java.util.ArrayList<>();
        List<Double> self = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            tcp.add(1.0 * i);
            tls.add(2.0 * i);
            http.add(3.0 * i);
            self.add(10.0 * i);
        }
        Draft09.Probes p = new Draft09.Probes(tcp, tls, http, self);
        // P90: foreign 60000 / ((18 + 36 + 54) / 3) = 60000 / 36; loaded 60000 / 180; RPM their mean
        assertThat(Draft09.rpmPercentile(p, true, 90).orElseThrow())
                .isCloseTo((60000 / 36.0 + 60000 / 180.0) / 2, within(1e-9));
        // P99: foreign 60000 / 40, loaded 60000 / 200
        assertThat(Draft09.rpmPercentile(p, true, 99).orElseThrow())
                .isCloseTo((60000 / 40.0 + 60000 / 200.0) / 2, within(1e-9));
        // the slower the percentile, the lower the responsiveness; the trimmed mean's lies above both
        assertThat(Draft09.rpm(p, true).orElseThrow()).isGreaterThan(Draft09.rpmPercentile(p, true, 90).orElseThrow());
        // no complete foreign set, no figure
        assertThat(Draft09.rpmPercentile(new Draft09.Probes(tcp, List.of(), http, self), true, 90)).isEmpty();
    }

    @Test
    void rpmTcpOnlyCaseNeverUsesZeroForTls() {
        // plain http: Foreign = 60000 / ((TM(tcp_f) + TM(http_f)) / 2) = 60000 / ((10 + 30) / 2) = 3000
        // (with a 0 for tls_f it would wrongly be 60000 / 13.33 = 4500)
        // Loaded = 60000 / 200 = 300; RPM = (3000 + 300) / 2 = 1650
        Draft09.Probes p = new Draft09.Probes(List.of(10.0), List.of(), List.of(30.0), List.of(200.0));
        assertThat(Draft09.rpm(p, false).orElseThrow()).isEqualTo(1650.0);
        // https without any TLS sample: no figure rather than a wrong one
        assertThat(Draft09.rpm(p, true)).isEmpty();
    }

    @Test
    void rpmWithoutSelfProbesIsForeign() {
        // HTTP/1.1: no multiplexing, no self probes: RPM = Foreign = 60000 / ((40 + 40 + 40) / 3) = 1500
        Draft09.Probes p = new Draft09.Probes(List.of(40.0), List.of(40.0), List.of(40.0), List.of());
        Draft09.Rpm r = Draft09.rpmParts(p, true).orElseThrow();
        assertThat(r.rpm()).isEqualTo(1500.0);
        assertThat(r.selfProbes()).isFalse();
        assertThat(Draft09.rpm(new Draft09.Probes(List.of(), List.of(), List.of(), List.of(1.0)), false)).isEmpty();
    }

    @Test
    void rpmOfAShallowAndADeepQueue() {
        // deep queue: every probe waits ~230 ms behind the load: foreign (230+230+230)/3 = 230 ms
        // -> 260.87 RPM; loaded 60000/230 = 260.87; RPM 260.87 -> POOR.
        // shallow: 4 ms -> 15000 RPM -> EXCELLENT. Ratio 15000 / 260.87 = 57.5 = 230 / 4.
        Draft09.Probes deep = new Draft09.Probes(List.of(230.0), List.of(230.0), List.of(230.0), List.of(230.0));
        Draft09.Probes shallow = new Draft09.Probes(List.of(4.0), List.of(4.0), List.of(4.0), List.of(4.0));
        double d = Draft09.rpm(deep, true).orElseThrow();
        double s = Draft09.rpm(shallow, true).orElseThrow();
        assertThat(d).isCloseTo(260.87, within(0.01));
        assertThat(s).isEqualTo(15000.0);
        assertThat(s / d).isCloseTo(230.0 / 4.0, within(1e-9));
        assertThat(RpmCategory.of(d)).isEqualTo(RpmCategory.POOR);
        assertThat(RpmCategory.of(s)).isEqualTo(RpmCategory.EXCELLENT);
    }

    @Test
    void tlsRoundTrips() {
        assertThat(Draft09.tlsRoundTrips("TLSv1.3")).isEqualTo(1);
        assertThat(Draft09.tlsRoundTrips("TLSv1.2")).isEqualTo(2);
    }

    @Test
    void probeRateIsCappedByFivePercentOfCapacity() {
        // 20 Mbit/s = 2.5 MB/s; 5 % = 125000 B/s; a pair costs 5000 + 1000 = 6000 B: 20.83 pairs/s
        assertThat(Draft09.probeRate(100, 20e6, true)).isCloseTo(20.833, within(0.001));
        // 1 Gbit/s: 6,250,000 B/s / 6000 = 1041 > MPS 100: 100
        assertThat(Draft09.probeRate(100, 1e9, true)).isEqualTo(100.0);
        // 100 kbit/s: 625 B/s / 5000 (no self probes) = 0.125 -> at least 1
        assertThat(Draft09.probeRate(100, 100e3, false)).isEqualTo(1.0);
    }

    @Test
    void gradeAveragesTheDirections() {
        // idle 10 ms, download loaded 60 ms (+50), upload loaded 20 ms (+10): (50 + 10) / 2 = 30 -> A? no: 30 is not < 30 -> B
        Duration idle = Duration.ofMillis(10);
        assertThat(Draft09.averageIncrease(idle, List.of(Duration.ofMillis(60), Duration.ofMillis(20))))
                .isEqualTo(Duration.ofMillis(30));
        assertThat(Draft09.grade(idle, List.of(Duration.ofMillis(60), Duration.ofMillis(20)))).isEqualTo(BufferbloatGrade.B);
        // the lab's tbf measurement: idle 0.06 ms, loaded 43.8 ms -> +43.74 -> B; shallow 4.0 -> +3.94 -> A+
        assertThat(Draft09.grade(Draft09.millis(0.06), List.of(Draft09.millis(43.8)))).isEqualTo(BufferbloatGrade.B);
        assertThat(Draft09.grade(Draft09.millis(0.06), List.of(Draft09.millis(4.0)))).isEqualTo(BufferbloatGrade.A_PLUS);
        // nothing ran: no increase
        assertThat(Draft09.averageIncrease(idle, List.of())).isZero();
    }
}
