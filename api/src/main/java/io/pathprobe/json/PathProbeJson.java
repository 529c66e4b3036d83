package io.pathprobe.json;

import io.pathprobe.probe.AddressText;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.bufferbloat.BufferbloatGrade;
import io.pathprobe.bufferbloat.BufferbloatLoad;
import io.pathprobe.bufferbloat.BufferbloatResult;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.bufferbloat.DirectionResult;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.bufferbloat.LatencySample;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.monitor.MonitorEvent;
import io.pathprobe.monitor.MonitorHop;
import io.pathprobe.mtu.MtuResult;
import io.pathprobe.monitor.MonitorPath;
import io.pathprobe.monitor.MonitorResponder;
import io.pathprobe.monitor.MonitorResult;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.monitor.MonitorStatistics;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathPath;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.multipath.PathHop;
import io.pathprobe.ping.PingError;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

import io.pathprobe.multipath.LossBasis;
/**
 * pathprobe's JSON documents, as {@code pathprobe trace|ping|multipath|bufferbloat --format json}
 * prints them, written without a JSON library.
 *
 * <p><b>Stability.</b> External tools read these field names: a field is added, never renamed nor
 * removed, and every document starts with {@code schemaVersion}, raised whenever fields are added
 * (the versions are the constants below; each constant's documentation lists what every version
 * added). Conventions: addresses as text (IPv6 in RFC 5952 form), {@code null} for what is not
 * known (a silent hop's address, the RTT statistics of a hop without answers), times in milliseconds
 * where the field name says so ({@code durationMs}, {@code rttMs}, {@code minMs}; the trace and
 * multipath documents round to the microsecond, ping's do not), loss as a fraction from 0 to 1,
 * enumerations by their Java names, timestamps in ISO-8601 ({@code startedAt}). A number that is not
 * finite (NaN, infinity) is written {@code null}.
 *
 * <p><b>Layout.</b> The strings are indented two spaces per level with {@code "name" : value} pairs
 * and arrays on one line (the layout of Jackson's default pretty printer, which earlier versions of
 * the command line used), UTF-8 text when written to a byte stream.
 *
 * <p>The {@code tree} methods give the same documents (and their parts) as nested
 * {@link LinkedHashMap}s in field order, {@link List}s, {@link String}s, {@link Integer}s,
 * {@link Long}s, {@link Double}s, {@link Boolean}s and {@code null}s, for callers who want to change
 * or embed them before writing.
 */
public final class PathProbeJson {
    /**
     * The trace document's version. 1: the first. 2 added protocolNote, abandoned, icmp
     * descriptions, replyTtl and mpls; icmpType and icmpCode are null when no ICMP answered. 3 added
     * flowMode and flows; per hop lost, forwardLost, backwardLost, nat and natId; per probe flow and
     * natId; IPv6 addresses are in RFC 5952 form. 4 added enrichment: publicAddress, behindNat and
     * context (with the status of each of its lookups); per hop hostname, asn ({number, prefix, name}),
     * segment, hostnameStatus and asnStatus; per responder hostname, asn, hostnameStatus and asnStatus.
     * 5: the context's stunServer puts an IPv6 address in brackets ({@code [2001:db8::53]:3478}), as
     * a URI does; version 4 wrote {@code 2001:db8::53:3478}, whose port only the last colon told.
     * 6 added per hop fromStopSet (a hop traceAll took from the tracer's stop set, {@code Hop.fromStopSet()}).
     * 7 added tcpMode: how TCP probes travelled ({@code syn}, {@code in_connection}; null for ICMP and UDP).
     * 8 added per hop rateLimited (issue 47: misses nothing says the path lost; sent = received + lost +
     * abandoned + rateLimited), and a hop's sent counts its retries after a refill.
     */
    public static final int TRACE_SCHEMA_VERSION = 8;

    /**
     * The ping document's version. 1: the first. 2 added payloadSize (the payload size the request
     * gave, null when it gave none) and per target bytes, aligned with rtts: each answer's size (ICMP
     * message, header and data), null where unknown or unanswered. 3 added enrichment per target:
     * hostname, asn ({number, prefix, name}), hostnameStatus and asnStatus. 4 added per target rateLimited
     * (issue 47: UDP probes unanswered while the destination may have refused their Port Unreachable under its
     * ICMP rate limit; neither received nor lost, not in loss: sent = received + lost + rateLimited + pending)
     * and kindNote (why the automatic choice did not use ICMP, and what a UDP ping's answers are; null when
     * there is nothing to say).
     */
    public static final int PING_SCHEMA_VERSION = 4;

