package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.enrich.AsnInfo;
import io.pathprobe.enrich.Exchange;
import io.pathprobe.enrich.GeoLocation;
import io.pathprobe.enrich.Lookup;
import io.pathprobe.enrich.Responder;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.TraceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Offline GeoIP and IXP fields (issue 51 item 4) in the trace document (valid against trace.schema.json, version
 * 10), in Atlas records (extra keys of each reply that has a {@code from}) and in the text of hops and
 * responders.
 */
class GeoJsonTest {
    static final GeoLocation FRANKFURT = new GeoLocation(Optional.of("DE"), Optional.of("Germany"),
            Optional.of("Frankfurt"), OptionalDouble.of(50.11), OptionalDouble.of(8.68), OptionalInt.of(20),
            "GeoLite2-City");
    static final Exchange IX = new Exchange("LAB-IX Frankfurt", 1, Optional.of("Frankfurt"), Optional.of("DE"),
            "198.18.1.0/24", OptionalLong.of(64501), Optional.of("LAB-TRANSIT"));

    /** The sample trace, its second hop placed in Frankfurt on LAB-IX, the others placed nowhere. */
    static TraceResult placed() {
        TraceResult t = Samples.trace();
        List<Hop> hops = new ArrayList<>();
        for (Hop h : t.hops()) {
            List<Responder> rs = new ArrayList<>();
            for (Responder r : h.responders()) {
                boolean second = h.ttl() == 2;
                rs.add(r.withLookups(r.hostname(), r.asn(), second ? Lookup.found(FRANKFURT) : Lookup.notFound(),
                        second ? Lookup.found(IX) : Lookup.notFound()));
            }
            hops.add(h.withEnrichment(rs, h.segment()));
        }
        return t.withEnrichment(hops, t.context());
    }

    @Test
    void theTraceDocumentCarriesLocationAndExchange() throws Exception {
        String doc = TraceJson.write(placed());
        PathProbeJsonSchemaTest.assertValid("trace", doc);
        JsonNode hop = new ObjectMapper().readTree(doc).get("hops").get(1);
        assertThat(hop.get("location").get("countryCode").asText()).isEqualTo("DE");
        assertThat(hop.get("location").get("city").asText()).isEqualTo("Frankfurt");
        assertThat(hop.get("location").get("latitude").asDouble()).isEqualTo(50.11);
        assertThat(hop.get("location").get("accuracyRadiusKm").asInt()).isEqualTo(20);
        assertThat(hop.get("location").get("database").asText()).isEqualTo("GeoLite2-City");
        assertThat(hop.get("locationStatus").asText()).isEqualTo("FOUND");
        assertThat(hop.get("exchange").get("name").asText()).isEqualTo("LAB-IX Frankfurt");
        assertThat(hop.get("exchange").get("memberAsn").asLong()).isEqualTo(64501);
        assertThat(hop.get("exchangeStatus").asText()).isEqualTo("FOUND");
        JsonNode responder = hop.get("responders").get(0);
        assertThat(responder.get("location")).isEqualTo(hop.get("location"));
        assertThat(responder.get("exchange")).isEqualTo(hop.get("exchange"));
        JsonNode first = new ObjectMapper().readTree(doc).get("hops").get(0);
        assertThat(first.get("location").isNull()).isTrue();
        assertThat(first.get("locationStatus").asText()).isEqualTo("NOT_FOUND");
        // without the files: OFF and null, still valid
        String plain = TraceJson.write(Samples.trace());
        PathProbeJsonSchemaTest.assertValid("trace", plain);
        JsonNode off = new ObjectMapper().readTree(plain).get("hops").get(1);
        assertThat(off.get("locationStatus").asText()).isEqualTo("OFF");
        assertThat(off.get("exchange").isNull()).isTrue();
    }

    @Test
    void atlasRepliesCarryThemAsExtraKeys() throws Exception {
        JsonNode rec = new ObjectMapper().readTree(AtlasJson.traceroute(placed()));
        JsonNode replies = rec.get("result").get(1).get("result");
        int placedReplies = 0;
        for (JsonNode r : replies) {
            if (r.has("from")) {
                assertThat(r.get("location").get("city").asText()).isEqualTo("Frankfurt");
                assertThat(r.get("exchange").get("name").asText()).isEqualTo("LAB-IX Frankfurt");
                placedReplies++;
            } else {
                assertThat(r.has("location")).as("a * has no router").isFalse();
            }
        }
        assertThat(placedReplies).isEqualTo(2);
        assertThat(rec.get("result").get(0).get("result").get(0).has("location")).as("not found: no key").isFalse();
        JsonNode plain = new ObjectMapper().readTree(AtlasJson.traceroute(Samples.trace()));
        assertThat(plain.toString()).doesNotContain("\"location\"").doesNotContain("\"exchange\"");
    }

    @Test
    void textShowsThePlaceAndTheExchange() {
        Hop h = placed().hops().get(1);
        assertThat(h.location().value()).contains(FRANKFURT);
        assertThat(h.exchange().value()).contains(IX);
        assertThat(h.toString()).contains("core1.isp.lab.example (198.18.1.1) [DE Frankfurt] IX LAB-IX Frankfurt  ");
        assertThat(h.responders().get(0).toString()).startsWith(
                "core1.isp.lab.example (198.18.1.1) AS64500 LAB-ISP [DE Frankfurt] IX LAB-IX Frankfurt, 2 replies");
        assertThat(Samples.trace().hops().get(1).toString()).doesNotContain("[").doesNotContain(" IX ");
        Responder old = new Responder(h.responders().get(0).address(), 2, Lookup.notFound(),
                Lookup.found(AsnInfo.of(64500)));
        assertThat(old.location()).isEqualTo(Lookup.off());
        assertThat(old.withLookups(Lookup.notFound(), Lookup.notFound()).exchange()).isEqualTo(Lookup.off());
        assertThat(new GeoLocation(Optional.empty(), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalInt.empty(), "x").shortText()).isEqualTo("?");
    }
}
