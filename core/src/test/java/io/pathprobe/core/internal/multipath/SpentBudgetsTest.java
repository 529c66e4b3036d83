package io.pathprobe.core.internal.multipath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpentBudgetsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aProbeToTheSameTtlWithinTheRefillWindowSpentTheBudget() {
        SpentBudgets b = new SpentBudgets();
        b.sent(2, 10 * S);
        b.sent(2, 11 * S);
        assertThat(b.spent(2, 10 * S)).as("at the same instant").isTrue();
        assertThat(b.spent(2, 11 * S + S / 2)).isTrue();
        assertThat(b.spent(2, 17 * S)).as("6 s after the last: a drained Linux bucket is full again").isTrue();
        assertThat(b.spent(2, 17 * S + 1)).isFalse();
        assertThat(b.spent(2, 9 * S)).as("before any was sent").isFalse();
        assertThat(b.spent(3, 11 * S)).as("another TTL's routers").isFalse();
    }
}
