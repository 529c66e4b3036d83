package io.pathprobe.json;

import static io.pathprobe.json.JsonTrees.address;
import static io.pathprobe.json.JsonTrees.boxed;
import static io.pathprobe.json.JsonTrees.list;
import static io.pathprobe.json.JsonTrees.ms;

import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.compare.CompareRow;
import io.pathprobe.compare.Divergence;
import io.pathprobe.compare.ProtocolEnd;
import io.pathprobe.probe.AddressText;
import io.pathprobe.probe.ProbeProtocol;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The comparison document ({@code pathprobe compare --json}): the marking every probe carried, the protocols
 * (each with its port, the last TTL whose quote was read and what the routers saw changed in its probes), the rows
 * (each TTL with each protocol's responders), the divergences, each protocol's end and the findings (the header
 * findings among them), and each protocol's whole trace as the trace document's tree ({@link TraceJson#tree}).
 * docs/schema/compare.schema.json describes it. The conventions every document follows are the
 * {@linkplain io.pathprobe.json package's}.
 */
public final class CompareJson {
    /**
     * The comparison document's version. 1: the first (with the marking, and per protocol lastQuotedTtl and
     * headerChanges, before any release).
     * 2 added masked ({@link io.pathprobe.evidence.Masking#apply(CompareResult)}: privacy masking, in a masked
     * document only), per row, per trace and per trace hop masked. 3 (issue 68): its traces are trace documents of
     * schemaVersion 11 (tcpConfirmations; per hop undecided, lossLow and lossHigh).
     */
    public static final int SCHEMA_VERSION = 3;

    private CompareJson() {}

    /**
     * {@return the comparison document}
     *
     * @param result the comparison's result
     */
    public static String write(CompareResult result) {
        return JsonText.write(tree(result), true);
    }

    /**
     * {@return the comparison document as a tree}
     *
     * @param r the comparison's result
     */
    public static Map<String, @Nullable Object> tree(CompareResult r) {
        CompareRequest q = r.request();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("target", q.target());
        m.put("dscp", q.trafficClass().dscp());
        m.put("ecn", q.trafficClass().ecn().toString());
        m.put("destination", address(r.traces().get(0).destination()));
        m.put("protocols", list(q.protocols(), p -> {
            Map<String, @Nullable Object> e = new LinkedHashMap<>();
            e.put("protocol", name(p));
            e.put("label", q.label(p));
            e.put("port", p == ProbeProtocol.ICMP ? null : q.destinationPort(p));
            e.put("lastQuotedTtl", boxed(r.lastQuotedTtl(p)));
            e.put("headerChanges", list(r.headerChanges(p), TraceJson::tree));
            return e;
        }));
        m.put("status", r.status().name());
        m.put("samePath", r.samePath());
        m.put("probesSent", r.probesSent());
        m.put("startedAt", r.startedAt().toString());
        m.put("durationMs", ms(r.duration()));
        m.put("rows", list(r.rows(), row -> tree(row, q.protocols())));
        m.put("divergences", list(r.divergences(), CompareJson::tree));
        m.put("ends", list(r.ends(), CompareJson::tree));
        m.put("findings", r.findings());
        m.put("traces", list(r.traces(), TraceJson::tree));
        m.put("cost", JsonTrees.tree(r.cost()));
        m.put("masked", r.masking().active() ? JsonTrees.statement(r.masking()) : null);
        return m;
    }

    /**
     * {@return a row as a tree: its TTL and, per protocol (lower-case name), its responders' addresses (an empty
     * list for a silent hop; null past that protocol's trace); every protocol is written, the compared ones first,
     * one not compared as null}
     *
     * @param row the row
     * @param protocols the compared protocols, in order
     */
    public static Map<String, @Nullable Object> tree(CompareRow row, List<ProbeProtocol> protocols) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("ttl", row.ttl());
        for (ProbeProtocol p : protocols) {
            m.put(name(p), row.hop(p).isEmpty() ? null : row.responders(p).stream().map(AddressText::of).toList());
        }
        for (ProbeProtocol p : ProbeProtocol.values()) {
            m.putIfAbsent(name(p), null);
        }
        m.put("masked", row.hops().values().stream().anyMatch(io.pathprobe.trace.Hop::masked));
        return m;
    }

    /**
     * {@return a divergence as a tree}
     *
     * @param d the divergence
     */
    public static Map<String, @Nullable Object> tree(Divergence d) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("protocols", d.protocols().stream().map(CompareJson::name).toList());
        m.put("from", d.from().stream().map(CompareJson::name).toList());
        m.put("lastCommonTtl", boxed(d.lastCommonTtl()));
        m.put("lastCommonAddress", address(d.lastCommonAddress()));
        m.put("partTtl", d.partTtl());
        m.put("partAddress", address(d.partAddress()));
        m.put("fromPartAddress", address(d.fromPartAddress()));
        m.put("meetTtl", boxed(d.meetTtl()));
        m.put("fromMeetTtl", boxed(d.fromMeetTtl()));
        m.put("meetAddress", address(d.meetAddress()));
        return m;
    }

    /**
     * {@return a protocol's end as a tree}
     *
     * @param e the end
     */
    public static Map<String, @Nullable Object> tree(ProtocolEnd e) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("protocol", name(e.protocol()));
        m.put("lastTtl", boxed(e.lastTtl()));
        m.put("lastAddress", address(e.lastAddress()));
        m.put("reachedDestination", e.reachedDestination());
        m.put("stops", e.stops());
        m.put("stopsAfter", boxed(e.stopsAfter()));
        return m;
    }

    private static String name(ProbeProtocol p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
