package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.testing.Samples;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** pathprobe's own JSON documents, read back with an independent parser (Jackson). */
class PathProbeJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void everyDocumentStartsWithItsSchemaVersion() throws Exception {
        assertThat(TraceJson.SCHEMA_VERSION).isEqualTo(11);
        assertThat(PingJson.SCHEMA_VERSION).isEqualTo(6);
        assertThat(MultipathJson.SCHEMA_VERSION).isEqualTo(9);
        assertThat(BufferbloatJson.SCHEMA_VERSION).isEqualTo(4);
        for (String doc : List.of(TraceJson.write(Samples.trace()), PingJson.write(Samples.ping()),
                MultipathJson.write(Samples.multipath()), BufferbloatJson.write(Samples.bufferbloat()))) {
            assertThat(doc).startsWith("{\n  \"schemaVersion\" : ");
            assertThat(read(doc).fieldNames().next()).isEqualTo("schemaVersion");
        }
        assertThat(read(TraceJson.write(Samples.trace())).get("schemaVersion").asInt()).isEqualTo(11);
        assertThat(read(PingJson.write(Samples.ping())).get("schemaVersion").asInt()).isEqualTo(6);
        assertThat(read(MultipathJson.write(Samples.multipath())).get("schemaVersion").asInt()).isEqualTo(9);
        assertThat(read(BufferbloatJson.write(Samples.bufferbloat())).get("schemaVersion").asInt()).isEqualTo(4);
    }

    @Test
    void traceFieldsAndValues() throws Exception {
        JsonNode j = read(TraceJson.write(Samples.trace()));
        assertThat(iterable(j.fieldNames())).containsExactly("schemaVersion", "target", "destination", "protocol",
                "protocolNote", "transport", "tcpMode", "status", "destinationReached", "durationMs", "startedAt", "unmatchedReplies",
                "tcpConfirmations", "flowMode", "flows", "publicAddress", "behindNat", "context", "hops", "headerChanges", "cost",
                "masked");
        assertThat(j.get("target").asText()).isEqualTo(Samples.ODD_NAME);
        assertThat(j.get("protocolNote").asText()).isEqualTo("note\twith a tab");
        assertThat(j.get("protocol").asText()).isEqualTo("icmp");
        assertThat(j.get("durationMs").isDouble()).isTrue();
        assertThat(j.get("durationMs").asDouble()).isEqualTo(1500.25);
        assertThat(j.get("startedAt").asText()).isEqualTo("2026-11-21T10:00:00.250Z");
        assertThat(j.get("flowMode").asText()).isEqualTo("paris");
        assertThat(j.get("publicAddress").asText()).isEqualTo("198.18.0.2");
        assertThat(j.get("context").get("stunServer").asText()).isEqualTo("198.18.0.53:3478");
        assertThat(j.get("context").get("localAsn").get("name").asText()).isEqualTo("LAB-ISP, \"ZZ\"");
        JsonNode h2 = j.get("hops").get(1);
        assertThat(iterable(h2.fieldNames())).containsExactly("ttl", "address", "rtts", "sent", "received", "abandoned",
                "loss", "lossLow", "lossHigh", "minMs", "avgMs", "maxMs", "stdDevMs", "responders", "probes", "lost",
                "forwardLost", "backwardLost", "rateLimited", "undecided", "nat", "natId", "changes", "hostname", "asn", "segment", "hostnameStatus", "asnStatus", "fromStopSet",
                "masked", "location", "locationStatus", "exchange", "exchangeStatus");
        assertThat(h2.get("rtts").toString()).isEqualTo("[1.0,2.5]"); // 1.0001 ms rounded to the microsecond
        assertThat(h2.get("avgMs").asDouble()).isEqualTo(1.75);
        assertThat(h2.get("loss").asDouble()).isEqualTo(1 / 3.0);
        List<String> labels = Samples.trace().hops().get(1).probes().get(0).mplsLabels().stream().map(Object::toString).toList();
        assertThat(h2.get("probes").get(0).get("mpls").get(0).asText()).isEqualTo(labels.get(0));
        assertThat(h2.get("probes").get(0).get("mpls").get(1).asText()).isEqualTo(labels.get(1));
        assertThat(h2.get("probes").get(1).get("rttMs").isNull()).isTrue();
        assertThat(h2.get("asn").get("number").asLong()).isEqualTo(64500);
        JsonNode p3 = j.get("hops").get(2).get("probes");
        assertThat(p3.get(0).get("icmpType").asInt()).isEqualTo(3);
        assertThat(p3.get(0).get("icmp").asText()).isEqualTo("host unreachable");
        assertThat(p3.get(1).get("failure").asText()).isEqualTo("No buffer space available");
        assertThat(j.get("hops").get(3).get("abandoned").asInt()).isEqualTo(1);
        JsonNode v6 = read(TraceJson.write(Samples.trace6()));
        assertThat(v6.get("destination").asText()).isEqualTo("2001:db8::10"); // RFC 5952
        assertThat(v6.get("hops").get(1).get("address").isNull()).isTrue();
        assertThat(v6.get("hops").get(1).get("minMs").isNull()).isTrue();
        assertThat(v6.get("publicAddress").isNull()).isTrue();
        assertThat(v6.get("hops").get(0).get("hostnameStatus").asText()).isEqualTo("OFF");
    }

    @Test
    void pingFieldsAndValues() throws Exception {
        JsonNode j = read(PingJson.write(Samples.ping()));
        assertThat(iterable(j.fieldNames())).containsExactly("schemaVersion", "status", "durationMs", "startedAt",
                "payloadSize", "results", "cost", "masked");
        assertThat(j.get("payloadSize").isNull()).isTrue();
        assertThat(j.get("durationMs").asDouble()).isEqualTo(55.5);
        JsonNode t = j.get("results").get(0);
        assertThat(iterable(t.fieldNames())).containsExactly("target", "address", "kind", "kindNote", "transport", "sent",
                "received", "lost", "rateLimited", "duplicates", "late", "outOfOrder", "loss", "lossLow", "lossHigh",
                "mayBeRefused", "rtt", "jitter", "rtts",
                "bytes", "error", "hostname", "asn", "hostnameStatus", "asnStatus", "location", "locationStatus",
                "exchange", "exchangeStatus");
        assertThat(t.get("kindNote").isNull()).isTrue();
        assertThat(t.get("rateLimited").asLong()).isZero();
        assertThat(t.get("rtts").toString()).isEqualTo("[1.0,3.0,2.0,null,null]");
        assertThat(t.get("bytes").toString()).isEqualTo("[64,64,64,null,null]");
        assertThat(t.get("rtt").get("mdev").asDouble()).isEqualTo(0.816497); // ping's times are not rounded
        assertThat(t.get("jitter").asDouble()).isEqualTo(0.070313); // 0.0703125 ms in whole nanoseconds
        assertThat(t.get("kind").asText()).isEqualTo("icmp");
        assertThat(t.get("hostname").asText()).isEqualTo("dst.lab.example");
        JsonNode b = j.get("results").get(1);
        assertThat(b.get("address").isNull()).isTrue();
        assertThat(b.get("rtt").isNull()).isTrue();
        assertThat(b.get("error").asText()).isEqualTo("unknown host: no.such.name.lab.example");
        io.pathprobe.ping.PingRequest request = io.pathprobe.ping.PingRequest.builder().targets("198.18.0.10").payloadSize(100).build();
        assertThat(read(PingJson.write(Samples.ping(), request)).get("payloadSize").asInt()).isEqualTo(100);
        io.pathprobe.ping.PingResult carried = new io.pathprobe.ping.PingResult(Samples.ping().targets(), Samples.ping().status(),
                Samples.ping().startedAt(), Samples.ping().duration(), request);
        assertThat(read(PingJson.write(carried)).get("payloadSize").asInt()).as("from the request the result carries")
                .isEqualTo(100);
    }

    @Test
    void aTargetThatKeptOnlyItsLastProbesSaysHowManyAndItsStatisticsStayWhole() throws Exception {
        JsonNode whole = read(PingJson.write(Samples.ping())).get("results").get(0);
        JsonNode t = read(PingJson.write(keptLastTwo())).get("results").get(0);
        assertThat(whole.has("kept")).as("a ping that fits its window: the document as before").isFalse();
        assertThat(iterable(t.fieldNames())).containsSubsequence("rtts", "bytes", "kept", "error");
        assertThat(t.get("kept").asInt()).isEqualTo(2);
        assertThat(t.get("rtts").toString()).isEqualTo("[null,null]");
        assertThat(t.get("sent")).isEqualTo(whole.get("sent"));
        assertThat(t.get("rtt")).isEqualTo(whole.get("rtt"));
        assertThat(t.get("jitter")).isEqualTo(whole.get("jitter"));
    }

    /** {@link Samples#ping()} with its first target keeping only its last two probes, as a window of two would. */
    static io.pathprobe.ping.PingResult keptLastTwo() {
        io.pathprobe.ping.PingResult p = Samples.ping();
        io.pathprobe.ping.PingTargetResult f = p.first();
        java.util.List<io.pathprobe.ping.PingProbe> last = f.recent().subList(f.recent().size() - 2,
                f.recent().size());
        java.util.List<io.pathprobe.ping.PingTargetResult> targets = new java.util.ArrayList<>(p.targets());
        targets.set(0, new io.pathprobe.ping.PingTargetResult(f.index(), f.target(), f.address(), f.kind(),
                f.transport(), f.kindNote(), f.error(), f.statistics(), last, f.hostname(), f.asn(), f.location(),
                f.exchange()));
        return new io.pathprobe.ping.PingResult(targets, p.status(), p.startedAt(), p.duration(), p.request());
    }

    @Test
    void aUdpPingSaysItFellBackAndCountsRefusalsApart() throws Exception {
        JsonNode t = read(PingJson.write(Samples.udpPing())).get("results").get(0);
        assertThat(t.get("kind").asText()).isEqualTo("udp");
        assertThat(t.get("kindNote").asText()).startsWith("fell back to UDP: ").contains("ping_group_range");
        assertThat(t.get("sent").asLong()).isEqualTo(4);
        assertThat(t.get("received").asLong()).isEqualTo(2);
        assertThat(t.get("lost").asLong()).isEqualTo(1);
        assertThat(t.get("rateLimited").asLong()).isEqualTo(1);
        assertThat(t.get("mayBeRefused").asLong()).isEqualTo(1);
        assertThat(t.get("loss").asDouble()).isEqualTo(1 / 3.0);
        assertThat(t.get("lossHigh").asDouble()).isEqualTo(1 / 3.0);
        assertThat(t.get("lossLow").asDouble()).as("the one lost could be a refusal").isZero();
        assertThat(t.get("rtts").toString()).isEqualTo("[1.0,3.0,null,null]");
    }

    @Test
    void multipathAndBufferbloatFields() throws Exception {
        JsonNode j = read(MultipathJson.write(Samples.multipath()));
        assertThat(iterable(j.fieldNames())).containsExactly("schemaVersion", "target", "destination", "protocol",
                "transport", "algorithm", "status", "complete", "destinationReached", "probes", "discoveryProbes",
                "perPacketChecks", "tcpConfirmations", "durationMs", "startedAt", "confidence", "globalConfidence", "maxWidth", "perPacketLoadBalancing", "nodes",
                "headerChanges",
                "links", "diamonds", "paths", "unexplored", "notes", "publicAddress", "behindNat", "context", "cost",
                "masked");
        assertThat(j.get("algorithm").asText()).isEqualTo("mda-lite");
        assertThat(j.get("durationMs").asDouble()).isEqualTo(123.457);
        assertThat(j.get("nodes").get(3).get("address").isNull()).isTrue();
        assertThat(j.get("nodes").get(0).get("rtt").get("avg").asDouble()).isEqualTo(0.15);
        assertThat(j.get("diamonds").get(0).get("convergence").get("address").asText()).isEqualTo("198.18.10.1");
        assertThat(j.get("paths").get(1).get("rtt").isNull()).isTrue();
        assertThat(j.get("paths").get(1).get("loss").asDouble()).isEqualTo(1.0);
        JsonNode bb = read(BufferbloatJson.write(Samples.bufferbloat()));
        assertThat(bb.get("rpm").isIntegralNumber()).isTrue();
        assertThat(bb.get("rpm").asLong()).isEqualTo(1200);
        assertThat(bb.get("downloadMbps").asDouble()).isEqualTo(19.0);
        assertThat(bb.get("loadedLatencyMs").get("upload").isNull()).isTrue();
        assertThat(bb.get("samples").get(0).get("atMs").asDouble()).isEqualTo(5.0);
        assertThat(bb.get("loadedLatencyP99Ms").get("download").asDouble()).isEqualTo(81.5);
        assertThat(bb.get("rpmP90").get("download").asLong()).isEqualTo(950);
        assertThat(bb.get("rpmP99").get("download").asLong()).isEqualTo(802);
        assertThat(bb.get("rpmP99").get("upload").isNull()).isTrue();
        JsonNode load = bb.get("load").get("download");
        assertThat(iterable(load.fieldNames())).containsExactly("congestionControl", "startedTogether", "capacityMbps",
                "saturation", "saturated", "durationMs");
        assertThat(load.get("congestionControl").asText()).isEqualTo("bbr");
        assertThat(load.get("startedTogether").asBoolean()).isTrue();
        assertThat(load.get("capacityMbps").asDouble()).isEqualTo(19.5);
        assertThat(load.get("saturation").asDouble()).isEqualTo(0.975);
        assertThat(load.get("saturated").asBoolean()).isTrue();
        assertThat(load.get("durationMs").asDouble()).isEqualTo(6000.0);
        assertThat(bb.get("load").get("upload").isNull()).isTrue();
    }

    @Test
    void nonFiniteNumbersAreNull() throws Exception {
        MultipathResult m = Samples.multipath();
        MultipathResult nan = new MultipathResult(m.request(), m.destination(), m.transport(), m.protocol(), m.status(),
                m.startedAt(), m.duration(), m.nodes(), m.links(), m.diamonds(), m.paths(), m.probes(), m.discoveryProbes(),
                Double.POSITIVE_INFINITY, Double.NaN, m.destinationReached(), m.unexplored(), m.notes());
        String text = MultipathJson.write(nan);
        assertThat(text).doesNotContain("NaN", "Infinity");
        JsonNode j = read(text);
        assertThat(j.get("confidence").isNull()).isTrue();
        assertThat(j.get("globalConfidence").isNull()).isTrue();
        Map<String, @Nullable Object> t = new LinkedHashMap<>();
        t.put("a", Double.NEGATIVE_INFINITY);
        t.put("b", -0.0);
        t.put("c", 1e-7);
        t.put("d", Long.MAX_VALUE);
        assertThat(PathProbeJson.write(t)).isEqualTo("{\n  \"a\" : null,\n  \"b\" : -0.0,\n  \"c\" : 1.0E-7,\n  \"d\" : "
                + Long.MAX_VALUE + "\n}");
        assertThat(read(PathProbeJson.write(t)).get("c").asDouble()).isEqualTo(1e-7);
    }

    @Test
    void stringsAreEscaped() throws Exception {
        String text = TraceJson.write(Samples.trace());
        assertThat(text).contains("\"target\" : \"odd \\\"name\\\"\\\\ with\\nnew line \\u0001 é 😀\"");
        assertThat(text).contains("\"protocolNote\" : \"note\\twith a tab\"");
        assertThat(read(text).get("target").asText()).isEqualTo(Samples.ODD_NAME);
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            every.append(c);
        }
        every.append('\u2028').append('\ud800').append("x").append('\udc00').append("\ud83d\ude00");
        String written = PathProbeJson.write(every.toString());
        for (char c = 0; c < 0x20; c++) {
            assertThat(written.indexOf(c)).as("control character %d written raw", (int) c).isEqualTo(-1);
        }
        assertThat(written).contains("\\ud800x\\udc00").contains("\ud83d\ude00").contains("\\b\\t\\n\\u000b\\f\\r");
        String lone = every.toString().replace("\ud800", "\\ud800").replace("\udc00", "\\udc00");
        assertThat(read(written).asText().replace("\ud800", "\\ud800").replace("\udc00", "\\udc00")).isEqualTo(lone);
    }

    @Test
    void layoutIsJacksonsDefaultPrettyPrinter() throws Exception {
        Map<String, @Nullable Object> t = new LinkedHashMap<>();
        t.put("empty", new LinkedHashMap<>());
        t.put("none", new ArrayList<>());
        List<@Nullable Object> objects = new ArrayList<>();
        objects.add(Map.of("a", 1));
        objects.add(null);
        t.put("list", objects);
        t.put("t", true);
        assertThat(PathProbeJson.write(t)).isEqualTo("""
                {
                  "empty" : { },
                  "none" : [ ],
                  "list" : [ {
                    "a" : 1
                  }, null ],
                  "t" : true
                }""");
        assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(t).replace("\r\n", "\n"))
                .isEqualTo(PathProbeJson.write(t));
    }

    @Test
    void appendableFormsWriteTheSameText() throws Exception {
        StringWriter w = new StringWriter();
        TraceJson.write(Samples.trace(), w);
        assertThat(w.toString()).isEqualTo(TraceJson.write(Samples.trace()));
        w = new StringWriter();
        PingJson.write(Samples.ping(), w);
        assertThat(w.toString()).isEqualTo(PingJson.write(Samples.ping()));
        w = new StringWriter();
        MultipathJson.write(Samples.multipath(), w);
        assertThat(w.toString()).isEqualTo(MultipathJson.write(Samples.multipath()));
        w = new StringWriter();
        BufferbloatJson.write(Samples.bufferbloat(), w);
        assertThat(w.toString()).isEqualTo(BufferbloatJson.write(Samples.bufferbloat()));
    }

    @Test
    void errorDocument() throws Exception {
        JsonNode j = read(ErrorJson.write("unknown_target", "no \"such\" host"));
        assertThat(j.get("schemaVersion").asInt()).isEqualTo(ErrorJson.SCHEMA_VERSION);
        assertThat(j.get("error").get("type").asText()).isEqualTo("unknown_target");
        assertThat(j.get("error").get("message").asText()).isEqualTo("no \"such\" host");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
