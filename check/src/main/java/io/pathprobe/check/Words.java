package io.pathprobe.check;

import java.math.BigDecimal;
import java.time.Duration;

/** How assertions and verdicts write their figures: as the options take them. */
final class Words {
    private Words() {}

    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(us|µs|ms|s|m|min)?");

    /** {@return {@code "80ms"}, {@code "1.5s"}, {@code "250us"}, {@code "2m"} (no unit: seconds) or ISO-8601} */
    static Duration parseDuration(String option, String text) {
        java.util.regex.Matcher m = DURATION.matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double nanos = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "us", "µs" -> n * 1e3;
                case "ms" -> n * 1e6;
                case "m", "min" -> n * 60e9;
                default -> n * 1e9;
            };
            if (nanos < Long.MAX_VALUE / 2.0) {
                return Duration.ofNanos(Math.round(nanos));
            }
        }
        try {
            return Duration.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "': not a duration (80ms, 1.5s, 250us)", e);
        }
    }

    /** {@return a flag's value: {@code true} or {@code false}} */
    static boolean flag(String option, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("--" + option + " '" + value + "': true or false");
        }
        return Boolean.parseBoolean(value);
    }

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
