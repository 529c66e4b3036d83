package io.pathprobe.bench;

import java.util.List;
import java.util.Map;

/** The summary's figures of {@link QuoteComparison} ({@code quote}) and {@link CompareBenchmark} ({@code compare}). */
final class QuoteFigures {
    private QuoteFigures() {}

    /**
     * Per lab and protocol: the quoted ToS bytes that agree with scamper's {@code icmp_q_tos} over the TTLs where
     * both read a quote (the first hops of the DSCP and ECN changes in the spread), and each tool's trace time.
     * A problem only when pathprobe read no quote at all (its raw transport did not); disagreeing bytes are a figure.
     */
    static void quote(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            if (!"quote".equals(m.get("part"))) {
                continue;
            }
            String what = m.get("lab") + " chain, " + m.get("protocol") + ", EF/ECT(0)";
            int n = Summary.i(m, "reps");
            double both = Summary.d(m, "both_quoted");
            f.add(new Summary.Figure("quote", "quoted ToS equal to scamper's icmp_q_tos, " + what, "TTLs",
                    Summary.d(m, "equal"), "both quoted", both, Summary.d(m, "equal") / both,
                    "DSCP first changed at " + m.get("pathprobe_dscp_first") + " vs " + m.get("scamper_dscp_first")
                            + ", ECN at " + m.get("pathprobe_ecn_first") + " vs " + m.get("scamper_ecn_first"), n));
            f.add(new Summary.Figure("quote", "trace time, " + what + " vs scamper trace -t 186", "ms",
                    Summary.d(m, "pathprobe_ms"), "scamper", Summary.d(m, "scamper_ms"),
                    Summary.d(m, "pathprobe_ms") / Summary.d(m, "scamper_ms"),
                    Summary.range(Summary.d(m, "pathprobe_min_ms"), Summary.d(m, "pathprobe_max_ms")) + " vs "
                            + Summary.range(Summary.d(m, "scamper_min_ms"), Summary.d(m, "scamper_max_ms")), n));
            if (Summary.i(m, "pathprobe_quoted") == 0) {
                problems.add("quote: " + what + ": pathprobe read no quoted ToS");
            }
        }
    }

    /** Per lab: one compare against ICMP, UDP and TCP/443 traced one after the other, time and probes. */
    static void compare(List<Map<String, String>> lines, List<Summary.Figure> f) {
        for (Map<String, String> m : lines) {
            if (!"compare".equals(m.get("part"))) {
                continue;
            }
            int n = Summary.i(m, "reps");
            String lab = m.get("lab") + " lab";
            f.add(new Summary.Figure("compare", "time, one compare vs three traces one after the other, " + lab, "ms",
                    Summary.d(m, "compare_ms"), "3 traces", Summary.d(m, "traces_ms"),
                    Summary.d(m, "compare_ms") / Summary.d(m, "traces_ms"),
                    Summary.range(Summary.d(m, "compare_min_ms"), Summary.d(m, "compare_max_ms")) + " vs "
                            + Summary.range(Summary.d(m, "traces_min_ms"), Summary.d(m, "traces_max_ms")), n));
            f.add(new Summary.Figure("compare", "probes, one compare vs three traces, " + lab, "probes",
                    Summary.d(m, "compare_probes"), "3 traces", Summary.d(m, "traces_probes"),
                    Summary.d(m, "compare_probes") / Summary.d(m, "traces_probes"),
                    "divergence in " + m.get("divergent") + "/" + n + ", TCP/443 stops in " + m.get("tcp_stops")
                            + "/" + n, n));
        }
    }
}
