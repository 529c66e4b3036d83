package io.pathprobe.core.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class WaitPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void linuxTraceroute21AdaptiveWait() {
        WaitPolicy w = new WaitPolicy(1000 * MS, true);
        assertThat(w.waitNanos(-1, -1)).isEqualTo(1000 * MS);
        assertThat(w.waitNanos(10 * MS, -1)).isEqualTo(30 * MS);
        assertThat(w.waitNanos(-1, 10 * MS)).isEqualTo(100 * MS);
        assertThat(w.waitNanos(10 * MS, 1 * MS)).as("a hop that answered: HERE alone").isEqualTo(30 * MS);
        assertThat(w.waitNanos(-1, 1000)).as("a silent hop: at least 2 ms").isEqualTo(2 * MS);
        assertThat(w.waitNanos(1000, -1)).as("a missing attempt where nothing later answered: at least 10 ms")
                .isEqualTo(10 * MS);
        assertThat(w.waitNanos(1000, 1000)).as("a hop that answered is not silent: its floor, not NEAR's")
                .isEqualTo(10 * MS);
        assertThat(w.waitNanos(5 * MS, -1)).as("3 x RTT above the floor").isEqualTo(15 * MS);
        assertThat(new WaitPolicy(1000 * MS, false).waitNanos(1000, 1000)).isEqualTo(1000 * MS);
        WaitPolicy one = WaitPolicy.forSession(1000 * MS, true, 1);
        assertThat(one.waitNanos(-1, 1000)).as("one probe at a time: a silent-looking hop waits the HERE floor")
                .isEqualTo(10 * MS);
        assertThat(one.waitNanos(-1, 5 * MS)).isEqualTo(50 * MS);
        assertThat(WaitPolicy.forSession(1000 * MS, true, 2).waitNanos(-1, 1000)).isEqualTo(2 * MS);
    }

    /** Defect 2: nothing overflows, whatever the durations. */
    @Test
    void arithmeticSaturates() {
        WaitPolicy w = new WaitPolicy(Long.MAX_VALUE, true);
        assertThat(w.waitNanos(Long.MAX_VALUE / 2, Long.MAX_VALUE / 3)).isEqualTo(Long.MAX_VALUE);
        assertThat(WaitPolicy.nanos(Duration.ofDays(365))).isEqualTo(Duration.ofDays(365).toNanos());
        assertThat(WaitPolicy.nanos(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(WaitPolicy.plus(Long.MAX_VALUE - 5, 10)).isEqualTo(Long.MAX_VALUE);
        assertThat(WaitPolicy.plus(5, 10)).isEqualTo(15);
    }
}
