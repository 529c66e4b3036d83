package io.pathprobe.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(5)
class RateBudgetTest {
    private static final long MS = 1_000_000;

    @Test
    void burstThenOneTokenPerInterval() {
        RateBudget b = new RateBudget(100, 3, 0); // 10 ms per token
        assertThat(b.tryTake(0)).isTrue();
        assertThat(b.tryTake(0)).isTrue();
        assertThat(b.tryTake(0)).isTrue();
        assertThat(b.tryTake(0)).isFalse();
        assertThat(b.nanosUntilToken(0)).isEqualTo(10 * MS);
        assertThat(b.tryTake(9 * MS)).isFalse();
        assertThat(b.nanosUntilToken(9 * MS)).isEqualTo(MS);
        assertThat(b.tryTake(10 * MS)).isTrue();
        assertThat(b.tryTake(10 * MS)).isFalse();
    }

    @Test
    void idleTimeRefillsOnlyUpToTheBurst() {
        RateBudget b = new RateBudget(100, 2, 0);
        b.tryTake(0);
        b.tryTake(0);
        long later = 10_000 * MS;
        assertThat(b.tryTake(later)).isTrue();
        assertThat(b.tryTake(later)).isTrue();
        assertThat(b.tryTake(later)).isFalse();
    }

    @Test
    void zeroRateIsUnlimited() {
        RateBudget b = new RateBudget(0, 1, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(b.tryTake(0)).isTrue();
        }
        assertThat(b.nanosUntilToken(0)).isZero();
    }

    /** A charge with no token left is a debt: the next token comes that much later; a refund gives it back. */
    @Test
    void aDebtDelaysTheNextTokens() {
        RateBudget b = new RateBudget(100, 1, 0); // 10 ms per token
        assertThat(b.tryTake(0)).isTrue();
        b.charge(0);
        b.charge(0);
        assertThat(b.nanosUntilToken(0)).isEqualTo(30 * MS);
        assertThat(b.tryTake(25 * MS)).isFalse();
        b.refund();
        assertThat(b.nanosUntilToken(25 * MS)).isEqualTo(0);
        assertThat(b.tryTake(25 * MS)).isTrue();
        assertThat(b.tryTake(25 * MS)).isFalse();
    }
}
