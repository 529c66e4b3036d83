package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.boxed;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.mtu.MtuBlackHole;
import io.pathprobe.mtu.MtuHop;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.probe.AddressText;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The path MTU document ({@code pathprobe mtu --format json}), docs/schema/mtu.schema.json: the
 * document as text ({@code write}) and, with each of its parts, as a tree ({@code tree}). The
 * conventions every document follows are the {@linkplain io.pathprobe.json package's}.
 */
public final class MtuJson {
    /**
     * The path MTU document's version. 1: the first. 2 added masked (privacy masking:
     * {@link io.pathprobe.evidence.Masking}, in a masked document only) and per hop masked.
     */
    public static final int SCHEMA_VERSION = 2;

    private MtuJson() {}

    /**
     * {@return the path MTU document: the first link's MTU, each TTL with the size that got through and
     * the MTU a router reported there, the path MTU and the black hole}
     *
     * @param result the discovery's result
     */
    public static String write(MtuResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the path MTU document as a tree}
     *
     * @param r the discovery's result
     */
    public static Map<String, @Nullable Object> tree(MtuResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("target", r.target());
        m.put("destination", address(r.destination()));
        m.put("protocol", "udp");
        m.put("transport", r.transport());
        m.put("status", r.status().name());
        m.put("destinationReached", r.destinationReached());
        m.put("firstLinkMtu", boxed(r.firstLinkMtu()));
        m.put("pathMtu", boxed(r.pathMtu()));
        m.put("probesSent", r.probesSent());
        m.put("startedAt", r.startedAt().toString());
        m.put("durationMs", ms(r.elapsed()));
        m.put("hops", list(r.hops(), MtuJson::tree));
        m.put("blackHole", r.blackHole().map(MtuJson::tree).orElse(null));
        m.put("masked", r.masking().active() ? JsonTrees.statement(r.masking()) : null);
        return m;
    }

    /**
     * {@return a TTL of the discovery as a tree (an element of the path MTU document's {@code hops})}
     *
     * @param h the TTL's outcome
     */
    public static Map<String, @Nullable Object> tree(MtuHop h) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", h.ttl());
        m.put("address", address(h.address()));
        m.put("rttMs", h.rtt().map(JsonTrees::ms).orElse(null));
        m.put("pathMtu", h.pathMtu());
        m.put("tooBig", boxed(h.tooBig()));
        m.put("tooBigFrom", address(h.tooBigFrom()));
        m.put("destination", h.destination());
        m.put("masked", h.masked());
        return m;
    }

    /**
     * {@return the black hole as a tree (the path MTU document's {@code blackHole})}
     *
     * @param b the black hole
     */
    public static Map<String, @Nullable Object> tree(MtuBlackHole b) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", b.ttl());
        m.put("after", b.after().map(AddressText::of).orElse(null));
        m.put("largestPassing", b.largestPassing());
        m.put("smallestLost", b.smallestLost());
        return m;
    }
}
