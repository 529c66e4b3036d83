package io.pathprobe.json;

import static io.pathprobe.json.PathProbeJsonSchemaTest.assertValid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.compare.CompareResult;
import io.pathprobe.evidence.Masking;
import io.pathprobe.monitor.MonitorRound;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.TraceResult;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every masked document, record and line: no hidden address anywhere in it (the samples' addresses at the hidden
 * TTLs, this host's local and public address), the hidden hops flagged, the shown hops intact, the statement
 * present, and each pathprobe document valid against its schema.
 */
class MaskedJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Samples.trace(): hops 1-2 and this host (local 192.168.1.10, public 198.18.0.2), hop 3 and 4 shown. */
    private static final List<String> TRACE_HIDDEN = List.of("192.168.1.1", "198.18.1.1", "192.168.1.10",
            "198.18.0.2", "router.home.lab.example", "core1.isp.lab.example");

    /** An address or name as a whole word of {@code text} (198.18.0.1 is not in 198.18.0.10). */
    static boolean shows(String text, String what) {
        return Pattern.compile("(?<![0-9A-Za-z:.])" + Pattern.quote(what) + "(?![0-9A-Za-z:]|\\.[0-9A-Za-z])")
                .matcher(text).find();
    }

    static void assertHides(String out, List<String> hidden) {
        for (String h : hidden) {
            assertThat(shows(out, h)).as("%s in%n%s", h, out).isFalse();
        }
    }

    static void assertShows(String out, List<String> shown) {
        for (String s : shown) {
            assertThat(shows(out, s)).as("%s in%n%s", s, out).isTrue();
        }
    }

    /** {@return {@code doc}, read, once valid against {@code schema}, hiding {@code hidden} and showing {@code shown}} */
    private static JsonNode checked(String schema, String doc, List<String> hidden, List<String> shown)
            throws IOException {
        assertValid(schema, doc);
        assertHides(doc, hidden);
        assertShows(doc, shown);
        return JSON.readTree(doc);
    }

    @Test
    void theTraceDocumentHidesHopsOneAndTwoAndThisHost() throws IOException {
        TraceResult t = Samples.trace();
        String doc = TraceJson.write(Masking.firstHops(2).apply(t));
        JsonNode j = checked("trace", doc, TRACE_HIDDEN, List.of("198.18.2.1", "198.51.100.10"));
        assertThat(j.get("masked").get("hops").asInt()).isEqualTo(2);
        assertThat(j.get("masked").get("source").asBoolean()).isTrue();
        JsonNode hop1 = j.get("hops").get(0);
        assertThat(hop1.get("masked").asBoolean()).isTrue();
        assertThat(hop1.get("address").isNull()).isTrue();
        assertThat(hop1.get("responders")).isEmpty();
        assertThat(hop1.get("rtts")).hasSize(3); // RTTs stay, as trippy keeps them
        assertThat(hop1.get("received").asInt()).isEqualTo(3);
        assertThat(j.get("hops").get(1).get("lost").asInt()).isEqualTo(1);
        assertThat(j.get("hops").get(2).get("masked").asBoolean()).isFalse();
        assertThat(j.get("hops").get(2).get("address").asText()).isEqualTo("198.18.2.1");
        assertThat(j.get("publicAddress").isNull()).isTrue();
        assertThat(j.get("context").get("localAddress").isNull()).isTrue();
        // the destination the user named stays
        assertThat(j.get("destination").asText()).isEqualTo("198.51.100.10");
    }

    @Test
    void noMaskingWritesTheUnmaskedDocument() {
        assertThat(TraceJson.write(Masking.NONE.apply(Samples.trace()))).isEqualTo(TraceJson.write(Samples.trace()));
        assertThat(MultipathJson.write(Masking.NONE.apply(Samples.multipath())))
                .isEqualTo(MultipathJson.write(Samples.multipath()));
        assertThat(AtlasJson.traceroute(Masking.NONE.apply(Samples.trace())))
                .isEqualTo(AtlasJson.traceroute(Samples.trace()));
        assertThat(ScamperJson.trace(Masking.NONE.apply(Samples.trace()), Samples.ip("192.168.1.10")))
                .contains("\"src\":\"192.168.1.10\"");
    }

    @Test
    void maskZeroHidesTheSourceAlone() throws IOException {
        String doc = TraceJson.write(Masking.firstHops(0).apply(Samples.trace()));
        assertValid("trace", doc);
        assertHides(doc, List.of("192.168.1.10", "198.18.0.2"));
        assertShows(doc, List.of("192.168.1.1", "198.18.1.1"));
        assertThat(JSON.readTree(doc).get("hops").get(0).get("masked").asBoolean()).isFalse();
    }

    @Test
    void anIpv6TraceWithASilentHiddenHop() throws IOException {
        String doc = TraceJson.write(Masking.firstHops(2).apply(Samples.trace6()));
        assertValid("trace", doc);
        assertHides(doc, List.of("2001:db8:0:1::1"));
        JsonNode silent = JSON.readTree(doc).get("hops").get(1);
        assertThat(silent.get("masked").asBoolean()).as("a silent hidden hop is masked, not only silent").isTrue();
    }

    @Test
    void theAtlasRecordHidesRepliesAndTheProbesAddress() throws IOException {
        String rec = AtlasJson.traceroute(Masking.firstHops(2).apply(Samples.trace()));
        assertHides(rec, TRACE_HIDDEN);
        assertShows(rec, List.of("198.18.2.1", "198.51.100.10"));
        JsonNode j = JSON.readTree(rec);
        assertThat(j.has("from")).isFalse();
        assertThat(j.get("result").get(0).get("masked").asBoolean()).isTrue();
        assertThat(j.get("result").get(0).get("result").get(0).has("rtt")).isTrue();
        assertThat(j.get("result").get(2).get("masked").asBoolean()).isFalse();
        assertThat(j.get("pathprobe").get("masked").get("hops").asInt()).isEqualTo(2);
    }

    @Test
    void theScamperObjectHidesHopsAndSrc() throws IOException {
        String line = ScamperJson.trace(Masking.firstHops(2).apply(Samples.trace()), null);
        assertHides(line, TRACE_HIDDEN);
        assertShows(line, List.of("198.18.2.1", "198.51.100.10"));
        JsonNode j = JSON.readTree(line);
        assertThat(j.get("src").asText()).isEqualTo("0.0.0.0");
        assertThat(j.get("hops").get(0).get("masked").asBoolean()).isTrue();
        assertThat(j.get("hops").get(0).get("rtt").asDouble()).isEqualTo(0.5);
        assertThat(j.get("masked").get("hops").asInt()).isEqualTo(2);
        String lb = ScamperJson.tracelb(Masking.firstHops(1).apply(Samples.multipath()), Samples.ip("198.18.0.100"));
        assertHides(lb, List.of("198.18.0.1", "198.18.0.100"));
        assertShows(lb, List.of("198.18.1.1", "198.18.2.1", "198.18.10.1"));
    }

    @Test
    void theMultipathDocumentAndRecordHideTheNodesAtHiddenTtls() throws IOException {
        MultipathResult m = PathProbeJsonSchemaTest.enriched(Samples.multipath());
        String doc = MultipathJson.write(Masking.firstHops(1).apply(m));
        JsonNode j = checked("multipath", doc, List.of("198.18.0.1"), List.of("198.18.1.1", "198.18.2.1", "198.18.10.1"));
        assertThat(j.get("nodes").get(0).get("masked").asBoolean()).isTrue();
        assertThat(j.get("nodes").get(1).get("masked").asBoolean()).isFalse();
        assertThat(j.get("paths").get(0).get("addresses").get(0).isNull()).isTrue();
        assertThat(j.get("paths").get(0).get("addresses").get(1).asText()).isEqualTo("198.18.1.1");
        assertThat(j.get("links").get(0).get("from").isNull()).isTrue();
        String rec = AtlasJson.multipath(Masking.firstHops(1).apply(m));
        assertHides(rec, List.of("198.18.0.1"));
        assertShows(rec, List.of("198.18.1.1"));
        String deeper = MultipathJson.write(Masking.firstHops(2).apply(m));
        assertValid("multipath", deeper);
        assertHides(deeper, List.of("198.18.0.1", "198.18.1.1", "198.18.2.1"));
    }

    @Test
    void everyMultipathOutputOfAMaskedResultHidesItAndKeepsTheTopology() throws IOException {
        MultipathResult r = Masking.firstHops(2).apply(PathProbeJsonSchemaTest.enriched(Samples.multipath()));
        String text = r.toString();
        String all = text + MultipathJson.write(r) + AtlasJson.multipath(r) + ScamperJson.tracelb(r,
                Samples.ip("198.18.0.100"));
        assertHides(all, List.of("198.18.0.1", "198.18.1.1", "198.18.2.1", "r1.lab.example", "192.168.1.10",
                "198.18.0.2", "198.18.0.100"));
        assertShows(all, List.of("198.18.10.1"));
        // the two masked nodes at TTL 2 keep a link each (not merged into one masked node), a silent one stays *
        assertThat(text).contains("\n  2    masked\n         masked → 198.18.10.1\n         masked → 198.18.10.1\n"
                + "         * → (no link seen)\n");
        JsonNode lb = JSON.readTree(ScamperJson.tracelb(r, null));
        assertThat(lb.get("nodes")).hasSize(3);
        for (JsonNode n : lb.get("nodes")) {
            assertThat(n.get("addr").asText()).isEqualTo("masked");
            assertThat(n.get("linkc").asInt()).isEqualTo(n.get("links").get(0).size());
        }
        assertThat(r.links()).allSatisfy(l -> assertThat(r.from(l)).isPresent());
        assertThat(MultipathJson.write(Masking.NONE.apply(r))).isEqualTo(MultipathJson.write(r));
    }

    @Test
    void theMonitorDocumentAndRoundLinesHideTheHiddenHops() throws IOException {
        String doc = MonitorJson.write(Masking.firstHops(1).apply(Samples.monitor()));
        JsonNode j = checked("monitor", doc, List.of("198.18.1.2", "198.18.2.2", "r1a.lab.example"), List.of("198.19.0.1"));
        assertThat(j.get("hops").get(0).get("masked").asBoolean()).isTrue();
        assertThat(j.get("hops").get(0).get("total").get("sent").asInt()).isEqualTo(10);
        assertThat(MonitorJson.line(Masking.firstHops(1).apply(Samples.monitor()))).doesNotContain("\n");
        MonitorRound round = new MonitorRound(7, Samples.trace(), Samples.monitor().path(), List.of(
                new io.pathprobe.monitor.MonitorEvent.HopChanged(7, 1, java.util.Set.of(Samples.ip("198.18.1.2")),
                        java.util.Set.of(Samples.ip("192.168.1.1")))));
        String line = MonitorJson.line(Masking.firstHops(2).apply(round));
        assertValid("monitor-round", line);
        assertHides(line, List.of("192.168.1.1", "198.18.1.1", "198.18.1.2", "192.168.1.10"));
        assertShows(line, List.of("198.18.2.1"));
    }

    @Test
    void theMtuDocumentHidesTheHiddenHops() throws IOException {
        String doc = MtuJson.write(Masking.firstHops(2).apply(Samples.mtu()));
        JsonNode j = checked("mtu", doc, List.of("198.18.0.2", "198.18.0.6"), List.of("198.18.0.10", "198.18.0.14", "198.19.0.1"));
        assertThat(j.get("hops").get(0).get("masked").asBoolean()).isTrue();
        assertThat(j.get("hops").get(0).get("pathMtu").asInt()).isEqualTo(1500);
    }

    @Test
    void thePingDocumentAndRecordsSayTheyAreMasked() throws IOException {
        PingRequest request = PingRequest.builder().targets("198.18.0.10").build();
        String doc = PingJson.write(Masking.firstHops(2).apply(Samples.ping()), request);
        assertValid("ping", doc);
        assertThat(JSON.readTree(doc).get("masked").get("source").asBoolean()).isTrue();
        assertThat(PingJson.write(Masking.NONE.apply(Samples.ping()))).isEqualTo(PingJson.write(Samples.ping()));
        String records = AtlasJson.ping(Masking.firstHops(2).apply(Samples.ping()), request);
        for (String r : records.split("\n")) {
            assertThat(JSON.readTree(r).has("from")).isFalse();
            assertThat(JSON.readTree(r).get("pathprobe").get("masked").get("hops").asInt()).isEqualTo(2);
        }
    }

    @Test
    void theCompareDocumentHidesTheHiddenRowsAndTraces() throws IOException {
        CompareResult c = CompareJsonSchemaTest.twoProtocols();
        String doc = CompareJson.write(Masking.firstHops(2).apply(c));
        JsonNode j = checked("compare", doc, TRACE_HIDDEN, List.of("198.18.2.1"));
        assertThat(j.get("rows").get(0).get("masked").asBoolean()).isTrue();
        assertThat(j.get("rows").get(2).get("masked").asBoolean()).isFalse();
        assertThat(j.get("traces").get(0).get("hops").get(0).get("masked").asBoolean()).isTrue();
        String remarked = CompareJson.write(Masking.firstHops(2).apply(CompareJsonSchemaTest.remarked()));
        assertValid("compare", remarked);
        assertHides(remarked, List.of("198.18.0.2", "198.18.0.6"));
        assertShows(remarked, List.of("198.18.0.10", "198.18.200.2"));
    }
}
