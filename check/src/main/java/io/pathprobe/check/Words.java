package io.pathprobe.check;

import java.math.BigDecimal;
import java.time.Duration;

/** How assertions and verdicts write their figures: as the options take them. */
final class Words {
    private Words() {}

    /** Refuses a bound that is not positive, naming the option. */
    static void positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + duration(d));
        }
    }

    /** {@return {@code "5%"}, {@code "2.5%"}: the percent in as few digits as it needs} */
    static String percent(double percent) {
        if (!Double.isFinite(percent)) {
            return percent + "%";
        }
        return BigDecimal.valueOf(percent).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + "%";
    }

    /** {@return {@code "80ms"}, {@code "0.25ms"}, {@code "1.5s"}: as the options take it} */
    static String duration(Duration d) {
        BigDecimal ms = BigDecimal.valueOf(d.toNanos()).movePointLeft(6);
        return ms.abs().compareTo(BigDecimal.valueOf(1000)) >= 0
                ? ms.movePointLeft(3).stripTrailingZeros().toPlainString() + "s"
                : ms.setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "ms";
    }
}
