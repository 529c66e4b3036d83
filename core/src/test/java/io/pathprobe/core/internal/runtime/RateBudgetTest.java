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

    /** Reservations queue: each one the next token, in turn; a debt (a charge with no token) delays them all. */
    @Test
    void reservationsTakeTheNextTokensInTurnAndDebtsDelayThem() {
        RateBudget b = new RateBudget(100, 1, 0); // 10 ms per token
        assertThat(b.reserve(0)).isZero(); // the burst's token
        assertThat(b.reserve(0)).isEqualTo(10 * MS);
        assertThat(b.reserve(0)).isEqualTo(20 * MS);
        assertThat(b.tryTake(25 * MS)).as("the reserved tokens are nobody else's").isFalse();
        assertThat(b.nanosUntilToken(25 * MS)).isEqualTo(5 * MS);
        b.charge(25 * MS);
        assertThat(b.nanosUntilToken(25 * MS)).isEqualTo(15 * MS);
        b.refund();
        assertThat(b.nanosUntilToken(25 * MS)).isEqualTo(5 * MS);
        assertThat(b.tryTake(30 * MS)).isTrue();
    }
}
