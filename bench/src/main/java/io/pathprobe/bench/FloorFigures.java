package io.pathprobe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Summary}'s figures of the floor comparison ({@link FloorComparison}): the warm 29-hop trace
 * against the kernel's floor and traceroute, the silent-hop lab, and the concurrent batches against
 * {@code floor_batch} with one and two senders, in wall time and in CPU time per probe; and the wrong
 * answers among its results.
 */
final class FloorFigures {
    private FloorFigures() {
    }

    static void floor(List<Map<String, String>> lines, List<Summary.Figure> f, List<String> problems) {
        // the concurrent batches, by protocol and wait, and the kernel's floor for the same batch, by senders
        Map<String, List<Map<String, String>>> batches = new LinkedHashMap<>();
        Map<Integer, List<Map<String, String>>> floors = new TreeMap<>();
        for (Map<String, String> m : lines) {
            String part = m.getOrDefault("part", "");
            if (m.containsKey("perHop") && part.isEmpty()) {
                String hop = m.get("perHop") + "/hop";
                // the default trace (3 probes per hop) is the one a target is set for
                String target = "3".equals(m.get("perHop")) ? " (target ≤ 1.5×)" : "";
                f.add(new Summary.Figure("floor", "clean 29 hops " + hop + ": UDP trace alone vs kernel floor in a row",
                        "ms", Summary.d(m, "pathprobe_udp_ms"), "floor (C)", Summary.d(m, "floor_fresh_ms"),
                        Summary.d(m, "ratio_udp_floor"), "-", 0));
                if (m.containsKey("ratio_udp_floor_row")) {
                    // like for like: both 20 traces in a row, and both one trace between other programs
                    f.add(new Summary.Figure("floor", "clean 29 hops " + hop + ": UDP traces in a row vs kernel floor"
                            + " in a row" + target, "ms", Summary.d(m, "pathprobe_udp_row_ms"), "floor (C)",
                            Summary.d(m, "floor_fresh_ms"), Summary.d(m, "ratio_udp_floor_row"), "-", 0));
                    f.add(new Summary.Figure("floor", "clean 29 hops " + hop
                            + ": UDP trace alone vs kernel floor alone", "ms", Summary.d(m, "pathprobe_udp_ms"),
                            "floor (C)", Summary.d(m, "floor_alone_ms"),
                            Summary.d(m, "ratio_udp_floor_alone"), "-", 0));
                }
                f.add(new Summary.Figure("floor", "clean 29 hops " + hop + ": UDP trace vs traceroute -U", "ms",
                        Summary.d(m, "pathprobe_udp_ms"), "traceroute -U", Summary.d(m, "traceroute_udp_ms"),
                        Summary.d(m, "pathprobe_udp_ms") / Summary.d(m, "traceroute_udp_ms"), "-", 0));
                f.add(new Summary.Figure("floor", "clean 29 hops " + hop + ": ICMP trace vs traceroute -I", "ms",
                        Summary.d(m, "pathprobe_icmp_ms"), "traceroute -I", Summary.d(m, "traceroute_icmp_ms"),
                        Summary.d(m, "pathprobe_icmp_ms") / Summary.d(m, "traceroute_icmp_ms"), "-", 0));
                if (!"true".equals(m.get("same_hops"))) {
                    problems.add("floor: clean lab " + hop
                            + ": pathprobe, traceroute and the floor saw different hops");
                }
            } else if (part.equals("silent")) {
                f.add(new Summary.Figure("floor", "silent hops " + m.get("protocol") + " " + m.get("perHop")
                        + "/hop vs traceroute",
                        "ms", Summary.d(m, "pathprobe_ms"), "traceroute", Summary.d(m, "traceroute_ms"),
                        Summary.d(m, "pathprobe_ms") / Summary.d(m, "traceroute_ms"), "-", 0));
            } else if (part.equals("concurrent")) {
                if (Summary.i(m, "reached") != Summary.i(m, "n")) {
                    problems.add("floor: concurrent " + m.get("protocol") + " (" + m.get("wait") + " wait)"
                            + round(m) + ": " + m.get("reached") + " of " + m.get("n")
                            + " traces reached the destination");
                }
                batches.computeIfAbsent(m.get("protocol") + " (" + waitText(Summary.s(m, "wait")) + ")",
                        k -> new ArrayList<>()).add(m);
            } else if (part.equals("concurrent_floor")) {
                floors.computeIfAbsent(Summary.i(m, "senders"), k -> new ArrayList<>()).add(m);
                if (Summary.i(m, "answered") != Summary.i(m, "probes")) {
                    problems.add("floor: floor_batch with " + m.get("senders") + " sender(s)" + round(m) + " had "
                            + m.get("answered") + " of " + m.get("probes") + " probes answered");
                }
            }
        }
        for (Map.Entry<String, List<Map<String, String>>> b : batches.entrySet()) {
            batch(b.getKey(), b.getValue(), floors, f);
        }
    }

