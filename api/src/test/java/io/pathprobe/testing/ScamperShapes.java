package io.pathprobe.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shape of scamper's JSON (every key path and the kinds of value found there), to check that
 * {@code ScamperJson} writes every key scamper writes with the same kind of value: shared by api's unit test
 * (scamper's saved output) and core's lab test (scamper run beside pathprobe). Numbers keep their text
 * ({@code 0.080} stays a decimal with three digits), and an integer is a kind of its own: a reader that decodes
 * scamper's integers into integer fields (Go's encoding/json, as M-Lab's parsers) refuses {@code 1.0}.
 */
public final class ScamperShapes {
    /** Reads JSON with exact decimals: {@code 0.080} is a decimal node of scale 3. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private ScamperShapes() {}

    /** Parses one JSON object (one line of {@code scamper -O json}). */
    public static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the line of scamper's output whose object has this {@code type} (trace, tracelb, cycle-start)} */
    public static JsonNode line(String output, String type) {
        for (String l : output.split("\\R")) {
            if (!l.isBlank()) {
                JsonNode n = parse(l);
                if (type.equals(n.path("type").asText())) {
                    return n;
                }
            }
        }
        throw new AssertionError("no " + type + " line in:\n" + output);
    }

    /** {@return the kind of a value: integer, decimal, string, boolean, null, array or object} */
    public static String kind(JsonNode v) {
        if (v.isIntegralNumber()) {
            return "integer";
        } else if (v.isNumber()) {
            return "decimal";
        } else if (v.isTextual()) {
            return "string";
        } else if (v.isBoolean()) {
            return "boolean";
        } else if (v.isNull()) {
            return "null";
        }
        return v.isArray() ? "array" : "object";
    }

    /**
     * {@return every key path below a value and the kinds found there}, arrays flattened: a trace's
     * {@code "hops[].icmpext[].mpls_labels[].mpls_ttl" -> [integer]}, a tracelb's
     * {@code "nodes[].links[][].probes[].replies[].rtt" -> [decimal]}
     */
    public static Map<String, Set<String>> shape(JsonNode n) {
        Map<String, Set<String>> out = new TreeMap<>();
        walk(n, "", out);
        return out;
    }

    /** {@return the union of the shapes of several values} */
    public static Map<String, Set<String>> shape(Iterable<JsonNode> nodes) {
        Map<String, Set<String>> out = new TreeMap<>();
        nodes.forEach(n -> walk(n, "", out));
        return out;
    }

    private static void walk(JsonNode n, String path, Map<String, Set<String>> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.computeIfAbsent(p, k -> new TreeSet<>()).add(kind(e.getValue()));
                walk(e.getValue(), p, out);
            }
        } else if (n.isArray()) {
            for (JsonNode x : n) {
                if (x.isContainerNode()) {
                    walk(x, path + "[]", out);
                } else {
                    out.computeIfAbsent(path + "[]", k -> new TreeSet<>()).add(kind(x));
                }
            }
        }
    }

    /**
     * {@return what {@code ours} lacks of {@code scamper}'s shape: each key path scamper has that ours has not,
     * or has with another kind of value ("hops[].reply_ipid: scamper [integer], ours [decimal]"); empty when ours
     * covers scamper's}
     */
    public static List<String> missing(Map<String, Set<String>> scamper, Map<String, Set<String>> ours) {
        List<String> out = new ArrayList<>();
        scamper.forEach((path, kinds) -> {
            Set<String> mine = ours.get(path);
            if (mine == null) {
                out.add(path + ": missing");
            } else if (!mine.equals(kinds)) {
                out.add(path + ": scamper " + kinds + ", ours " + mine);
            }
        });
        return out;
    }

    /** {@return a trace object's answering addresses by TTL ({@code hops[].probe_ttl} and {@code addr})} */
    public static Map<Integer, Set<String>> traceAddresses(JsonNode trace) {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (JsonNode h : trace.path("hops")) {
            out.computeIfAbsent(h.get("probe_ttl").asInt(), k -> new TreeSet<>()).add(h.get("addr").asText());
        }
        return out;
    }

    /**
     * {@return a tracelb object's addresses by TTL, {@code "*"} for a silent hop} A node's {@code links} hold one
     * array per hop after it: the probes in the array at index j were sent with the node's TTL + 1 + j, so the
     * node's TTL is known from any probe below it (a node whose links hold no probe is left out); each object
     * of the array at index j is at that TTL.
     */
    public static Map<Integer, Set<String>> tracelbAddresses(JsonNode tracelb) {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (JsonNode node : tracelb.path("nodes")) {
            JsonNode hops = node.path("links");
            int ttl = -1;
            for (int j = 0; j < hops.size() && ttl < 0; j++) {
                for (JsonNode link : hops.get(j)) {
                    for (JsonNode p : link.path("probes")) {
                        ttl = p.get("ttl").asInt() - 1 - j;
                    }
                }
            }
            if (ttl < 0) {
                continue;
            }
            out.computeIfAbsent(ttl, k -> new TreeSet<>()).add(node.get("addr").asText());
            for (int j = 0; j < hops.size(); j++) {
                for (JsonNode link : hops.get(j)) {
                    out.computeIfAbsent(ttl + 1 + j, k -> new TreeSet<>()).add(link.get("addr").asText());
                }
            }
        }
        return out;
    }
}