    /**
     * The multipath document's version. 1: the first. 2 added enrichment: publicAddress, behindNat,
     * context; per node hostname, asn ({number, prefix, name}), segment, hostnameStatus and asnStatus.
     * 3: the context's stunServer puts an IPv6 address in brackets, as the trace document's version 5.
     * 4 added perPacketChecks; discoveryProbes no longer counts them (it is the stopping rule's probes,
     * the figure scamper's probec counts). 5 added per path lossBasis ({@code end-to-end},
     * {@code spaced-per-responder}, {@code tcp-end-to-end}: {@link io.pathprobe.multipath.LossBasis}, lower case, - for _).
     * 6: the statuses every document shares, {@code COMPLETED} and {@code DEADLINE_EXCEEDED} (were {@code COMPLETE}
     * and {@code DEADLINE}; the one rename before 0.1).
     */
    public static final int MULTIPATH_SCHEMA_VERSION = 6;

    /**
     * The bufferbloat document's version. 1: the first. 2: {@code grade} is null for a test that did
     * not complete (its load failed, it hit its time limit, or it was cancelled). 3: {@code loadedLatencyP99Ms},
     * {@code rpmP90}, {@code rpmP99} and {@code load} per direction (its congestion control, whether its flows
     * were opened together, the capacity estimate and the share of it the load carried); {@code grade} is also
     * null for a test whose load did not hold the link. 4: the statuses every document shares, {@code COMPLETED}
     * and {@code DEADLINE_EXCEEDED} (were {@code COMPLETE} and {@code TIME_LIMIT}; the one rename before 0.1).
     */
    public static final int BUFFERBLOAT_SCHEMA_VERSION = 4;

    /**
     * The monitor document's version ({@link #monitor(MonitorResult)}). 1: the first. 2: the statistics'
     * {@code rateLimited} ({@code sent} counts them; {@code loss} is a share of the probes answered or lost), status
     * {@code NO_ROUTE} and {@code SEND_FAILED}.
     */
    public static final int MONITOR_SCHEMA_VERSION = 2;

    /** The path MTU document's version ({@link #mtu(MtuResult)}). 1: the first. */
    public static final int MTU_SCHEMA_VERSION = 1;
    /**
     * The monitor round line's version ({@link #monitorRound(MonitorRound)}, a line of
     * {@code pathprobe mtr --ndjson}). 1: the first; 2: each hop's {@code rateLimited} (issue 47).
     */
    public static final int MONITOR_ROUND_SCHEMA_VERSION = 2;

    /** The error document's version ({@link #error(String, String)}). 1: the first. */
    public static final int ERROR_SCHEMA_VERSION = 1;

    private PathProbeJson() {}

    // ---- text --------------------------------------------------------------------------------

