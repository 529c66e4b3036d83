package io.pathprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.bufferbloat.BufferbloatPhase;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.bufferbloat.MeasurementConfidence;
import io.pathprobe.testing.Samples;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
/** The load a bufferbloat direction names: its checks, its saturation rule and its text. */
class BufferbloatLoadTest {
    @Test
    void saturatedFromNineTenthsOfTheCapacityEstimateOn() {
        assertThat(load(0.9).saturated()).isTrue();
        assertThat(load(1).saturated()).isTrue();
        assertThat(load(0.899).saturated()).isFalse();
        assertThat(load(0).saturated()).isFalse();
    }

    @Test
    void badComponentsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> load(1.01)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("saturation");
        assertThatThrownBy(() -> load(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("saturation");
        assertThatThrownBy(() -> new BufferbloatLoad(Optional.empty(), true, Double.POSITIVE_INFINITY, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacityBitsPerSecond");
        assertThatThrownBy(() -> new BufferbloatLoad(Optional.empty(), true, -1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacityBitsPerSecond");
        assertThatThrownBy(() -> new BufferbloatLoad(Optional.empty(), true, 1, 1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> new BufferbloatLoad(Optional.empty(), true, 1, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("duration");
    }

    @Test
    void printsAsTheCliDoes() {
        assertThat(new BufferbloatLoad(Optional.of("bbr"), true, 19.1e6, 0.97, Duration.ofSeconds(6)))
                .hasToString("bbr, opened together, 97 % of 19.1 Mbit/s");
        assertThat(BufferbloatLoad.unknown(20e6)).hasToString("congestion control unknown, as ramped, 100 % of 20.0 Mbit/s");
    }

    @Test
    void theShortConstructorKeepsItsMeaning() {
        // what code written against the first DirectionResult builds: P99 = P90, no percentile RPMs, a load
        // nothing more is known of, which holds the link (so it never ungrades a result on its own)
        DirectionResult d = new DirectionResult(BufferbloatPhase.UPLOAD, Duration.ofMillis(40), Duration.ofMillis(55),
                18e6, 4, Optional.of(700.0), MeasurementConfidence.HIGH, MeasurementConfidence.LOW);
        assertThat(d.loadedLatencyP99()).isEqualTo(Duration.ofMillis(55));
        assertThat(d.rpmP90()).isEmpty();
        assertThat(d.rpmP99()).isEmpty();
        assertThat(d.load()).isEqualTo(BufferbloatLoad.unknown(18e6));
        assertThat(d.load().saturated()).isTrue();
        assertThat(Samples.bufferbloat().download().orElseThrow().toString()).isEqualTo("Download:         19.0 Mbit/s, "
                + "4 flows; loaded latency 50.00 ms (P90 70.00 ms, P99 81.50 ms), 1200 RPM (P90 950, P99 802); "
                + "confidence throughput high, rpm medium; load bbr, opened together, 97 % of 19.5 Mbit/s");
    }

    private static BufferbloatLoad load(double saturation) {
        return new BufferbloatLoad(Optional.of("cubic"), true, 20e6, saturation, Duration.ofSeconds(5));
    }
}
