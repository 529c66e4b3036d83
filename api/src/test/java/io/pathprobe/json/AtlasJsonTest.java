package io.pathprobe.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.ping.PingKind;
import io.pathprobe.ping.PingRequest;
import io.pathprobe.ping.PingResult;
import io.pathprobe.ping.PingStatistics;
import io.pathprobe.ping.PingStatus;
import io.pathprobe.ping.PingTargetResult;
import io.pathprobe.testing.Samples;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The RIPE Atlas records, field by field against the result format (research notes §2: the probe's
 * traceroute.c/ping.c output, the "Measurement Result Format" page) and against what the reference
 * parser ripe-atlas-sagan requires and reads ({@link #asSaganReadsIt}). sagan itself cannot be run
 * here: it is on PyPI only (no Debian package; PyPI is not reachable from this machine), so its
 * checks are restated from its source (ripe/atlas/sagan/base.py, traceroute.py, ping.py).
 */
class AtlasJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_SECONDS = 1795255200L; // 2026-11-21T10:00:00Z

    /**
     * What sagan's {@code Result.__init__} and its traceroute and ping subclasses need to parse a
     * record without raising or flagging it malformed or in error, with the values it would read.
     */
    static void asSaganReadsIt(JsonNode r) {
        // Result: the five keys it refuses a record without
        for (String key : List.of("timestamp", "msm_id", "prb_id", "fw", "type")) {
            assertThat(r.has(key)).as("sagan requires %s", key).isTrue();
        }
        assertThat(r.get("timestamp").isIntegralNumber()).as("timestamp: Unix seconds for datetime.fromtimestamp").isTrue();
        assertThat(r.get("msm_id").isInt()).isTrue();
        assertThat(r.get("prb_id").isInt()).isTrue();
        assertThat(r.get("fw").isInt()).isTrue();
        assertThat(r.get("fw").asInt()).as("fw 0 is malformed; < 5000 selects older structures").isGreaterThanOrEqualTo(5000);
        assertThat(r.has("err")).as("a top-level err makes the record an error").isFalse();
        assertThat(r.has("dnserr")).isFalse();
        if (r.has("lts")) {
            assertThat(r.get("lts").isInt()).isTrue();
        }
        if (r.has("from")) {
            assertThat(r.get("from").isTextual()).isTrue();
        }
        assertThat(r.get("type").asText()).isIn("traceroute", "ping");
        assertThat(r.get("proto").asText()).as("sagan's PROTOCOL_MAP, else malformed").isIn("ICMP", "UDP", "TCP");
        if (r.has("af")) {
            assertThat(r.get("af").asInt()).isIn(4, 6);
        }
        if (r.has("dst_addr")) {
            assertThat(r.get("dst_addr").isTextual()).isTrue();
            assertThat(r.get("af").asInt()).isEqualTo(r.get("dst_addr").asText().contains(":") ? 6 : 4);
        }
        assertThat(r.get("result").isArray()).as("result must be a list (else 'Legacy formats not supported')").isTrue();
        if (r.get("type").asText().equals("traceroute")) {
            if (r.has("endtime")) {
                assertThat(r.get("endtime").isIntegralNumber()).isTrue();
                assertThat(r.get("endtime").asLong()).isGreaterThanOrEqualTo(r.get("timestamp").asLong());
            }
            for (JsonNode hop : r.get("result")) {
                assertThat(hop.get("hop").isInt()).isTrue();
                assertThat(hop.has("error")).as("a hop error is an error").isFalse();
                assertThat(hop.get("result").isArray()).isTrue();
                for (JsonNode p : hop.get("result")) {
                    if (p.has("from")) {
                        assertThat(p.get("from").isTextual()).isTrue();
                    }
                    if (p.has("rtt")) {
                        assertThat(p.get("rtt").isNumber()).isTrue();
                        assertThat(p.get("rtt").asDouble()).isPositive();
                    }
                    for (String i : List.of("size", "ttl", "mtu", "late", "ittl")) {
                        if (p.has(i)) {
                            assertThat(p.get(i).isInt()).as(i).isTrue();
                        }
                    }
                    if (p.has("x")) {
                        assertThat(p.get("x").asText()).isEqualTo("*");
                        assertThat(p.has("from")).isFalse();
                    }
                    if (p.has("icmpext")) {
                        JsonNode e = p.get("icmpext");
                        assertThat(e.get("version").isInt()).isTrue();
                        assertThat(e.get("rfc4884").isInt()).isTrue();
                        assertThat(e.get("obj").isArray()).isTrue();
                    }
                }
            }
        } else {
            for (String f : List.of("min", "avg", "max")) {
                assertThat(r.get(f).isNumber()).as("%s: sagan compares avg < 0, so it must be a number", f).isTrue();
            }
            for (String i : List.of("sent", "rcvd", "dup")) {
                assertThat(r.get(i).isIntegralNumber()).as(i).isTrue();
            }
            if (r.has("size")) {
                assertThat(r.get("size").isInt()).isTrue();
            }
            if (r.has("ttl")) {
                assertThat(r.get("ttl").isInt()).isTrue();
            }
            for (JsonNode p : r.get("result")) {
                if (p.has("rtt")) {
                    assertThat(p.get("rtt").isNumber()).as("a float, else ResultParseError").isTrue();
                }
                if (p.has("ttl")) {
                    assertThat(p.get("ttl").isInt()).as("an integer, else ResultParseError").isTrue();
                }
            }
        }
    }

    /** sagan's median of the non-duplicate packet RTTs (calculate_median). */
    static Double saganMedian(List<Double> rtts) {
        List<Double> s = new ArrayList<>(rtts);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2) + s.get(n / 2 - 1)) / 2.0;
    }

    private static JsonNode read(String line) throws Exception {
        assertThat(line).as("one record, one line").doesNotContain("\n");
        JsonNode r = JSON.readTree(line);
        asSaganReadsIt(r);
        return r;
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void traceroute() throws Exception {
        JsonNode r = read(AtlasJson.traceroute(Samples.trace()));
        assertThat(fields(r)).containsExactly("fw", "lts", "timestamp", "msm_id", "prb_id", "type", "msm_name", "from",
                "endtime", "dst_name", "dst_addr", "af", "proto", "result", "pathprobe");
        assertThat(r.get("fw").asInt()).isEqualTo(AtlasJson.FIRMWARE).isEqualTo(5000);
        assertThat(r.get("lts").asInt()).isEqualTo(-1);
        assertThat(r.get("timestamp").asLong()).isEqualTo(START_SECONDS);
        assertThat(r.get("endtime").asLong()).isEqualTo(START_SECONDS + 1); // 10:00:00.25 + 1.50025 s
        assertThat(r.get("msm_id").asInt()).isZero();
        assertThat(r.get("prb_id").asInt()).isZero();
        assertThat(r.get("type").asText()).isEqualTo("traceroute");
        assertThat(r.get("msm_name").asText()).isEqualTo("Traceroute");
        assertThat(r.get("from").asText()).as("the public address found by STUN").isEqualTo("198.18.0.2");
        assertThat(r.get("dst_name").asText()).isEqualTo(Samples.ODD_NAME);
        assertThat(r.get("dst_addr").asText()).isEqualTo("198.51.100.10");
        assertThat(r.get("af").asInt()).isEqualTo(4);
        assertThat(r.get("proto").asText()).isEqualTo("ICMP");
        JsonNode hops = r.get("result");
        assertThat(hops).hasSize(4);
        for (int i = 0; i < 4; i++) {
            // hop 2 lost one probe: what pathprobe made of it rides beside Atlas's "*" (issue 47)
            if (i == 1) {
                assertThat(fields(hops.get(i))).containsExactly("hop", "result", "pathprobe");
                JsonNode loss = hops.get(i).get("pathprobe");
                assertThat(fields(loss)).containsExactly("forward_lost", "backward_lost", "rate_limited");
                assertThat(loss.get("backward_lost").asInt()).isEqualTo(1);
                assertThat(loss.get("rate_limited").asInt()).isZero();
            } else {
                assertThat(fields(hops.get(i))).containsExactly("hop", "result");
            }
            assertThat(hops.get(i).get("hop").asInt()).isEqualTo(i + 1);
        }
        JsonNode h1 = hops.get(0).get("result");
        assertThat(h1).hasSize(3);
        assertThat(fields(h1.get(0))).containsExactly("from", "ttl", "rtt", "flow_id");
        assertThat(h1.get(0).get("from").asText()).isEqualTo("192.168.1.1");
        assertThat(h1.get(0).get("ttl").asInt()).isEqualTo(64);
        assertThat(List.of(h1.get(0).get("rtt").asDouble(), h1.get(1).get("rtt").asDouble(), h1.get(2).get("rtt").asDouble()))
                .containsExactly(0.5, 0.25, 0.125);
        JsonNode h2 = hops.get(1).get("result");
        assertThat(h2.get(0).get("rtt").asDouble()).as("milliseconds, 3 decimals").isEqualTo(1.0);
        assertThat(fields(h2.get(1))).containsExactly("x", "flow_id");
        assertThat(h2.get(1).get("x").asText()).isEqualTo("*");
        JsonNode ext = h2.get(0).get("icmpext");
        assertThat(ext.get("version").asInt()).isEqualTo(2);
        assertThat(ext.get("rfc4884").asInt()).isEqualTo(1);
        JsonNode obj = ext.get("obj").get(0);
        assertThat(obj.get("class").asInt()).isEqualTo(1);
        assertThat(obj.get("type").asInt()).isEqualTo(1);
        assertThat(obj.get("mpls").toString())
                .isEqualTo("[{\"label\":24001,\"exp\":0,\"s\":0,\"ttl\":254},{\"label\":16,\"exp\":5,\"s\":1,\"ttl\":1}]");
        JsonNode h3 = hops.get(2).get("result");
        assertThat(h3.get(0).get("from").asText()).isEqualTo("198.18.2.1");
        assertThat(h3.get(0).get("err").asText()).as("host unreachable").isEqualTo("H");
        assertThat(h3.get(0).get("ttl").asInt()).isEqualTo(252);
        assertThat(h3.get(1).get("error").asText()).isEqualTo("sendto failed: No buffer space available");
        JsonNode h4 = hops.get(3).get("result");
        assertThat(h4).as("the abandoned probe is not written").hasSize(1);
        assertThat(h4.get(0).has("err")).as("an echo reply has no err").isFalse();
        assertThat(h4.get(0).get("from").asText()).isEqualTo(r.get("dst_addr").asText());
        // sagan's derived values: destination_ip_responded, last_hop_responded, total_hops, last_median_rtt
        assertThat(hops.get(hops.size() - 1).findValuesAsText("from")).contains(r.get("dst_addr").asText());
        assertThat(hops.size()).isEqualTo(4);
        assertThat(saganMedian(List.of(h4.get(0).get("rtt").asDouble()))).isEqualTo(4.0);
        JsonNode pp = r.get("pathprobe");
        assertThat(fields(pp)).containsExactly("version", "measurement", "status", "transport", "duration_ms",
                "destination_reached", "flow_mode", "flows", "unmatched_replies", "protocol_note");
        assertThat(pp.get("version").asInt()).isEqualTo(AtlasJson.EXTENSION_VERSION);
        assertThat(pp.get("measurement").asText()).isEqualTo("trace");
        assertThat(pp.get("status").asText()).isEqualTo("DESTINATION_REACHED");
        assertThat(pp.get("duration_ms").asDouble()).isEqualTo(1500.25);
        assertThat(pp.get("unmatched_replies").asInt()).isEqualTo(2);
    }

    @Test
    void tracerouteOverIpv6AndUdp() throws Exception {
        JsonNode r = read(AtlasJson.traceroute(Samples.trace6()));
        assertThat(r.get("af").asInt()).isEqualTo(6);
        assertThat(r.get("dst_addr").asText()).isEqualTo("2001:db8::10");
        assertThat(r.get("proto").asText()).isEqualTo("UDP");
        assertThat(r.has("from")).as("no public address known").isFalse();
        JsonNode hops = r.get("result");
        assertThat(hops.get(0).get("result").get(0).get("err").asText()).as("ICMPv6 administratively prohibited").isEqualTo("A");
        assertThat(fields(hops.get(1).get("result").get(0))).as("a classic trace has no flow").containsExactly("x");
        JsonNode last = hops.get(2).get("result").get(0);
        assertThat(last.get("from").asText()).isEqualTo("2001:db8::10");
        assertThat(last.has("err")).as("the destination's own port unreachable ends a UDP trace: no err").isFalse();
        assertThat(r.get("pathprobe").get("flow_mode").asText()).isEqualTo("classic");
    }

    @Test
    void unreachableCodes() {
        io.pathprobe.probe.IcmpMessage v4 = new io.pathprobe.probe.IcmpMessage(3, 0, false);
        assertThat(AtlasJson.err(v4, false)).isEqualTo("N");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(3, 2, false), false)).isEqualTo("P");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(3, 3, false), false)).as("a router's port unreachable").isEqualTo("p");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(3, 3, false), true)).isNull();
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(3, 13, false), false)).isEqualTo("A");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(3, 4, false), false)).isEqualTo(4);
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(1, 0, true), false)).isEqualTo("N");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(1, 2, true), false)).isEqualTo("h");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(1, 3, true), false)).isEqualTo("H");
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(11, 0, false), false)).isNull();
        assertThat(AtlasJson.err(new io.pathprobe.probe.IcmpMessage(0, 0, false), true)).isNull();
    }

    @Test
    void pingOneRecordPerTarget() throws Exception {
        String text = AtlasJson.ping(Samples.ping());
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode r = read(lines.get(0));
        assertThat(fields(r)).containsExactly("fw", "lts", "timestamp", "msm_id", "prb_id", "type", "msm_name", "dst_name",
                "dst_addr", "af", "proto", "ttl", "size", "min", "avg", "max", "sent", "rcvd", "dup", "result", "pathprobe");
        assertThat(r.get("type").asText()).isEqualTo("ping");
        assertThat(r.get("msm_name").asText()).isEqualTo("Ping");
        assertThat(r.get("timestamp").asLong()).isEqualTo(START_SECONDS);
        assertThat(r.get("dst_name").asText()).isEqualTo("198.18.0.10");
        assertThat(r.get("dst_addr").asText()).isEqualTo("198.18.0.10");
        assertThat(r.get("proto").asText()).isEqualTo("ICMP");
        assertThat(r.get("ttl").asInt()).as("the first reply's").isEqualTo(62);
        assertThat(r.get("size").asInt()).as("64-byte replies: 56 bytes of payload (fw >= 4570: without the ICMP header)")
                .isEqualTo(56);
        assertThat(r.get("min").asDouble()).isEqualTo(1.0);
        assertThat(r.get("avg").asDouble()).isEqualTo(2.0);
        assertThat(r.get("max").asDouble()).isEqualTo(3.0);
        assertThat(r.get("min").isDouble()).isTrue();
        assertThat(r.get("sent").asInt()).isEqualTo(5);
        assertThat(r.get("rcvd").asInt()).isEqualTo(3);
        assertThat(r.get("dup").asInt()).isEqualTo(1);
        assertThat(r.get("result").toString())
                .isEqualTo("[{\"rtt\":1.0},{\"rtt\":3.0},{\"rtt\":2.0,\"ttl\":61},{\"x\":\"*\"},{\"x\":\"*\"}]");
        List<Double> rtts = new ArrayList<>();
        r.get("result").forEach(p -> {
            if (p.has("rtt")) {
                rtts.add(p.get("rtt").asDouble());
            }
        });
        assertThat(rtts).hasSize(r.get("rcvd").asInt());
        assertThat(saganMedian(rtts)).as("sagan's rtt_median").isEqualTo(2.0);
        JsonNode pp = r.get("pathprobe");
        assertThat(pp.get("measurement").asText()).isEqualTo("ping");
        assertThat(pp.get("lost").asInt()).isEqualTo(2);
        assertThat(pp.get("errors").asInt()).isEqualTo(1);
        assertThat(pp.get("loss").asDouble()).isEqualTo(0.4);
        assertThat(pp.get("probes_written").asInt()).isEqualTo(5);
        assertThat(pp.get("error").asText()).isEqualTo("host unreachable from 198.18.0.1");

        JsonNode unknown = read(lines.get(1));
        assertThat(unknown.get("dst_name").asText()).isEqualTo("no.such.name.lab.example");
        assertThat(unknown.has("dst_addr")).isFalse();
        assertThat(unknown.get("avg").asDouble()).as("-1 when nothing was received: sagan reads None").isEqualTo(-1.0);
        assertThat(unknown.get("min").asDouble()).isEqualTo(-1.0);
        assertThat(unknown.get("max").asDouble()).isEqualTo(-1.0);
        assertThat(unknown.get("sent").asInt()).isZero();
        assertThat(unknown.get("result").toString()).isEqualTo("[{\"error\":\"unknown host: no.such.name.lab.example\"}]");

        PingRequest request = PingRequest.builder().targets("198.18.0.10").payloadSize(100).build();
        assertThat(JSON.readTree(AtlasJson.ping(Samples.ping(), request).lines().findFirst().orElseThrow()).get("size")
                .asInt()).isEqualTo(100);
        PingRequest defaults = PingRequest.builder().targets("198.18.0.10").build();
        assertThat(JSON.readTree(AtlasJson.ping(Samples.ping(), defaults).lines().findFirst().orElseThrow()).get("size")
                .asInt()).isEqualTo(56);
        StringWriter w = new StringWriter();
        AtlasJson.ping(Samples.ping(), w);
        assertThat(w.toString()).isEqualTo(text + "\n");
    }

    @Test
    void dnsAndHttpPingsHaveNoAtlasRecord() {
        PingTargetResult dns = new PingTargetResult(0, "198.18.0.53", Optional.of(Samples.ip("198.18.0.53")), PingKind.DNS,
                "dns", Optional.empty(), Optional.empty(), PingStatistics.EMPTY, List.of());
        PingResult r = new PingResult(List.of(dns), PingStatus.COMPLETED, Samples.START, Samples.ms(1));
        assertThatThrownBy(() -> AtlasJson.ping(r)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS");
        assertThat(Set.of(PingKind.values()).stream().filter(AtlasJson::supports).toList())
                .containsExactlyInAnyOrder(PingKind.ICMP, PingKind.UDP, PingKind.TCP);
    }

    @Test
    void multipathRepliesCarryTheirFlow() throws Exception {
        JsonNode r = read(AtlasJson.multipath(Samples.multipath()));
        assertThat(r.get("type").asText()).isEqualTo("traceroute");
        assertThat(r.get("proto").asText()).isEqualTo("UDP");
        assertThat(r.get("dst_addr").asText()).isEqualTo("198.18.10.1");
        JsonNode hops = r.get("result");
        assertThat(hops).hasSize(3);
        JsonNode h1 = hops.get(0).get("result");
        assertThat(h1).hasSize(5);
        for (int f = 0; f < 5; f++) {
            assertThat(fields(h1.get(f))).containsExactly("from", "flow_id");
            assertThat(h1.get(f).get("from").asText()).isEqualTo("198.18.0.1");
            assertThat(h1.get(f).get("flow_id").asInt()).isEqualTo(f);
        }
        JsonNode h2 = hops.get(1).get("result");
        assertThat(h2.toString()).isEqualTo("[{\"from\":\"198.18.1.1\",\"flow_id\":0},{\"from\":\"198.18.1.1\",\"flow_id\":2},"
                + "{\"from\":\"198.18.2.1\",\"flow_id\":1},{\"from\":\"198.18.2.1\",\"flow_id\":3},{\"x\":\"*\",\"flow_id\":4}]");
        JsonNode nodes = hops.get(1).get("pathprobe").get("nodes");
        assertThat(nodes).hasSize(3);
        assertThat(nodes.get(0).get("rtt_avg").asDouble()).isEqualTo(0.25);
        assertThat(nodes.get(2).get("address").isNull()).isTrue();
        assertThat(hops.get(2).get("result")).hasSize(4);
        assertThat(hops.get(2).get("pathprobe").get("nodes").get(0).get("destination").asBoolean()).isTrue();
        JsonNode pp = r.get("pathprobe");
        assertThat(pp.get("measurement").asText()).isEqualTo("multipath");
        assertThat(pp.get("algorithm").asText()).isEqualTo("mda-lite");
        assertThat(pp.get("links")).hasSize(4);
        assertThat(pp.get("links").get(0).toString()).isEqualTo("{\"ttl\":1,\"from\":\"198.18.0.1\",\"to\":\"198.18.1.1\",\"flows\":2}");
        assertThat(pp.get("global_confidence").asDouble()).isEqualTo(90.25);
        io.pathprobe.multipath.MultipathResult m = Samples.multipath();
        io.pathprobe.multipath.MultipathResult unresolved = new io.pathprobe.multipath.MultipathResult(m.request(), InetAddress.getByName("0.0.0.0"),
                "", m.protocol(), io.pathprobe.multipath.MultipathStatus.CANCELLED, m.startedAt(), m.duration(), List.of(), List.of(),
                List.of(), List.of(), 0, 0, 95.0, 100.0, false, List.of(), List.of());
        JsonNode u = read(AtlasJson.multipath(unresolved));
        assertThat(u.has("dst_addr")).as("ended before the target resolved").isFalse();
        assertThat(u.has("af")).isFalse();
        assertThat(u.get("result")).isEmpty();
        assertThat(u.get("pathprobe").get("status").asText()).isEqualTo("CANCELLED");
    }
}
