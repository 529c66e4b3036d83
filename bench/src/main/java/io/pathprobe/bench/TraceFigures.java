package io.pathprobe.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Summary}'s figures of the trace comparisons (traceroute, rate limits, fresh processes, many
 * targets, multipath, the monitor, enrichment and lab build), and the wrong answers among their results;
 * the floor's are {@link FloorFigures}', the cold start's {@link ColdStartFigures}'.
 */
final class TraceFigures {
    private TraceFigures() {
    }

    static void traceroute(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String what = m.get("family") + " " + m.get("protocol") + " " + m.get("transport")
                    + (Summary.s(m, "flow").equals("PARIS") && Summary.s(m, "transport").contains("connect")
                            ? " Paris" : "");
            double ours = Summary.d(m, "pathprobe_ms");
            double theirs = Summary.d(m, "traceroute_ms");
            f.add(new Summary.Figure("traceroute", "trace " + what + " vs traceroute", "ms", ours, "traceroute", theirs,
                    ours / theirs, Summary.range(Summary.d(m, "pathprobe_p10_ms"), Summary.d(m, "pathprobe_p90_ms"))
                            + " (p10–p90)", Summary.i(m, "n")));
            if (!"true".equals(m.get("same_hops"))) {
                problems.add("traceroute: " + what + ": hops differ from the lab's expected path (ratio="
                        + m.get("ratio") + ")");
            }
        }
        connectParisAgainstRaw(lines, f);
    }

    /**
     * Per family, the unprivileged TCP Paris trace (linux-tcp-connect, one probe in flight) against the raw TCP
     * one of the same run (medians of the same turns): the ratio issue 73 asks to bring within 2.
     */
    private static void connectParisAgainstRaw(List<Map<String, String>> lines, List<Summary.Figure> f) {
        for (Map<String, String> paris : lines) {
            if (!"TCP".equals(paris.get("protocol")) || !"PARIS".equals(paris.get("flow"))
                    || !Summary.s(paris, "transport").contains("connect")) {
                continue;
            }
            for (Map<String, String> raw : lines) {
                if ("TCP".equals(raw.get("protocol")) && "default".equals(raw.get("contender"))
                        && Summary.s(raw, "family").equals(Summary.s(paris, "family"))) {
                    double ours = Summary.d(paris, "pathprobe_ms");
                    double peer = Summary.d(raw, "pathprobe_ms");
                    String rawTransport = Summary.s(raw, "transport");
                    f.add(new Summary.Figure("traceroute", "trace " + Summary.s(paris, "family") + " TCP "
                            + "linux-tcp-connect Paris vs " + rawTransport + " (same turns)", "ms", ours, rawTransport,
                            peer, ours / peer, "-", Summary.i(paris, "n")));
                }
            }
        }
    }

    static void multipath(List<Map<String, String>> lines, List<Summary.Figure> f) {
        for (Map<String, String> m : lines) {
            if (m.containsKey("shape")) {
                String shape = m.get("shape").matches("\\d+") ? "width " + m.get("shape") : m.get("shape");
                String what = shape + " at " + m.get("confidence") + " %";
                f.add(new Summary.Figure("multipath", "discovery time, " + what + " vs scamper tracelb", "ms",
                        Summary.d(m, "pathprobe_ms_median"), "scamper", Summary.d(m, "scamper_ms"),
                        Summary.d(m, "pathprobe_ms_median") / Summary.d(m, "scamper_ms"),
                        "found all " + m.get("pathprobe_all") + "; scamper "
                                + (Summary.s(m, "scamper_all").equals("true") ? "all" : "not all"),
                        Integer.parseInt(Summary.s(m, "pathprobe_all").split("/")[1])));
                f.add(new Summary.Figure("multipath", "probes, " + what + " vs scamper tracelb", "probes",
                        Summary.d(m, "pathprobe_probes_median"), "scamper", Summary.d(m, "scamper_probes"),
                        Summary.d(m, "pathprobe_probes_median") / Summary.d(m, "scamper_probes"), "-",
                        Integer.parseInt(Summary.s(m, "pathprobe_all").split("/")[1])));
            } else if ("perpacket".equals(m.get("part"))) {
                f.add(new Summary.Figure("multipath",
                        "discovery time, per-packet diamond of 4 (deadline 20 s; was a 10 s test bar)",
                        "ms", Summary.d(m, "ms"), "", Double.NaN, Double.NaN,
                        Summary.range(Summary.d(m, "min_ms"), Summary.d(m, "max_ms"))
                        + "; flagged " + m.get("flagged") + "/" + m.get("n"), Summary.i(m, "n")));
            } else if (m.containsKey("failures")) {
                f.add(new Summary.Figure("multipath", "runs missing a branch, width 8 at 95 % (design: about 5 %)", "%",
                        100 * Summary.d(m, "rate"), "", Double.NaN, Double.NaN,
                        m.get("failures") + " of " + m.get("runs"),
                        Summary.i(m, "runs")));
            }
        }
    }

    /**
     * Routers with the kernel's default ICMP limits: time and probes against scamper tracelb, per-path
     * loss against the truth, and false loss on a loss-free chain. Wrong answers: a branch missed, a
     * path count other than the width, loss reported on a path that loses nothing.
     */
    static void rateLimit(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (part.equals("diamond")) {
                int width = Summary.i(m, "width");
                String what = ("vendor".equals(m.get("profile")) ? "vendor-limited"
                        : "rate-limited") + " diamond " + width
                        + ", " + m.get("protocol") + ", round " + m.get("round");
                String found = m.get("pathprobe_branches") + "/" + width + " branches, "
                        + m.get("paths") + " paths, max loss "
                        + m.get("max_loss") + "; scamper " + m.get("scamper_branches") + "/" + width;
                f.add(new Summary.Figure("ratelimit", "discovery time, " + what + " vs scamper tracelb",
                        "ms", Summary.d(m, "pathprobe_ms"),
                        "scamper", Summary.d(m, "scamper_ms"),
                        Summary.d(m, "pathprobe_ms") / Summary.d(m, "scamper_ms"), found, 1));
                f.add(new Summary.Figure("ratelimit", "probes, " + what + " vs scamper tracelb", "probes",
                        Summary.d(m, "pathprobe_probes"),
                        "scamper", Summary.d(m, "scamper_probes"),
                        Summary.d(m, "pathprobe_probes") / Summary.d(m, "scamper_probes"),
                        m.containsKey("pathprobe_checks")
                                ? "+" + m.get("pathprobe_checks") + " per-packet checks" : "-", 1));
                if (Summary.i(m, "pathprobe_branches") != width || Summary.i(m, "paths") != width
                        || Summary.d(m, "max_loss") > 0
                        || !"true".equals(m.get("reached"))) {
                    problems.add("ratelimit: " + what + ": pathprobe found " + found + ", reached " + m.get("reached")
                            + " (truth: " + width + " branches, " + width + " paths, no loss)");
                }
            } else if (part.equals("loss")) {
                String what = "diamond " + m.get("width") + ", one branch dropping "
                        + Math.round(100 * Summary.d(m, "truth")) + " %, "
                        + m.get("protocol") + ", round " + m.get("round");
                f.add(new Summary.Figure("ratelimit", "per-path loss of the dropping branch, " + what,
                        "fraction", Summary.d(m, "worst"),
                        "truth", Summary.d(m, "truth"), Summary.d(m, "worst") / Summary.d(m, "truth"),
                        m.get("paths") + " paths, "
                        + m.get("path_probes") + " path probes, " + m.get("basis") + ", " + m.get("ms") + " ms", 1));
                f.add(new Summary.Figure("ratelimit", "largest loss on a clean path, " + what, "fraction",
                        Summary.d(m, "next_worst"), "truth",
                        0, Double.NaN, "-", 1));
                if (Summary.d(m, "next_worst") > 0) {
                    problems.add("ratelimit: " + what + ": loss " + m.get("next_worst")
                            + " reported on a path that loses nothing");
                }
                if (Summary.i(m, "paths") != Summary.i(m, "width")) {
                    problems.add("ratelimit: " + what + ": " + m.get("paths") + " paths reported (truth: "
                            + m.get("width") + ")");
                }
            } else if (part.equals("fresh") || part.equals("short")) {
                freshTraces(m, lines, f, problems);
            } else if (part.equals("chain")) {
                String what = m.get("traces") + " UDP traces " + Summary.s(m, "how").replace('_', ' ')
                        + ", rate-limited "
                        + m.get("hops") + "-hop chain";
                f.add(new Summary.Figure("ratelimit", what + ": wall time", "ms", Summary.d(m, "ms"), "",
                        Double.NaN, Double.NaN, "-",
                        Summary.i(m, "traces")));
                f.add(new Summary.Figure("ratelimit", what + ": hops answered per trace (median) vs traceroute", "hops",
                        Summary.d(m, "answered_median"), "traceroute", Summary.d(m, "traceroute_answered"),
                        Summary.d(m, "answered_median") / Summary.d(m, "traceroute_answered"),
                        "min " + m.get("answered_min") + "; "
                        + m.get("at_least_traceroute") + " at least traceroute's; reached " + m.get("reached")
                        + (m.containsKey("traceroute_responders_seen")
                                ? "; " + m.get("traceroute_responders_seen") + " of traceroute's "
                        + m.get("traceroute_responders") + " responders answered some trace" : ""),
                        Summary.i(m, "traces")));
                if (m.containsKey("traceroute_responders_seen")
                        && Summary.i(m, "traceroute_responders_seen") < Summary.i(m, "traceroute_responders")) {
                    problems.add("ratelimit: " + what + ": " + m.get("traceroute_responders_seen") + " of traceroute's "
                            + m.get("traceroute_responders") + " responders answered some trace");
                }
                if (Summary.i(m, "loss_claimed") > 0) {
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
    static void freshTraces(Map<String, String> m, List<Map<String, String>> lines, List<Summary.Figure> f,
            List<String> problems) {
        String part = Summary.s(m, "part");
        String tool = Summary.s(m, "tool");
        String protocol = Summary.s(m, "protocol");
        int runs = Summary.i(m, "runs");
        String what = runs + " fresh " + tool + " " + protocol + " runs back to back"
                + (part.equals("short") ? " as " + m.get("user") + ", destination " + m.get("hops") + " hops away"
                        : ", Linux-limited " + m.get("hops") + "-hop chain");
        if (Summary.i(m, "failed") > 0) {
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
        f.add(new Summary.Figure("ratelimit", what + ": loss claims (sum)", "probes", Summary.d(m, "loss_claims"),
                mtr != null ? "mtr -c 1"
                : "truth", mtr != null ? Summary.d(mtr, "loss_claims") : 0, nan,
                m.get("unanswered") + " unanswered", runs));
        f.add(new Summary.Figure("ratelimit", what + ": RTTs shown a router (mean)", "RTTs",
                Summary.d(m, "rtts_per_router"), peerName,
                peer == null ? nan : Summary.d(peer, "rtts_per_router"),
                peer == null ? nan : Summary.d(m, "rtts_per_router")
                / Summary.d(peer, "rtts_per_router"),
                mtr == null ? "-" : "mtr -c 1: " + mtr.get("rtts_per_router"), runs));
        f.add(new Summary.Figure("ratelimit", what + ": routers shown with an address (mean)", "routers",
                Summary.d(m, "routers_shown_mean"),
                peerName, peer == null ? nan : Summary.d(peer, "routers_shown_mean"), nan,
                m.get("router_traces_without_address")
                + " router-traces without" + (mtr == null ? ""
                        : "; mtr -c 1: " + mtr.get("routers_shown_mean")), runs));
        // the trace's own time (its durationMs) against the peer's process: the JVM's start is in the spread
        f.add(new Summary.Figure("ratelimit", what + ": time per trace (median; pathprobe's durationMs)", "ms",
                Summary.d(m, "median_trace_ms"), peerName,
                peer == null ? nan : Summary.d(peer, "median_ms"), peer == null ? nan
                : Summary.d(m, "median_trace_ms") / Summary.d(peer, "median_ms"),
                "max " + m.get("max_trace_ms") + "; process (JVM included) "
                + "median " + m.get("median_ms") + ", max " + m.get("max_ms")
                + (mtr == null ? "" : "; mtr -c 1 process: "
                + mtr.get("median_ms")), runs));
        if (Summary.i(m, "loss_claims") > 0 || Summary.i(m, "router_traces_without_address") > 0) {
            problems.add("ratelimit: " + what + ": " + m.get("loss_claims") + " losses claimed, "
                    + m.get("router_traces_without_address") + " router-traces without an address (truth: none)");
        }
    }

    /**
     * Many targets behind one stem: probes and time of traceAll with the stop set against independent
     * traces and scamper's Doubletree. Wrong answers: a pathprobe traceAll turn that left a destination
     * unreached or a stem hop wrong or silent.
     */
    static void traceAll(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
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
                f.add(new Summary.Figure("traceall", "probes, " + what + " vs independent traces", "probes",
                        Summary.d(m, "probes"),
                        "independent", Summary.d(independent, "probes"),
                        Summary.d(m, "probes") / Summary.d(independent, "probes"), found, 1));
                f.add(new Summary.Figure("traceall", "time, " + what + " vs independent traces",
                        "ms", Summary.d(m, "ms"),
                        "independent", Summary.d(independent, "ms"),
                        Summary.d(m, "ms") / Summary.d(independent, "ms"), "-", 1));
            }
            if (scamper != null) {
                f.add(new Summary.Figure("traceall", "probes, " + what + " vs scamper doubletree", "probes",
                        Summary.d(m, "probes"),
                        "scamper", Summary.d(scamper, "probes"), Summary.d(m, "probes") / Summary.d(scamper, "probes"),
                        "scamper reached " + scamper.get("reached"), 1));
                f.add(new Summary.Figure("traceall", "time, " + what + " vs scamper doubletree", "ms",
                        Summary.d(m, "ms"), "scamper",
                        Summary.d(scamper, "ms"), Summary.d(m, "ms") / Summary.d(scamper, "ms"), "-", 1));
            }
            if (scamperTrace != null) {
                f.add(new Summary.Figure("traceall", "probes, " + what + " vs scamper trace", "probes",
                        Summary.d(m, "probes"),
                        "scamper", Summary.d(scamperTrace, "probes"),
                        Summary.d(m, "probes") / Summary.d(scamperTrace, "probes"), "-", 1));
            }
            if (!Summary.s(m, "reached").equals(m.get("targets"))
                    || !Summary.s(m, "right_stem").equals(m.get("targets"))
                    || Summary.i(m, "silent_stem_hops") > 0) {
                problems.add("traceall: " + what + ": " + found + ", silent stem hops " + m.get("silent_stem_hops")
                        + " (truth: every target reached through the lab's routers)");
            }
        }
    }

    static void enrichment(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (part.equals("dnsdown")) {
                f.add(new Summary.Figure("enrichment", "enriched trace with DNS down (lookup timeout "
                        + m.get("lookup_timeout_ms")
                        + " ms) vs plain trace", "ms", Summary.d(m, "down_ms"), "plain", Summary.d(m, "plain_ms"),
                        Summary.d(m, "down_ms") / Summary.d(m, "plain_ms"),
                        Summary.range(Summary.d(m, "down_min_ms"), Summary.d(m, "down_max_ms")), Summary.i(m, "n")));
                continue;
            }
            if (part.equals("stun")) {
                f.add(new Summary.Figure("enrichment", "time to context, " + m.get("server")
                        + " STUN server (lookup timeout 1 s)",
                        "ms", Summary.d(m, "context_ms"), "", Double.NaN, Double.NaN,
                        Summary.range(Summary.d(m, "context_min_ms"),
                        Summary.d(m, "context_max_ms")) + "; trace "
                                + Summary.num(Summary.d(m, "trace_ms")) + " ms; events "
                                + m.get("context_events"),
                        Summary.i(m, "n")));
                continue;
            }
            if (!m.containsKey("plain")) {
                continue;
            }
            f.add(new Summary.Figure("enrichment", "enriched trace, cold cache (new tracer) vs plain new tracer", "ms",
                    Summary.d(m, "cold"), "plain", Summary.d(m, "plainNew"),
                    Summary.d(m, "cold") / Summary.d(m, "plainNew"),
                    "paired diff " + Summary.num(Summary.d(m, "coldMinusPlain")) + " ms",
                    m.containsKey("n") ? Summary.i(m, "n") : 0));
            f.add(new Summary.Figure("enrichment", "enriched trace, warm cache vs plain trace", "ms",
                    Summary.d(m, "warm"), "plain",
                    Summary.d(m, "plain"), Summary.d(m, "warm") / Summary.d(m, "plain"),
                    "paired diff " + Summary.num(Summary.d(m, "warmMinusPlain")) + " ms",
                    m.containsKey("n") ? Summary.i(m, "n") : 0));
            f.add(new Summary.Figure("enrichment", "plain trace (2 silent hops) vs traceroute -n -I",
                    "ms", Summary.d(m, "plain"),
                    "traceroute", Summary.d(m, "traceroute"), Summary.d(m, "plain") / Summary.d(m, "traceroute"), "-",
                    m.containsKey("n") ? Summary.i(m, "n") : 0));
            f.add(new Summary.Figure("enrichment", "one DNS query to the lab's dnsmasq (dnsjava)", "ms",
                    Summary.d(m, "dnsRtt"), "",
                    Double.NaN, Double.NaN, "two in a row " + Summary.num(Summary.d(m, "dnsRtt2")) + " ms",
                    m.containsKey("n") ? Summary.i(m, "n") : 0));
            if (Summary.i(m, "wrong") > 0) {
                problems.add("enrichment: " + m.get("wrong") + " enriched traces not as the lab serves them");
            }
        }
    }

    static void monitor(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            f.add(new Summary.Figure("monitor",
                    "loss at TTL " + m.get("ttl") + " (truth " + Summary.num(Summary.d(m, "truth")) + " %), "
                    + m.get("rounds") + " rounds", "%", Summary.d(m, "pathprobe_loss"), "mtr --report",
                    Summary.d(m, "mtr_loss"),
                    Double.NaN, "runs agreeing within 2 SE (" + Summary.num(Summary.d(m, "bound")) + " points): "
                            + m.get("agree") + " of "
                    + m.get("runs"), Summary.i(m, "runs")));
            if (Summary.i(m, "agree") * 2 < Summary.i(m, "runs")) {
                problems.add("monitor: at TTL " + m.get("ttl") + " only " + m.get("agree") + " of " + m.get("runs")
                        + " runs agree with mtr within sampling error");
            }
        }
    }

    static void labBuild(List<Map<String, String>> lines, List<Summary.Figure> f) {
        for (Map<String, String> m : lines) {
            f.add(new Summary.Figure("labbuild", "lab build " + m.get("shape") + " (was a 3 s test bar)",
                    "ms", Summary.d(m, "build_ms"),
                    "", Double.NaN, Double.NaN, Summary.range(Summary.d(m, "build_min_ms"),
                            Summary.d(m, "build_max_ms")) + "; close "
                    + Summary.num(Summary.d(m, "close_ms")) + " ms", Summary.i(m, "n")));
        }
    }

    /** The agent: CPU per measurement (fake time and lab), heap over a simulated hour, the metrics scrape. */
    static void agent(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String part = m.get("part");
            String n = m.get("targets") + " targets";
            if ("fake".equals(part)) {
                f.add(new Summary.Figure("agent", "CPU per measurement, " + n + ", " + m.get("hours")
                        + " h on fake time (scripted path)", "µs", Summary.d(m, "cpu_us_per_measurement"), "",
                        Double.NaN,
                        Double.NaN, m.get("measurements") + " measurements in " + m.get("real_s") + " s real", 1));
                f.add(new Summary.Figure("agent", "heap after GC, first vs last simulated 10 min", "MB",
                        Summary.d(m, "heap_mb_last"), "first", Summary.d(m, "heap_mb_first"), Double.NaN, "", 1));
                if (m.containsKey("scrape_ms")) {
                    f.add(new Summary.Figure("agent", "/metrics scrape, " + n, "ms", Summary.d(m, "scrape_ms"), "",
                            Double.NaN, Double.NaN, m.get("scrape_kb") + " kB, " + m.get("series") + " series", 1));
                }
            } else {
                f.add(new Summary.Figure("agent", "CPU per measurement, " + n + ", " + m.get("minutes")
                        + " min on the lab", "µs", Summary.d(m, "cpu_us_per_measurement"), "", Double.NaN, Double.NaN,
                        m.get("measurements") + " measurements, " + m.get("skipped") + " skipped", 1));
            }
            if (Summary.i(m, "failed") > 0) {
                problems.add("agent: " + m.get("failed") + " measurements failed (" + part + ")");
            }
        }
    }

    /**
     * The budget comparison: the tracer's sustained rate without a budget against the C sendmmsg sender's, and
     * under a budget against the budget; answers beyond a router's budget (on its own counters) are a problem.
     */
    static void budget(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            String routers = "router peak " + m.get("router_peak") + "/s, answers " + m.get("answer_rate") + "/s";
            if (part.equals("unbudgeted")) {
                f.add(new Summary.Figure("budget", "sustained probe rate, no budget, vs C sendmmsg", "probes/s",
                        Summary.d(m, "rate"), "C sendmmsg", Summary.d(m, "reference_rate"), Summary.d(m, "ratio"),
                        routers, 1));
            } else if (part.equals("budgeted")) {
                f.add(new Summary.Figure("budget", "probe rate under a budget of " + m.get("budget_overall") + "/s, "
                        + m.get("budget_per_router") + "/s per router, vs the budget", "probes/s",
                        Summary.d(m, "rate"), "budget", Summary.d(m, "budget_overall"), Summary.d(m, "ratio"),
                        routers + ", violations " + m.get("violations"), 1));
                if (!"0".equals(m.get("violations"))) {
                    problems.add("budget: a router sent " + m.get("violations") + " answers beyond its budget");
                }
            }
        }
    }
}
