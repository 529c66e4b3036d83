package io.pathprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Percentiles.median(new long[] {30, 10, 20})).isEqualTo(20.0);
        assertThat(Percentiles.median(new long[] {40, 10, 30, 20})).isEqualTo(25.0);
        assertThat(Percentiles.median(new double[] {0.5, 2.5})).isEqualTo(1.5);
        assertThat(Percentiles.median(new long[] {7})).isEqualTo(7.0);
    }

    @Test
    void theNearestRankPercentileIsAValueOfTheSample() {
        long[] oneToTen = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertThat(Percentiles.nearestRank(oneToTen, 0.1)).isEqualTo(1.0);
        assertThat(Percentiles.nearestRank(oneToTen, 0.5)).isEqualTo(5.0); // the lower middle value, not 5.5
        assertThat(Percentiles.nearestRank(oneToTen, 0.9)).isEqualTo(9.0);
        assertThat(Percentiles.nearestRank(oneToTen, 0.0)).isEqualTo(1.0);
        assertThat(Percentiles.nearestRank(oneToTen, 1.0)).isEqualTo(10.0);
    }

    @Test
    void theValuesAreLeftInTheirOrder() {
        long[] values = {3, 1, 2};
        Percentiles.median(values);
        Percentiles.nearestRank(values, 0.5);
        assertThat(values).containsExactly(3, 1, 2);
    }
}
