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

    /**
     * A new rate keeps the tokens the bucket holds, at most the new burst: a full bucket lowered is full at its new
     * burst, a half-full one half full at the new rate, a debt a debt; from unlimited it starts full.
     */
    @Test
    void aNewRateKeepsTheTokensHeldAtMostTheNewBurst() {
        RateBudget full = new RateBudget(100, 5, 0);
        full.retune(10, 2, 0); // 5 tokens held, the new burst 2
        assertThat(full.tryTake(0)).isTrue();
        assertThat(full.tryTake(0)).isTrue();
        assertThat(full.tryTake(0)).isFalse();
        assertThat(full.nanosUntilToken(0)).isEqualTo(100 * MS);

        RateBudget half = new RateBudget(100, 1, 0); // 10 ms a token
        assertThat(half.tryTake(0)).isTrue();
        half.retune(10, 1, 5 * MS); // half a token held: half of 100 ms to go
        assertThat(half.nanosUntilToken(5 * MS)).isEqualTo(50 * MS);

        RateBudget debt = new RateBudget(100, 1, 0);
        debt.charge(0);
        debt.charge(0); // a token owed
        debt.retune(10, 1, 0);
        assertThat(debt.nanosUntilToken(0)).isEqualTo(200 * MS);

        RateBudget unlimited = new RateBudget(0, 1, 0);
        unlimited.retune(10, 3, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(unlimited.tryTake(0)).isTrue();
        }
        assertThat(unlimited.tryTake(0)).isFalse();
        unlimited.retune(0, 1, 0);
        assertThat(unlimited.tryTake(0)).isTrue();
    }
}
