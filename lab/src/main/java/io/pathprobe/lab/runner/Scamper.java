package io.pathprobe.lab.runner;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabBuilder;
import io.pathprobe.lab.LabException;
import io.pathprobe.lab.MiniJson;
import io.pathprobe.lab.namespace.Exec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Runs scamper's MDA traceroute ({@code tracelb}, Debian package scamper, version 20211212) in a lab's
 * host namespace and reads its JSON: the reference multipath discovery pathprobe's is compared with.
 *
 * <pre>{@code
 * try (Lab lab = Lab.diamond(8, EcmpHash.LINUX_L4).icmpUnlimited("compared with scamper probe for probe").build()) {
 *     Scamper.Result r = Scamper.tracelb(lab, lab.destination(), 95);
 *     r.probes();            // scamper's probec
 *     r.nodesAt(2);          // what it found at TTL 2
 * }
 * }</pre>
 *
 * <p>The command is {@code scamper -O json -c "tracelb -P <method> -c <confidence> -W 15 <more>" -i
 * <target>}: {@code -W 15} is the shortest wait between probes scamper accepts (150 ms; its default
 * is 250 ms), and the one M-Lab runs in production. Its JSON ({@code scamper_tracelb_json.c}): the
 * top-level {@code probec} is the number of probes sent; {@code nodes[]} has one entry per interface
 * from which flows part or meet ({@code addr}), each with {@code links}, a nest of arrays of
 * {@code {addr, probes[]}} whose every probe has its {@code ttl}, {@code flowid} and {@code replies}.
 * Version 20211212 lists the interfaces between two such nodes only inside the probes, not as nodes,
 * so this reader takes the topology from the probes: every answered probe puts its reply's
 * {@code addr} at its {@code ttl}; a node's own address is one TTL before the first of its probes;
 * two answered probes of one flow at successive TTLs make a link (and a node a link to what its first
 * hop's probes reached).
 *
 * <p>Probes stay inside the lab: scamper runs in the lab's host namespace (or the calling one, with
 * {@link LabBuilder#inCurrentNamespace()}), whose only routes lead into the lab. A run longer than
 * {@link #TIMEOUT} is killed.
 */
public final class Scamper {
    /** The longest a run may take before it is killed. */
    public static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** scamper's fastest inter-probe wait, in its units of 10 ms: 150 ms. */
    public static final int FASTEST_WAIT_PROBE = 15;

    private Scamper() {}

    /**
     * {@code tracelb -P udp-dport -c <confidence> -W 15} toward {@code target}.
     *
     * @throws LabException if scamper printed no tracelb result
     */
    public static Result tracelb(Lab lab, InetAddress target, int confidence) {
        return tracelb(lab, target, "udp-dport", confidence, List.of());
    }

    /**
     * {@code tracelb -P <method> -c <confidence> -W 15 <options>} toward {@code target}.
     *
     * @param method {@code udp-dport}, {@code icmp-echo}, {@code udp-sport}, {@code tcp-sport}, {@code tcp-ack-sport}
     * @param confidence 95 or 99 (the only values scamper accepts)
     * @param options more tracelb options, e.g. {@code -d 40000} (first destination port)
     * @throws LabException if scamper printed no tracelb result
     */
    public static Result tracelb(Lab lab, InetAddress target, String method, int confidence, List<String> options) {
        return run(lab::command, target, method, confidence, options);
    }

    /**
     * {@link #tracelb(Lab, InetAddress, String, int, List)} in the calling process's own network
     * namespace: for a program that runs inside a lab's host namespace (a benchmark re-run there with
     * {@link Lab#command(List)}) and no longer holds the {@link Lab}.
     *
     * @throws LabException if this process is in the root network namespace (its routes lead off the
     *     machine), or scamper printed no tracelb result
     */
    public static Result tracelbHere(InetAddress target, String method, int confidence, List<String> options) {
        if (Lab.inRootNetworkNamespace()) {
            throw new LabException("scamper refused: this process is in the root network "
                    + "namespace; run it inside a lab");
        }
        return run(ProcessBuilder::new, target, method, confidence, options);
    }

    private static Result run(java.util.function.Function<List<String>, ProcessBuilder> command, InetAddress target,
            String method, int confidence, List<String> options) {
        if (confidence != 95 && confidence != 99) {
            throw new IllegalArgumentException("scamper's confidence is 95 or 99, was " + confidence);
        }
        String tracelb = "tracelb -P " + method + " -c " + confidence + " -W " + FASTEST_WAIT_PROBE
                + (options.isEmpty() ? "" : " " + String.join(" ", options));
        List<String> cmd = List.of("scamper", "-O", "json", "-c", tracelb, "-i", target.getHostAddress());
        long t0 = System.nanoTime();
        Exec.Result r = Exec.run(command.apply(cmd), null, TIMEOUT);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        for (String line : r.stdout().split("\\R")) {
            if (line.contains("\"type\":\"tracelb\"")) {
                return parse(line, wall);
            }
        }
        throw new LabException(Exec.failure("running scamper tracelb", String.join(" ", cmd), r, null)
                + "; output: " + r.stdout().strip());
    }

    /**
     * Reads one tracelb JSON object (one line of {@code scamper -O json}).
     *
     * @param wall how long the scamper process ran (kept in the result)
     * @throws IllegalArgumentException if it is not a tracelb object
     */
    @SuppressWarnings("unchecked")
    public static Result parse(String json, Duration wall) {
        Map<String, Object> top = MiniJson.object(MiniJson.parse(json.strip()));
        if (!"tracelb".equals(top.get("type"))) {
            throw new IllegalArgumentException("not a tracelb result: " + top.get("type"));
        }
        Map<Integer, Set<InetAddress>> byTtl = new TreeMap<>();
        Map<Long, Map<Integer, Set<InetAddress>>> byFlow = new HashMap<>();
        Set<Link> links = new LinkedHashSet<>();
        for (Object n : (List<Object>) top.getOrDefault("nodes", List.of())) {
            Map<String, Object> node = (Map<String, Object>) n;
            List<Hit> hits = new ArrayList<>();
            collect(node.get("links"), hits);
            int first = hits.stream().mapToInt(Hit::ttl).min().orElse(0);
            String addr = (String) node.get("addr");
            InetAddress self = addr == null || addr.equals("*") ? null : inet(addr);
            if (self != null && first > 1) {
                byTtl.computeIfAbsent(first - 1, t -> new LinkedHashSet<>()).add(self);
            }
            for (Hit h : hits) {
                byTtl.computeIfAbsent(h.ttl(), t -> new LinkedHashSet<>()).add(h.address());
                byFlow.computeIfAbsent(h.flow(), f -> new HashMap<>())
                        .computeIfAbsent(h.ttl(), t -> new LinkedHashSet<>()).add(h.address());
                if (self != null && h.ttl() == first) {
                    links.add(new Link(first - 1, self, h.address()));
                }
            }
        }
        for (Map<Integer, Set<InetAddress>> flow : byFlow.values()) {
            flow.forEach((ttl, here) -> {
                Set<InetAddress> next = flow.get(ttl + 1);
                if (next != null) {
                    for (InetAddress a : here) {
                        for (InetAddress b : next) {
                            links.add(new Link(ttl, a, b));
                        }
                    }
                }
            });
        }
        Map<Integer, Set<InetAddress>> frozen = new TreeMap<>();
        byTtl.forEach((ttl, set) -> frozen.put(ttl, Collections.unmodifiableSet(set)));
        return new Result(String.valueOf(top.get("method")), number(top, "confidence"), number(top, "probec"),
                Collections.unmodifiableMap(frozen), Set.copyOf(links), wall, json);
    }

    /** Every answered probe under a node's {@code links}, whatever the nesting of arrays. */
    @SuppressWarnings("unchecked")
    private static void collect(@Nullable Object x, List<Hit> out) {
        if (x instanceof List<?> list) {
            list.forEach(v -> collect(v, out));
        } else if (x instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            Object probes = map.get("probes");
            Object addr = map.get("addr");
            if (probes instanceof List<?> ps && addr instanceof String a && !a.equals("*")) {
                for (Object p : ps) {
                    Map<String, Object> probe = (Map<String, Object>) p;
                    Object replies = probe.get("replies");
                    if (replies instanceof List<?> rs && !rs.isEmpty()) {
                        if (!(probe.get("flowid") instanceof Number flow)) {
                            throw new IllegalArgumentException("an answered tracelb probe without a flowid: " + probe);
                        }
                        out.add(new Hit(number(probe, "ttl"), flow.longValue(), inet(a)));
                    }
                }
            }
        }
    }

    private record Hit(int ttl, long flow, InetAddress address) {}

    private static int number(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof Number n ? n.intValue() : -1;
    }

    private static InetAddress inet(String literal) {
        if (!literal.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("not an address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal); // a literal: never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }

    /** A link scamper's flows showed: {@code from} at {@code ttl}, {@code to} at {@code ttl + 1}. */
    public record Link(int ttl, InetAddress from, InetAddress to) {}

    /**
     * What one {@code tracelb} found.
     *
     * @param method its probe method ({@code udp-dport}, ...)
     * @param confidence 95 or 99
     * @param probes probes sent ({@code probec})
     * @param nodesByTtl every address that answered, by TTL
     * @param links every link its flows showed
     * @param wall how long the scamper process ran
     * @param json the JSON it printed
     */
    public record Result(String method, int confidence, int probes, Map<Integer, Set<InetAddress>> nodesByTtl,
            Set<Link> links, Duration wall, String json) {
        /** The addresses found at one TTL (empty if none). */
        public Set<InetAddress> nodesAt(int ttl) {
            return nodesByTtl.getOrDefault(ttl, Set.of());
        }

        /** Every address found, at any TTL. */
        public Set<InetAddress> addresses() {
            Set<InetAddress> all = new LinkedHashSet<>();
            nodesByTtl.values().forEach(all::addAll);
            return all;
        }

        @Override
        public String toString() {
            return "scamper tracelb " + method + " " + confidence + "%: " + probes + " probes, " + wall.toMillis()
                    + " ms, nodes " + nodesByTtl;
        }
    }
}
