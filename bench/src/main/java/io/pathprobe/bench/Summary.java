package io.pathprobe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the output of a {@code build/bench} run (one log per comparison, each with its
 * {@code RESULT key=value ...} lines), prints one summary table and writes every figure, the
 * machine's facts and the run's options as JSON. It judges only correctness, never speed: it exits 1
 * when a comparison crashed (non-zero exit, or no RESULT line) or a contender answered wrongly
 * (destination not reached, hops differing from the lab's, answers missing on a loss-free lab), and
 * names each such problem.
 *
 * <p>Arguments: {@code OUT.json META_FILE name=LOG_FILE ...}. {@code META_FILE} holds
 * {@code key=value} lines written by the script: machine facts ({@code machine.*}), options
 * ({@code option.*}), run facts ({@code run.*}) and per comparison {@code NAME.rc},
 * {@code NAME.load_before}, {@code NAME.load_after}, {@code NAME.seconds}, {@code NAME.args}.
 */
public final class Summary {
    private Summary() {}

    /** One row of the summary table; {@code peer} and {@code ratio} may be NaN (no peer). */
    record Figure(String comparison, String name, String unit, double pathprobe, String peerName, double peer,
            double ratio, String spread, int n) {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        List<Figure> figures = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String name = args[i].substring(0, eq);
            Path log = Path.of(args[i].substring(eq + 1));
            List<Map<String, String>> lines = new ArrayList<>();
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.startsWith("RESULT ")) {
                        lines.add(parse(line.substring(7)));
                    }
                }
            }
            results.put(name, lines);
            String rc = meta.getOrDefault(name + ".rc", "?");
            if (!rc.equals("0")) {
                problems.add(name + ": exited with " + rc + " (see " + log + ")");
            } else if (lines.isEmpty()) {
                problems.add(name + ": printed no RESULT line (see " + log + ")");
            }
            try {
                figures(name, lines, figures, problems);
            } catch (RuntimeException e) {
                problems.add(name + ": could not read its RESULT lines: " + e);
            }
        }
        printTable(figures, meta);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, SummaryJson.json(meta, results, figures, problems), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("written: " + out);
        if (!problems.isEmpty()) {
            System.out.println();
            System.out.println("PROBLEMS (a contender crashed or answered wrongly):");
            problems.forEach(p -> System.out.println("  - " + p));
            System.exit(1);
        }
    }

    static Map<String, String> parse(String rest) {
        Map<String, String> m = new LinkedHashMap<>();
        int part = 0;
        for (String token : rest.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq < 0) {
                m.put(part++ == 0 ? "part" : "part" + part, token);
            } else {
                m.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return m;
    }

    static double d(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.equals("none") || v.equals("-")) {
            return Double.NaN;
        }
        return Double.parseDouble(v);
    }

    /** The field {@code key} of a result row. @throws IllegalArgumentException if the row has none */
    static String s(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("a result row without " + key + ": " + m);
        }
        return v;
    }

    static int i(Map<String, String> m, String key) {
        return Integer.parseInt(m.get(key));
    }

    static String range(double lo, double hi) {
        return Double.isNaN(lo) ? "-" : num(lo) + "–" + num(hi);
    }

    /** The figures of one comparison, and the wrong answers among its results. */
    static void figures(String name, List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        switch (name) {
            case "floor" -> FloorFigures.floor(lines, f, problems);
            case "traceroute" -> TraceFigures.traceroute(lines, f, problems);
            case "ping" -> ping(lines, f, problems);
            case "multipath" -> TraceFigures.multipath(lines, f);
            case "bufferbloat" -> bufferbloat(lines, f, problems);
            case "enrichment" -> TraceFigures.enrichment(lines, f, problems);
            case "labbuild" -> TraceFigures.labBuild(lines, f);
            case "sidepath" -> sidePath(lines, f);
            case "ratelimit" -> TraceFigures.rateLimit(lines, f, problems);
            case "coldstart" -> ColdStartFigures.coldStart(lines, f, problems);
            case "monitor" -> TraceFigures.monitor(lines, f, problems);
            case "traceall" -> TraceFigures.traceAll(lines, f, problems);
            case "agent" -> TraceFigures.agent(lines, f, problems);
            case "quote" -> QuoteFigures.quote(lines, f, problems);
            case "compare" -> QuoteFigures.compare(lines, f);
            case "budget" -> TraceFigures.budget(lines, f, problems);
            default -> { }
        }
    }

    private static void ping(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        for (Map<String, String> m : lines) {
            String kind = s(m, "kind");
            switch (kind) {
                case "same-gap", "default" -> {
                    String what = kind.equals("default")
                            ? "1,000 targets x 1, pathprobe's default request vs fping -i 10"
                            : "1,000 targets x 1 at gap " + m.get("gap_ms") + " ms vs fping";
                    f.add(new Figure("ping", what + " (" + s(m, "contender").replace("pathprobe-", "") + ")", "ms",
                            d(m, "pathprobe_ms"), "fping", d(m, "fping_ms"), d(m, "ratio"),
                            m.containsKey("pathprobe_min_ms")
                                    ? range(d(m, "pathprobe_min_ms"), d(m, "pathprobe_max_ms")) : "-",
                            m.containsKey("n") ? i(m, "n") : 0));
                    if (i(m, "pathprobe_answered_min") < 1000) {
                        problems.add("ping: " + what + " " + m.get("contender") + ": only "
                                + m.get("pathprobe_answered_min")
                                + " of 1000 targets answered in a run");
                    }
                    if (i(m, "fping_answered_min") < 1000) {
                        problems.add("ping: " + what + ": fping got only "
                                + m.get("fping_answered_min") + " of 1000 answers");
                    }
                }
                case "rtt" -> {
                    ours.add(d(m, "pathprobe_p50_us"));
                    theirs.add(d(m, "ping_p50_us"));
                    diffs.add(d(m, "diff_us"));
                    int expected = m.containsKey("probes") ? i(m, "probes") : 100;
                    if (i(m, "pathprobe_received") != expected || i(m, "ping_received") != expected) {
                        problems.add("ping: median RTT run " + m.get("run") + ": pathprobe "
                                + m.get("pathprobe_received")
                                + ", ping " + m.get("ping_received") + " of " + expected + " answered");
                    }
                }
                case "many" -> {
                    f.add(new Figure("ping", "254 targets x 10 at 100 ms (was a 1.575 s test bar) vs fping", "ms",
                            d(m, "pathprobe_ms"), "fping -p 100", d(m, "fping_ms"),
                            d(m, "pathprobe_ms") / d(m, "fping_ms"),
                            range(d(m, "pathprobe_min_ms"), d(m, "pathprobe_max_ms")), i(m, "n")));
                    if (i(m, "pathprobe_received_min") < 2540) {
                        problems.add("ping: 254 x 10: pathprobe received only "
                                + m.get("pathprobe_received_min") + " of 2540");
                    }
                    if (i(m, "fping_received_min") < 2540) {
                        problems.add("ping: 254 x 10: fping received only " + m.get("fping_received_min") + " of 2540");
                    }
                }
                case "tenthousand" -> {
                    int n = i(m, "targets");
                    f.add(new Figure("ping", String.format(Locale.ROOT, "%,d targets x 1, no gap (%s) vs fping -i 0", n,
                            m.get("transport")), "ms", d(m, "pathprobe_ms"), "fping -i 0", d(m, "fping_ms"),
                            d(m, "pathprobe_ms") / d(m, "fping_ms"),
                            range(d(m, "pathprobe_min_ms"), d(m, "pathprobe_max_ms"))
                            + "; answered (min) " + m.get("pathprobe_answered_min") + " vs "
                            + m.get("fping_answered_min"),
                            i(m, "n")));
                    if (i(m, "pathprobe_answered_min") < n) {
                        problems.add("ping: " + n + " targets: pathprobe answered only "
                                + m.get("pathprobe_answered_min"));
                    }
                }
                case "dead" -> {
                    f.add(new Figure("ping", "dead host, 5 probes, loss: pathprobe UDP (the unprivileged fallback) vs "
                            + "fping (run " + m.get("run") + "; ICMP " + m.get("pathprobe_icmp_loss")
                            + ", iputils ping " + m.get("ping_loss") + ")", "loss", d(m, "pathprobe_udp_loss"),
                            "fping -c 5", d(m, "fping_loss"), d(m, "pathprobe_udp_loss") / d(m, "fping_loss"), "", 1));
                    for (String k : List.of("pathprobe_udp_loss", "pathprobe_icmp_loss", "fping_loss", "ping_loss")) {
                        if (d(m, k) != 1.0) {
                            problems.add("ping: dead host run " + m.get("run") + ": " + k + " " + m.get(k) + ", not 1");
                        }
                    }
                }
                case "pacing" -> {
                    String spreadNote = " (median of runs; min–max)";
                    int n = i(m, "n");
                    String floor = "C wake-up floor";
                    f.add(new Figure("ping", "send lateness p50 (each send against its own re-planned due "
                            + "instant), 300 at 10 ms, listener sleeping 50 ms" + spreadNote,
                            "µs", d(m, "p50_us"), floor, d(m, "floor_p50_us"), d(m, "p50_us") / d(m, "floor_p50_us"),
                            range(d(m, "p50_min_us"), d(m, "p50_max_us")), n));
                    f.add(new Figure("ping", "send lateness p99, same (was a 1 ms test bar)", "µs", d(m, "p99_us"),
                            floor, d(m, "floor_p99_us"), d(m, "p99_us") / d(m, "floor_p99_us"),
                            range(d(m, "p99_min_us"), d(m, "p99_max_us")), n));
                    f.add(new Figure("ping", "send lateness max, same", "µs", d(m, "max_us"), floor,
                            d(m, "floor_max_us"), d(m, "max_us") / d(m, "floor_max_us"),
                            range(d(m, "max_min_us"), d(m, "max_max_us")), n));
                    if (i(m, "received_min") < 300) {
                        problems.add("ping: pacing: only " + m.get("received_min") + " of 300 answered in a run");
                    }
                }
                default -> { }
            }
        }
        if (!ours.isEmpty()) {
            double o = median(ours);
            double t = median(theirs);
            f.add(new Figure("ping", "median RTT, 4 alternating rounds of 25 at 10 ms vs iputils ping", "µs", o,
                    "ping -i 0.01", t, o / t, "diff " + range(min(diffs), max(diffs))
                            + " µs, median " + num(median(diffs)),
                    ours.size()));
        }
    }

    private static void bufferbloat(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            if (!m.containsKey("queue_ms")) {
                continue;
            }
            String what = (m.containsKey("rate_mbps") ? m.get("rate_mbps") + " Mbit/s, " : "") + m.get("queue_ms")
                    + " ms queue, " + (m.containsKey("cc") ? m.get("cc") + ", " : "") + m.get("direction")
                    + ", cap " + m.get("cap");
            String load = m.containsKey("saturation") ? ", load " + m.get("load_cc") + " " + m.get("flows") + " flows"
                    + ("true".equals(m.get("together")) ? " together" : " as ramped") + " saturation "
                    + m.get("saturation") : "";
            // the reference: ping beside iperf3 -P n with pathprobe's n flows started together, as pathprobe's
            // measured load starts them
            if (m.containsKey("together_ms")) {
                f.add(new Figure("bufferbloat",
                        "loaded latency, " + what + " vs ping beside iperf3 -P n together", "ms",
                        d(m, "loaded_ms"), "ping+iperf3 -P n", d(m, "together_ms"),
                        d(m, "loaded_ms") / d(m, "together_ms"),
                        "grade " + m.get("grade") + " vs " + m.get("together_grade") + (s(m, "grade").equals(
                                m.get("together_grade")) ? " (same)" : " (differs)") + load, 1));
            }
            f.add(new Figure("bufferbloat", "loaded latency, " + what + " vs ping beside iperf3 as our ramp", "ms",
                    d(m, "loaded_ms"), "ping+iperf3", d(m, "ref_loaded_ms"), d(m, "loaded_ms") / d(m, "ref_loaded_ms"),
                    "grade " + m.get("grade") + " vs " + m.get("ref_grade") + (s(m, "grade").equals(m.get("ref_grade"))
                            ? " (same)" : " (differs)"), 1));
            f.add(new Figure("bufferbloat", "goodput, " + what + " vs iperf3 -P n", "Mbit/s", d(m, "mbps"), "iperf3",
                    d(m, "iperf3_mbps"), d(m, "mbps") / d(m, "iperf3_mbps"), "RPM " + m.get("rpm"), 1));
            if ("LOAD_FAILED".equals(m.get("status")) || "CANCELLED".equals(m.get("status"))) {
                problems.add("bufferbloat: " + what + ": pathprobe's test ended " + m.get("status"));
            }
        }
        // RPM falls with the queue depth (BufferbloatLabTest's rpmFallsWithTheQueueDepth): the shallow row's RPM over
        // the deep row's, against (deep loaded + o) / (shallow loaded + o), o = the probes' own cost on the shallow lab
        for (Map<String, String> deep : lines) {
            if (!"500".equals(deep.get("queue_ms"))) {
                continue;
            }
            for (Map<String, String> shallow : lines) {
                if (shallow.containsKey("queue_ms") && d(shallow, "queue_ms") <= 20
                        && s(shallow, "direction").equals(deep.get("direction"))
                        && s(shallow, "cap").equals(deep.get("cap"))
                        && java.util.Objects.equals(shallow.get("cc"), deep.get("cc"))
                        && java.util.Objects.equals(shallow.get("rate_mbps"), deep.get("rate_mbps"))) {
                    double rpmDeep = d(deep, "rpm");
                    double rpmShallow = d(shallow, "rpm");
                    double o = Math.max(0, 60_000 / rpmShallow - d(shallow, "loaded_ms"));
                    double expected = (d(deep, "loaded_ms") + o) / (d(shallow, "loaded_ms") + o);
                    double ratio = rpmShallow / rpmDeep;
                    String lab = (deep.containsKey("rate_mbps") ? deep.get("rate_mbps") + " Mbit/s, " : "")
                            + (deep.containsKey("cc") ? deep.get("cc") + ", " : "");
                    f.add(new Figure("bufferbloat", "RPM " + shallow.get("queue_ms") + " ms / 500 ms queue, " + lab
                            + deep.get("direction") + ", cap " + deep.get("cap")
                            + " vs expected from loaded latencies", "x",
                            ratio, "expected", expected,
                            ratio / expected, "RPM " + num(rpmShallow) + " / " + num(rpmDeep), 1));
                }
            }
        }
    }

    private static void sidePath(List<Map<String, String>> lines, List<Figure> f) {
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            int n = m.containsKey("n") ? i(m, "n") : 0;
            if (part.equals("pacing")) {
                f.add(new Figure("sidepath", "ping send lateness p95 beside 16 load connections (20 Mbit/s side path; "
                        + "was a 1 ms test bar)", "µs", d(m, "p95_us"), "", Double.NaN, Double.NaN,
                        range(d(m, "p95_min_us"), d(m, "p95_max_us")), n));
                f.add(new Figure("sidepath", "ping send lateness max, same (was a 10 ms test bar)",
                        "µs", d(m, "max_us"), "",
                        Double.NaN, Double.NaN, range(d(m, "max_min_us"), d(m, "max_max_us")), n));
                f.add(new Figure("sidepath", "goodput of the 16 connections during the pings (was > 15)", "Mbit/s",
                        d(m, "mbps"), "", Double.NaN, Double.NaN, range(d(m, "mbps_min"), d(m, "mbps_max")), n));
            } else if (part.equals("isolation")) {
                f.add(new Figure("sidepath", "goodput, quick download test on a 100 Mbit/s side path (was > 50)",
                        "Mbit/s",
                        d(m, "mbps"), "", Double.NaN, Double.NaN, range(d(m, "mbps_min"), d(m, "mbps_max")), n));
                f.add(new Figure("sidepath", "loaded latency of pings over the idle chain vs idle (was < idle + 1 ms)",
                        "ms",
                        d(m, "loaded_ms"), "idle", d(m, "idle_ms"), d(m, "loaded_ms") / d(m, "idle_ms"),
                        range(d(m, "loaded_min_ms"), d(m, "loaded_max_ms")), n));
                f.add(new Figure("sidepath", "p90 of those pings vs idle (was < idle + 1 ms)", "ms",
                        d(m, "p90_ms"), "idle",
                        d(m, "idle_ms"), d(m, "p90_ms") / d(m, "idle_ms"),
                        range(d(m, "p90_min_ms"), d(m, "p90_max_ms")), n));
            }
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get((s.size() - 1) / 2);
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String fmt = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, fmt, v);
    }

    private static void printTable(List<Figure> figures, Map<String, String> meta) {
        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY  commit %s%s, %s, %s CPUs (%s); medians; the machine is shared, "
                + "figures move with its load%n", meta.getOrDefault("run.commit", "?"),
                "true".equals(meta.get("run.dirty")) ? " (dirty)" : "", meta.getOrDefault("run.date", "?"),
                meta.getOrDefault("machine.nproc", "?"), meta.getOrDefault("machine.cpu", "?"));
        int width = figures.stream().mapToInt(x -> x.name().length()).max().orElse(10);
        String fmt = "%-11s %-" + width + "s %10s %-6s %-12s %10s %7s  %-36s %3s%n";
        System.out.printf(Locale.ROOT, fmt, "comparison", "figure", "pathprobe", "unit", "peer", "peer value", "ratio",
                "spread", "n");
        String last = "";
        for (Figure x : figures) {
            if (!x.comparison().equals(last)) {
                String c = x.comparison();
                System.out.printf(Locale.ROOT, "-- %s (load before %s, after %s, %s s)%n", c,
                        meta.getOrDefault(c + ".load_before", "?"), meta.getOrDefault(c + ".load_after", "?"),
                        meta.getOrDefault(c + ".seconds", "?"));
                last = c;
            }
            System.out.printf(Locale.ROOT, fmt, x.comparison(), x.name(), num(x.pathprobe()), x.unit(),
                    x.peerName().isEmpty() ? "-" : x.peerName(), num(x.peer()),
                    Double.isNaN(x.ratio()) ? "-" : String.format(Locale.ROOT, "%.3f", x.ratio()), x.spread(),
                    x.n() == 0 ? "-" : String.valueOf(x.n()));
        }
    }

}
