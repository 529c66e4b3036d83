package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MdaBoundsTest {
    private static final int[] SCAMPER_95 = {6, 11, 16, 21, 27, 33, 38, 44, 51, 57, 63, 70, 76, 83, 90};
    private static final int[] SCAMPER_99 = {8, 15, 21, 28, 36, 43, 51, 58, 66, 74, 82, 90, 98, 106, 115};

    @Test
    void reproducesScampersTablesExactly() {
        MdaBounds b95 = MdaBounds.of(95);
        MdaBounds b99 = MdaBounds.of(99);
        for (int k = 2; k <= 16; k++) {
            assertThat(b95.stoppingPoint(k)).as("95%% k=%d", k).isEqualTo(SCAMPER_95[k - 2]);
            assertThat(b99.stoppingPoint(k)).as("99%% k=%d", k).isEqualTo(SCAMPER_99[k - 2]);
        }
        assertThat(b95.stoppingPoint(20)).isEqualTo(117);
        assertThat(b99.stoppingPoint(20)).isEqualTo(149);
        assertThat(b95.stoppingPoint(50)).isEqualTo(341);
        assertThat(b99.stoppingPoint(50)).isEqualTo(422);
        assertThat(b95.stoppingPoint(99)).isEqualTo(746);
        assertThat(b99.stoppingPoint(99)).isEqualTo(906);
    }

    @Test
    void oneSuccessorNeedsOneFlowAndOtherConfidencesAreMonotone() {
        assertThat(MdaBounds.of(95).stoppingPoint(1)).isEqualTo(1);
        MdaBounds b50 = MdaBounds.of(50);
        MdaBounds b999 = MdaBounds.of(99.9);
        for (int k = 2; k < 40; k++) {
            assertThat(b50.stoppingPoint(k)).isLessThanOrEqualTo(MdaBounds.of(95).stoppingPoint(k));
            assertThat(b999.stoppingPoint(k)).isGreaterThanOrEqualTo(MdaBounds.of(99).stoppingPoint(k));
            assertThat(b999.stoppingPoint(k + 1)).isGreaterThan(b999.stoppingPoint(k));
        }
        // k = 2: all of 2 seen after n draws with probability 1 - 2^(1-n)
        assertThat(MdaBounds.of(50).stoppingPoint(2)).isEqualTo(2);
        assertThat(MdaBounds.of(75).stoppingPoint(2)).isEqualTo(3);
        assertThat(MdaBounds.of(200.0 / 3).stoppingPoint(2)).isEqualTo(3);
        assertThat(MdaBounds.of(95)).isSameAs(MdaBounds.of(95));
    }

    @Test
    void globalConfidenceIsTheProductOverTestedBranchPoints() {
        assertThat(MdaBounds.globalConfidence(95, 0)).isEqualTo(100.0);
        assertThat(MdaBounds.globalConfidence(95, 1)).isCloseTo(95.0, within(1e-9));
        assertThat(MdaBounds.globalConfidence(95, 2)).isCloseTo(90.25, within(1e-9));
    }

    @Test
    void rejectsConfidencesOutsideTheOpenInterval() {
        assertThatThrownBy(() -> MdaBounds.of(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MdaBounds.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MdaBounds.of(95).stoppingPoint(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRulesFailureProbabilityIsAboutOneMinusTheConfidence() {
        for (int k = 2; k <= 16; k *= 2) {
            double f95 = MdaBounds.of(95).failureProbability(k);
            double f99 = MdaBounds.of(99).failureProbability(k);
            System.out.printf("k=%d: failure 95%% %.4f, 99%% %.4f%n", k, f95, f99);
            assertThat(f95).isBetween(0.01, 0.07);
            assertThat(f99).isLessThan(f95).isLessThan(0.015);
        }
        assertThat(MdaBounds.of(95).failureProbability(1)).isZero();
        // k = 2: stops with one seen after n(2) = 6 flows: 2^-5
        assertThat(MdaBounds.of(95).failureProbability(2)).isCloseTo(1.0 / 32, within(1e-12));
    }
}
