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
        Files.writeString(out, json(meta, results, figures, problems), StandardCharsets.UTF_8);
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

    private static double d(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.equals("none") || v.equals("-")) {
            return Double.NaN;
        }
        return Double.parseDouble(v);
    }

    private static int i(Map<String, String> m, String key) {
        return Integer.parseInt(m.get(key));
    }

    private static String range(double lo, double hi) {
        return Double.isNaN(lo) ? "-" : num(lo) + "–" + num(hi);
    }

    /** The figures of one comparison, and the wrong answers among its results. */
    static void figures(String name, List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        switch (name) {
            case "floor" -> floor(lines, f, problems);
            case "traceroute" -> traceroute(lines, f, problems);
            case "ping" -> ping(lines, f, problems);
            case "multipath" -> multipath(lines, f);
            case "bufferbloat" -> bufferbloat(lines, f, problems);
            case "enrichment" -> enrichment(lines, f, problems);
            case "labbuild" -> labBuild(lines, f);
            case "sidepath" -> sidePath(lines, f);
            case "ratelimit" -> rateLimit(lines, f, problems);
            case "coldstart" -> coldStart(lines, f, problems);
            case "monitor" -> monitor(lines, f, problems);
            case "traceall" -> traceAll(lines, f, problems);
            default -> { }
        }
    }

    private static void floor(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        // the concurrent batches against the kernel's floor for the same batch (floor_batch, 1 and 2 senders)
        Map<String, List<Double>> batch = new LinkedHashMap<>();
        Map<Integer, List<Double>> batchFloor = new java.util.TreeMap<>();
        int batchN = 0;
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (m.containsKey("perHop") && part.isEmpty()) {
                String hop = m.get("perHop") + "/hop";
                f.add(new Figure("floor", "clean 29 hops " + hop + ": UDP trace vs kernel floor", "ms",
                        d(m, "pathprobe_udp_ms"), "floor (C)", d(m, "floor_fresh_ms"),
                        d(m, "ratio_udp_floor"), "-", 0));
                f.add(new Figure("floor", "clean 29 hops " + hop + ": UDP trace vs traceroute -U", "ms",
                        d(m, "pathprobe_udp_ms"), "traceroute -U", d(m, "traceroute_udp_ms"),
                        d(m, "pathprobe_udp_ms") / d(m, "traceroute_udp_ms"), "-", 0));
                f.add(new Figure("floor", "clean 29 hops " + hop + ": ICMP trace vs traceroute -I", "ms",
                        d(m, "pathprobe_icmp_ms"), "traceroute -I", d(m, "traceroute_icmp_ms"),
                        d(m, "pathprobe_icmp_ms") / d(m, "traceroute_icmp_ms"), "-", 0));
                if (!"true".equals(m.get("same_hops"))) {
                    problems.add("floor: clean lab " + hop
                            + ": pathprobe, traceroute and the floor saw different hops");
                }
            } else if (part.equals("silent")) {
                f.add(new Figure("floor", "silent hops " + m.get("protocol") + " " + m.get("perHop")
                        + "/hop vs traceroute",
                        "ms", d(m, "pathprobe_ms"), "traceroute", d(m, "traceroute_ms"),
                        d(m, "pathprobe_ms") / d(m, "traceroute_ms"), "-", 0));
            } else if (part.equals("concurrent")) {
                int n = i(m, "n");
                f.add(new Figure("floor", n + " concurrent traces " + m.get("protocol") + " ("
                        + m.get("wait") + " wait)",
                        "ms", d(m, "total_ms"), "", Double.NaN, Double.NaN,
                        "threads " + m.get("threads_before") + "/" + m.get("threads_during_max") + "/"
                                + m.get("threads_after"),
                        1));
                if (i(m, "reached") != n) {
                    problems.add("floor: concurrent " + m.get("protocol") + ": " + m.get("reached") + " of " + n
                            + " traces reached the destination");
                }
                batch.computeIfAbsent(m.get("protocol") + " (" + m.get("wait") + " wait)", k -> new ArrayList<>())
                        .add(d(m, "total_ms"));
                batchN = n;
            } else if (part.equals("concurrent_floor")) {
                batchFloor.computeIfAbsent(i(m, "senders"), k -> new ArrayList<>()).add(d(m, "total_ms"));
                if (i(m, "answered") != i(m, "probes")) {
                    problems.add("floor: floor_batch with " + m.get("senders") + " sender(s) had " + m.get("answered")
                            + " of " + m.get("probes") + " probes answered");
                }
            }
        }
        for (Map.Entry<Integer, List<Double>> e : batchFloor.entrySet()) {
            double floor = median(e.getValue());
            String senders = e.getKey() + (e.getKey() == 1 ? " sender" : " senders");
            for (Map.Entry<String, List<Double>> b : batch.entrySet()) {
                double ours = median(b.getValue());
                f.add(new Figure("floor", batchN + " concurrent traces " + b.getKey()
                        + " vs the kernel's floor, " + senders,
                        "ms", ours, "floor_batch (C), " + senders, floor, ours / floor,
                        "floor " + range(min(e.getValue()), max(e.getValue())),
                        e.getValue().size()));
            }
        }
    }

    private static void traceroute(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String what = m.get("family") + " " + m.get("protocol") + " " + m.get("transport")
                    + (m.get("flow").equals("PARIS") && m.get("transport").contains("connect") ? " Paris" : "");
            double ours = d(m, "pathprobe_ms");
            double theirs = d(m, "traceroute_ms");
            f.add(new Figure("traceroute", "trace " + what + " vs traceroute", "ms", ours, "traceroute", theirs,
                    ours / theirs, range(d(m, "pathprobe_p10_ms"), d(m, "pathprobe_p90_ms"))
                            + " (p10–p90)", i(m, "n")));
            if (!"true".equals(m.get("same_hops"))) {
                problems.add("traceroute: " + what + ": hops differ from the lab's expected path (ratio="
                        + m.get("ratio") + ")");
            }
        }
    }

    private static void ping(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        for (Map<String, String> m : lines) {
            String kind = m.get("kind");
            switch (kind) {
                case "same-gap", "default" -> {
                    String what = kind.equals("default")
                            ? "1,000 targets x 1, pathprobe's default request vs fping -i 10"
                            : "1,000 targets x 1 at gap " + m.get("gap_ms") + " ms vs fping";
                    f.add(new Figure("ping", what + " (" + m.get("contender").replace("pathprobe-", "") + ")", "ms",
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
                case "pacing" -> {
                    String spreadNote = " (median of runs; min–max)";
                    int n = i(m, "n");
                    f.add(new Figure("ping", "send lateness p50, 300 at 10 ms, listener sleeping 50 ms" + spreadNote,
                            "µs",
                            d(m, "p50_us"), "", Double.NaN, Double.NaN,
                            range(d(m, "p50_min_us"), d(m, "p50_max_us")), n));
                    f.add(new Figure("ping", "send lateness p99, same (was a 1 ms test bar)", "µs", d(m, "p99_us"), "",
                            Double.NaN, Double.NaN, range(d(m, "p99_min_us"), d(m, "p99_max_us")), n));
                    f.add(new Figure("ping", "send lateness max, same", "µs", d(m, "max_us"), "",
                            Double.NaN, Double.NaN,
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

    private static void multipath(List<Map<String, String>> lines, List<Figure> f) {
        for (Map<String, String> m : lines) {
            if (m.containsKey("shape")) {
                String shape = m.get("shape").matches("\\d+") ? "width " + m.get("shape") : m.get("shape");
                String what = shape + " at " + m.get("confidence") + " %";
                f.add(new Figure("multipath", "discovery time, " + what + " vs scamper tracelb", "ms",
                        d(m, "pathprobe_ms_median"), "scamper", d(m, "scamper_ms"),
                        d(m, "pathprobe_ms_median") / d(m, "scamper_ms"),
                        "found all " + m.get("pathprobe_all") + "; scamper "
                                + (m.get("scamper_all").equals("true") ? "all" : "not all"),
                        Integer.parseInt(m.get("pathprobe_all").split("/")[1])));
                f.add(new Figure("multipath", "probes, " + what + " vs scamper tracelb", "probes",
                        d(m, "pathprobe_probes_median"), "scamper", d(m, "scamper_probes"),
                        d(m, "pathprobe_probes_median") / d(m, "scamper_probes"), "-",
                        Integer.parseInt(m.get("pathprobe_all").split("/")[1])));
            } else if ("perpacket".equals(m.get("part"))) {
                f.add(new Figure("multipath",
                        "discovery time, per-packet diamond of 4 (deadline 20 s; was a 10 s test bar)",
                        "ms", d(m, "ms"), "", Double.NaN, Double.NaN, range(d(m, "min_ms"), d(m, "max_ms"))
                        + "; flagged " + m.get("flagged") + "/" + m.get("n"), i(m, "n")));
            } else if (m.containsKey("failures")) {
                f.add(new Figure("multipath", "runs missing a branch, width 8 at 95 % (design: about 5 %)", "%",
                        100 * d(m, "rate"), "", Double.NaN, Double.NaN, m.get("failures") + " of " + m.get("runs"),
                        i(m, "runs")));
            }
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
                        "grade " + m.get("grade") + " vs " + m.get("together_grade") + (m.get("grade").equals(
                                m.get("together_grade")) ? " (same)" : " (differs)") + load, 1));
            }
            f.add(new Figure("bufferbloat", "loaded latency, " + what + " vs ping beside iperf3 as our ramp", "ms",
                    d(m, "loaded_ms"), "ping+iperf3", d(m, "ref_loaded_ms"), d(m, "loaded_ms") / d(m, "ref_loaded_ms"),
                    "grade " + m.get("grade") + " vs " + m.get("ref_grade") + (m.get("grade").equals(m.get("ref_grade"))
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
                        && shallow.get("direction").equals(deep.get("direction"))
                        && shallow.get("cap").equals(deep.get("cap"))
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

    /**
     * Routers with the kernel's default ICMP limits: time and probes against scamper tracelb, per-path
     * loss against the truth, and false loss on a loss-free chain. Wrong answers: a branch missed, a
     * path count other than the width, loss reported on a path that loses nothing.
     */
    private static void rateLimit(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (part.equals("diamond")) {
                int width = i(m, "width");
                String what = ("vendor".equals(m.get("profile")) ? "vendor-limited"
                        : "rate-limited") + " diamond " + width
                        + ", " + m.get("protocol") + ", round " + m.get("round");
                String found = m.get("pathprobe_branches") + "/" + width + " branches, "
                        + m.get("paths") + " paths, max loss "
                        + m.get("max_loss") + "; scamper " + m.get("scamper_branches") + "/" + width;
                f.add(new Figure("ratelimit", "discovery time, " + what + " vs scamper tracelb",
                        "ms", d(m, "pathprobe_ms"),
                        "scamper", d(m, "scamper_ms"), d(m, "pathprobe_ms") / d(m, "scamper_ms"), found, 1));
                f.add(new Figure("ratelimit", "probes, " + what + " vs scamper tracelb", "probes",
                        d(m, "pathprobe_probes"),
                        "scamper", d(m, "scamper_probes"), d(m, "pathprobe_probes") / d(m, "scamper_probes"),
                        m.containsKey("pathprobe_checks")
                                ? "+" + m.get("pathprobe_checks") + " per-packet checks" : "-", 1));
                if (i(m, "pathprobe_branches") != width || i(m, "paths") != width || d(m, "max_loss") > 0
                        || !"true".equals(m.get("reached"))) {
                    problems.add("ratelimit: " + what + ": pathprobe found " + found + ", reached " + m.get("reached")
                            + " (truth: " + width + " branches, " + width + " paths, no loss)");
                }
            } else if (part.equals("loss")) {
                String what = "diamond " + m.get("width") + ", one branch dropping "
                        + Math.round(100 * d(m, "truth")) + " %, "
                        + m.get("protocol") + ", round " + m.get("round");
                f.add(new Figure("ratelimit", "per-path loss of the dropping branch, " + what,
                        "fraction", d(m, "worst"),
                        "truth", d(m, "truth"), d(m, "worst") / d(m, "truth"), m.get("paths") + " paths, "
                        + m.get("path_probes") + " path probes, " + m.get("basis") + ", " + m.get("ms") + " ms", 1));
                f.add(new Figure("ratelimit", "largest loss on a clean path, " + what, "fraction",
                        d(m, "next_worst"), "truth",
                        0, Double.NaN, "-", 1));
                if (d(m, "next_worst") > 0) {
                    problems.add("ratelimit: " + what + ": loss " + m.get("next_worst")
                            + " reported on a path that loses nothing");
                }
                if (i(m, "paths") != i(m, "width")) {
                    problems.add("ratelimit: " + what + ": " + m.get("paths") + " paths reported (truth: "
                            + m.get("width") + ")");
                }
            } else if (part.equals("fresh") || part.equals("short")) {
                freshTraces(m, lines, f, problems);
            } else if (part.equals("chain")) {
                String what = m.get("traces") + " UDP traces " + m.get("how").replace('_', ' ') + ", rate-limited "
                        + m.get("hops") + "-hop chain";
                f.add(new Figure("ratelimit", what + ": wall time", "ms", d(m, "ms"), "", Double.NaN, Double.NaN, "-",
                        i(m, "traces")));
                f.add(new Figure("ratelimit", what + ": hops answered per trace (median) vs traceroute", "hops",
                        d(m, "answered_median"), "traceroute", d(m, "traceroute_answered"),
                        d(m, "answered_median") / d(m, "traceroute_answered"), "min " + m.get("answered_min") + "; "
                        + m.get("at_least_traceroute") + " at least traceroute's; reached " + m.get("reached")
                        + (m.containsKey("traceroute_responders_seen")
                                ? "; " + m.get("traceroute_responders_seen") + " of traceroute's "
                        + m.get("traceroute_responders") + " responders answered some trace" : ""),
                        i(m, "traces")));
                if (m.containsKey("traceroute_responders_seen")
                        && i(m, "traceroute_responders_seen") < i(m, "traceroute_responders")) {
                    problems.add("ratelimit: " + what + ": " + m.get("traceroute_responders_seen") + " of traceroute's "
                            + m.get("traceroute_responders") + " responders answered some trace");
                }
                if (i(m, "loss_claimed") > 0) {
                    problems.add("ratelimit: " + what + ": " + m.get("loss_claimed")
                            + " traces claimed forward or backward loss"
                            + " on a loss-free path");
                }
            }
        }
    }

    /**
     * The back-to-back fresh processes ({@code part=fresh}: pathprobe per protocol against
     * traceroute of the same protocol, and mtr against pathprobe's ICMP; {@code part=short}: the
     * unprivileged short path). Wrong answers: a pathprobe loss claim on the loss-free chain, a router
     * pathprobe showed without an address, a run that failed.
     */
    private static void freshTraces(Map<String, String> m, List<Map<String, String>> lines, List<Figure> f,
            List<String> problems) {
        String part = m.get("part");
        String tool = m.get("tool");
        String protocol = m.get("protocol");
        int runs = i(m, "runs");
        String what = runs + " fresh " + tool + " " + protocol + " runs back to back"
                + (part.equals("short") ? " as " + m.get("user") + ", destination " + m.get("hops") + " hops away"
                        : ", Linux-limited " + m.get("hops") + "-hop chain");
        if (i(m, "failed") > 0) {
            problems.add("ratelimit: " + what + ": " + m.get("failed") + " runs failed");
        }
        if (!tool.equals("pathprobe")) {
            return; // the peers' figures are beside pathprobe's
        }
        Map<String, String> peer = null;
        for (Map<String, String> o : lines) {
            if (part.equals("fresh") && "fresh".equals(o.get("part")) && "traceroute".equals(o.get("tool"))
                    && protocol.equals(o.get("protocol"))) {
                peer = o;
            }
        }
        Map<String, String> mtr = null;
        for (Map<String, String> o : lines) {
            if (part.equals("fresh") && protocol.equals("icmp") && "fresh".equals(o.get("part"))
                    && "mtr".equals(o.get("tool"))) {
                mtr = o;
            }
        }
        String peerName = peer == null ? "" : "traceroute";
        double nan = Double.NaN;
        f.add(new Figure("ratelimit", what + ": loss claims (sum)", "probes", d(m, "loss_claims"),
                mtr != null ? "mtr -c 1"
                : "truth", mtr != null ? d(mtr, "loss_claims") : 0, nan, m.get("unanswered") + " unanswered", runs));
        f.add(new Figure("ratelimit", what + ": RTTs shown a router (mean)", "RTTs", d(m, "rtts_per_router"), peerName,
                peer == null ? nan : d(peer, "rtts_per_router"), peer == null ? nan : d(m, "rtts_per_router")
                / d(peer, "rtts_per_router"), mtr == null ? "-" : "mtr -c 1: " + mtr.get("rtts_per_router"), runs));
        f.add(new Figure("ratelimit", what + ": routers shown with an address (mean)", "routers",
                d(m, "routers_shown_mean"),
                peerName, peer == null ? nan : d(peer, "routers_shown_mean"), nan,
                m.get("router_traces_without_address")
                + " router-traces without" + (mtr == null ? ""
                        : "; mtr -c 1: " + mtr.get("routers_shown_mean")), runs));
        // the trace's own time (its durationMs) against the peer's process: the JVM's start is in the spread
        f.add(new Figure("ratelimit", what + ": time per trace (median; pathprobe's durationMs)", "ms",
                d(m, "median_trace_ms"), peerName, peer == null ? nan : d(peer, "median_ms"), peer == null ? nan
                : d(m, "median_trace_ms") / d(peer, "median_ms"),
                "max " + m.get("max_trace_ms") + "; process (JVM included) "
                + "median " + m.get("median_ms") + ", max " + m.get("max_ms")
                + (mtr == null ? "" : "; mtr -c 1 process: "
                + mtr.get("median_ms")), runs));
        if (i(m, "loss_claims") > 0 || i(m, "router_traces_without_address") > 0) {
            problems.add("ratelimit: " + what + ": " + m.get("loss_claims") + " losses claimed, "
                    + m.get("router_traces_without_address") + " router-traces without an address (truth: none)");
        }
    }

    /**
     * Many targets behind one stem: probes and time of traceAll with the stop set against independent
     * traces and scamper's Doubletree. Wrong answers: a pathprobe traceAll turn that left a destination
     * unreached or a stem hop wrong or silent.
     */
    private static void traceAll(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        Map<String, Map<String, String>> by = new LinkedHashMap<>();
        for (Map<String, String> m : lines) {
            by.put(m.getOrDefault("part", ""), m);
        }
        Map<String, String> independent = by.get("independent");
        Map<String, String> scamper = by.get("scamper_doubletree");
        Map<String, String> scamperTrace = by.get("scamper_trace");
        for (String part : List.of("traceall_stopset", "traceall_stopset_1")) {
            Map<String, String> m = by.get(part);
            if (m == null) {
                continue;
            }
            String what = m.get("targets") + " targets behind a " + m.get("stem")
                    + "-hop stem, traceAll " + m.get("per_hop")
                    + "/hop";
            String found = "reached " + m.get("reached") + ", right stem " + m.get("right_stem") + ", from stop set "
                    + m.get("from_stop_set");
            if (independent != null) {
                f.add(new Figure("traceall", "probes, " + what + " vs independent traces", "probes", d(m, "probes"),
                        "independent", d(independent, "probes"), d(m, "probes") / d(independent, "probes"), found, 1));
                f.add(new Figure("traceall", "time, " + what + " vs independent traces", "ms", d(m, "ms"),
                        "independent", d(independent, "ms"), d(m, "ms") / d(independent, "ms"), "-", 1));
            }
            if (scamper != null) {
                f.add(new Figure("traceall", "probes, " + what + " vs scamper doubletree", "probes", d(m, "probes"),
                        "scamper", d(scamper, "probes"), d(m, "probes") / d(scamper, "probes"),
                        "scamper reached " + scamper.get("reached"), 1));
                f.add(new Figure("traceall", "time, " + what + " vs scamper doubletree", "ms", d(m, "ms"), "scamper",
                        d(scamper, "ms"), d(m, "ms") / d(scamper, "ms"), "-", 1));
            }
            if (scamperTrace != null) {
                f.add(new Figure("traceall", "probes, " + what + " vs scamper trace", "probes", d(m, "probes"),
                        "scamper", d(scamperTrace, "probes"), d(m, "probes") / d(scamperTrace, "probes"), "-", 1));
            }
            if (!m.get("reached").equals(m.get("targets")) || !m.get("right_stem").equals(m.get("targets"))
                    || i(m, "silent_stem_hops") > 0) {
                problems.add("traceall: " + what + ": " + found + ", silent stem hops " + m.get("silent_stem_hops")
                        + " (truth: every target reached through the lab's routers)");
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

    private static void enrichment(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (part.equals("dnsdown")) {
                f.add(new Figure("enrichment", "enriched trace with DNS down (lookup timeout "
                        + m.get("lookup_timeout_ms")
                        + " ms) vs plain trace", "ms", d(m, "down_ms"), "plain", d(m, "plain_ms"),
                        d(m, "down_ms") / d(m, "plain_ms"),
                        range(d(m, "down_min_ms"), d(m, "down_max_ms")), i(m, "n")));
                continue;
            }
            if (part.equals("stun")) {
                f.add(new Figure("enrichment", "time to context, " + m.get("server")
                        + " STUN server (lookup timeout 1 s)",
                        "ms", d(m, "context_ms"), "", Double.NaN, Double.NaN, range(d(m, "context_min_ms"),
                        d(m, "context_max_ms")) + "; trace " + num(d(m, "trace_ms")) + " ms; events "
                                + m.get("context_events"),
                        i(m, "n")));
                continue;
            }
            if (!m.containsKey("plain")) {
                continue;
            }
            f.add(new Figure("enrichment", "enriched trace, cold cache (new tracer) vs plain new tracer", "ms",
                    d(m, "cold"), "plain", d(m, "plainNew"), d(m, "cold") / d(m, "plainNew"),
                    "paired diff " + num(d(m, "coldMinusPlain")) + " ms", m.containsKey("n") ? i(m, "n") : 0));
            f.add(new Figure("enrichment", "enriched trace, warm cache vs plain trace", "ms", d(m, "warm"), "plain",
                    d(m, "plain"), d(m, "warm") / d(m, "plain"), "paired diff " + num(d(m, "warmMinusPlain")) + " ms",
                    m.containsKey("n") ? i(m, "n") : 0));
            f.add(new Figure("enrichment", "plain trace (2 silent hops) vs traceroute -n -I", "ms", d(m, "plain"),
                    "traceroute", d(m, "traceroute"), d(m, "plain") / d(m, "traceroute"), "-",
                    m.containsKey("n") ? i(m, "n") : 0));
            f.add(new Figure("enrichment", "one DNS query to the lab's dnsmasq (dnsjava)", "ms", d(m, "dnsRtt"), "",
                    Double.NaN, Double.NaN, "two in a row " + num(d(m, "dnsRtt2")) + " ms",
                    m.containsKey("n") ? i(m, "n") : 0));
            if (i(m, "wrong") > 0) {
                problems.add("enrichment: " + m.get("wrong") + " enriched traces not as the lab serves them");
            }
        }
    }

    private static void coldStart(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String kind = m.get("kind");
            String what = kind.endsWith("-build") ? "PathTracer build() in a fresh JVM, " + kind.replace("-build", "")
                    : kind.endsWith("-trace") ? "first trace() after build() in a fresh JVM, "
                    + kind.replace("-trace", "")
                    : kind.endsWith("-total") ? "build() and the first trace() together, " + kind.replace("-total", "")
                    : "whole process (fork to exit), " + kind.replace("-process", "");
            f.add(new Figure("coldstart", what, "ms", d(m, "median_ms"), "", Double.NaN, Double.NaN,
                    range(d(m, "min_ms"), d(m, "max_ms")), i(m, "n")));
            if (i(m, "wrong") > 0 && !kind.endsWith("-build") && !kind.endsWith("-trace")
                    && !kind.endsWith("-total")) {
                problems.add("coldstart: " + m.get("wrong") + " " + kind.replace("-process", "")
                        + " JVMs did not trace the lab's path cleanly");
            }
        }
    }

    private static void monitor(List<Map<String, String>> lines, List<Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            f.add(new Figure("monitor", "loss at TTL " + m.get("ttl") + " (truth " + num(d(m, "truth")) + " %), "
                    + m.get("rounds") + " rounds", "%", d(m, "pathprobe_loss"), "mtr --report", d(m, "mtr_loss"),
                    Double.NaN, "runs agreeing within 2 SE (" + num(d(m, "bound")) + " points): "
                            + m.get("agree") + " of "
                    + m.get("runs"), i(m, "runs")));
            if (i(m, "agree") * 2 < i(m, "runs")) {
                problems.add("monitor: at TTL " + m.get("ttl") + " only " + m.get("agree") + " of " + m.get("runs")
                        + " runs agree with mtr within sampling error");
            }
        }
    }

    private static void labBuild(List<Map<String, String>> lines, List<Figure> f) {
        for (Map<String, String> m : lines) {
            f.add(new Figure("labbuild", "lab build " + m.get("shape") + " (was a 3 s test bar)",
                    "ms", d(m, "build_ms"),
                    "", Double.NaN, Double.NaN, range(d(m, "build_min_ms"), d(m, "build_max_ms")) + "; close "
                    + num(d(m, "close_ms")) + " ms", i(m, "n")));
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get((s.size() - 1) / 2);
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
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

    // ------------------------------------------------------------------------------------------ JSON

    private static String json(Map<String, String> meta, Map<String, List<Map<String, String>>> results,
            List<Figure> figures, List<String> problems) {
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        b.append("  \"commit\": ").append(str(meta.get("run.commit"))).append(",\n");
        b.append("  \"dirty\": ").append("true".equals(meta.get("run.dirty"))).append(",\n");
        b.append("  \"date\": ").append(str(meta.get("run.date"))).append(",\n");
        b.append("  \"seconds\": ").append(str(meta.get("run.seconds"))).append(",\n");
        b.append("  \"options\": ").append(object(prefixed(meta, "option."), "  ")).append(",\n");
        b.append("  \"machine\": ").append(object(prefixed(meta, "machine."), "  ")).append(",\n");
        b.append("  \"comparisons\": [");
        boolean firstC = true;
        for (Map.Entry<String, List<Map<String, String>>> e : results.entrySet()) {
            String c = e.getKey();
            b.append(firstC ? "\n" : ",\n");
            firstC = false;
            b.append("    {\"name\": ").append(str(c))
                    .append(", \"args\": ").append(str(meta.get(c + ".args")))
                    .append(", \"exit_code\": ").append(str(meta.get(c + ".rc")))
                    .append(", \"seconds\": ").append(str(meta.get(c + ".seconds")))
                    .append(", \"load_before\": ").append(str(meta.get(c + ".load_before")))
                    .append(", \"load_after\": ").append(str(meta.get(c + ".load_after")))
                    .append(",\n     \"results\": [");
            boolean firstR = true;
            for (Map<String, String> r : e.getValue()) {
                b.append(firstR ? "\n" : ",\n").append("       ").append(object(r, null));
                firstR = false;
            }
            b.append("]}");
        }
        b.append("\n  ],\n  \"figures\": [");
        boolean firstF = true;
        for (Figure x : figures) {
            b.append(firstF ? "\n" : ",\n");
            firstF = false;
            b.append("    {\"comparison\": ").append(str(x.comparison())).append(", \"figure\": ").append(str(x.name()))
                    .append(", \"unit\": ").append(str(x.unit())).append(", \"pathprobe\": ")
                    .append(number(x.pathprobe()))
                    .append(", \"peer\": ").append(x.peerName().isEmpty() ? "null" : str(x.peerName()))
                    .append(", \"peer_value\": ").append(number(x.peer())).append(", \"ratio\": ")
                    .append(number(x.ratio()))
                    .append(", \"spread\": ").append(str(x.spread())).append(", \"n\": ").append(x.n()).append('}');
        }
        b.append("\n  ],\n  \"problems\": [");
        for (int k = 0; k < problems.size(); k++) {
            b.append(k == 0 ? "\n    " : ",\n    ").append(str(problems.get(k)));
        }
        b.append(problems.isEmpty() ? "]\n" : "\n  ]\n");
        b.append("}\n");
        return b.toString();
    }

    private static Map<String, String> prefixed(Map<String, String> meta, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    /** A flat object of strings, numbers where a value reads as one. */
    private static String object(Map<String, String> m, String indent) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            b.append(first ? "" : ",");
            b.append(indent == null ? " " : "\n" + indent + "  ");
            first = false;
            b.append(str(e.getKey())).append(": ").append(value(e.getValue()));
        }
        b.append(indent == null ? " }" : "\n" + indent + "}");
        return b.toString();
    }

    private static String value(String v) {
        if (v != null && v.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return v;
        }
        if ("true".equals(v) || "false".equals(v)) {
            return v;
        }
        return str(v);
    }

    private static String number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