    /**
     * {@return the trace document}
     *
     * @param result the trace result
     */
    public static String trace(TraceResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * Writes the trace document to {@code out}.
     *
     * @param result the trace result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void trace(TraceResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * {@return the ping document, with {@code payloadSize} from the request the result carries}
     *
     * @param result the ping result
     */
    public static String ping(PingResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the ping document, with {@code payloadSize} from the request that measured it}
     *
     * @param result the ping result
     * @param request the request that measured it
     */
    public static String ping(PingResult result, PingRequest request) {
        return JsonText.write(tree(result, request.payloadSize()), true);
    }

    /**
     * Writes the ping document to {@code out} ({@code payloadSize} null).
     *
     * @param result the ping result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void ping(PingResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * Writes the ping document to {@code out}, with {@code payloadSize} from the request.
     *
     * @param result the ping result
     * @param request the request that measured it
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void ping(PingResult result, PingRequest request, Appendable out) throws IOException {
        JsonText.write(tree(result, request.payloadSize()), true, out);
    }

    /**
     * {@return the multipath document}
     *
     * @param result the multipath result
     */
    public static String multipath(MultipathResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * Writes the multipath document to {@code out}.
     *
     * @param result the multipath result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void multipath(MultipathResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * {@return the bufferbloat document}
     *
     * @param result the bufferbloat result
     */
    public static String bufferbloat(BufferbloatResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the monitor document ({@code pathprobe mtr --format json}): mtr's report as data, per hop
     * over the whole run and over the window, the end-to-end figures, hop counts and the path}
     *
     * @param result the monitor's result (a snapshot or the final one)
     */
    public static String monitor(MonitorResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the path MTU document ({@code pathprobe mtu --format json}): the first link's MTU, each TTL
     * with the size that got through and the MTU a router reported there, the path MTU and the black hole}
     *
     * @param result the discovery's result
     */
    public static String mtu(MtuResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the path MTU document as a tree}
     *
     * @param r the discovery's result
     */
    public static Map<String, @Nullable Object> tree(MtuResult r) {
        return MtuJson.tree(r);
    }

    /**
     * {@return one round of a monitor as one line of compact JSON ({@code pathprobe mtr --ndjson}): the
     * round's number, its trace's hops as the trace document writes them, the path it saw and the events it
     * raised; {@code "type": "round"}} docs/schema/monitor-round.schema.json describes it.
     *
     * @param round the round
     */
    public static String monitorRound(MonitorRound round) {
        return JsonText.write(tree(round), false);
    }

    /**
     * Writes the bufferbloat document to {@code out}.
     *
     * @param result the bufferbloat result
     * @param out where the document is written
     * @throws IOException if {@code out} fails
     */
    public static void bufferbloat(BufferbloatResult result, Appendable out) throws IOException {
        JsonText.write(tree(result), true, out);
    }

    /**
     * {@return the error document: {@code {"schemaVersion": 1, "error": {"type": type, "message": message}}},
     * what the command line prints on stdout instead of a result when a JSON run fails}
     *
     * @param type the error's type
     * @param message the error's message
     */
    public static String error(String type, String message) {
        Map<String, @Nullable Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("message", message);
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", ERROR_SCHEMA_VERSION);
        m.put("error", e);
        return JsonText.write(m, true);
    }

    /**
     * {@return any tree of the kind the {@code tree} methods return, as indented JSON text}
     *
     * @param tree a tree of the kind the {@code tree} methods return
     */
    public static String write(@Nullable Object tree) {
        return JsonText.write(tree, true);
    }

    /**
     * {@return any tree of the kind the {@code tree} methods return, as compact JSON on one line (no line
     * break inside: one line of an NDJSON stream, e.g. {@code pathprobe mtr --ndjson})}
     *
     * @param tree a tree of the kind the {@code tree} methods return
     */
    public static String line(@Nullable Object tree) {
        return JsonText.write(tree, false);
    }

    // ---- trace -------------------------------------------------------------------------------

    /**
     * {@return the trace document as a tree}
     *
     * @param r the trace result
     */
    public static Map<String, @Nullable Object> tree(TraceResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", TRACE_SCHEMA_VERSION);
        m.put("target", r.target());
        m.put("destination", address(r.destination()));
        m.put("protocol", lower(r.protocol()));
        m.put("protocolNote", r.protocolNote().orElse(null));
        m.put("transport", r.transport());
        m.put("tcpMode", r.tcpMode().map(PathProbeJson::lower).orElse(null));
        m.put("status", r.status().name());
        m.put("destinationReached", r.destinationReached());
        m.put("durationMs", ms(r.duration()));
        m.put("startedAt", r.startedAt().toString());
        m.put("unmatchedReplies", r.unmatchedReplies());
        m.put("flowMode", lower(r.flowMode()));
        m.put("flows", r.flows());
        m.put("publicAddress", r.publicAddress().map(p -> AddressText.of(p.address())).orElse(null));
        m.put("behindNat", r.publicAddress().map(PublicAddress::behindNat).orElse(null));
        m.put("context", tree(r.context()));
        m.put("hops", list(r.hops(), PathProbeJson::tree));
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
        m.put("rtts", list(h.rtts(), PathProbeJson::ms));
        m.put("sent", stats.sent());
        m.put("received", stats.received());
        m.put("abandoned", stats.abandoned());
        m.put("loss", stats.loss());
        m.put("minMs", rtt.map(s -> ms(s.min())).orElse(null));
        m.put("avgMs", rtt.map(s -> ms(s.mean())).orElse(null));
        m.put("maxMs", rtt.map(s -> ms(s.max())).orElse(null));
        m.put("stdDevMs", rtt.map(s -> ms(s.stdDev())).orElse(null));
        m.put("responders", list(h.responders(), PathProbeJson::tree));
        m.put("probes", list(h.probes(), PathProbeJson::tree));
        m.put("lost", stats.lost());
        m.put("forwardLost", stats.forwardLost());
        m.put("backwardLost", stats.backwardLost());
        m.put("rateLimited", stats.rateLimited());
        m.put("nat", h.nat());
        m.put("natId", boxed(h.natId()));
        m.put("hostname", h.hostname().value().orElse(null));
        m.put("asn", first.map(x -> asn(x.asn())).orElse(null));
        m.put("segment", h.segment().name());
        m.put("hostnameStatus", first.map(x -> x.hostname().status().name()).orElse(null));
        m.put("asnStatus", first.map(x -> x.asn().status().name()).orElse(null));
        m.put("fromStopSet", h.fromStopSet());
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
        m.put("rttMs", p.rtt().map(PathProbeJson::ms).orElse(null));
        m.put("icmpType", p.icmp().map(IcmpMessage::type).orElse(null));
        m.put("icmpCode", p.icmp().map(IcmpMessage::code).orElse(null));
        m.put("icmp", p.icmp().map(IcmpMessage::description).orElse(null));
        m.put("destination", p.fromDestination());
        m.put("failure", p.failure().orElse(null));
        m.put("replyTtl", boxed(p.replyTtl()));
        m.put("mpls", list(p.mplsLabels(), Object::toString));
        m.put("flow", boxed(p.flow()));
        m.put("natId", boxed(p.natId()));
        return m;
    }

    /**
     * {@return what enrichment learned about the ends of a path as a tree (the trace and multipath documents'
     * {@code context}): each status FOUND, NOT_FOUND, FAILED, PENDING or OFF, with the failure when FAILED}
     *
     * @param c what enrichment learned about the ends of the path
     */
    public static Map<String, @Nullable Object> tree(PathContext c) {
        Optional<PublicAddress> p = c.publicAddress().value();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("publicAddressStatus", c.publicAddress().status().name());
        m.put("publicAddressFailure", c.publicAddress().failure().orElse(null));
        m.put("publicPort", p.map(PublicAddress::port).orElse(null));
        m.put("stunServer", p.map(x -> AddressText.of(x.server())).orElse(null));
        m.put("localAddress", p.map(x -> AddressText.of(x.localAddress())).orElse(null));
        m.put("localAsn", asn(c.localAsn()));
        m.put("localAsnStatus", c.localAsn().status().name());
        m.put("destinationAsn", asn(c.destinationAsn()));
        m.put("destinationAsnStatus", c.destinationAsn().status().name());
        return m;
    }

    /**
     * {@return an AS as a tree: {@code {number, prefix, name}}, prefix and name null when unknown}
     *
     * @param a the AS
     */
    public static Map<String, @Nullable Object> tree(AsnInfo a) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("number", a.number());
        m.put("prefix", a.prefix().orElse(null));
        m.put("name", a.name().orElse(null));
        return m;
    }

    private static @Nullable Map<String, @Nullable Object> asn(Lookup<AsnInfo> l) {
        return l.value().map(PathProbeJson::tree).orElse(null);
    }

    // ---- ping --------------------------------------------------------------------------------

    /**
     * {@return the ping document as a tree, {@code payloadSize} from the request the result carries}
     *
     * @param r the ping result
     */
    public static Map<String, @Nullable Object> tree(PingResult r) {
        return tree(r, r.request().payloadSize());
    }

    /**
     * {@return the ping document as a tree, with the payload size the request gave (empty: null)}
     *
     * @param r the ping result
     * @param payloadSize the payload size the request gave, empty if it gave none
     */
    public static Map<String, @Nullable Object> tree(PingResult r, OptionalInt payloadSize) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", PING_SCHEMA_VERSION);
        m.put("status", r.status().name());
        m.put("durationMs", r.duration().toNanos() / 1e6);
        m.put("startedAt", r.startedAt().toString());
        m.put("payloadSize", boxed(payloadSize));
        m.put("results", list(r.targets(), PathProbeJson::tree));
        return m;
    }

    /**
     * {@return a ping target as a tree (an element of the ping document's {@code results})}
     *
     * @param t the target's result
     */
    public static Map<String, @Nullable Object> tree(PingTargetResult t) {
        PingStatistics s = t.statistics();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("target", t.target());
        m.put("address", address(t.address()));
        m.put("kind", lower(t.kind()));
        m.put("kindNote", t.kindNote().orElse(null));
        m.put("transport", t.transport());
        m.put("sent", s.sent());
        m.put("received", s.received());
        m.put("lost", s.lost());
        m.put("rateLimited", s.rateLimited());
        m.put("duplicates", s.duplicates());
        m.put("late", s.late());
        m.put("outOfOrder", s.outOfOrder());
        m.put("loss", s.loss());
        m.put("rtt", s.rtt().map(PathProbeJson::pingRtt).orElse(null));
        m.put("jitter", s.jitter().map(PathProbeJson::exactMs).orElse(null));
        m.put("rtts", list(t.recent(), p -> p.received() ? exactMs(p.rtt().orElseThrow()) : null));
        m.put("bytes", list(t.recent(), p -> p.received() && p.replyBytes().isPresent() ? p.replyBytes().getAsInt() : null));
        m.put("error", t.error().map(PingError::message).orElse(null));
        m.put("hostname", t.hostname().value().orElse(null));
        m.put("asn", asn(t.asn()));
        m.put("hostnameStatus", t.hostname().status().name());
        m.put("asnStatus", t.asn().status().name());
        return m;
    }

    private static Map<String, @Nullable Object> pingRtt(PingStatistics.Rtt x) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("min", exactMs(x.min()));
        m.put("avg", exactMs(x.avg()));
        m.put("max", exactMs(x.max()));
        m.put("mdev", exactMs(x.mdev()));
        m.put("p50", exactMs(x.p50()));
        m.put("p90", exactMs(x.p90()));
        m.put("p95", exactMs(x.p95()));
        m.put("p99", exactMs(x.p99()));
        m.put("exactPercentiles", x.exactPercentiles());
        return m;
    }

    // ---- multipath ---------------------------------------------------------------------------

    /**
     * {@return the multipath document as a tree}
     *
     * @param r the multipath result
     */
    public static Map<String, @Nullable Object> tree(MultipathResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", MULTIPATH_SCHEMA_VERSION);
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
        m.put("durationMs", ms(r.duration()));
        m.put("startedAt", r.startedAt().toString());
        m.put("confidence", r.confidence());
        m.put("globalConfidence", r.globalConfidence());
        m.put("maxWidth", r.maxWidth());
        m.put("perPacketLoadBalancing", r.perPacketLoadBalancing());
        m.put("nodes", list(r.nodes(), PathProbeJson::tree));
        m.put("links", list(r.links(), PathProbeJson::tree));
        m.put("diamonds", list(r.diamonds(), PathProbeJson::tree));
        m.put("paths", list(r.paths(), PathProbeJson::tree));
        m.put("unexplored", list(r.unexplored(), PathProbeJson::ref));
        m.put("notes", new ArrayList<@Nullable Object>(r.notes()));
        m.put("publicAddress", r.publicAddress().map(p -> AddressText.of(p.address())).orElse(null));
        m.put("behindNat", r.publicAddress().map(PublicAddress::behindNat).orElse(null));
        m.put("context", tree(r.context()));
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
        m.put("rtt", n.rtt().map(PathProbeJson::rtt).orElse(null));
        m.put("hostname", n.hostname().value().orElse(null));
        m.put("asn", asn(n.asn()));
        m.put("segment", n.segment().name());
        m.put("hostnameStatus", n.hostname().status().name());
        m.put("asnStatus", n.asn().status().name());
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
        m.put("convergence", d.convergence().map(PathProbeJson::ref).orElse(null));
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
        m.put("addresses", list(p.addresses(), PathProbeJson::address));
        m.put("flows", new ArrayList<@Nullable Object>(p.flows()));
        m.put("loss", s.loss());
        m.put("forwardLoss", s.forwardLoss());
        m.put("backwardLoss", s.backwardLoss());
        m.put("sent", s.sent());
        m.put("received", s.received());
        m.put("lost", s.lost());
        m.put("lossBasis", p.lossBasis().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("rtt", s.rtt().map(PathProbeJson::rtt).orElse(null));
        m.put("hops", list(p.hops(), PathProbeJson::tree));
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
        m.put("abandoned", s.abandoned());
        m.put("loss", s.loss());
        m.put("rtt", s.rtt().map(PathProbeJson::rtt).orElse(null));
        return m;
    }

    /**
     * {@return RTT statistics as a tree: {@code {min, avg, max, stdDev}} in milliseconds (multipath nodes,
     * paths, hops)}
     *
     * @param s the RTT statistics
     */
    public static Map<String, @Nullable Object> tree(RttStatistics s) {
        return rtt(s);
    }

    private static Map<String, @Nullable Object> rtt(RttStatistics s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("min", ms(s.min()));
        m.put("avg", ms(s.mean()));
        m.put("max", ms(s.max()));
        m.put("stdDev", ms(s.stdDev()));
        return m;
    }

    // ---- monitor -----------------------------------------------------------------------------

    /**
     * {@return the monitor document as a tree}
     *
     * @param r the monitor's result
     */
    public static Map<String, @Nullable Object> tree(MonitorResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", MONITOR_SCHEMA_VERSION);
        m.put("target", r.target());
        m.put("destination", address(r.destination()));
        m.put("protocol", lower(r.protocol()));
        m.put("transport", r.transport());
        m.put("status", r.status().name());
        m.put("rounds", r.rounds());
        m.put("startedAt", r.startedAt().toString());
        m.put("durationMs", ms(r.duration()));
        m.put("window", r.request().window());
        m.put("hops", list(r.hops(), PathProbeJson::tree));
        m.put("endToEnd", tree(r.endToEnd()));
        Map<String, @Nullable Object> count = new LinkedHashMap<>();
        count.put("min", r.minHopCount());
        count.put("avg", Double.isFinite(r.avgHopCount()) ? Math.round(r.avgHopCount() * 100) / 100.0 : null);
        count.put("max", r.maxHopCount());
        m.put("hopCount", count);
        m.put("path", tree(r.path()));
        m.put("pathChanges", r.pathChanges());
        return m;
    }

    /**
     * {@return a monitor's round as a tree (the line {@link #monitorRound(MonitorRound)} writes)}
     *
     * @param r the round
     */
    public static Map<String, @Nullable Object> tree(MonitorRound r) {
        TraceResult t = r.trace();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", MONITOR_ROUND_SCHEMA_VERSION);
        m.put("type", "round");
        m.put("target", t.target());
        m.put("destination", address(t.destination()));
        m.put("round", r.number());
        m.put("startedAt", t.startedAt().toString());
        m.put("durationMs", ms(t.duration()));
        m.put("destinationReached", t.destinationReached());
        m.put("hops", list(t.hops(), PathProbeJson::tree));
        m.put("path", tree(r.path()));
        m.put("events", list(r.events(), PathProbeJson::tree));
        return m;
    }

    /**
     * {@return a monitor's event as a tree: its {@code type} (hopChanged, pathChanged, destinationLost,
     * destinationRegained, thresholdCrossed), the round that raised it, and its own fields}
     *
     * @param e the event
     */
    public static Map<String, @Nullable Object> tree(MonitorEvent e) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        if (e instanceof MonitorEvent.HopChanged h) {
            m.put("type", "hopChanged");
            m.put("round", h.round());
            m.put("ttl", h.ttl());
            m.put("before", h.before().stream().map(AddressText::of).sorted().map(a -> (Object) a).toList());
            m.put("after", h.after().stream().map(AddressText::of).sorted().map(a -> (Object) a).toList());
        } else if (e instanceof MonitorEvent.PathChanged p) {
            m.put("type", "pathChanged");
            m.put("round", p.round());
            m.put("before", tree(p.before()));
            m.put("after", tree(p.after()));
        } else if (e instanceof MonitorEvent.DestinationLost l) {
            m.put("type", "destinationLost");
            m.put("round", l.round());
            m.put("since", l.since());
        } else if (e instanceof MonitorEvent.DestinationRegained g) {
            m.put("type", "destinationRegained");
            m.put("round", g.round());
            m.put("lostRounds", g.lostRounds());
        } else if (e instanceof MonitorEvent.ThresholdCrossed c) {
            m.put("type", "thresholdCrossed");
            m.put("round", c.round());
            m.put("ttl", c.ttl());
            m.put("kind", c.kind().name());
            m.put("value", Double.isFinite(c.value()) ? c.value() : null);
            m.put("threshold", c.threshold());
            m.put("up", c.up());
        }
        return m;
    }

    /**
     * {@return a monitored hop as a tree (an element of the monitor document's {@code hops})}
     *
     * @param h the hop
     */
    public static Map<String, @Nullable Object> tree(MonitorHop h) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", h.ttl());
        m.put("responders", list(h.responders(), PathProbeJson::tree));
        m.put("total", tree(h.total()));
        m.put("window", tree(h.window()));
        return m;
    }

