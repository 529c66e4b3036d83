package io.pathprobe.bufferbloat.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class DeliveryCurveTest {
    static final long START = 1_000;
    static final long SECOND = 1_000_000_000L;
    static final long STEP = SECOND / 20;

    /** A curve sampled every 50 ms from 0 to {@code seconds}: bytes(t in s). */
    static DeliveryCurve curve(double seconds, DoubleUnaryOperator bytes) {
        DeliveryCurve c = new DeliveryCurve(START, STEP);
        for (long t = STEP; t <= (long) (seconds * SECOND); t += STEP) {
            c.add(START + t, Math.round(bytes.applyAsDouble(t / (double) SECOND)));
        }
        return c;
    }

    static double mbps(DeliveryCurve c, double settledSeconds) {
        c.settled(START + (long) (settledSeconds * SECOND));
        return c.goodput(4 * SECOND, 2 * SECOND) / 1e6;
    }

    @Test
    void aSteadyCurveIsItsAverage() {
        // 20 Mbit/s = 2.5 MB/s for 10 s
        assertThat(mbps(curve(10, t -> 2.5e6 * t), 0)).isCloseTo(20, within(1e-6));
    }

    @Test
    void bytesHeldBackAtTheEndsDoNotCount() {
        // 19 Mbit/s arrive (2.375 MB/s); TCP holds 1 MB back from 0.5 to 0.8 s and 2 MB over the last 0.4 s
        // (a loss at each end, the data behind it handed over only when the retransmission arrives)
        DoubleUnaryOperator held = t -> 2.375e6 * t - (t >= 0.5 && t < 0.8 ? 1e6 : 0) - (t > 9.6 ? 2e6 : 0);
        // bytes over the window: (23.75 MB - 2 MB) × 8 / 10 s = 17.4 Mbit/s, 8 % low
        DeliveryCurve c = curve(10, held);
        assertThat(mbps(c, 0)).isCloseTo(19, within(1e-6));
        // a hold-back across the start: the window's first point low, and what follows catches up
        DeliveryCurve late = curve(10, t -> 2.375e6 * t - (t < 0.3 ? 0.5e6 * t / 0.3 : 0));
        assertThat(mbps(late, 0)).isCloseTo(19, within(1e-6));
    }

    @Test
    void theWindowIsTheTimeAtTheFinalConnectionsButNeverShorterThanMad() {
        // 10 Mbit/s for 5 s while connections were added, then 20 Mbit/s to 15 s
        DoubleUnaryOperator ramp = t -> t < 5 ? 1.25e6 * t : 6.25e6 + 2.5e6 * (t - 5);
        assertThat(mbps(curve(15, ramp), 5)).isCloseTo(20, within(1e-6));
        // the last connection added at 14.5 s: the last 4 s (11-15 s) all at 20
        assertThat(mbps(curve(15, ramp), 14.5)).isCloseTo(20, within(1e-6));
        // the rate changed inside the last 4 s (12 s): 1 s at 10 and 3 s at 20 = 70 Mbit over 4 s
        DoubleUnaryOperator late = t -> t < 12 ? 1.25e6 * t : 15e6 + 2.5e6 * (t - 12);
        assertThat(mbps(curve(15, late), 14.5)).isCloseTo(17.5, within(1e-6));
        // shorter than MAD in all: everything (0-2 s)
        assertThat(mbps(curve(2, t -> 2.5e6 * t), 0)).isCloseTo(20, within(1e-6));
    }

    @Test
    void aCounterThatStepsBackStillReadsItsTrend() {
        // an upload's counter: bytes written less TCP's unacknowledged, which jumps both ways around 10 Mbit/s
        DeliveryCurve c = curve(8, t -> 1.25e6 * t - ((long) (t * 20) % 7 == 0 ? 300_000 : 0));
        assertThat(mbps(c, 0)).isCloseTo(10, within(1e-6));
    }

    @Test
    void aLongTestStaysBounded() {
        // an hour at 50 ms: 72,000 samples offered
        DeliveryCurve c = curve(3600, t -> 2.5e6 * t - (t > 3599.8 ? 3e6 : 0));
        assertThat(c.size()).isLessThanOrEqualTo(DeliveryCurve.CAPACITY);
        assertThat(c.period()).isGreaterThan(STEP);
        assertThat(mbps(c, 0)).isCloseTo(20, within(1e-3));
    }

    @Test
    void edges() {
        assertThat(new DeliveryCurve(START, STEP).goodput(4 * SECOND, 2 * SECOND)).isZero();
        assertThatThrownBy(() -> new DeliveryCurve(START, 0)).isInstanceOf(IllegalArgumentException.class);
        DeliveryCurve c = new DeliveryCurve(START, STEP);
        assertThat(c.due(START + STEP - 1)).isFalse();
        assertThat(c.due(START + STEP)).isTrue();
    }
}
