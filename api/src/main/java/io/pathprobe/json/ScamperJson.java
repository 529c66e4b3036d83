package io.pathprobe.json;

import io.pathprobe.enrich.Responder;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.MplsLabel;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Results as scamper writes them with {@code -O json} (the keys and shapes of scamper 20211212, checked against
 * its output in a lab), for pipelines that read scamper's JSON, such as M-Lab's: a trace as scamper's
 * {@code "type":"trace"} object, a multipath discovery as its {@code "type":"tracelb"} object, each on one
 * line, and the {@code cycle-start} and {@code cycle-stop} lines scamper writes around them (the command line's
 * {@code --format scamper} prints all three, as {@code scamper -O json -i TARGET} does). Numbers are integers
 * where scamper's are, an RTT in milliseconds with three decimals ({@code 0.080}).
 *
 * <p><b>trace</b>: {@code type}, {@code version} ({@value #VERSION}), {@code userid}, {@code method}
 * ({@code icmp-echo-paris}, {@code icmp-echo}, {@code udp-paris}, {@code udp}, {@code tcp}: the protocol and
 * flow mode used), {@code src}, {@code dst}, {@code sport} and {@code dport} (UDP, TCP; {@code dport} the
 * request's destination port) or {@code icmp_sum} (ICMP Paris), {@code stop_reason} and {@code stop_data}
 * (destination reached: {@code COMPLETED}, 0; unreachable: {@code UNREACH}, the ICMP code; every TTL probed:
 * {@code HOPLIMIT}; cancelled or out of time: {@code HALTED}; no route or send failures: {@code ERROR}, 0; a
 * snapshot: {@code NONE}), {@code start {sec, usec, ftime}} (ftime in this JVM's time zone, as scamper's local
 * time), {@code hop_count} (the last TTL), {@code attempts} (probes per TTL), {@code hoplimit} (the largest
 * TTL), {@code firsthop}, {@code wait} (the probe timeout in whole seconds, rounded up), {@code wait_probe}
 * (centiseconds between probes of the request's own rate, 0 without one), {@code tos} (the request's marking),
 * {@code probe_size}, {@code probe_count} (probes that left) and {@code hops}, one object per answer, in TTL
 * and attempt order (as scamper, silent probes have none, and {@code hops} is left out when nothing answered):
 * {@code addr}, {@code name} (only when enrichment found the responder's host name), {@code probe_ttl},
 * {@code probe_id} (the attempt, from 1), {@code probe_size}, {@code tx {sec, usec}}, {@code rtt},
 * {@code reply_ttl}, {@code reply_tos}, {@code reply_ipid}, {@code reply_size}, then for an ICMP answer
 * {@code icmp_type}, {@code icmp_code} and, for a Time Exceeded or Unreachable, {@code icmp_q_ttl},
 * {@code icmp_q_ipl} and (IPv4) {@code icmp_q_tos} (the ToS byte the router quoted, where the transport reads
 * quotes); for a TCP answer {@code tcp_flags}; and {@code icmpext}
 * {@code [{ie_cn, ie_ct, ie_dl, mpls_labels [{mpls_ttl, mpls_s, mpls_exp, mpls_label}]}]} when the router
 * quoted MPLS labels; and pathprobe's {@code interfaces} and {@code nodeId} (the trace document's objects) when the
 * router sent RFC 5837 Interface Information or a Node Identification object.
 *
 * <p><b>tracelb</b>: {@code type}, {@code version}, {@code userid}, {@code method} ({@code udp-dport},
 * {@code icmp-echo}, {@code tcp-sport}: how pathprobe varies the flow), {@code src}, {@code dst}, {@code sport}
 * and {@code dport} (UDP, TCP), {@code start}, {@code probe_size}, {@code firsthop}, {@code attempts} (probes
 * per flow and TTL), {@code confidence} (percent, rounded down to an integer), {@code tos}, {@code gaplimit},
 * {@code wait_timeout} (seconds, rounded up), {@code wait_probe} (milliseconds between probes of the request's
 * own rate, 0 without one), {@code probec} (the discovery's probes, {@link MultipathResult#discoveryProbes()}),
 * {@code probec_max} (the probe budget), {@code nodec} and {@code linkc} (pathprobe's nodes and links, silent
 * ones included) and {@code nodes}: one per node with links onward (as scamper, the destination and other nodes
 * without links are left out), {@code {addr ("*" when silent), name, q_ttl, linkc, links}}, {@code links} nested
 * as scamper nests them, an array per hop: several links are one array holding a {@code {addr, probes}} per
 * link ({@code {"addr":"*"}} toward a silent node); one link through silent nodes is scamper's link of several
 * hops, {@code [{"addr":"*"}]} per silent hop, then the nodes reached; each probe is one flow seen on the link:
 * {@code {tx, replyc, ttl, attempt, flowid (pathprobe's flow number), replies
 * [{rx, ttl, rtt, ipid (IPv4), icmp_type, icmp_code, icmp_q_tos, icmp_q_ttl}]}} ({@code tcp_flags} in place of
 * the ICMP keys for a TCP answer). A discovery keeps neither its probes' times nor their answers' headers, only
 * who answered which flow: the reply's {@code rtt} is the far node's mean RTT (0.000 without one), its ICMP type
 * and code are those that node answers with (Time Exceeded from a router, the destination's answer to the
 * protocol: Port Unreachable, Echo Reply).
 *
 * <p><b>Placeholders</b>: what pathprobe does not know is written as a neutral 0 (or the unspecified address):
 * {@code userid}; {@code src} ({@code 0.0.0.0} or {@code ::} unless the caller gives the source);
 * {@code sport}; {@code icmp_sum}; {@code probe_size}; per trace answer {@code tx} ({@code {"sec":0,
 * "usec":0}}), {@code reply_tos}, {@code reply_ipid}, {@code reply_size}, {@code icmp_q_ttl},
 * {@code icmp_q_tos} (where no quote was read), {@code icmp_q_ipl}, {@code tcp_flags}, and {@code reply_ttl}
 * where the transport did not see it; per tracelb node {@code q_ttl}, per probe {@code tx} and {@code attempt},
 * per reply {@code rx},
 * {@code ttl}, {@code ipid}, {@code icmp_q_tos}, {@code icmp_q_ttl}, {@code tcp_flags}; {@code stop_data} of
 * {@code ERROR} (scamper's errno). Never written: {@code rtr} (scamper's {@code -r}), {@code icmp_nhmtu}, and
 * the stop reasons {@code GAPLIMIT} (a pathprobe trace probes every TTL), {@code LOOP}, {@code ICMP} and
 * {@code GSS}.
 */
public final class ScamperJson {
    /** The {@code version} scamper 20211212 writes in its trace and tracelb objects. */
    public static final String VERSION = "0.1";

    /** The {@code list_name} of the cycle lines: scamper's for the addresses given on its command line. */
    public static final String LIST_NAME = "default";

    private static final DateTimeFormatter FTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private ScamperJson() {}

    /**
     * {@return the trace as scamper's {@code "type":"trace"} object (one line), {@code src} the unspecified
     * address}
     *
     * @param result the trace result
     */
    public static String trace(TraceResult result) {
        return trace(result, null);
    }

    /**
     * {@return the trace as scamper's {@code "type":"trace"} object (one line)}
     *
     * @param result the trace result
     * @param source the address the probes left from ({@code src}); null: the unspecified address
     */
    public static String trace(TraceResult result, @Nullable InetAddress source) {
        return JsonText.write(tree(result, source), false);
    }

    /**
     * {@return the discovery as scamper's {@code "type":"tracelb"} object (one line), {@code src} the
     * unspecified address}
     *
     * @param result the multipath result
     */
    public static String tracelb(MultipathResult result) {
        return tracelb(result, null);
    }

    /**
     * {@return the discovery as scamper's {@code "type":"tracelb"} object (one line)}
     *
     * @param result the multipath result
     * @param source the address the probes left from ({@code src}); null: the unspecified address
     */
    public static String tracelb(MultipathResult result, @Nullable InetAddress source) {
        return JsonText.write(tree(result, source), false);
    }

    /**
     * {@return scamper's {@code cycle-start} line: {@code {type, list_name, id, hostname, start_time}}, the list
     * {@value #LIST_NAME} and cycle 0, as for the addresses given on scamper's command line}
     *
     * @param start when the measurements started ({@code start_time}, Unix seconds)
     * @param hostname this host's name
     */
    public static String cycleStart(Instant start, String hostname) {
        return JsonText.write(cycle("cycle-start", hostname, "start_time", start), false);
    }

    /**
     * {@return scamper's {@code cycle-stop} line: {@code {type, list_name, id, hostname, stop_time}}}
     *
     * @param stop when the measurements ended ({@code stop_time}, Unix seconds)
     * @param hostname this host's name
     */
    public static String cycleStop(Instant stop, String hostname) {
        return JsonText.write(cycle("cycle-stop", hostname, "stop_time", stop), false);
    }

    private static Map<String, @Nullable Object> cycle(String type, String hostname, String timeKey, Instant t) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("list_name", LIST_NAME);
        m.put("id", 0);
        m.put("hostname", hostname);
        m.put(timeKey, t.getEpochSecond());
        return m;
    }

    // ---- trace -------------------------------------------------------------------------------

    static Map<String, @Nullable Object> tree(TraceResult r, @Nullable InetAddress source) {
        TraceRequest q = r.request();
        boolean v6 = r.destination().map(d -> d instanceof Inet6Address).orElse(source instanceof Inet6Address);
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("type", "trace");
        m.put("version", VERSION);
        m.put("userid", 0);
        m.put("method", method(r.protocol(), r.flowMode()));
        m.put("src", source != null ? AddressText.of(source) : unspecified(v6));
        m.put("dst", r.destination().map(AddressText::of).orElse(unspecified(v6)));
        if (r.protocol() != ProbeProtocol.ICMP) {
            m.put("sport", 0);
            m.put("dport", q.destinationPort(r.protocol()));
        } else if (r.flowMode() == FlowMode.PARIS) {
            m.put("icmp_sum", 0);
        }
        m.put("stop_reason", stopReason(r.status()));
        m.put("stop_data", r.status() == TraceStatus.UNREACHABLE ? unreachableCode(r) : 0);
        m.put("start", start(r.startedAt()));
        m.put("hop_count", r.hops().isEmpty() ? 0 : r.hops().get(r.hops().size() - 1).ttl());
        m.put("attempts", q.probesPerTtl());
        m.put("hoplimit", q.maxTtl());
        m.put("firsthop", q.firstTtl());
        m.put("wait", seconds(q.probeTimeout()));
        m.put("wait_probe", q.packetsPerSecond() > 0 ? (int) Math.round(100.0 / q.packetsPerSecond()) : 0);
        m.put("tos", q.trafficClass().value());
        m.put("probe_size", 0);
        int sent = 0;
        List<@Nullable Object> hops = new ArrayList<>();
        for (Hop h : r.hops()) {
            for (ProbeResult p : h.probes()) {
                if (p.status() != ProbeStatus.SEND_FAILED) {
                    sent++;
                }
                if (p.answered() && (p.responder().isPresent() || h.masked())) {
                    Map<String, @Nullable Object> reply = hop(h, p, v6);
                    if (r.masking().active()) {
                        reply.put("masked", h.masked()); // a masked hop's replies have no addr
                    }
                    hops.add(reply);
                }
            }
        }
        m.put("probe_count", sent);
        if (!hops.isEmpty()) {
            m.put("hops", hops);
        }
        if (r.masking().active()) {
            m.put("masked", JsonTrees.statement(r.masking()));
        }
        return m;
    }

    private static String method(ProbeProtocol protocol, FlowMode flowMode) {
        boolean paris = flowMode == FlowMode.PARIS;
        return switch (protocol) {
            case ICMP -> paris ? "icmp-echo-paris" : "icmp-echo";
            case UDP -> paris ? "udp-paris" : "udp";
            case TCP -> "tcp";
        };
    }

    private static String stopReason(TraceStatus s) {
        return switch (s) {
            case DESTINATION_REACHED -> "COMPLETED";
            case UNREACHABLE -> "UNREACH";
            case MAX_HOPS_EXCEEDED -> "HOPLIMIT";
            case DEADLINE_EXCEEDED, CANCELLED -> "HALTED";
            case NO_ROUTE, SEND_FAILED -> "ERROR";
            case RUNNING -> "NONE";
        };
    }

    /**
     * The ICMP code of the last probe the trace counted unreachable (a router's or the destination's unreachable
     * that ended it; not the destination's own Port Unreachable to a UDP probe), 0 if none.
     */
    private static int unreachableCode(TraceResult r) {
        for (int i = r.hops().size() - 1; i >= 0; i--) {
            List<ProbeResult> probes = r.hops().get(i).probes();
            for (int j = probes.size() - 1; j >= 0; j--) {
                ProbeResult p = probes.get(j);
                if (p.status() == ProbeStatus.UNREACHABLE && p.icmp().isPresent()) {
                    return p.icmp().get().code();
                }
            }
        }
        return 0;
    }

    private static Map<String, @Nullable Object> hop(Hop h, ProbeResult p, boolean v6) {
        Optional<InetAddress> from = p.responder();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("addr", from.map(AddressText::of).orElse(null)); // null: a masked hop's
        for (Responder x : h.responders()) {
            if (from.isPresent() && x.address().equals(from.get()) && x.hostname().value().isPresent()) {
                m.put("name", x.hostname().value().get());
            }
        }
        m.put("probe_ttl", p.ttl());
        m.put("probe_id", p.attempt() + 1);
        m.put("probe_size", 0);
        m.put("tx", time(0, 0));
        m.put("rtt", rtt(p.rtt()));
        m.put("reply_ttl", p.replyTtl().orElse(0));
        m.put("reply_tos", 0);
        m.put("reply_ipid", 0);
        m.put("reply_size", 0);
        if (p.icmp().isPresent()) {
            IcmpMessage i = p.icmp().get();
            m.put("icmp_type", i.type());
            m.put("icmp_code", i.code());
            if (quotes(i)) {
                m.put("icmp_q_ttl", 0);
                m.put("icmp_q_ipl", 0);
                if (!from.map(a -> a instanceof Inet6Address).orElse(v6)) {
                    m.put("icmp_q_tos", p.quotedTrafficClass().map(TrafficClass::value).orElse(0));
                }
            }
        } else {
            m.put("tcp_flags", 0);
        }
        if (!p.mplsLabels().isEmpty()) {
            m.put("icmpext", icmpext(p.mplsLabels()));
        }
        TraceJson.identity(m, p);
        return m;
    }

    /** Whether scamper writes the quoted packet's fields for this message: a Time Exceeded or an Unreachable. */
    private static boolean quotes(IcmpMessage i) {
        return i.ipv6() ? i.type() >= 1 && i.type() <= 3 : i.type() == 3 || i.type() == 11;
    }

    /** RFC 4950's MPLS label stack object (class 1, C-type 1, 4 bytes per entry) as scamper writes it. */
    private static List<@Nullable Object> icmpext(List<MplsLabel> labels) {
        List<@Nullable Object> stack = new ArrayList<>();
        for (MplsLabel l : labels) {
            Map<String, @Nullable Object> e = new LinkedHashMap<>();
            e.put("mpls_ttl", l.ttl());
            e.put("mpls_s", l.bottomOfStack() ? 1 : 0);
            e.put("mpls_exp", l.trafficClass());
            e.put("mpls_label", l.label());
            stack.add(e);
        }
        Map<String, @Nullable Object> ie = new LinkedHashMap<>();
        ie.put("ie_cn", 1);
        ie.put("ie_ct", 1);
        ie.put("ie_dl", 4 * labels.size());
        ie.put("mpls_labels", stack);
        List<@Nullable Object> out = new ArrayList<>();
        out.add(ie);
        return out;
    }

    // ---- tracelb -----------------------------------------------------------------------------

    static Map<String, @Nullable Object> tree(MultipathResult r, @Nullable InetAddress source) {
        MultipathRequest q = r.request();
        boolean v6 = r.destination() instanceof Inet6Address;
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("type", "tracelb");
        m.put("version", VERSION);
        m.put("userid", 0);
        m.put("method", switch (r.protocol()) {
            case UDP -> "udp-dport";
            case ICMP -> "icmp-echo";
            case TCP -> "tcp-sport";
        });
        m.put("src", source != null && !r.masking().source() ? AddressText.of(source) : unspecified(v6));
        m.put("dst", AddressText.of(r.destination()));
        if (r.protocol() != ProbeProtocol.ICMP) {
            m.put("sport", 0);
            m.put("dport", q.destinationPort(r.protocol()));
        }
        m.put("start", start(r.startedAt()));
        m.put("probe_size", 0);
        m.put("firsthop", q.firstTtl());
        m.put("attempts", q.probesPerTtl());
        m.put("confidence", (int) Math.floor(r.confidence()));
        m.put("tos", q.trafficClass().value());
        m.put("gaplimit", q.gapLimit());
        m.put("wait_timeout", seconds(q.probeTimeout()));
        m.put("wait_probe", q.packetsPerSecond() > 0 ? (int) Math.round(1000.0 / q.packetsPerSecond()) : 0);
        m.put("probec", r.discoveryProbes());
        m.put("probec_max", q.maxProbes());
        m.put("nodec", r.nodes().size());
        m.put("linkc", r.links().size());
        List<@Nullable Object> nodes = new ArrayList<>();
        for (MultipathNode n : r.nodes()) {
            List<MultipathLink> out = onward(r, n);
            if (out.isEmpty()) {
                continue; // scamper writes only the nodes with links onward
            }
            Map<String, @Nullable Object> node = new LinkedHashMap<>();
            node.put("addr", n.addressText()); // "*" silent, "masked" hidden
            n.hostname().value().ifPresent(name -> node.put("name", name));
            node.put("q_ttl", 0);
            node.put("linkc", out.size());
            node.put("links", links(r, n, out));
            nodes.add(node);
        }
        if (!nodes.isEmpty()) {
            m.put("nodes", nodes);
        }
        if (r.masking().active()) {
            m.put("masked", JsonTrees.statement(r.masking()));
        }
        return m;
    }

    private static List<MultipathLink> onward(MultipathResult r, MultipathNode n) {
        List<MultipathLink> out = new ArrayList<>();
        for (MultipathLink l : r.links()) {
            if (l.ttl() == n.ttl() && r.from(l).filter(n::equals).isPresent()) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * A node's {@code links} as scamper nests them: one array per hop. Several links: one array, an object per
     * link. One link: scamper's link of several hops when it passes silent nodes, {@code [{"addr":"*"}]} for each
     * (their probes are not written), then the nodes the last one leads to; else one array of one object.
     */
    private static List<@Nullable Object> links(MultipathResult r, MultipathNode n, List<MultipathLink> out) {
        List<@Nullable Object> hops = new ArrayList<>();
        MultipathNode at = n;
        List<MultipathLink> next = out;
        while (next.size() == 1 && silent(r, next.get(0))) {
            List<@Nullable Object> star = new ArrayList<>();
            star.add(link(r, at, next.get(0)));
            hops.add(star);
            int ttl = at.ttl() + 1;
            MultipathNode silent = r.nodes().stream().filter(x -> x.ttl() == ttl && x.silent()).findFirst()
                    .orElse(null);
            if (silent == null) {
                return hops;
            }
            at = silent;
            next = onward(r, silent);
        }
        if (!next.isEmpty()) {
            List<@Nullable Object> last = new ArrayList<>();
            for (MultipathLink l : next) {
                last.add(link(r, at, l));
            }
            hops.add(last);
        }
        return hops;
    }

    /** Whether the far end of {@code l} is silent (a masked node that had no reply too). */
    private static boolean silent(MultipathResult r, MultipathLink l) {
        return r.to(l).map(MultipathNode::silent).orElse(l.to().isEmpty());
    }

    /** One link as scamper writes a link of one hop: its far end and a probe per flow seen taking it. */
    private static Map<String, @Nullable Object> link(MultipathResult r, MultipathNode from, MultipathLink l) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        if (silent(r, l)) {
            m.put("addr", "*"); // scamper's silent hop: no probes
            return m;
        }
        MultipathNode to = r.to(l).orElse(null);
        m.put("addr", l.to().map(AddressText::of).orElse(null)); // null: a masked node
        List<@Nullable Object> probes = new ArrayList<>();
        if (to != null) {
            List<Integer> flows = new ArrayList<>(from.flows());
            flows.retainAll(to.flows());
            for (int flow : flows.isEmpty() ? to.flows() : flows) {
                Map<String, @Nullable Object> p = new LinkedHashMap<>();
                p.put("tx", time(0, 0));
                p.put("replyc", 1);
                p.put("ttl", to.ttl());
                p.put("attempt", 0);
                p.put("flowid", flow);
                List<@Nullable Object> replies = new ArrayList<>();
                replies.add(reply(r, to));
                p.put("replies", replies);
                probes.add(p);
            }
        }
        m.put("probes", probes);
        return m;
    }

    private static Map<String, @Nullable Object> reply(MultipathResult r, MultipathNode to) {
        ProbeProtocol protocol = r.protocol();
        boolean v6 = r.destination() instanceof Inet6Address;
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("rx", time(0, 0));
        m.put("ttl", 0);
        m.put("rtt", rtt(to.rtt().map(s -> s.avg())));
        if (!v6) {
            m.put("ipid", 0);
        }
        if (to.destination() && protocol == ProbeProtocol.TCP) {
            m.put("tcp_flags", 0);
            return m;
        }
        int type;
        int code;
        if (!to.destination()) {
            type = v6 ? 3 : 11; // Time Exceeded
            code = 0;
        } else if (protocol == ProbeProtocol.UDP) {
            type = v6 ? 1 : 3; // Port Unreachable
            code = v6 ? 4 : 3;
        } else {
            type = v6 ? 129 : 0; // Echo Reply
            code = 0;
        }
        m.put("icmp_type", type);
        m.put("icmp_code", code);
        m.put("icmp_q_tos", 0);
        if (!to.destination() || protocol == ProbeProtocol.UDP) {
            m.put("icmp_q_ttl", 0); // scamper: for a Time Exceeded or an Unreachable
        }
        return m;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static Map<String, @Nullable Object> start(Instant t) {
        Map<String, @Nullable Object> m = time(t.getEpochSecond(), t.getNano() / 1000);
        m.put("ftime", FTIME.format(t.atZone(ZoneId.systemDefault())));
        return m;
    }

    private static Map<String, @Nullable Object> time(long sec, int usec) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("sec", sec);
        m.put("usec", usec);
        return m;
    }

    /** Milliseconds with three decimals, from the RTT rounded to the microsecond (scamper's timeval); 0.000 without. */
    private static BigDecimal rtt(Optional<Duration> d) {
        long micros = d.map(x -> Math.round(x.toNanos() / 1e3)).orElse(0L);
        return BigDecimal.valueOf(micros, 3);
    }

    private static int seconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, s));
    }

    private static String unspecified(boolean v6) {
        return v6 ? "::" : "0.0.0.0";
    }
}