    /**
     * {@return a responder seen at a monitored hop as a tree: address, replies, share (0 to 1), host
     * name and AS with their lookup statuses}
     *
     * @param r the responder
     */
    public static Map<String, @Nullable Object> tree(MonitorResponder r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("address", AddressText.of(r.address()));
        m.put("replies", r.replies());
        m.put("share", Double.isFinite(r.share()) ? r.share() : null);
        m.put("hostname", r.hostname().value().orElse(null));
        m.put("asn", asn(r.asn()));
        m.put("hostnameStatus", r.hostname().status().name());
        m.put("asnStatus", r.asn().status().name());
        return m;
    }

    /**
     * {@return a monitor's statistics as a tree: mtr's columns; loss as a fraction from 0 to 1 of the probes
     * answered or lost (null when there were none), every time null when nothing was received; the probes a
     * learned rate limiter refused ({@code sent = received + lost + rateLimited})}
     *
     * @param s the statistics
     */
    public static Map<String, @Nullable Object> tree(MonitorStatistics s) {
        boolean any = s.received() > 0;
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("sent", s.sent());
        m.put("received", s.received());
        long decided = s.sent() - s.rateLimited();
        m.put("loss", decided == 0 ? null : (double) s.lost() / decided);
        m.put("lastMs", any ? ms(s.last()) : null);
        m.put("avgMs", any ? ms(s.avg()) : null);
        m.put("bestMs", any ? ms(s.best()) : null);
        m.put("worstMs", any ? ms(s.worst()) : null);
        m.put("stdDevMs", any ? ms(s.stdev()) : null);
        m.put("jitterMs", any ? ms(s.jitter()) : null);
        m.put("p50Ms", any ? ms(s.p50()) : null);
        m.put("p90Ms", any ? ms(s.p90()) : null);
        m.put("p99Ms", any ? ms(s.p99()) : null);
        m.put("rateLimited", s.rateLimited());
        return m;
    }

