package io.pathprobe.json;

import io.pathprobe.enrich.PublicAddress;
import io.pathprobe.enrich.Responder;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingProbe;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.RttStatistics;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Results in the RIPE Atlas result format (the structure of firmware 5000 and later, documented at
 * atlas.ripe.net "Measurement Result Format" and read by the reference parser ripe-atlas-sagan), one
 * record per line, no whitespace: a trace as a {@code "traceroute"} record, each ping target as a
 * {@code "ping"} record, a multipath discovery as a {@code "traceroute"} record whose replies carry
 * the flow that reached them ({@code flow_id}, as MDA-Lite Paris Traceroute writes them).
 *
 * <p><b>Atlas keys written.</b> Every record: {@code fw} ({@link #FIRMWARE}), {@code lts} (−1: the
 * clock's last synchronisation is unknown), {@code timestamp} (start, Unix seconds), {@code msm_id}
 * and {@code prb_id} (0: a local measurement, no Atlas measurement or probe), {@code type},
 * {@code msm_name}, {@code dst_name} (the target as given), {@code dst_addr}, {@code af} (4 or 6) and
 * {@code proto} ({@code "ICMP"}, {@code "UDP"} or {@code "TCP"}); {@code from} (this host's public
 * address) when enrichment found it. Traceroute records add {@code endtime} (Unix seconds) and
 * {@code result}: per TTL {@code {"hop": ttl, "result": [reply, …]}}, a reply being
 * {@code {"x": "*"}} for a probe that timed out, {@code {"error": "…"}} for one that could not be sent,
 * else {@code {"from", "ttl", "rtt", "err", "icmpext"}}: {@code ttl} the answer's IP TTL where the
 * transport saw it, {@code rtt} in milliseconds to the microsecond, {@code err} for a destination
 * unreachable other than the destination's own port unreachable (IPv4: {@code N}, {@code H},
 * {@code P}, {@code p}, {@code A}, else the code; IPv6: {@code N}, {@code A}, {@code h}, {@code H},
 * {@code p}, else the code), {@code icmpext} the RFC 4950 MPLS label stack the router quoted as
 * {@code {"version": 2, "rfc4884": 1, "obj": [{"class": 1, "type": 1, "mpls": [{"label", "exp", "s",
 * "ttl"}]}]}}; a reply whose router offline enrichment placed also has pathprobe's {@code location} and
 * {@code exchange} (the trace document's objects: GeoIP, the PeeringDB exchange; Atlas has no such keys and
 * its parsers ignore them), and a reply whose router sent RFC 5837 Interface Information or a Node Identification
 * object has pathprobe's {@code interfaces} and {@code nodeId} (the trace document's objects). Probes the trace
 * abandoned (sent, never answered nor given up because the trace ended)
 * are not written: Atlas has no such outcome and would count them lost. Ping records add
 * {@code min}, {@code avg}, {@code max} (milliseconds; −1 when nothing was received), {@code sent},
 * {@code rcvd}, {@code dup}, {@code ttl} (of the first reply), {@code size} (the payload size: the
 * request's when known, else an ICMP reply's size less its 8-byte header) and {@code result}: per
 * probe {@code {"rtt"}} (with {@code "ttl"} when it differs from the first reply's), {@code {"x": "*"}}
 * (no reply: timed out, or answered by an ICMP error) or {@code {"error": "…"}}; for a target that
 * was never pinged, a single {@code {"error": "…"}}. Not written because pathprobe does not know
 * them: {@code src_addr}, the traceroute {@code size} and {@code paris_id}, reply {@code size},
 * {@code ittl}, {@code late}, {@code dup}, TCP {@code flags}, {@code mver}.
 *
 * <p><b>pathprobe's keys</b> (unknown to Atlas, which parsers ignore): each record has a
 * {@code "pathprobe"} object: {@code version} ({@link #EXTENSION_VERSION}), {@code measurement}
 * ({@code "trace"}, {@code "ping"}, {@code "multipath"}), {@code status}, {@code transport},
 * {@code duration_ms}; trace: {@code destination_reached}, {@code flow_mode}, {@code flows},
 * {@code unmatched_replies}, {@code protocol_note} (null when none), and per hop with a miss
 * {@code "pathprobe": {"forward_lost", "backward_lost", "rate_limited"}} (each {@code "x": "*"} is a
 * rate-limited or silent router's refusal as often as a loss: docs/trace.md); ping: {@code kind},
 * {@code lost}, {@code rate_limited} (UDP probes the destination may have refused: not lost), {@code late},
 * {@code out_of_order}, {@code errors}, {@code loss}, {@code jitter_ms},
 * {@code error} (null when none) and {@code probes_written} (the result array holds only the most
 * recent probes: fewer than {@code sent} when the request kept fewer); multipath:
 * {@code algorithm}, {@code complete}, {@code destination_reached}, {@code confidence},
 * {@code global_confidence}, {@code probes}, {@code discovery_probes} and {@code links}
 * ({@code [{ttl, from, to, flows}]}, {@code from}/{@code to} null for a silent node). Trace replies
 * carry {@code flow_id} when the probe's flow is known; multipath replies always: one reply per flow
 * that reached a node ({@code {"from", "flow_id"}}, or {@code {"x": "*", "flow_id"}} for a flow no
 * node answered at that TTL) and, per hop, {@code "pathprobe": {"nodes": [{address, replies, destination,
 * load_balancing, rtt_min, rtt_avg, rtt_max}]}}, because a discovery keeps RTT statistics per node,
 * not per reply (so its replies have no {@code rtt}).
 */
public final class AtlasJson {
    /** The {@code fw} written: the first firmware version of the result structure written here (5000). */
    public static final int FIRMWARE = 5000;

    /**
     * The version of the {@code "pathprobe"} keys; raised when keys are added. 1: the first. 2: a trace hop
     * with a miss carries {@code "pathprobe": {forward_lost, backward_lost, rate_limited}}, a ping record
     * {@code rate_limited}.
     */
    public static final int EXTENSION_VERSION = 2;

    private AtlasJson() {}

    /**
     * {@return the trace as one Atlas traceroute record (one line)}
     *
     * @param result the trace result
     */
    public static String traceroute(TraceResult result) {
        return JsonText.write(tree(result), false);
    }

    /**
     * Writes the trace as one Atlas traceroute record followed by a line feed.
     *
     * @param result the trace result
     * @param out where the record is written
     * @throws IOException if {@code out} fails
     */
    public static void traceroute(TraceResult result, Appendable out) throws IOException {
        lines(List.of(tree(result)), out);
    }

    /**
     * {@return each target as one Atlas ping record, one per line (line feeds between them, none at the end);
     * {@code size} from the ICMP replies}
     *
     * @param result the ping result
     * @throws IllegalArgumentException if a target was pinged with DNS or HTTP (Atlas ping records
     *     are ICMP, UDP or TCP)
     */
    public static String ping(PingResult result) {
        return lines(trees(result, null));
    }

    /**
     * {@return the records of {@link #ping(PingResult)}, with {@code size} from the request (its ICMP default
     * included)}
     *
     * @param result the ping result
     * @param request the request that measured it
     * @throws IllegalArgumentException if a target was pinged with DNS or HTTP
     */
    public static String ping(PingResult result, PingRequest request) {
        return lines(trees(result, request));
    }

    /**
     * Writes each target as one Atlas ping record, each followed by a line feed.
     *
     * @param result the ping result
     * @param out where the records are written
     * @throws IOException if {@code out} fails
     * @throws IllegalArgumentException if a target was pinged with DNS or HTTP
     */
    public static void ping(PingResult result, Appendable out) throws IOException {
        lines(trees(result, null), out);
    }

    /**
     * Writes each target as one Atlas ping record, each followed by a line feed; {@code size} from the request.
     *
     * @param result the ping result
     * @param request the request that measured it
     * @param out where the records are written
     * @throws IOException if {@code out} fails
     * @throws IllegalArgumentException if a target was pinged with DNS or HTTP
     */
    public static void ping(PingResult result, PingRequest request, Appendable out) throws IOException {
        lines(trees(result, request), out);
    }

    /**
     * {@return the discovery as one Atlas traceroute record with a reply per flow (one line)}
     *
     * @param result the multipath result
     */
    public static String multipath(MultipathResult result) {
        return JsonText.write(tree(result), false);
    }

    /**
     * Writes the discovery as one Atlas traceroute record followed by a line feed.
     *
     * @param result the multipath result
     * @param out where the record is written
     * @throws IOException if {@code out} fails
     */
    public static void multipath(MultipathResult result, Appendable out) throws IOException {
        lines(List.of(tree(result)), out);
    }

    /**
     * {@return whether {@link #ping} can write a target pinged with this kind (ICMP, UDP, TCP)}
     *
     * @param kind the kind of ping
     */
    public static boolean supports(PingKind kind) {
        return kind == PingKind.ICMP || kind == PingKind.UDP || kind == PingKind.TCP;
    }

    // ---- traceroute --------------------------------------------------------------------------

    /**
     * {@return the trace's record as a tree (see the {@linkplain io.pathprobe.json package} for the kinds of values)}
     *
     * @param r the trace result
     */
    public static Map<String, @Nullable Object> tree(TraceResult r) {
        Map<String, @Nullable Object> m = header(r.startedAt(), "traceroute", "Traceroute",
                r.publicAddress().filter(p -> !p.masked()).map(PublicAddress::address));
        m.put("endtime", r.startedAt().plus(r.duration()).getEpochSecond());
        m.put("dst_name", r.target());
        r.destination().ifPresent(d -> {
            m.put("dst_addr", AddressText.of(d));
            m.put("af", af(d));
        });
        m.put("proto", r.protocol().name());
        List<@Nullable Object> hops = new ArrayList<>();
        for (Hop h : r.hops()) {
            List<@Nullable Object> replies = new ArrayList<>();
            for (ProbeResult p : h.probes()) {
                Map<String, @Nullable Object> reply = reply(p);
                if (reply != null) {
                    p.responder().ifPresent(a -> geo(reply, h.responders(), a));
                    replies.add(reply);
                }
            }
            Map<String, @Nullable Object> hop = new LinkedHashMap<>();
            hop.put("hop", h.ttl());
            hop.put("result", replies);
            if (h.statistics().lost() > 0 || h.statistics().rateLimited() > 0) {
                // a "*" is a refusal as often as a loss: what pathprobe made of this hop's "*"s
                Map<String, @Nullable Object> loss = new LinkedHashMap<>();
                loss.put("forward_lost", h.statistics().forwardLost());
                loss.put("backward_lost", h.statistics().backwardLost());
                loss.put("rate_limited", h.statistics().rateLimited());
                hop.put("pathprobe", loss);
            }
            if (r.masking().active()) {
                hop.put("masked", h.masked()); // a masked hop's replies have no from
            }
            hops.add(hop);
        }
        m.put("result", hops);
        Map<String, @Nullable Object> pp = extension("trace", r.status().name(), r.transport(), r.duration().toNanos());
        pp.put("destination_reached", r.destinationReached());
        pp.put("flow_mode", JsonTrees.lower(r.flowMode()));
        pp.put("flows", r.flows());
        pp.put("unmatched_replies", r.unmatchedReplies());
        pp.put("protocol_note", r.protocolNote().orElse(null));
        if (r.masking().active()) {
            pp.put("masked", JsonTrees.statement(r.masking()));
        }
        m.put("pathprobe", pp);
        return m;
    }

    /**
     * pathprobe's keys beyond Atlas's, on a reply from {@code from}: {@code location} and {@code exchange}
     * (offline GeoIP and the PeeringDB exchange, the trace document's objects) when found.
     */
    private static void geo(Map<String, @Nullable Object> reply, List<Responder> responders, InetAddress from) {
        for (Responder x : responders) {
            if (x.address().equals(from)) {
                x.location().value().ifPresent(l -> reply.put("location", JsonTrees.tree(l)));
                x.exchange().value().ifPresent(e -> reply.put("exchange", JsonTrees.tree(e)));
                return;
            }
        }
    }

    private static @Nullable Map<String, @Nullable Object> reply(ProbeResult p) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        switch (p.status()) {
            case ABANDONED, PENDING -> {
                return null;
            }
            case TIMEOUT, RATE_LIMITED -> m.put("x", "*");
            case SEND_FAILED -> m.put("error", "sendto failed: " + p.failure().orElse("unknown"));
            case REPLY, UNREACHABLE -> {
                p.responder().ifPresent(a -> m.put("from", AddressText.of(a)));
                if (p.replyTtl().isPresent()) {
                    m.put("ttl", p.replyTtl().getAsInt());
                }
                p.rtt().ifPresent(t -> m.put("rtt", JsonTrees.ms(t)));
                p.icmp().ifPresent(i -> {
                    Object err = err(i, p.fromDestination());
                    if (err != null) {
                        m.put("err", err);
                    }
                });
                if (!p.mplsLabels().isEmpty()) {
                    m.put("icmpext", icmpext(p.mplsLabels()));
                }
                TraceJson.identity(m, p);
            }
        }
        if (p.flow().isPresent()) {
            m.put("flow_id", p.flow().getAsInt());
        }
        return m;
    }

    /**
     * Atlas's {@code err} for an ICMP message, or null when it has none: time exceeded, echo reply,
     * and the destination's own port unreachable (how a UDP trace ends) carry none.
     */
    static @Nullable Object err(IcmpMessage i, boolean fromDestination) {
        if (!i.isUnreachable() || (i.isPortUnreachable() && fromDestination)) {
            return null;
        }
        if (i.ipv6()) {
            return switch (i.code()) {
                case 0 -> "N";
                case 1 -> "A";
                case 2 -> "h";
                case 3 -> "H";
                case 4 -> "p";
                default -> i.code();
            };
        }
        return switch (i.code()) {
            case 0 -> "N";
            case 1 -> "H";
            case 2 -> "P";
            case 3 -> "p";
            case 9, 10, 13 -> "A";
            default -> i.code();
        };
    }

    private static Map<String, @Nullable Object> icmpext(List<MplsLabel> labels) {
        List<@Nullable Object> mpls = new ArrayList<>();
        for (MplsLabel l : labels) {
            Map<String, @Nullable Object> e = new LinkedHashMap<>();
            e.put("label", l.label());
            e.put("exp", l.trafficClass());
            e.put("s", l.bottomOfStack() ? 1 : 0);
            e.put("ttl", l.ttl());
            mpls.add(e);
        }
        Map<String, @Nullable Object> obj = new LinkedHashMap<>();
        obj.put("class", 1);
        obj.put("type", 1);
        obj.put("mpls", mpls);
        Map<String, @Nullable Object> ext = new LinkedHashMap<>();
        ext.put("version", 2);
        ext.put("rfc4884", 1);
        ext.put("obj", new ArrayList<@Nullable Object>(List.of(obj)));
        return ext;
    }

    // ---- ping --------------------------------------------------------------------------------

    /**
     * {@return one record per target as trees, {@code size} from the ICMP replies}
     *
     * @param r the ping result
     * @throws IllegalArgumentException if a target was pinged with DNS or HTTP
     */
    public static List<Map<String, @Nullable Object>> trees(PingResult r) {
        return trees(r, null);
    }

    /**
     * {@return one record per target as trees, {@code size} from the request where it gave one}
     *
     * @param r the ping result
     * @param request the request that measured it; null: {@code size} from the ICMP replies
     * @throws IllegalArgumentException if a target was pinged with DNS or HTTP
     */
    public static List<Map<String, @Nullable Object>> trees(PingResult r, @Nullable PingRequest request) {
        List<Map<String, @Nullable Object>> out = new ArrayList<>();
        for (PingTargetResult t : r.targets()) {
            out.add(ping(r, t, request));
        }
        return out;
    }

    private static Map<String, @Nullable Object> ping(PingResult r, PingTargetResult t, @Nullable PingRequest request) {
        if (!supports(t.kind())) {
            throw new IllegalArgumentException("the Atlas ping format has ICMP, UDP and TCP pings only; "
                    + t.target() + " was pinged with " + t.kind());
        }
        PingStatistics s = t.statistics();
        Map<String, @Nullable Object> m = header(r.startedAt(), "ping", "Ping", Optional.empty());
        m.put("dst_name", t.target());
        t.address().ifPresent(a -> {
            m.put("dst_addr", AddressText.of(a));
            m.put("af", af(a));
        });
        m.put("proto", t.kind().name());
        OptionalInt ttl = t.recent().stream().filter(PingProbe::received).map(PingProbe::replyTtl)
                .filter(OptionalInt::isPresent).findFirst().orElse(OptionalInt.empty());
        if (ttl.isPresent()) {
            m.put("ttl", ttl.getAsInt());
        }
        Integer size = size(t, request);
        if (size != null) {
            m.put("size", size);
        }
        Optional<RttStatistics> rtt = s.rtt();
        m.put("min", rtt.map(x -> JsonTrees.ms(x.min())).orElse(-1.0));
        m.put("avg", rtt.map(x -> JsonTrees.ms(x.avg())).orElse(-1.0));
        m.put("max", rtt.map(x -> JsonTrees.ms(x.max())).orElse(-1.0));
        m.put("sent", s.sent());
        m.put("rcvd", s.received());
        m.put("dup", s.duplicates());
        List<@Nullable Object> results = new ArrayList<>();
        if (s.sent() == 0 && t.error().isPresent()) {
            results.add(single("error", t.error().get().message()));
        } else {
            for (PingProbe p : t.recent()) {
                switch (p.status()) {
                    case PENDING -> { }
                    case REPLY -> {
                        Map<String, @Nullable Object> e = new LinkedHashMap<>();
                        e.put("rtt", JsonTrees.ms(p.rtt().orElseThrow()));
                        if (p.replyTtl().isPresent() && (ttl.isEmpty() || p.replyTtl().getAsInt() != ttl.getAsInt())) {
                            e.put("ttl", p.replyTtl().getAsInt());
                        }
                        results.add(e);
                    }
                    case SEND_FAILED -> results.add(single("error", "sendto failed"));
                    default -> results.add(single("x", "*"));
                }
            }
        }
        m.put("result", results);
        Map<String, @Nullable Object> pp = extension("ping", r.status().name(), t.transport(), r.duration().toNanos());
        pp.put("kind", JsonTrees.lower(t.kind()));
        pp.put("lost", s.lost());
        pp.put("rate_limited", s.rateLimited());
        pp.put("late", s.late());
        pp.put("out_of_order", s.outOfOrder());
        pp.put("errors", s.errors());
        pp.put("loss", s.loss());
        pp.put("jitter_ms", s.jitter().map(JsonTrees::ms).orElse(null));
        pp.put("error", t.error().map(io.pathprobe.ping.PingError::message).orElse(null));
        pp.put("probes_written", results.size());
        if (r.masking().active()) {
            pp.put("masked", JsonTrees.statement(r.masking()));
        }
        m.put("pathprobe", pp);
        return m;
    }

    private static @Nullable Integer size(PingTargetResult t, @Nullable PingRequest request) {
        if (request != null && request.payloadSize(t.kind()) >= 0) {
            return request.payloadSize(t.kind());
        }
        if (t.kind() == PingKind.ICMP) {
            for (PingProbe p : t.recent()) {
                if (p.received() && p.replyBytes().isPresent()) {
                    return p.replyBytes().getAsInt() - 8;
                }
            }
        }
        return null;
    }

    // ---- multipath ---------------------------------------------------------------------------

    /**
     * {@return the discovery's record as a tree}
     *
     * @param r the multipath result
     */
    public static Map<String, @Nullable Object> tree(MultipathResult r) {
        Map<String, @Nullable Object> m = header(r.startedAt(), "traceroute", "Traceroute",
                r.publicAddress().filter(p -> !p.masked()).map(PublicAddress::address));
        m.put("endtime", r.startedAt().plus(r.duration()).getEpochSecond());
        m.put("dst_name", r.request().target());
        if (!r.destination().isAnyLocalAddress()) {
            m.put("dst_addr", AddressText.of(r.destination()));
            m.put("af", af(r.destination()));
        }
        m.put("proto", r.protocol().name());
        List<@Nullable Object> hops = new ArrayList<>();
        int first = r.nodes().stream().mapToInt(MultipathNode::ttl).min().orElse(1);
        int last = r.nodes().stream().mapToInt(MultipathNode::ttl).max().orElse(0);
        for (int ttl = first; ttl <= last; ttl++) {
            List<@Nullable Object> replies = new ArrayList<>();
            List<@Nullable Object> nodes = new ArrayList<>();
            for (MultipathNode n : r.nodesAt(ttl)) {
                for (int flow : n.flows()) {
                    Map<String, @Nullable Object> e = new LinkedHashMap<>();
                    if (n.address().isPresent()) {
                        e.put("from", AddressText.of(n.address().get()));
                    } else if (n.silent()) {
                        e.put("x", "*"); // a masked node's replies have no from
                    }
                    e.put("flow_id", flow);
                    replies.add(e);
                }
                Map<String, @Nullable Object> node = new LinkedHashMap<>();
                node.put("address", JsonTrees.address(n.address()));
                node.put("replies", n.replies());
                node.put("destination", n.destination());
                node.put("load_balancing", n.loadBalancing().name());
                node.put("rtt_min", n.rtt().map(x -> JsonTrees.ms(x.min())).orElse(null));
                node.put("rtt_avg", n.rtt().map(x -> JsonTrees.ms(x.avg())).orElse(null));
                node.put("rtt_max", n.rtt().map(x -> JsonTrees.ms(x.max())).orElse(null));
                nodes.add(node);
            }
            Map<String, @Nullable Object> hop = new LinkedHashMap<>();
            hop.put("hop", ttl);
            hop.put("result", replies);
            hop.put("pathprobe", single("nodes", nodes));
            if (r.masking().active()) {
                hop.put("masked", r.nodesAt(ttl).stream().anyMatch(MultipathNode::masked));
            }
            hops.add(hop);
        }
        m.put("result", hops);
        Map<String, @Nullable Object> pp =
                extension("multipath", r.status().name(), r.transport(), r.duration().toNanos());
        pp.put("algorithm", JsonTrees.lower(r.request().algorithm()).replace('_', '-'));
        pp.put("complete", r.complete());
        pp.put("destination_reached", r.destinationReached());
        pp.put("confidence", r.confidence());
        pp.put("global_confidence", r.globalConfidence());
        pp.put("probes", r.probes());
        pp.put("discovery_probes", r.discoveryProbes());
        List<@Nullable Object> links = new ArrayList<>();
        for (MultipathLink l : r.links()) {
            Map<String, @Nullable Object> e = new LinkedHashMap<>();
            e.put("ttl", l.ttl());
            e.put("from", JsonTrees.address(l.from()));
            e.put("to", JsonTrees.address(l.to()));
            e.put("flows", l.flows());
            links.add(e);
        }
        pp.put("links", links);
        if (r.masking().active()) {
            pp.put("masked", JsonTrees.statement(r.masking()));
        }
        m.put("pathprobe", pp);
        return m;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static Map<String, @Nullable Object> header(Instant start, String type, String name,
            Optional<InetAddress> from) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("fw", FIRMWARE);
        m.put("lts", -1);
        m.put("timestamp", start.getEpochSecond());
        m.put("msm_id", 0);
        m.put("prb_id", 0);
        m.put("type", type);
        m.put("msm_name", name);
        from.ifPresent(a -> m.put("from", AddressText.of(a)));
        return m;
    }

    private static Map<String, @Nullable Object> extension(String measurement, String status, String transport,
            long durationNanos) {
        Map<String, @Nullable Object> pp = new LinkedHashMap<>();
        pp.put("version", EXTENSION_VERSION);
        pp.put("measurement", measurement);
        pp.put("status", status);
        pp.put("transport", transport);
        pp.put("duration_ms", Math.round(durationNanos / 1e3) / 1e3);
        return pp;
    }

    private static int af(InetAddress a) {
        return a instanceof Inet6Address ? 6 : 4;
    }

    private static Map<String, @Nullable Object> single(String key, @Nullable Object value) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    /** Writes each record on a line of its own, each followed by a line feed. */
    private static void lines(List<Map<String, @Nullable Object>> records, Appendable out) throws IOException {
        for (Map<String, @Nullable Object> t : records) {
            JsonText.write(t, false, out);
            out.append('\n');
        }
    }

    private static String lines(List<Map<String, @Nullable Object>> records) {
        StringBuilder b = new StringBuilder();
        for (Map<String, @Nullable Object> t : records) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(JsonText.write(t, false));
        }
        return b.toString();
    }
}
