package io.pathprobe.json;

import io.pathprobe.evidence.Masking;
import io.pathprobe.probe.AddressText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Masking applied to a written tree ({@link Masking}): the writers' masked forms build their document as usual,
 * hide each hop at a hidden TTL ({@link #hop}), then {@link #scrub} the whole tree of every hidden address, so that
 * nothing hidden is left in a note, a link or a reference.
 */
final class MaskTrees {
    private MaskTrees() {}

    /** The document's {@code "masked"}: {@code {"hops": 2, "source": true}}. */
    static Map<String, @Nullable Object> statement(Masking m) {
        Map<String, @Nullable Object> s = new LinkedHashMap<>();
        s.put("hops", m.hops());
        s.put("source", m.source());
        return s;
    }

    /**
     * A pathprobe document, masked: each map of {@code hopLists} (its top-level lists of hops, keyed by "ttl")
     * masked or flagged unmasked, every hidden address scrubbed, {@code "masked"} added at the top.
     */
    static Map<String, @Nullable Object> document(Map<String, @Nullable Object> tree, Masking m, String... hopLists) {
        for (String key : hopLists) {
            hops(tree.get(key), m);
        }
        Map<String, @Nullable Object> out = map(scrub(tree, m));
        out.put("masked", statement(m)); // in place of the unmasked document's null
        return out;
    }

    /** Masks or flags each hop map of a list (by its "ttl"). */
    static void hops(@Nullable Object list, Masking m) {
        if (list instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> x && x.get("ttl") instanceof Integer ttl) {
                    Map<String, @Nullable Object> h = map(x);
                    if (m.hides(ttl)) {
                        hop(h);
                    } else {
                        h.put("masked", false);
                    }
                }
            }
        }
    }

    /**
     * Hides one hop (a trace hop, a multipath node, a monitor or MTU hop): its address, responders, host name and
     * AS, each probe's responder; {@code "masked": true}. RTTs, counts and loss stay.
     */
    static void hop(Map<String, @Nullable Object> h) {
        for (String k : List.of("address", "hostname", "asn", "tooBigFrom")) {
            if (h.containsKey(k)) {
                h.put(k, null);
            }
        }
        if (h.containsKey("responders")) {
            h.put("responders", new ArrayList<@Nullable Object>());
        }
        if (h.get("probes") instanceof List<?> probes) {
            for (Object p : probes) {
                if (p instanceof Map<?, ?> x && x.containsKey("responder")) {
                    map(x).put("responder", null);
                }
            }
        }
        h.put("masked", true);
    }

    /**
     * {@return the tree with every hidden address gone} A string that is a hidden address becomes null (a list
     * drops it), a responder ({@code address} and {@code replies}) whose address is hidden leaves its list, and a
     * hidden address inside a longer string (a note, a message) becomes {@code masked}.
     */
    static @Nullable Object scrub(@Nullable Object node, Masking m) {
        return scrub(node, m, texts(m));
    }

    private static @Nullable Object scrub(@Nullable Object node, Masking m, Set<String> hidden) {
        if (node instanceof String s) {
            return hidden.contains(s) ? null : m.redact(s);
        }
        if (node instanceof Map<?, ?> x) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : x.entrySet()) {
                out.put((String) e.getKey(), scrub(e.getValue(), m, hidden));
            }
            return out;
        }
        if (node instanceof List<?> l) {
            List<@Nullable Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                if (o instanceof String s && hidden.contains(s)
                        || o instanceof Map<?, ?> x && x.containsKey("replies") && hidden.contains(x.get("address"))) {
                    continue;
                }
                out.add(scrub(o, m, hidden));
            }
            return out;
        }
        return node;
    }

    /** The texts of the hidden addresses: RFC 5952 and Java's forms. */
    static Set<String> texts(Masking m) {
        Set<String> out = new HashSet<>();
        m.addresses().forEach(a -> {
            out.add(AddressText.of(a));
            out.add(a.getHostAddress());
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, @Nullable Object> map(@Nullable Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("a JSON object was expected, not " + o);
        }
        return (Map<String, @Nullable Object>) o;
    }
}