    /**
     * {@return a monitor's path as a tree: its first TTL, the responders at each TTL from there
     * (an empty list for a silent one), and whether it reached the destination}
     *
     * @param p the path
     */
    public static Map<String, @Nullable Object> tree(MonitorPath p) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("firstTtl", p.firstTtl());
        List<@Nullable Object> hops = new ArrayList<>();
        for (java.util.Set<InetAddress> at : p.hops()) {
            hops.add(at.stream().map(AddressText::of).sorted().map(a -> (Object) a).toList());
        }
        m.put("hops", hops);
        m.put("destinationReached", p.destinationReached());
        return m;
    }

    // ---- bufferbloat -------------------------------------------------------------------------

    /**
     * {@return the bufferbloat document as a tree}
     *
     * @param r the bufferbloat result
     */
    public static Map<String, @Nullable Object> tree(BufferbloatResult r) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", BUFFERBLOAT_SCHEMA_VERSION);
        m.put("server", r.server().toString());
        m.put("status", r.status().name());
        m.put("durationMs", ms(r.duration()));
        m.put("idleLatencyMs", ms(r.idleLatency()));
        Map<String, @Nullable Object> loaded = new LinkedHashMap<>();
        loaded.put("download", r.download().map(d -> ms(d.loadedLatency())).orElse(null));
        loaded.put("upload", r.upload().map(d -> ms(d.loadedLatency())).orElse(null));
        m.put("loadedLatencyMs", loaded);
        Map<String, @Nullable Object> p90 = new LinkedHashMap<>();
        p90.put("download", r.download().map(d -> ms(d.loadedLatencyP90())).orElse(null));
        p90.put("upload", r.upload().map(d -> ms(d.loadedLatencyP90())).orElse(null));
        m.put("loadedLatencyP90Ms", p90);
        m.put("loadedLatencyP99Ms", perDirection(r, d -> ms(d.loadedLatencyP99())));
        m.put("latencyIncreaseMs", ms(r.latencyIncrease()));
        m.put("grade", r.grade().map(BufferbloatGrade::text).orElse(null));
        m.put("rpm", r.rpm().map(Math::round).orElse(null));
        m.put("rpmCategory", r.rpmCategory().map(Enum::name).orElse(null));
        m.put("rpmP90", perDirection(r, d -> d.rpmP90().map(Math::round).orElse(null)));
        m.put("rpmP99", perDirection(r, d -> d.rpmP99().map(Math::round).orElse(null)));
        m.put("confidence", r.confidence().name());
        m.put("downloadMbps", mbps(r.download()));
        m.put("uploadMbps", mbps(r.upload()));
        m.put("downloadFlows", r.download().map(DirectionResult::flows).orElse(null));
        m.put("uploadFlows", r.upload().map(DirectionResult::flows).orElse(null));
        m.put("load", perDirection(r, d -> tree(d.load())));
        m.put("notes", new ArrayList<@Nullable Object>(r.notes()));
        m.put("samples", list(r.samples(), PathProbeJson::tree));
        return m;
    }

    /**
     * {@return a latency sample as a tree (an element of the bufferbloat document's {@code samples})}
     *
     * @param s the sample
     */
    public static Map<String, @Nullable Object> tree(LatencySample s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("atMs", ms(s.at()));
        m.put("phase", s.phase().name());
        m.put("kind", s.kind().name());
        m.put("rttMs", ms(s.rtt()));
        return m;
    }

    /**
     * {@return the load one direction was measured under as a tree (a value of the bufferbloat document's
     * {@code load})}
     *
     * @param l the load
     */
    public static Map<String, @Nullable Object> tree(BufferbloatLoad l) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("congestionControl", l.congestionControl().orElse(null));
        m.put("startedTogether", l.startedTogether());
        m.put("capacityMbps", Math.round(l.capacityBitsPerSecond() / 1e4) / 100.0);
        m.put("saturation", Math.round(l.saturation() * 1000) / 1000.0);
        m.put("saturated", l.saturated());
        m.put("durationMs", ms(l.duration()));
        return m;
    }

    /** {@code {"download": .., "upload": ..}}, null for a direction that did not run. */
    private static Map<String, @Nullable Object> perDirection(BufferbloatResult r,
            java.util.function.Function<DirectionResult, @Nullable Object> f) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("download", r.download().map(f).orElse(null));
        m.put("upload", r.upload().map(f).orElse(null));
        return m;
    }

    private static @Nullable Double mbps(Optional<DirectionResult> d) {
        return d.map(x -> Math.round(x.megabitsPerSecond() * 100) / 100.0).orElse(null);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Milliseconds rounded to the microsecond (the trace, multipath and bufferbloat documents). */
    static double ms(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }

    /** Milliseconds, not rounded (the ping document). */
    static double exactMs(Duration d) {
        return d.toNanos() / 1e6;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static @Nullable String address(Optional<InetAddress> a) {
        return a.map(AddressText::of).orElse(null);
    }

    static @Nullable Integer boxed(OptionalInt i) {
        return i.isPresent() ? i.getAsInt() : null;
    }

    static <T> List<@Nullable Object> list(List<T> items, java.util.function.Function<T, ? extends @Nullable Object> f) {
        List<@Nullable Object> out = new ArrayList<>(items.size());
        for (T t : items) {
            out.add(f.apply(t));
        }
        return out;
    }
}
