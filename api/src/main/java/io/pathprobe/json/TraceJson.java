package io.pathprobe.json;

import static io.pathprobe.json.DiffReader.address;
import static io.pathprobe.json.DiffReader.count;
import static io.pathprobe.json.DiffReader.decimal;
import static io.pathprobe.json.DiffReader.get;
import static io.pathprobe.json.DiffReader.has;
import static io.pathprobe.json.DiffReader.integer;
import static io.pathprobe.json.DiffReader.list;
import static io.pathprobe.json.DiffReader.millis;
import static io.pathprobe.json.DiffReader.named;
import static io.pathprobe.json.DiffReader.string;
import static io.pathprobe.json.DiffReader.target;
import static io.pathprobe.json.DiffReader.text;
import static io.pathprobe.json.DiffReader.truth;
import static io.pathprobe.json.DiffReader.ttl;
import static io.pathprobe.json.DiffReader.whole;
import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.asn;
import static io.pathprobe.json.JsonTrees.boxed;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.lower;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.LookupStatus;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.enrich.Segment;
import io.pathprobe.enrich.ServerAddress;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.MaskStatement;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.NodeId;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FirstChange;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TcpMode;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
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
     * Still 11 (issue 72): per probe interfaces (RFC 5837 Interface Information, {@link #tree(InterfaceInfo)}) and
     * nodeId (the Node Identification draft, {@link #tree(NodeId)}), written only when the router sent such objects,
     * so that a document without them is unchanged.
     */
    public static final int SCHEMA_VERSION = 11;

    private TraceJson() {}

    /**
     * {@return the trace result a trace document (every version) holds: {@code write} of it is the document}
     * What no document carries takes a default: the request is
     * {@code TraceRequest.builder(target).protocol(protocol)} (its other options their defaults), a hop's RTT
     * statistics' {@code last} is its last probe's RTT (its maximum without probes), an AS's country and registry are
     * empty, a failed lookup's failure is "failed", a masked public address is {@code 0.0.0.0}. Fields a version lacks
     * take their meaning's default: no lookups (enrichment off), no rate-limited or undecided probes, losses all
     * forward, Paris flow control over one flow, TCP by SYN probes, nothing masked; a hop without probes (no
     * pathprobe document) answers once per RTT, from its first responder, and times out its other probes sent.
     *
     * @param text the document
     * @throws JsonReadException if the text is not such a document; the message says what is wrong and where
     */
    public static TraceResult read(String text) {
        return DiffReader.one(text, false, TraceJson::result);
    }

    /**
     * {@return the trace result of a trace document's tree, as {@link #read(String)} reads it} The tree of a document
     * that embeds traces (a comparison's {@code traces}), as {@code io.pathprobe.util.JsonParser} reads it.
     *
     * @param d the trace document's tree
     * @throws IllegalArgumentException if the tree is not a trace document's; the message says what is wrong
     */
    public static TraceResult result(@Nullable Object d) {
        String target = target(d);
        Optional<InetAddress> destination = address(get(d, "destination"));
        ProbeProtocol protocol = named(ProbeProtocol.class, get(d, "protocol"), ProbeProtocol.ICMP);
        List<Hop> hops = new ArrayList<>();
        for (Object h : list(get(d, "hops"))) {
            hops.add(hop(h, destination, truth(get(d, "destinationReached"))));
        }
        Object m = get(d, "masked");
        Optional<TcpMode> tcpMode = has(d, "tcpMode")
                ? Optional.ofNullable(get(d, "tcpMode")).map(x -> named(TcpMode.class, x, TcpMode.SYN))
                : Optional.of(TcpMode.SYN).filter(x -> protocol == ProbeProtocol.TCP); // before version 7
        return new TraceResult(target, destination, protocol, text(get(d, "transport"), ""),
                named(TraceStatus.class, get(d, "status"), truth(get(d, "destinationReached"))
                        ? TraceStatus.DESTINATION_REACHED : TraceStatus.MAX_HOPS_EXCEEDED), hops,
                startedAt(get(d, "startedAt")), duration(get(d, "durationMs")),
                integer(get(d, "unmatchedReplies"), 0), string(get(d, "protocolNote")),
                named(FlowMode.class, get(d, "flowMode"), FlowMode.PARIS), integer(get(d, "flows"), 1),
                context(d), TraceRequest.builder(target).protocol(protocol).build(),
                tcpMode, integer(get(d, "tcpConfirmations"), 0), m == null ? MaskStatement.NONE
                        : new MaskStatement(integer(get(m, "hops"), 0), truth(get(m, "source"))));
    }

    private static Hop hop(@Nullable Object h, Optional<InetAddress> destination, boolean reached) {
        int ttl = ttl(h);
        int sent = (int) count(h, "sent", 0);
        int received = (int) count(h, "received", 0);
        int rateLimited = (int) count(h, "rateLimited", 0);
        int abandoned = (int) count(h, "abandoned", 0);
        int forward = (int) count(h, "forwardLost", count(h, "lost", Math.max(0, sent - received - abandoned
                - rateLimited)));
        int lost = forward + (int) count(h, "backwardLost", count(h, "lost", forward) - forward);
        List<Responder> responders = new ArrayList<>();
        if (get(h, "responders") instanceof List<?> all) {
            for (Object r : all) {
                responders.add(new Responder(address(get(r, "address"))
                        .orElseThrow(() -> new JsonReadException("a responder without an address")),
                        (int) count(r, "replies", 0), lookup(r, "hostname", DiffReader::string),
                        lookup(r, "asn", TraceJson::asnInfo), lookup(r, "location", TraceJson::location),
                        lookup(r, "exchange", TraceJson::exchange)));
            }
        } else {
            address(get(h, "address")).ifPresent(a -> responders.add(new Responder(a, received)));
        }
        List<ProbeResult> probes = new ArrayList<>();
        for (Object p : list(get(h, "probes"))) {
            probes.add(probe(ttl, p, destination));
        }
        if (!has(h, "probes")) {
            Optional<InetAddress> from = responders.stream().map(Responder::address).findFirst();
            boolean dest = reached && from.isPresent() && from.equals(destination);
            for (Object r : list(get(h, "rtts"))) {
                probes.add(new ProbeResult(ttl, probes.size() + 1, ProbeStatus.REPLY, from, Optional.of(millis(r)),
                        Optional.empty(), dest, Optional.empty(), OptionalInt.empty(), List.of()));
            }
            while (probes.size() < sent && !truth(get(h, "fromStopSet"))) {
                probes.add(new ProbeResult(ttl, probes.size() + 1, ProbeStatus.TIMEOUT, Optional.empty(),
                        Optional.empty(), Optional.empty(), false, Optional.empty(), OptionalInt.empty(), List.of()));
            }
        }
        Optional<RttStatistics> rtt = Optional.empty();
        if (get(h, "minMs") instanceof Number min) {
            Duration max = duration(get(h, "maxMs"));
            rtt = Optional.of(new RttStatistics(probes.stream().flatMap(p -> p.rtt().stream()).reduce((a, b) -> b)
                    .orElse(max), millis(min), duration(get(h, "avgMs")), max, duration(get(h, "stdDevMs"))));
        }
        HopStatistics stats = new HopStatistics(sent, received, lost, forward, lost - forward, abandoned, rtt,
                rateLimited, Math.min(lost, (int) count(h, "undecided", 0)));
        return new Hop(ttl, probes, responders, stats, truth(get(h, "nat")),
                named(Segment.class, get(h, "segment"), Segment.UNKNOWN), truth(get(h, "masked")));
    }

    private static ProbeResult probe(int ttl, @Nullable Object p, Optional<InetAddress> destination) {
        Optional<InetAddress> responder = address(get(p, "responder"));
        Optional<IcmpMessage> icmp = Optional.empty();
        if (get(p, "icmpType") != null) {
            boolean v6 = responder.or(() -> destination).filter(a -> a instanceof Inet6Address).isPresent();
            IcmpMessage i = new IcmpMessage(integer(get(p, "icmpType"), 0), integer(get(p, "icmpCode"), 0), v6);
            boolean other = get(p, "icmp") != null && !i.description().equals(get(p, "icmp"));
            icmp = Optional.of(other ? new IcmpMessage(i.type(), i.code(), !v6) : i);
        }
        List<MplsLabel> mpls = new ArrayList<>();
        for (Object l : list(get(p, "mpls"))) {
            String[] f = text(l, "").replaceAll("[A-Z]+=", "").split(",");
            if (f.length == 4 && List.of(f).stream().allMatch(x -> x.matches("\\d{1,9}"))) { // else not pathprobe's
                mpls.add(new MplsLabel(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2].equals("1"),
                        Integer.parseInt(f[3])));
            }
        }
        Optional<TrafficClass> quoted = get(p, "dscp") == null ? Optional.empty()
                : Optional.of(new TrafficClass(integer(get(p, "dscp"), 0), Ecn.parse(text(get(p, "ecn"), "0"))));
        return new ProbeResult(ttl, integer(get(p, "attempt"), 1),
                named(ProbeStatus.class, get(p, "status"), ProbeStatus.TIMEOUT), responder,
                get(p, "rttMs") == null ? Optional.empty() : Optional.of(millis(get(p, "rttMs"))), icmp,
                truth(get(p, "destination")), string(get(p, "failure")), whole(get(p, "replyTtl")), mpls,
                whole(get(p, "flow")), whole(get(p, "natId")), quoted, changes(get(p, "changes")),
                list(get(p, "interfaces")).stream().map(TraceJson::interfaceInfo).toList(),
                get(p, "nodeId") == null ? Optional.empty()
                        : Optional.of(new NodeId(address(get(get(p, "nodeId"), "address")),
                                string(get(get(p, "nodeId"), "name")))));
    }

    private static InterfaceInfo interfaceInfo(@Nullable Object i) {
        return new InterfaceInfo(named(InterfaceInfo.Role.class, get(i, "role"), InterfaceInfo.Role.INCOMING),
                whole(get(i, "ifIndex")), address(get(i, "address")), string(get(i, "name")), whole(get(i, "mtu")));
    }

    private static List<HeaderChange> changes(@Nullable Object all) {
        List<HeaderChange> out = new ArrayList<>();
        for (Object c : list(all)) {
            out.add(new HeaderChange(named(HeaderField.class, get(c, "field"), HeaderField.DSCP),
                    text(get(c, "sent"), ""), text(get(c, "seen"), "")));
        }
        return out;
    }

    /** The context, with this host's public address beside it ({@code publicAddress}, {@code behindNat}). */
    private static PathContext context(@Nullable Object d) {
        Object c = get(d, "context");
        if (c == null) {
            return PathContext.OFF;
        }
        Lookup<PublicAddress> publicAddress = lookup(c, "publicAddress", x -> {
            if (get(c, "stunServer") == null) {
                return Optional.empty();
            }
            String server = text(get(c, "stunServer"), "");
            if (integer(get(d, "schemaVersion"), 0) < 5 && server.indexOf(':') != server.lastIndexOf(':')) {
                int port = server.lastIndexOf(':'); // version 4: an IPv6 server without brackets
                server = "[" + server.substring(0, port) + "]" + server.substring(port);
            }
            InetSocketAddress stun = ServerAddress.parse(server, 3478, "STUN server");
            Optional<InetAddress> a = address(get(d, "publicAddress"));
            Optional<InetAddress> local = address(get(c, "localAddress"));
            InetAddress none = new InetSocketAddress(0).getAddress();
            return Optional.of(new PublicAddress(a.orElse(none), integer(get(c, "publicPort"), 0), stun,
                    local.orElse(none), truth(get(d, "behindNat")), a.isEmpty()));
        });
        return new PathContext(publicAddress, lookup(c, "localAsn", TraceJson::asnInfo),
                lookup(c, "destinationAsn", TraceJson::asnInfo));
    }

    /**
     * {@return the lookup of {@code name} in {@code o}: its status {@code nameStatus} (failure {@code nameFailure}),
     * its value {@code name} read by {@code value}; without a status, found when a value is there, else off}
     */
    static <T> Lookup<T> lookup(@Nullable Object o, String name,
            Function<@Nullable Object, Optional<T>> value) {
        Optional<T> v = value.apply(get(o, name));
        LookupStatus status = named(LookupStatus.class, get(o, name + "Status"),
                v.isPresent() ? LookupStatus.FOUND : LookupStatus.OFF);
        return switch (status) {
            case FOUND -> v.map(Lookup::found).orElse(Lookup.notFound());
            case NOT_FOUND -> Lookup.notFound();
            case FAILED -> Lookup.failed(text(get(o, name + "Failure"), "failed"));
            case PENDING -> Lookup.pending();
            case OFF -> Lookup.off();
        };
    }

    /** {@return an AS, empty without a number} */
    static Optional<AsnInfo> asnInfo(@Nullable Object a) {
        Object n = get(a, "number");
        if (!(n instanceof Long number) || number < 1 || number > 0xffff_ffffL) {
            return Optional.empty();
        }
        return Optional.of(new AsnInfo(number, string(get(a, "prefix")), string(get(a, "name")), Optional.empty(),
                Optional.empty()));
    }

    /** {@return milliseconds as a duration, zero for what is not a number} */
    static Duration duration(@Nullable Object v) {
        return v instanceof Number n ? millis(n) : Duration.ZERO;
    }

    /** {@return when the trace started; the epoch when the document does not say it as an instant} */
    static Instant startedAt(@Nullable Object v) {
        try {
            return Instant.parse(text(v, ""));
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    static Optional<GeoLocation> location(@Nullable Object g) {
        return g == null ? Optional.empty() : Optional.of(new GeoLocation(string(get(g, "countryCode")),
                string(get(g, "country")), string(get(g, "city")), decimal(get(g, "latitude")),
                decimal(get(g, "longitude")), whole(get(g, "accuracyRadiusKm")), text(get(g, "database"), "")));
    }

    static Optional<Exchange> exchange(@Nullable Object x) {
        if (x == null) {
            return Optional.empty();
        }
        return Optional.of(new Exchange(text(get(x, "name"), ""), count(x, "ixId", 0), string(get(x, "city")),
                string(get(x, "country")), text(get(x, "prefix"), ""),
                get(x, "memberAsn") instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty(),
                string(get(x, "memberName"))));
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
        m.put("cost", JsonTrees.tree(r.cost()));
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
        JsonTrees.lookups(m, x.hostname(), x.asn(), x.location(), x.exchange());
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
        identity(m, p);
        return m;
    }

    /**
     * Puts {@code interfaces} and {@code nodeId} into a probe's tree (here, and as extra keys of Atlas and scamper
     * replies) when its router sent RFC 5837 or Node Identification objects; nothing when it sent none.
     */
    static void identity(Map<String, @Nullable Object> m, ProbeResult p) {
        if (!p.interfaces().isEmpty()) {
            m.put("interfaces", list(p.interfaces(), TraceJson::tree));
        }
        p.nodeId().ifPresent(n -> m.put("nodeId", tree(n)));
    }

    /**
     * {@return an RFC 5837 Interface Information object as a tree (an element of a probe's {@code interfaces}):
     * {@code {"role": "INCOMING", "ifIndex": 31, "address": "198.18.0.1", "name": "eth0", "mtu": 1500}}, null
     * for what the router did not send}
     *
     * @param i the object
     */
    public static Map<String, @Nullable Object> tree(InterfaceInfo i) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("role", i.role().name());
        m.put("ifIndex", i.ifIndex().isPresent() ? Integer.toUnsignedLong(i.ifIndex().getAsInt()) : null);
        m.put("address", address(i.address()));
        m.put("name", i.name().orElse(null));
        m.put("mtu", i.mtu().isPresent() ? Integer.toUnsignedLong(i.mtu().getAsInt()) : null);
        return m;
    }

    /**
     * {@return a Node Identification object as a tree (a probe's {@code nodeId}): {@code {"address": "2001:db8::1",
     * "name": "r1"}}, null for what the router did not send}
     *
     * @param n the object
     */
    public static Map<String, @Nullable Object> tree(NodeId n) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("address", address(n.address()));
        m.put("name", n.name().orElse(null));
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
