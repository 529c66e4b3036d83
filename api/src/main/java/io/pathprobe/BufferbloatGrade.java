package io.pathprobe;

import java.time.Duration;

/**
 * The DSLReports bufferbloat grade of a latency increase under load: A+ below 5 ms, A below 30, B
 * below 60, C below 200, D below 400, F from 400 ms (there is no E).
 */
public enum BufferbloatGrade {
    A_PLUS("A+"), A("A"), B("B"), C("C"), D("D"), F("F");

    private final String text;

    BufferbloatGrade(String text) {
        this.text = text;
    }

    /** The grade as DSLReports writes it ("A+", "A", ...). */
    public String text() {
        return text;
    }

    /** The grade of a latency increase (negative increases grade as zero). */
    public static BufferbloatGrade of(Duration increase) {
        double ms = Math.max(0, increase.toNanos() / 1e6);
        return ms < 5 ? A_PLUS : ms < 30 ? A : ms < 60 ? B : ms < 200 ? C : ms < 400 ? D : F;
    }
}