    /**
     * One protocol and wait: the batch's time (medians over the rounds) with whether every trace reached
     * the destination and the live threads, then its time and CPU per probe against each floor.
     */
    private static void batch(String what, List<Map<String, String>> rounds,
            Map<Integer, List<Map<String, String>>> floors, List<Summary.Figure> f) {
        int n = Summary.i(rounds.get(0), "n");
        List<Double> times = values(rounds, "total_ms");
        List<Double> cpu = values(rounds, "cpu_us_per_probe");
        int allReached = (int) rounds.stream().filter(m -> Summary.i(m, "reached") == n).count();
        int before = rounds.stream().mapToInt(m -> Summary.i(m, "threads_before")).max().orElse(0);
        int during = rounds.stream().mapToInt(m -> Summary.i(m, "threads_during_max")).max().orElse(0);
        int after = rounds.stream().mapToInt(m -> Summary.i(m, "threads_after")).max().orElse(0);
        f.add(new Summary.Figure("floor", n + " concurrent traces " + what, "ms", Summary.median(times), "",
                Double.NaN, Double.NaN, "all " + n + " reached in " + allReached + " of " + rounds.size()
                        + " rounds; threads " + before + "/" + during + "/" + after
                        + (during <= before && after <= before ? " (constant)" : " (grew)"),
                rounds.size()));
        List<Double> bytes = values(rounds, "bytes_per_probe");
        if (!bytes.isEmpty()) { // the floor allocates no heap: no peer
            f.add(new Summary.Figure("floor", "heap allocated per probe, " + n + " concurrent traces " + what,
                    "bytes", Summary.median(bytes), "", Double.NaN, Double.NaN,
                    Summary.range(Summary.min(bytes), Summary.max(bytes)), bytes.size()));
        }
        List<Double> engineBytes = values(rounds, "engine_bytes_per_probe");
        if (!engineBytes.isEmpty()) { // of it, pathprobe's own threads' (not the caller's, not the JVM's)
            f.add(new Summary.Figure("floor", "heap allocated per probe by pathprobe's threads, " + n
                    + " concurrent traces " + what, "bytes", Summary.median(engineBytes), "", Double.NaN, Double.NaN,
                    Summary.range(Summary.min(engineBytes), Summary.max(engineBytes)), engineBytes.size()));
        }
        // the target is set for the default trace over UDP, the protocol floor_batch sends
        boolean targeted = what.equals("UDP (adaptive wait)");
        for (Map.Entry<Integer, List<Map<String, String>>> e : floors.entrySet()) {
            String senders = e.getKey() + (e.getKey() == 1 ? " sender" : " senders");
            List<Double> floorTimes = values(e.getValue(), "total_ms");
            double ours = Summary.median(times);
            double floor = Summary.median(floorTimes);
            f.add(new Summary.Figure("floor", n + " concurrent traces " + what + " vs the kernel's floor, " + senders
                    + (targeted && e.getKey() == 1 ? " (target ≤ 1.0×)" : ""), "ms", ours,
                    "floor_batch (C), " + senders, floor, ours / floor, "floor "
                    + Summary.range(Summary.min(floorTimes), Summary.max(floorTimes)), e.getValue().size()));
            List<Double> floorCpu = values(e.getValue(), "cpu_us_per_probe");
            if (!cpu.isEmpty() && !floorCpu.isEmpty()) {
                double ourCpu = Summary.median(cpu);
                double floorPerProbe = Summary.median(floorCpu);
                f.add(new Summary.Figure("floor", "CPU per probe, " + n + " concurrent traces " + what
                        + " vs the kernel's floor, " + senders, "µs", ourCpu, "floor_batch (C), " + senders,
                        floorPerProbe, ourCpu / floorPerProbe, "pathprobe " + Summary.range(Summary.min(cpu),
                        Summary.max(cpu)) + ", floor " + Summary.range(Summary.min(floorCpu),
                        Summary.max(floorCpu)), Math.min(cpu.size(), floorCpu.size())));
            }
        }
    }

    /**
     * "adaptive" as "adaptive wait"; "adaptive,engine" (a tracer without sender threads) and "adaptive,recvmsg" (the
     * transports reading one message a system call, as before recvmmsg) say so too.
     */
    static String waitText(String wait) {
        return wait.endsWith(",engine") ? wait.substring(0, wait.length() - ",engine".length())
                + " wait, every send on the engine thread"
                : wait.endsWith(",recvmsg") ? wait.substring(0, wait.length() - ",recvmsg".length())
                + " wait, one recvmsg a message" : wait + " wait";
    }

    /** The values of {@code key} in these results, those that have it. */
    private static List<Double> values(List<Map<String, String>> results, String key) {
        List<Double> v = new ArrayList<>();
        for (Map<String, String> m : results) {
            if (m.containsKey(key)) {
                v.add(Summary.d(m, key));
            }
        }
        return v;
    }

    private static String round(Map<String, String> m) {
        return m.containsKey("round") ? ", round " + (Summary.i(m, "round") + 1) : "";
    }
}
