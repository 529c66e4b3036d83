package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.asn;
import static io.pathprobe.json.JsonTrees.boxed;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.lower;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The trace document ({@code pathprobe trace --format json}), docs/schema/trace.schema.json: the
 * document as text ({@code write}) and, with each of its parts, as a tree ({@code tree}). The
 * conventions every document follows are the {@linkplain io.pathprobe.json package's}.
 */
public final class TraceJson {
    /**
     * The trace document's version. 1: the first. 2 added protocolNote, abandoned, icmp
     * descriptions, replyTtl and mpls; icmpType and icmpCode are null when no ICMP answered. 3 added
     * flowMode and flows; per hop lost, forwardLost, backwardLost, nat and natId; per probe flow and
     * natId; IPv6 addresses are in RFC 5952 form. 4 added enrichment: publicAddress, behindNat and
     * context (with the status of each of its lookups); per hop hostname, asn ({number, prefix, name}),
     * segment, hostnameStatus and asnStatus; per responder hostname, asn, hostnameStatus and asnStatus.
     * 5: the context's stunServer puts an IPv6 address in brackets ({@code [2001:db8::53]:3478}), as
     * a URI does; version 4 wrote {@code 2001:db8::53:3478}, whose port only the last colon told.
     * 6 added per hop fromStopSet (a hop traceAll took from the tracer's stop set,
     * {@code Hop.fromStopSet()}). 7 added tcpMode: how TCP probes travelled ({@code syn},
     * {@code in_connection}; null for ICMP and UDP). 8 added per hop rateLimited (misses nothing says
     * the path lost; sent = received + lost + abandoned + rateLimited), and a hop's sent counts its
     * retries after a refill. 9 added headerChanges (each field the routers saw changed, at the first hop that
     * showed it), per hop changes, per probe dscp, ecn and changes, from the routers' ICMP quotes.
     * 10 added masked (privacy masking, in a masked document only) and per hop masked; per hop and per responder
     * location ({countryCode, country, city, latitude, longitude, accuracyRadiusKm,
     * database}: offline GeoIP), exchange ({name, ixId, city, country, prefix, memberAsn, memberName}: the
     * PeeringDB dump's IX), locationStatus and exchangeStatus. 11 (issue 68): rateLimited counts only misses of a
     * responder shown to limit; per hop undecided (lost probes a refusal is not excluded for), lossLow and lossHigh
     * (the loss the evidence allows: lossHigh is loss); tcpConfirmations (TCP probes a UDP trace sent, asked for).
     */
    public static final int SCHEMA_VERSION = 11;

    private TraceJson() {}

    /**
     * {@return the path a trace document (every version: fields a version lacks take their meaning's default, no
     * rate-limited probes, losses all forward) holds, as {@code pathprobe diff} compares it}
     *
     * @param text the document
     * @throws JsonReadException if the text is not such a document; the message says what is wrong and where
     */
    public static io.pathprobe.diff.PathSnapshot read(String text) {
        return DiffReader.one(text, false);
    }

    /**
     * {@return the trace document}
     *
     * @param result the trace result
     */
    public static String write(TraceResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * Writes the trace document to {@code out}.
     *
     * @param result the trace result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void write(TraceResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * {@return the trace document as a tree}
     *
     * @param r the trace result
     */
    public static Map<String, @Nullable Object> tree(TraceResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("target", r.target());
        m.put("destination", address(r.destination()));
        m.put("protocol", lower(r.protocol()));
        m.put("protocolNote", r.protocolNote().orElse(null));
        m.put("transport", r.transport());
        m.put("tcpMode", r.tcpMode().map(JsonTrees::lower).orElse(null));
        m.put("status", r.status().name());
        m.put("destinationReached", r.destinationReached());
        m.put("durationMs", ms(r.duration()));
        m.put("startedAt", r.startedAt().toString());
        m.put("unmatchedReplies", r.unmatchedReplies());
        m.put("tcpConfirmations", r.tcpConfirmations());
        m.put("flowMode", lower(r.flowMode()));
        m.put("flows", r.flows());
        m.put("publicAddress", r.publicAddress().filter(p -> !p.masked()).map(p -> AddressText.of(p.address()))
                .orElse(null));
        m.put("behindNat", r.publicAddress().map(PublicAddress::behindNat).orElse(null));
        m.put("context", JsonTrees.tree(r.context()));
        m.put("hops", list(r.hops(), TraceJson::tree));
        m.put("headerChanges", list(r.headerChanges(), TraceJson::tree));
        m.put("masked", r.masking().active() ? JsonTrees.statement(r.masking()) : null);
        return m;
    }

    /**
     * {@return a trace hop as a tree (an element of the trace document's {@code hops})}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(Hop h) {
        HopStatistics stats = h.statistics();
        Optional<RttStatistics> rtt = stats.rtt();
        Optional<Responder> first = h.responders().stream().findFirst();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", h.ttl());
        m.put("address", address(h.address()));
        m.put("rtts", list(h.rtts(), JsonTrees::ms));
        m.put("sent", stats.sent());
        m.put("received", stats.received());
        m.put("abandoned", stats.abandoned());
        m.put("loss", stats.loss());
        m.put("lossLow", stats.lossLow());
        m.put("lossHigh", stats.loss());
        m.put("minMs", rtt.map(s -> ms(s.min())).orElse(null));
        m.put("avgMs", rtt.map(s -> ms(s.avg())).orElse(null));
        m.put("maxMs", rtt.map(s -> ms(s.max())).orElse(null));
        m.put("stdDevMs", rtt.map(s -> ms(s.stdDev())).orElse(null));
        m.put("responders", list(h.responders(), TraceJson::tree));
        m.put("probes", list(h.probes(), TraceJson::tree));
        m.put("lost", stats.lost());
        m.put("forwardLost", stats.forwardLost());
        m.put("backwardLost", stats.backwardLost());
        m.put("rateLimited", stats.rateLimited());
        m.put("undecided", stats.undecided());
        m.put("nat", h.nat());
        m.put("natId", boxed(h.natId()));
        m.put("changes", list(h.headerChanges(), TraceJson::tree));
        m.put("hostname", h.hostname().value().orElse(null));
        m.put("asn", first.map(x -> asn(x.asn())).orElse(null));
        m.put("segment", h.segment().name());
        m.put("hostnameStatus", first.map(x -> x.hostname().status().name()).orElse(null));
        m.put("asnStatus", first.map(x -> x.asn().status().name()).orElse(null));
        m.put("fromStopSet", h.fromStopSet());
        m.put("masked", h.masked());
        JsonTrees.geo(m, first.map(Responder::location).orElse(null), first.map(Responder::exchange).orElse(null));
        return m;
    }

    /**
     * {@return a hop's responder as a tree (an element of a trace hop's {@code responders})}
     *
     * @param x the responder
     */
    public static Map<String, @Nullable Object> tree(Responder x) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("address", AddressText.of(x.address()));
        m.put("replies", x.replies());
        m.put("hostname", x.hostname().value().orElse(null));
        m.put("asn", asn(x.asn()));
        m.put("hostnameStatus", x.hostname().status().name());
        m.put("asnStatus", x.asn().status().name());
        JsonTrees.geo(m, x.location(), x.exchange());
        return m;
    }

    /**
     * {@return a trace probe as a tree (an element of a trace hop's {@code probes})}
     *
     * @param p the probe
     */
    public static Map<String, @Nullable Object> tree(ProbeResult p) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("attempt", p.attempt());
        m.put("status", p.status().name());
        m.put("responder", address(p.responder()));
        m.put("rttMs", p.rtt().map(JsonTrees::ms).orElse(null));
        m.put("icmpType", p.icmp().map(IcmpMessage::type).orElse(null));
        m.put("icmpCode", p.icmp().map(IcmpMessage::code).orElse(null));
        m.put("icmp", p.icmp().map(IcmpMessage::description).orElse(null));
        m.put("destination", p.fromDestination());
        m.put("failure", p.failure().orElse(null));
        m.put("replyTtl", boxed(p.replyTtl()));
        m.put("mpls", list(p.mplsLabels(), Object::toString));
        m.put("flow", boxed(p.flow()));
        m.put("natId", boxed(p.natId()));
        m.put("dscp", p.quotedTrafficClass().map(TrafficClass::dscp).orElse(null));
        m.put("ecn", p.quotedTrafficClass().map(t -> t.ecn().toString()).orElse(null));
        m.put("changes", list(p.headerChanges(), TraceJson::tree));
        return m;
    }

    /**
     * {@return where a header change first showed, as a tree (an element of the trace document's
     * {@code headerChanges}): the change's field, sent and seen, the hop's TTL and who answered there}
     *
     * @param c the first change
     */
    public static Map<String, @Nullable Object> tree(FirstChange c) {
        Map<String, @Nullable Object> x = tree(c.change());
        x.put("ttl", c.ttl());
        x.put("address", address(c.responder()));
        return x;
    }

    /**
     * {@return a header change as a tree: {@code {"field": "DSCP", "sent": "46", "seen": "0"}}}
     *
     * @param c the change
     */
    public static Map<String, @Nullable Object> tree(HeaderChange c) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("field", c.field().name());
        m.put("sent", c.sent());
        m.put("seen", c.seen());
        return m;
    }
}
