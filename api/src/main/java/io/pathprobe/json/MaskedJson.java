package io.pathprobe.json;

import io.pathprobe.evidence.MaskedResults;
import io.pathprobe.evidence.Masking;
import io.pathprobe.multipath.MultipathResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every document, record and line of {@link io.pathprobe.json} with a {@link Masking} applied (privacy masking,
 * {@code pathprobe trace --mask 2}). A masked pathprobe document has, at its end, {@code "masked": {"hops": 2,
 * "source": true}}; each of its hops (trace hops, multipath nodes and path hops, monitor, MTU and compare rows)
 * {@code "masked": true} or {@code false}; a masked hop keeps its TTL, RTTs, counts and loss, and has no address,
 * responder, host name nor AS (null, or an empty list). This host's local and public address (and the public port)
 * are null when the source is masked; every address that answered at a masked TTL is gone from the whole document
 * (null where it stood alone, left out of a list, {@code masked} inside a note), wherever it shows
 * ({@link MaskedResults}). The destination is never masked. Atlas records and scamper objects are masked the same
 * way (a masked reply has no {@code from}/{@code addr}; the Atlas record's {@code pathprobe} extension and the
 * scamper object carry {@code "masked"}; scamper's {@code src} is the unspecified address). With
 * {@link Masking#NONE} each method writes exactly what the unmasked writer writes. A trace, a path MTU discovery,
 * a ping and a comparison have no method here: {@link Masking#apply(io.pathprobe.trace.TraceResult)} (and its
 * overloads) masks the result, which {@link TraceJson}, {@link MtuJson}, {@link PingJson}, {@link CompareJson},
 * {@link AtlasJson} and {@link ScamperJson} write as any other.
 */
public final class MaskedJson {
    private MaskedJson() {}

    /**
     * {@return the multipath document ({@link MultipathJson}), masked}
     *
     * @param r the multipath result
     * @param masking what to hide
     */
    public static String multipath(MultipathResult r, Masking masking) {
        return JsonText.write(tree(r, masking), true);
    }

    /**
     * {@return the multipath document as a tree, masked}
     *
     * @param r the multipath result
     * @param masking what to hide
     */
    public static Map<String, @Nullable Object> tree(MultipathResult r, Masking masking) {
        if (!masking.active()) {
            return MultipathJson.tree(r);
        }
        Masking m = MaskedResults.learn(masking, r);
        Map<String, @Nullable Object> t = MultipathJson.tree(r);
        context(t, m);
        java.util.Set<String> hidden = MaskTrees.texts(m);
        if (t.get("paths") instanceof List<?> paths) {
            for (Object p : paths) {
                Map<String, @Nullable Object> path = MaskTrees.map(p);
                List<@Nullable Object> addresses = new ArrayList<>();
                for (Object a : (List<?>) path.getOrDefault("addresses", List.of())) {
                    addresses.add(a != null && hidden.contains(a) ? null : a); // by position: null, not left out
                }
                path.put("addresses", addresses);
                MaskTrees.hops(path.get("hops"), m);
            }
        }
        return MaskTrees.document(t, m, "nodes");
    }

    /**
     * {@return the discovery as one Atlas traceroute record ({@link AtlasJson#multipath(MultipathResult)}), masked}
     *
     * @param r the multipath result
     * @param masking what to hide
     */
    public static String atlasMultipath(MultipathResult r, Masking masking) {
        return masking.active() ? JsonText.write(atlas(AtlasJson.tree(r), MaskedResults.learn(masking, r)), false)
                : AtlasJson.multipath(r);
    }

    /**
     * {@return the discovery as scamper's tracelb object ({@link ScamperJson#tracelb(MultipathResult, InetAddress)}),
     * masked}
     *
     * @param r the multipath result
     * @param source the address the probes left from; null: the unspecified address (as when the source is masked)
     * @param masking what to hide
     */
    public static String scamperTracelb(MultipathResult r, @Nullable InetAddress source, Masking masking) {
        if (!masking.active()) {
            return ScamperJson.tracelb(r, source);
        }
        Masking m = MaskedResults.learn(masking, r);
        return scamper(ScamperJson.tree(r, m.source() ? null : source), m);
    }

    private static String scamper(Map<String, @Nullable Object> t, Masking m) {
        Map<String, @Nullable Object> out = MaskTrees.map(MaskTrees.scrub(t, m));
        if (out.get("nodes") instanceof List<?> nodes) {
            for (Object n : nodes) {
                Map<String, @Nullable Object> node = MaskTrees.map(n);
                if (node.get("addr") == null) {
                    node.put("addr", Masking.MASKED); // scamper's "*" is a silent node: this one is masked
                    node.remove("name");
                }
            }
        }
        out.put("masked", MaskTrees.statement(m));
        return JsonText.write(out, false);
    }

    /** An Atlas record masked: hidden hops flagged, addresses scrubbed, the statement in pathprobe's extension. */
    private static Map<String, @Nullable Object> atlas(Map<String, @Nullable Object> record, Masking m) {
        if (record.get("result") instanceof List<?> hops) {
            for (Object o : hops) {
                if (o instanceof Map<?, ?> x && x.get("hop") instanceof Integer ttl) {
                    Map<String, @Nullable Object> hop = MaskTrees.map(x);
                    boolean hidden = m.hides(ttl);
                    if (hidden && hop.get("pathprobe") instanceof Map<?, ?> pp
                            && pp.get("nodes") instanceof List<?> ns) {
                        ns.forEach(n -> MaskTrees.map(n).put("address", null));
                    }
                    if (hidden && hop.get("result") instanceof List<?> replies) {
                        replies.forEach(y -> MaskTrees.map(y).remove("from"));
                    }
                    hop.put("masked", hidden);
                }
            }
        }
        Map<String, @Nullable Object> out = MaskTrees.map(MaskTrees.scrub(record, m));
        if (m.source()) {
            out.remove("from");
            out.remove("src_addr");
        }
        if (out.get("pathprobe") instanceof Map<?, ?> pp) {
            MaskTrees.map(pp).put("masked", MaskTrees.statement(m));
        }
        return out;
    }

    /** The context's local address, public address and port when the source is masked. */
    private static void context(Map<String, @Nullable Object> t, Masking m) {
        if (!m.source()) {
            return;
        }
        t.put("publicAddress", null);
        if (t.get("context") instanceof Map<?, ?> c) {
            Map<String, @Nullable Object> ctx = MaskTrees.map(c);
            ctx.put("localAddress", null);
            ctx.put("publicPort", null);
        }
    }
}
