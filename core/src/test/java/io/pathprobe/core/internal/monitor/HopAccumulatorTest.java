package io.pathprobe.core.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.core.internal.sim.Scenario;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorStatistics;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** mtr's columns from known inputs, and the histogram's error bound. */
class HopAccumulatorTest {
    private static final InetAddress A = Scenario.address(10, 0, 3, 1);
    private static final InetAddress B = Scenario.address(10, 0, 3, 2);

    private static long ms(double v) {
        return Math.round(v * 1_000_000);
    }

    @Test
    void statisticsFromKnownInputs() {
        HopAccumulator h = new HopAccumulator(3);
        h.received(ms(1), A);
        h.received(ms(2), A);
        h.lost();
        h.received(ms(3), B);
        h.received(ms(4), A);
        MonitorStatistics t = h.total();
        assertThat(t.sent()).isEqualTo(5);
        assertThat(t.received()).isEqualTo(4);
        assertThat(t.loss()).isEqualTo(0.2);
        assertThat(t.rtt().orElseThrow().last()).isEqualTo(Duration.ofMillis(4));
        assertThat(t.rtt().orElseThrow().min()).isEqualTo(Duration.ofMillis(1));
        assertThat(t.rtt().orElseThrow().max()).isEqualTo(Duration.ofMillis(4));
        assertThat(t.rtt().orElseThrow().avg()).isEqualTo(Duration.ofNanos(2_500_000));
        // sample stdev of 1,2,3,4 ms: sqrt(5/3) ms
        assertThat(t.rtt().orElseThrow().stdDev().toNanos()).isEqualTo(Math.round(Math.sqrt(5.0 / 3) * 1e6));
        // RFC 3550: |D| = 1 ms three times
        double j = 0;
        for (int i = 0; i < 3; i++) {
            j += (1e6 - j) / 16;
        }
        assertThat(t.jitter().toNanos()).isEqualTo(Math.round(j));
        // nearest rank: p50 of 4 = the 2nd sample, p90 and p99 = the 4th, each reported as its
        // histogram bucket's value (the bound on that is histogramBucketsAreWithinOneThirtySecond),
        // clamped to the exact best and worst
        assertThat(t.rtt().orElseThrow().percentiles().orElseThrow().p50()).isEqualTo(Duration.ofNanos(reported(ms(2), t)));
        assertThat(t.rtt().orElseThrow().percentiles().orElseThrow().p90()).isEqualTo(Duration.ofNanos(reported(ms(4), t)));
        assertThat(t.rtt().orElseThrow().percentiles().orElseThrow().p99()).isEqualTo(t.rtt().orElseThrow().percentiles().orElseThrow().p90());
        // the window: the last 3 samples (lost, 3, 4), exact
        MonitorStatistics w = h.window();
        assertThat(w.sent()).isEqualTo(3);
        assertThat(w.received()).isEqualTo(2);
        assertThat(w.rtt().orElseThrow().min()).isEqualTo(Duration.ofMillis(3));
        assertThat(w.rtt().orElseThrow().avg()).isEqualTo(Duration.ofNanos(3_500_000));
        assertThat(w.rtt().orElseThrow().percentiles().orElseThrow().p50()).isEqualTo(Duration.ofMillis(3));
        assertThat(w.rtt().orElseThrow().percentiles().orElseThrow().p99()).isEqualTo(Duration.ofMillis(4));
        assertThat(h.windowLoss()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.windowMeanMillis()).isCloseTo(3.5, org.assertj.core.data.Offset.offset(1e-9));
        // responders and shares
        assertThat(h.responders(a -> Lookup.off(), a -> Lookup.off())).satisfiesExactly(
                r -> {
                    assertThat(r.address()).isEqualTo(A);
                    assertThat(r.replies()).isEqualTo(3);
                    assertThat(r.share()).isEqualTo(0.75);
                },
                r -> assertThat(r.share()).isEqualTo(0.25));
    }

    /** What the run's statistics report for the sample {@code nanos}: its bucket's value, within best and worst. */
    private static long reported(long nanos, MonitorStatistics t) {
        long bucket = HopAccumulator.histogram().highestEquivalentValue(nanos);
        return Math.max(t.rtt().orElseThrow().min().toNanos(), Math.min(t.rtt().orElseThrow().max().toNanos(), bucket));
    }

    @Test
    void aRateLimitedProbeIsSentNeitherReceivedNorLost() {
        HopAccumulator h = new HopAccumulator(4);
        h.received(ms(1), A);
        h.rateLimited();
        h.lost();
        h.rateLimited();
        h.received(ms(3), A);
        MonitorStatistics t = h.total();
        assertThat(t.sent()).isEqualTo(5);
        assertThat(t.received()).isEqualTo(2);
        assertThat(t.rateLimited()).isEqualTo(2);
        assertThat(t.lost()).isEqualTo(1);
        assertThat(t.sent()).isEqualTo(t.received() + t.lost() + t.rateLimited());
        assertThat(t.loss()).as("1 lost of 3 answered or lost").isCloseTo(1.0 / 3,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.rtt().orElseThrow().avg()).isEqualTo(Duration.ofMillis(2));
        // the window: rate-limited, lost, rate-limited, 3 ms
        MonitorStatistics w = h.window();
        assertThat(w.sent()).isEqualTo(4);
        assertThat(w.received()).isEqualTo(1);
        assertThat(w.rateLimited()).isEqualTo(2);
        assertThat(w.lost()).isEqualTo(1);
        assertThat(h.windowLoss()).isEqualTo(0.5);
        assertThat(h.windowMeanMillis()).isEqualTo(3.0);
        HopAccumulator only = new HopAccumulator(2);
        only.rateLimited();
        assertThat(only.windowLoss()).as("nothing answered or lost").isEqualTo(-1);
        assertThat(only.total().loss()).isZero();
    }

    @Test
    void nothingReceivedIsAllZeroes() {
        HopAccumulator h = new HopAccumulator(10);
        h.lost();
        h.lost();
        assertThat(h.total().loss()).isEqualTo(1.0);
        assertThat(h.total().rtt()).isEmpty();
        assertThat(h.windowMeanMillis()).isEqualTo(-1);
    }

    @Test
    void histogramBucketsAreWithinOneSixteenth() {
        org.HdrHistogram.Histogram h = HopAccumulator.histogram();
        for (long v = 1; v < HopAccumulator.HIGHEST_NANOS; v = v < 100 ? v + 1 : v + v / 7 + 3) {
            long back = h.highestEquivalentValue(v);
            assertThat(back).as("value %d", v).isGreaterThanOrEqualTo(v);
            assertThat((double) (back - v)).as("value %d", v).isLessThanOrEqualTo(v / 16.0);
        }
    }

    @Test
    void anRttBeyondTheRangeIsCountedAsItsLargest() {
        HopAccumulator h = new HopAccumulator(4);
        h.received(HopAccumulator.HIGHEST_NANOS * 4, A);
        assertThat(h.total().rtt().orElseThrow().max()).isEqualTo(java.time.Duration.ofNanos(HopAccumulator.HIGHEST_NANOS * 4));
        assertThat(h.total().rtt().orElseThrow().percentiles().orElseThrow().p99()).isEqualTo(h.total().rtt().orElseThrow().max());
    }
}
