package io.pathprobe.probe;

/**
 * The ECN field of an IP header (RFC 3168): the low two bits of the IPv4 ToS byte or the IPv6 traffic
 * class. Prints as the RFC writes it: {@code Not-ECT}, {@code ECT(1)}, {@code ECT(0)}, {@code CE}.
 */
public enum Ecn {
    /** 00: the sender does not do ECN. */
    NOT_ECT("Not-ECT"),
    /** 01: ECN-capable transport, codepoint 1 (L4S, RFC 9331). */
    ECT_1("ECT(1)"),
    /** 10: ECN-capable transport, codepoint 0. */
    ECT_0("ECT(0)"),
    /** 11: congestion experienced, set by a router instead of dropping. */
    CE("CE");

    private final String text;

    Ecn(String text) {
        this.text = text;
    }

    /** {@return the two-bit codepoint, 0 to 3} */
    public int codepoint() {
        return ordinal();
    }

    /**
     * {@return the ECN of a codepoint}
     *
     * @param codepoint 0 to 3
     * @throws IllegalArgumentException if {@code codepoint} is not 0 to 3
     */
    public static Ecn of(int codepoint) {
        if (codepoint < 0 || codepoint > 3) {
            throw new IllegalArgumentException("an ECN codepoint is 0..3, was " + codepoint);
        }
        return values()[codepoint];
    }

    /**
     * {@return the ECN a name stands for: {@code not-ect}, {@code ect0} / {@code ect(0)}, {@code ect1} /
     * {@code ect(1)}, {@code ce} (any case), or a codepoint 0 to 3}
     *
     * @param text the name
     * @throws IllegalArgumentException if it names no ECN codepoint
     */
    public static Ecn parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("(", "").replace(")", "").replace("_", "-");
        return switch (t) {
            case "not-ect", "notect", "0" -> NOT_ECT;
            case "ect1", "ect-1", "1" -> ECT_1;
            case "ect0", "ect-0", "2" -> ECT_0;
            case "ce", "3" -> CE;
            default -> throw new IllegalArgumentException(
                    "not an ECN codepoint: \"" + text + "\" (not-ect, ect0, ect1, ce or 0..3)");
        };
    }

    /** {@return {@code Not-ECT}, {@code ECT(1)}, {@code ECT(0)} or {@code CE}} */
    @Override
    public String toString() {
        return text;
    }
}
