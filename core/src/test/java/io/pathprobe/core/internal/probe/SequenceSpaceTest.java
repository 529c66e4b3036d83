package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class SequenceSpaceTest {

    @Test
    void handsOutFreshNumbersThenReleasedOnesOldestFirstNeverAnOutstandingOne() {
        SequenceSpace s = new SequenceSpace(3, 100); // 4 numbers
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.acquire(10)).isZero();
        assertThat(s.acquire(11)).isEqualTo(1);
        assertThat(s.acquire(12)).isEqualTo(2);
        assertThat(s.acquire(13)).isEqualTo(3);
        assertThat(s.acquire(14)).as("all outstanding").isEqualTo(-1);
        s.release(2);
        s.release(0);
        s.release(0); // idempotent
        assertThat(s.holder(2)).as("the last holder is remembered").isEqualTo(12);
        assertThat(s.acquire(14)).isEqualTo(2);
        assertThat(s.acquire(15)).isZero();
        assertThat(s.acquire(16)).isEqualTo(-1);
        assertThat(s.holder(2)).isEqualTo(14);
        assertThat(s.holder(7)).isEqualTo(-1);
        assertThat(s.holder(-1)).isEqualTo(-1);
    }

    @Test
    void neverTwoOutstandingWithOneNumberOverManyWraps() {
        SequenceSpace s = new SequenceSpace(15, 1000);
        Set<Integer> outstanding = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int seq = s.acquire(i % 1000);
            if (seq < 0) {
                assertThat(outstanding).hasSize(16);
                int victim = outstanding.iterator().next();
                s.release(victim);
                outstanding.remove(victim);
                continue;
            }
            assertThat(outstanding.add(seq)).isTrue();
            if (i % 3 == 0) {
                s.release(seq);
                outstanding.remove(seq);
            }
        }
    }

    @Test
    void aLargeRangeCostsOnlyWhatTheMeasurementCanUse() {
        assertThat(new SequenceSpace(65535, 90).size()).isEqualTo(90);
        assertThat(new SequenceSpace(Integer.MAX_VALUE, 90).size()).isEqualTo(90);
    }
}
