package io.pathprobe.json;

import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.Samples.ms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.enrich.Responder;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.InterfaceInfo;
import io.pathprobe.probe.NodeId;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * RFC 5837 interface objects and the Node Identification draft's object (issue 72 item 4) in the trace text, the
 * trace document (valid against trace.schema.json, read back byte for byte), Atlas and scamper: three routers that
 * all answer from 192.0.0.8 are told apart by them.
 */
class IdentityJsonTest {
    static final String SHARED = "192.0.0.8";

    /** Router {@code n}'s answer: its incoming interface veth-r{n} (ifIndex n + 1, MTU 1500) and its node id. */
    static ProbeResult answer(int ttl, int attempt, int n) {
        InterfaceInfo in = new InterfaceInfo(InterfaceInfo.Role.INCOMING, OptionalInt.of(n + 1), Optional.empty(),
                Optional.of("veth-r" + n), OptionalInt.of(1500));
        NodeId node = new NodeId(Optional.of(ip("2001:db8:72::" + n)), Optional.of("r" + n + ".lab"));
        return new ProbeResult(ttl, attempt, ProbeStatus.REPLY, Optional.of(ip(SHARED)),
                Optional.of(ms(0.05 * (ttl + attempt))), Optional.of(Samples.TIME_EXCEEDED), false, Optional.empty(),
                OptionalInt.of(64 - ttl), List.of(), OptionalInt.of(0), OptionalInt.of(0), Optional.empty(), List.of(),
                List.of(in), Optional.of(node));
    }

    /** Three routers behind one address, two probes each, then the destination. */
    static TraceResult shared() {
        List<Hop> hops = new ArrayList<>();
        for (int ttl = 1; ttl <= 3; ttl++) {
            hops.add(new Hop(ttl, List.of(answer(ttl, 0, ttl), answer(ttl, 1, ttl)),
                    List.of(new Responder(ip(SHARED), 2)), Samples.stats(2, 0)));
        }
        ProbeResult end = new ProbeResult(4, 0, ProbeStatus.REPLY, Optional.of(ip("198.18.72.2")),
                Optional.of(ms(0.3)), Optional.of(new IcmpMessage(3, 3, false)), true, Optional.empty(),
                OptionalInt.of(61), List.of());
        hops.add(new Hop(4, List.of(end), List.of(new Responder(ip("198.18.72.2"), 1)), Samples.stats(1, 0)));
        return new TraceResult("198.18.72.2", Optional.of(ip("198.18.72.2")), ProbeProtocol.UDP, "linux-udp-recverr",
                TraceStatus.DESTINATION_REACHED, hops, Samples.START, ms(5), 0, Optional.empty(), FlowMode.CLASSIC, 1);
    }

    @Test
    void eachHopBehindTheSharedAddressShowsItsInterfaceAndNodeOnce() {
        TraceResult t = shared();
        for (int ttl = 1; ttl <= 3; ttl++) {
            String line = t.hops().get(ttl - 1).toString();
            String identity = "<INC:" + (ttl + 1) + ",\"veth-r" + ttl + "\",mtu=1500;NODE:2001:db8:72::" + ttl
                    + ",\"r" + ttl + ".lab\">";
            assertThat(line).startsWith(" " + ttl + "  192.0.0.8  ").contains(identity);
            assertThat(line.indexOf(identity)).as("printed once: the second probe's is the same")
                    .isEqualTo(line.lastIndexOf(identity));
        }
        assertThat(t.hops().get(3).toString()).doesNotContain("<");
        assertThat(Samples.trace().hops().get(0).toString()).doesNotContain("<");
    }

    @Test
    void theTraceDocumentCarriesThemOnlyWhereARouterSentThem() throws Exception {
        String doc = TraceJson.write(shared());
        PathProbeJsonSchemaTest.assertValid("trace", doc);
        JsonNode hops = new ObjectMapper().readTree(doc).get("hops");
        for (int ttl = 1; ttl <= 3; ttl++) {
            JsonNode probe = hops.get(ttl - 1).get("probes").get(1);
            assertThat(probe.get("responder").asText()).isEqualTo(SHARED);
            JsonNode in = probe.get("interfaces").get(0);
            assertThat(in.get("role").asText()).isEqualTo("INCOMING");
            assertThat(in.get("ifIndex").asInt()).isEqualTo(ttl + 1);
            assertThat(in.get("address").isNull()).isTrue();
            assertThat(in.get("name").asText()).isEqualTo("veth-r" + ttl);
            assertThat(in.get("mtu").asInt()).isEqualTo(1500);
            assertThat(probe.get("nodeId").get("address").asText()).isEqualTo("2001:db8:72::" + ttl);
            assertThat(probe.get("nodeId").get("name").asText()).isEqualTo("r" + ttl + ".lab");
        }
        JsonNode end = hops.get(3).get("probes").get(0);
        assertThat(end.has("interfaces")).isFalse();
        assertThat(end.has("nodeId")).isFalse();
        assertThat(TraceJson.write(TraceJson.read(doc))).isEqualTo(doc);
        assertThat(TraceJson.read(doc).hops().get(1).probes().get(0)).isEqualTo(shared().hops().get(1).probes().get(0));
        assertThat(TraceJson.write(Samples.trace())).doesNotContain("\"interfaces\"").doesNotContain("\"nodeId\"");
    }

    @Test
    void atlasAndScamperCarryThemAsExtraKeys() throws Exception {
        JsonNode atlas = new ObjectMapper().readTree(AtlasJson.traceroute(shared()));
        JsonNode reply = atlas.get("result").get(1).get("result").get(0);
        assertThat(reply.get("from").asText()).isEqualTo(SHARED);
        assertThat(reply.get("interfaces").get(0).get("name").asText()).isEqualTo("veth-r2");
        assertThat(reply.get("nodeId").get("name").asText()).isEqualTo("r2.lab");
        String scamper = ScamperJson.trace(shared());
        assertThat(scamper).contains("\"veth-r3\"").contains("\"r3.lab\"");
        assertThat(AtlasJson.traceroute(Samples.trace())).doesNotContain("\"nodeId\"");
    }
}
