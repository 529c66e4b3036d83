package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.asn;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.lower;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.HopStatistics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The multipath document ({@code pathprobe multipath --format json}),
 * docs/schema/multipath.schema.json: the document as text ({@code write}) and, with each of its
 * parts, as a tree ({@code tree}). The conventions every document follows are the
 * {@linkplain io.pathprobe.json package's}.
 */
public final class MultipathJson {
    /**
     * The multipath document's version. 1: the first. 2 added enrichment: publicAddress, behindNat,
     * context; per node hostname, asn ({number, prefix, name}), segment, hostnameStatus and asnStatus.
     * 3: the context's stunServer puts an IPv6 address in brackets, as the trace document's version 5.
     * 4 added perPacketChecks; discoveryProbes no longer counts them (it is the stopping rule's probes,
     * the figure scamper's probec counts). 5 added per path lossBasis ({@code end-to-end},
     * {@code spaced-per-responder}, {@code tcp-end-to-end}: {@link io.pathprobe.multipath.LossBasis},
     * lower case, - for _). 6: the statuses every document shares, {@code COMPLETED} and
     * {@code DEADLINE_EXCEEDED} (were {@code COMPLETE} and {@code DEADLINE}; the one rename before 0.1). 7 added
     * per node dscp, ecn and changes (what its ICMP quotes showed) and headerChanges (each field at the lowest TTL a
     * node showed it), as the trace document's version 9.
     * 8 added masked (privacy masking: {@link io.pathprobe.evidence.Masking}, in a masked document only), per node
     * and path hop masked, and per node location, locationStatus, exchange and exchangeStatus (offline GeoIP, the
     * PeeringDB exchange), as the trace document's version 10. 9 added
     * tcpConfirmations (the TCP probes a UDP discovery sent, only with TCP confirmation), per path rateLimited and
     * abandoned, and per path hop rateLimited: every row closes, sent = received + lost + rateLimited + abandoned;
     * and per path lossLow and lossHigh ({@link MultipathPath#lossLow()}, {@link MultipathPath#lossHigh()}: the 95 %
     * interval of its loss whichever way its rate-limited probes went).
     */
    public static final int SCHEMA_VERSION = 9;

    private MultipathJson() {}

    /**
     * {@return the multipath document}
     *
     * @param result the multipath result
     */
    public static String write(MultipathResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * Writes the multipath document to {@code out}.
     *
     * @param result the multipath result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void write(MultipathResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * {@return the multipath document as a tree}
     *
     * @param r the multipath result
     */
    public static Map<String, @Nullable Object> tree(MultipathResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("target", r.request().target());
        m.put("destination", AddressText.of(r.destination()));
        m.put("protocol", lower(r.protocol()));
        m.put("transport", r.transport());
        m.put("algorithm", r.request().algorithm().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("status", r.status().name());
        m.put("complete", r.complete());
        m.put("destinationReached", r.destinationReached());
        m.put("probes", r.probes());
        m.put("discoveryProbes", r.discoveryProbes());
        m.put("perPacketChecks", r.perPacketChecks());
        m.put("tcpConfirmations", r.tcpConfirmations());
        m.put("durationMs", ms(r.duration()));
        m.put("startedAt", r.startedAt().toString());
        m.put("confidence", r.confidence());
        m.put("globalConfidence", r.globalConfidence());
        m.put("maxWidth", r.maxWidth());
        m.put("perPacketLoadBalancing", r.perPacketLoadBalancing());
        m.put("nodes", list(r.nodes(), MultipathJson::tree));
        m.put("headerChanges", list(r.headerChanges(), TraceJson::tree));
        m.put("links", list(r.links(), MultipathJson::tree));
        m.put("diamonds", list(r.diamonds(), MultipathJson::tree));
        m.put("paths", list(r.paths(), MultipathJson::tree));
        m.put("unexplored", list(r.unexplored(), MultipathJson::ref));
        m.put("notes", new ArrayList<@Nullable Object>(r.notes()));
        m.put("publicAddress", r.publicAddress().filter(p -> !p.masked()).map(p -> AddressText.of(p.address()))
                .orElse(null));
        m.put("behindNat", r.publicAddress().map(PublicAddress::behindNat).orElse(null));
        m.put("context", JsonTrees.tree(r.context()));
        m.put("cost", JsonTrees.tree(r.cost()));
        m.put("masked", r.masking().active() ? JsonTrees.statement(r.masking()) : null);
        return m;
    }

    /**
     * {@return a multipath node as a tree (an element of the multipath document's {@code nodes})}
     *
     * @param n the node
     */
    public static Map<String, @Nullable Object> tree(MultipathNode n) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("address", address(n.address()));
        m.put("ttl", n.ttl());
        m.put("replies", n.replies());
        m.put("flows", new ArrayList<@Nullable Object>(n.flows()));
        m.put("destination", n.destination());
        m.put("loadBalancing", n.loadBalancing().name());
        m.put("rtt", n.rtt().map(JsonTrees::tree).orElse(null));
        m.put("hostname", n.hostname().value().orElse(null));
        m.put("asn", asn(n.asn()));
        m.put("segment", n.segment().name());
        m.put("hostnameStatus", n.hostname().status().name());
        m.put("asnStatus", n.asn().status().name());
        m.put("dscp", n.quotedTrafficClass().map(io.pathprobe.probe.TrafficClass::dscp).orElse(null));
        m.put("ecn", n.quotedTrafficClass().map(t -> t.ecn().toString()).orElse(null));
        m.put("changes", list(n.headerChanges(), TraceJson::tree));
        m.put("masked", n.masked());
        JsonTrees.geo(m, n.location(), n.exchange());
        return m;
    }

    private static Map<String, @Nullable Object> ref(MultipathNode n) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("address", address(n.address()));
        m.put("ttl", n.ttl());
        return m;
    }

    /**
     * {@return a multipath link as a tree (an element of the multipath document's {@code links})}
     *
     * @param l the link
     */
    public static Map<String, @Nullable Object> tree(MultipathLink l) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", l.ttl());
        m.put("from", address(l.from()));
        m.put("to", address(l.to()));
        m.put("flows", l.flows());
        return m;
    }

    /**
     * {@return a diamond as a tree (an element of the multipath document's {@code diamonds})}
     *
     * @param d the diamond
     */
    public static Map<String, @Nullable Object> tree(Diamond d) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("divergence", ref(d.divergence()));
        m.put("convergence", d.convergence().map(MultipathJson::ref).orElse(null));
        m.put("widths", new ArrayList<@Nullable Object>(d.widths()));
        m.put("maxWidth", d.maxWidth());
        m.put("meshed", d.meshed());
        m.put("loadBalancing", d.loadBalancing().name());
        return m;
    }

    /**
     * {@return a path as a tree (an element of the multipath document's {@code paths})}
     *
     * @param p the path
     */
    public static Map<String, @Nullable Object> tree(MultipathPath p) {
        HopStatistics s = p.statistics();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("addresses", list(p.addresses(), JsonTrees::address));
        m.put("flows", new ArrayList<@Nullable Object>(p.flows()));
        m.put("loss", s.loss());
        m.put("lossLow", p.lossLow());
        m.put("lossHigh", p.lossHigh());
        m.put("forwardLoss", s.forwardLoss());
        m.put("backwardLoss", s.backwardLoss());
        m.put("sent", s.sent());
        m.put("received", s.received());
        m.put("lost", s.lost());
        m.put("rateLimited", s.rateLimited());
        m.put("abandoned", s.abandoned());
        m.put("lossBasis", p.lossBasis().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("rtt", s.rtt().map(JsonTrees::tree).orElse(null));
        m.put("hops", list(p.hops(), MultipathJson::tree));
        return m;
    }

    /**
     * {@return a hop of a path as a tree (an element of a path's {@code hops})}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(PathHop h) {
        HopStatistics s = h.statistics();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", h.ttl());
        m.put("address", address(h.address()));
        m.put("sent", s.sent());
        m.put("received", s.received());
        m.put("lost", s.lost());
        m.put("forwardLost", s.forwardLost());
        m.put("backwardLost", s.backwardLost());
        m.put("rateLimited", s.rateLimited());
        m.put("abandoned", s.abandoned());
        m.put("loss", s.loss());
        m.put("rtt", s.rtt().map(JsonTrees::tree).orElse(null));
        m.put("masked", h.masked());
        return m;
    }

    /**
     * {@return RTT statistics as a tree: {@code {min, avg, max, stdDev}} in milliseconds (multipath nodes,
     * paths, hops)}
     *
     * @param s the RTT statistics
     */
    public static Map<String, @Nullable Object> tree(RttStatistics s) {
        return JsonTrees.tree(s);
    }
}
