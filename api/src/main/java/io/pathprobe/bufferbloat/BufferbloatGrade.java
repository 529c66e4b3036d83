package io.pathprobe.bufferbloat;

import java.time.Duration;

/**
 * The DSLReports bufferbloat grade of a latency increase under load: A+ below 5 ms, A below 30, B
 * below 60, C below 200, D below 400, F from 400 ms (there is no E).
 */
public enum BufferbloatGrade {
    /** A+: an increase below 5 ms. */
    A_PLUS("A+"),
    /** A: 5 to 30 ms. */
    A("A"),
    /** B: 30 to 60 ms. */
    B("B"),
    /** C: 60 to 200 ms. */
    C("C"),
    /** D: 200 to 400 ms. */
    D("D"),
    /** F: 400 ms or more. */
    F("F");

    private final String text;

    BufferbloatGrade(String text) {
        this.text = text;
    }

    /** {@return the grade as DSLReports writes it ("A+", "A", ...)} */
    public String text() {
        return text;
    }

    /**
     * {@return the grade of a latency increase (negative increases grade as zero)}
     *
     * @param increase the latency increase under load
     */
    public static BufferbloatGrade of(Duration increase) {
        double ms = Math.max(0, increase.toNanos() / 1e6);
        return ms < 5 ? A_PLUS : ms < 30 ? A : ms < 60 ? B : ms < 200 ? C : ms < 400 ? D : F;
    }
}
