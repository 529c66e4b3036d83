package io.pathprobe.json;

import static io.pathprobe.json.PathProbeJsonSchemaTest.assertValid;
import static io.pathprobe.json.PathProbeJsonSchemaTest.errors;
import static io.pathprobe.json.PathProbeJsonSchemaTest.schemaFile;
import static io.pathprobe.testing.Samples.START;
import static io.pathprobe.testing.Samples.TIME_EXCEEDED;
import static io.pathprobe.testing.Samples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.pathprobe.compare.CompareRequest;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.Ecn;
import io.pathprobe.probe.HeaderChange;
import io.pathprobe.probe.HeaderField;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.probe.TrafficClass;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceAllStatus;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/schema/compare.schema.json against what {@link CompareJson} writes: comparisons with divergences, a
 * protocol that stops, header changes for one protocol and a protocol whose quotes were not read, two protocols
 * only, and each protocol's whole trace (the trace document's tree, whose schema the compare schema holds a copy
 * of, kept equal here).
 */
class CompareJsonSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEST = "198.51.100.10";
    private static final TrafficClass EF_ECT0 = new TrafficClass(46, Ecn.ECT_0);

    /**
     * A path: an address per TTL ("*" silent), the last the destination if DEST; routers' quotes read when
     * {@code quotes}, the DSCP re-marked to 0 from TTL {@code remarkFrom} on (0: never).
     */
    private static TraceResult trace(ProbeProtocol protocol, CompareRequest request, boolean quotes, int remarkFrom,
            String... path) {
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; i < path.length; i++) {
            int ttl = i + 1;
            if (path[i].equals("*")) {
                hops.add(new Hop(ttl, List.of(Samples.status(ttl, 0, ProbeStatus.TIMEOUT, Optional.empty())),
                        List.of(), new HopStatistics(1, 0, 1, 0, Optional.empty())));
                continue;
            }
            boolean dest = path[i].equals(DEST);
            boolean remarked = remarkFrom > 0 && ttl >= remarkFrom;
            Optional<TrafficClass> quoted = quotes && !dest
                    ? Optional.of(remarked ? new TrafficClass(0, Ecn.ECT_0) : EF_ECT0) : Optional.empty();
            List<HeaderChange> changes = quoted.isPresent() && remarked
                    ? List.of(new HeaderChange(HeaderField.DSCP, "46", "0")) : List.of();
            ProbeResult p = new ProbeResult(ttl, 0, ProbeStatus.REPLY, Optional.of(ip(path[i])),
                    Optional.of(Duration.ofMillis(ttl)), Optional.of(dest ? new IcmpMessage(0, 0, false)
                            : TIME_EXCEEDED), dest, Optional.empty(), OptionalInt.of(64 - ttl), List.of(),
                    OptionalInt.of(0), OptionalInt.of(0), quoted, changes, java.util.List.of(), java.util.Optional.empty());
            hops.add(new Hop(ttl, List.of(p), List.of(new Responder(ip(path[i]), 1)),
                    new HopStatistics(1, 1, 0, 0, Optional.of(Samples.rtt(ttl, ttl, ttl)))));
        }
        boolean reached = path[path.length - 1].equals(DEST);
        return new TraceResult(DEST, Optional.of(ip(DEST)), protocol, "test-" + protocol.name().toLowerCase(Locale.ROOT),
                reached ? TraceStatus.DESTINATION_REACHED : TraceStatus.MAX_HOPS_EXCEEDED, hops, START,
                Duration.ofMillis(300), 0, Optional.empty(), io.pathprobe.trace.FlowMode.PARIS, 1,
                io.pathprobe.enrich.PathContext.OFF, request.trace(protocol), Optional.empty());
    }

    /** TCP/443 re-marked from hop 3 and on a branch at hop 3, UDP not quoted, ICMP keeping the marking. */
    static CompareResult remarked() {
        CompareRequest q = CompareRequest.builder(DEST).trafficClass(EF_ECT0).build();
        TraceResult icmp = trace(ProbeProtocol.ICMP, q, true, 0, "198.18.0.2", "198.18.0.6", "198.18.0.10",
                "198.18.0.14", DEST);
        TraceResult udp = trace(ProbeProtocol.UDP, q, false, 0, "198.18.0.2", "*", "198.18.0.10", "198.18.0.14",
                DEST);
        TraceResult tcp = trace(ProbeProtocol.TCP, q, true, 3, "198.18.0.2", "198.18.0.6", "198.18.200.2",
                "198.18.0.14", "*", "*");
        return CompareResult.of(q, List.of(icmp, udp, tcp), TraceAllStatus.COMPLETED, START, Duration.ofMillis(950));
    }

    /** ICMP and TCP only, ICMP's trace the complete sample (enriched, MPLS, a send failure, an abandoned probe). */
    static CompareResult twoProtocols() {
        CompareRequest q = CompareRequest.builder(DEST).protocols(ProbeProtocol.ICMP, ProbeProtocol.TCP).build();
        TraceResult tcp = trace(ProbeProtocol.TCP, q, true, 0, "192.168.1.1", "198.18.1.1", "198.18.2.1", DEST);
        return CompareResult.of(q, List.of(Samples.trace(), tcp), TraceAllStatus.DEADLINE_EXCEEDED, START,
                Duration.ofMillis(1600));
    }

    @Test
    void compareDocumentsValidate() throws IOException {
        String doc = CompareJson.write(remarked());
        assertValid("compare", doc);
        JsonNode j = JSON.readTree(doc);
        // the parts the sample must have exercised: a divergence, a stop, a header change, a protocol not quoted
        assertThat(j.get("divergences")).hasSize(1);
        assertThat(j.get("ends").get(2).get("stops").asBoolean()).isTrue();
        assertThat(j.get("protocols").get(2).get("headerChanges")).hasSize(1);
        assertThat(j.get("protocols").get(1).get("lastQuotedTtl").isNull()).isTrue();
        assertThat(j.get("findings").toString()).contains("TCP/443: DSCP 46 -> 0 from hop 3 (198.18.200.2); "
                + "ICMP keeps DSCP 46; UDP not seen (no quote from hop 3 on shows it)");
        String two = CompareJson.write(twoProtocols());
        assertValid("compare", two);
        JsonNode t = JSON.readTree(two);
        assertThat(t.get("rows").get(0).get("udp").isNull()).as("a protocol not compared").isTrue();
        assertThat(t.get("traces").get(0).get("hops").get(1).get("probes").get(0).get("mpls")).hasSize(2);
        assertValid("compare", CompareJson.write(remarked()));
    }

    @Test
    void aDocumentTheWriterCouldNotHaveWrittenFails() throws IOException {
        String doc = CompareJson.write(remarked());
        expectFailure(doc, "additionalProperties",
                j -> ((ObjectNode) j).put("extra", 1),
                j -> ((ObjectNode) j.get("protocols").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("protocols").get(2).get("headerChanges").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("rows").get(0)).putArray("sctp"),
                j -> ((ObjectNode) j.get("divergences").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("ends").get(0)).put("extra", 1),
                j -> ((ObjectNode) j.get("traces").get(0)).put("extra", 1));
        expectFailure(doc, "required",
                j -> ((ObjectNode) j).remove("findings"),
                j -> ((ObjectNode) j.get("protocols").get(0)).remove("lastQuotedTtl"),
                j -> ((ObjectNode) j.get("rows").get(0)).remove("tcp"),
                j -> ((ObjectNode) j.get("traces").get(0).get("hops").get(0)).remove("ttl"));
        expectFailure(doc, "const", j -> ((ObjectNode) j).put("schemaVersion", CompareJson.SCHEMA_VERSION + 1),
                j -> ((ObjectNode) j.get("traces").get(0)).put("schemaVersion", TraceJson.SCHEMA_VERSION - 1));
        expectFailure(doc, "enum", j -> ((ObjectNode) j).put("ecn", "ECT0"),
                j -> ((ObjectNode) j.get("protocols").get(0)).put("protocol", "ICMP"),
                j -> ((ObjectNode) j.get("protocols").get(2).get("headerChanges").get(0)).put("field", "dscp"),
                j -> ((ObjectNode) j).put("status", "DESTINATION_REACHED"));
        expectFailure(doc, "type", j -> ((ObjectNode) j.get("protocols").get(1)).put("lastQuotedTtl", "none"),
                j -> ((ObjectNode) j).put("samePath", "no"));
        expectFailure(doc, "maximum", j -> ((ObjectNode) j).put("dscp", 64));
    }

    @Test
    void theComparesCopyOfTheTraceSchemaIsTheTraceSchema() throws IOException {
        JsonNode trace = schemaFile("trace");
        JsonNode compare = schemaFile("compare");
        JsonNode copy = compare.get("$defs").get("trace");
        for (String k : List.of("type", "additionalProperties", "required", "properties")) {
            assertThat(copy.get(k)).as("$defs/trace %s", k).isEqualTo(trace.get(k));
        }
        assertThat(copy.get("description").asText()).endsWith(trace.get("description").asText());
        Iterator<Map.Entry<String, JsonNode>> defs = trace.get("$defs").fields();
        while (defs.hasNext()) {
            Map.Entry<String, JsonNode> d = defs.next();
            assertThat(compare.get("$defs").get(d.getKey())).as("$defs/%s", d.getKey()).isEqualTo(d.getValue());
        }
        assertThat(compare.at("/$defs/firstChange/properties"))
                .isEqualTo(trace.at("/properties/headerChanges/items/properties"));
        assertThat(compare.at("/$defs/compareRow/properties").size()).as("ttl, one per protocol and masked")
                .isEqualTo(2 + ProbeProtocol.values().length);
        List<String> status = new ArrayList<>();
        compare.at("/properties/status/enum").forEach(e -> status.add(e.asText()));
        assertThat(status).containsExactlyElementsOf(
                java.util.Arrays.stream(TraceAllStatus.values()).map(Enum::name).toList());
        List<String> ecn = new ArrayList<>();
        compare.at("/properties/ecn/enum").forEach(e -> ecn.add(e.asText()));
        assertThat(ecn).containsExactlyElementsOf(java.util.Arrays.stream(Ecn.values()).map(Ecn::toString).toList());
    }

    @SafeVarargs
    private static void expectFailure(String document, String keyword, Consumer<JsonNode>... changes)
            throws IOException {
        for (int i = 0; i < changes.length; i++) {
            JsonNode j = JSON.readTree(document);
            changes[i].accept(j);
            Set<String> keywords = errors("compare", j).stream().map(ValidationMessage::getType)
                    .collect(Collectors.toSet());
            assertThat(keywords).as("compare change %d (%s)", i, keyword).contains(keyword);
        }
    }
}
