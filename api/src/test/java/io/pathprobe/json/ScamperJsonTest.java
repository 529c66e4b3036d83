package io.pathprobe.json;

import static io.pathprobe.testing.Samples.ip;
import static io.pathprobe.testing.ScamperShapes.line;
import static io.pathprobe.testing.ScamperShapes.missing;
import static io.pathprobe.testing.ScamperShapes.parse;
import static io.pathprobe.testing.ScamperShapes.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.enrich.PathContext;
import io.pathprobe.enrich.Responder;
import io.pathprobe.multipath.Diamond;
import io.pathprobe.multipath.LoadBalancing;
import io.pathprobe.multipath.MultipathLink;
import io.pathprobe.multipath.MultipathNode;
import io.pathprobe.multipath.MultipathRequest;
import io.pathprobe.multipath.MultipathResult;
import io.pathprobe.multipath.MultipathStatus;
import io.pathprobe.probe.IcmpMessage;
import io.pathprobe.probe.ProbeProtocol;
import io.pathprobe.probe.ProbeStatus;
import io.pathprobe.testing.Samples;
import io.pathprobe.testing.ScamperShapes;
import io.pathprobe.trace.FlowMode;
import io.pathprobe.trace.Hop;
import io.pathprobe.trace.HopStatistics;
import io.pathprobe.trace.ProbeResult;
import io.pathprobe.trace.TraceRequest;
import io.pathprobe.trace.TraceResult;
import io.pathprobe.trace.TraceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ScamperJson} against scamper's own output: the samples in {@code resources/io/pathprobe/json/scamper}
 * (scamper 20211212 in lab namespaces: see the README there). A trace sample is measured again as a pathprobe
 * result (the same answers), and written: the same keys per object, the same kinds of value (an integer stays
 * an integer, an RTT a three-decimal number), the same values where pathprobe has them. A tracelb sample's
 * topology is built as a pathprobe discovery: every key path of scamper's object is in ours, with the same kind
 * of value, and the addresses by TTL are scamper's. Then the mapping on hand-built results: stop reasons, MPLS,
 * names, IPv6, a silent hop, the cycle lines.
 */
class ScamperJsonTest {
    private static String sample(String name) {
        try (InputStream in = ScamperJsonTest.class.getResourceAsStream("scamper/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What a scamper trace saw, as a pathprobe result: its answers, a timeout per attempt at a silent TTL. */
    static TraceResult replay(JsonNode s) {
        String method = s.get("method").asText();
        ProbeProtocol protocol = method.startsWith("icmp") ? ProbeProtocol.ICMP
                : method.startsWith("udp") ? ProbeProtocol.UDP : ProbeProtocol.TCP;
        FlowMode flow = method.endsWith("paris") ? FlowMode.PARIS : FlowMode.CLASSIC;
        InetAddress dst = ip(s.get("dst").asText());
        boolean v6 = dst instanceof Inet6Address;
        int attempts = s.get("attempts").asInt();
        TraceRequest.Builder b = TraceRequest.builder(dst).protocol(protocol).flowMode(flow).probesPerTtl(attempts)
                .firstTtl(s.get("firsthop").asInt()).probeTimeout(Duration.ofSeconds(s.get("wait").asInt()));
        if (s.has("dport")) {
            b.destinationPort(s.get("dport").asInt());
        }
        List<Hop> hops = new ArrayList<>();
        for (int ttl = s.get("firsthop").asInt(); ttl <= s.get("hop_count").asInt(); ttl++) {
            List<ProbeResult> probes = new ArrayList<>();
            Map<InetAddress, Integer> answers = new LinkedHashMap<>();
            for (JsonNode h : s.path("hops")) {
                if (h.get("probe_ttl").asInt() != ttl) {
                    continue;
                }
                InetAddress from = ip(h.get("addr").asText());
                IcmpMessage icmp = new IcmpMessage(h.get("icmp_type").asInt(), h.get("icmp_code").asInt(), v6);
                boolean destination = from.equals(dst) || icmp.isPortUnreachable();
                ProbeStatus status = icmp.isUnreachable() && !destination ? ProbeStatus.UNREACHABLE : ProbeStatus.REPLY;
                Duration rtt = Duration.ofNanos(h.get("rtt").decimalValue().movePointRight(6).longValueExact());
                probes.add(new ProbeResult(ttl, h.get("probe_id").asInt() - 1, status, Optional.of(from),
                        Optional.of(rtt), Optional.of(icmp), destination, Optional.empty(),
                        OptionalInt.of(h.get("reply_ttl").asInt()), List.of()));
                answers.merge(from, 1, Integer::sum);
            }
            int answered = probes.size();
            for (int a = 0; answered == 0 && a < attempts; a++) {
                probes.add(Samples.status(ttl, a, ProbeStatus.TIMEOUT, Optional.empty()));
            }
            List<Responder> responders = new ArrayList<>();
            answers.forEach((a, n) -> responders.add(new Responder(a, n)));
            hops.add(new Hop(ttl, probes, responders, new HopStatistics(probes.size(), answered,
                    probes.size() - answered, 0, Optional.empty())));
        }
        TraceStatus status = switch (s.get("stop_reason").asText()) {
            case "COMPLETED" -> TraceStatus.DESTINATION_REACHED;
            case "UNREACH" -> TraceStatus.UNREACHABLE;
            default -> throw new AssertionError(s.get("stop_reason"));
        };
        JsonNode start = s.get("start");
        return new TraceResult(dst.getHostAddress(), Optional.of(dst), protocol, "replay", status, hops,
                Instant.ofEpochSecond(start.get("sec").asLong(), start.get("usec").asLong() * 1000), Duration.ofSeconds(1),
                0, Optional.empty(), flow, 1, PathContext.OFF, b.build(), Optional.empty());
    }

    /** The keys whose values pathprobe knows (the others are placeholders, or scamper's own: its source port). */
    private static final List<String> SAME_VALUES = List.of("type", "version", "userid", "method", "dst", "dport",
            "stop_reason", "stop_data", "hop_count", "attempts", "firsthop", "wait", "wait_probe", "tos",
            "probe_count");
    private static final List<String> SAME_HOP_VALUES = List.of("addr", "probe_ttl", "probe_id", "rtt", "reply_ttl",
            "icmp_type", "icmp_code");

    @ParameterizedTest
    @ValueSource(strings = {"trace-udp-paris.json", "trace-icmp-paris.json", "trace-udp-paris-unreach.json",
        "trace-udp-paris-v6.json", "trace-icmp-paris-v6.json"})
    void aTraceScamperMadeIsWrittenWithItsKeysItsKindsOfValueAndItsValues(String name) {
        JsonNode scamper = line(sample(name), "trace");
        String written = ScamperJson.trace(replay(scamper));
        assertThat(written).as("one line").doesNotContain("\n");
        JsonNode ours = parse(written);
        assertThat(ours.properties().stream().map(Map.Entry::getKey).toList()).as("the keys, in scamper's order")
                .isEqualTo(scamper.properties().stream().map(Map.Entry::getKey).toList());
        assertThat(shape(ours)).as("every key path and kind of value").isEqualTo(shape(scamper));
        for (String key : SAME_VALUES) {
            assertThat(ours.get(key)).as(key).isEqualTo(scamper.get(key));
        }
        assertThat(ours.get("start").get("sec")).isEqualTo(scamper.get("start").get("sec"));
        assertThat(ours.get("start").get("usec")).isEqualTo(scamper.get("start").get("usec"));
        assertThat(ours.get("start").get("ftime").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(ours.get("hops")).hasSameSizeAs(scamper.get("hops"));
        for (int i = 0; i < scamper.get("hops").size(); i++) {
            JsonNode s = scamper.get("hops").get(i);
            JsonNode o = ours.get("hops").get(i);
            assertThat(o.properties().stream().map(Map.Entry::getKey).toList()).as("hop %d", i)
                    .isEqualTo(s.properties().stream().map(Map.Entry::getKey).toList());
            for (String key : SAME_HOP_VALUES) {
                assertThat(o.get(key)).as("hop %d %s", i, key).isEqualTo(s.get(key));
            }
        }
        assertThat(ScamperShapes.traceAddresses(ours)).isEqualTo(ScamperShapes.traceAddresses(scamper));
    }

    private static MultipathNode node(int ttl, String address, boolean destination, List<Integer> flows) {
        return new MultipathNode(ttl, Optional.of(ip(address)), flows.size(), flows, destination, LoadBalancing.PER_FLOW,
                Optional.of(Samples.rtt(0.07, 0.0805, 0.09)));
    }

    private static MultipathResult discovery(MultipathRequest request, ProbeProtocol protocol, List<MultipathNode> nodes) {
        List<MultipathLink> links = new ArrayList<>();
        for (MultipathNode a : nodes) {
            for (MultipathNode b : nodes) {
                List<Integer> both = new ArrayList<>(a.flows());
                both.retainAll(b.flows());
                if (b.ttl() == a.ttl() + 1 && !both.isEmpty() && !a.destination()) {
                    links.add(new MultipathLink(a.ttl(), a.address(), b.address(), both.size()));
                }
            }
        }
        InetAddress dst = request.address().orElseThrow();
        return new MultipathResult(request, dst, "hand-built", protocol, MultipathStatus.COMPLETED, Samples.START,
                Duration.ofSeconds(2), nodes, links, List.<Diamond>of(), List.of(), 30, 19, 95.0, 90.25, true, List.of(),
                List.of());
    }

    /** The lab of the udp-dport sample: 198.18.0.2, two routers at TTL 2, 198.18.5.2, the destination at TTL 4. */
    static MultipathResult diamond() {
        List<Integer> all = IntStream.rangeClosed(0, 10).boxed().toList();
        return discovery(MultipathRequest.builder(ip("198.19.0.1")).destinationPort(33435).build(), ProbeProtocol.UDP,
                List.of(node(1, "198.18.0.2", false, all), node(2, "198.18.4.2", false, List.of(1, 2, 4, 8, 9, 10)),
                        node(2, "198.18.4.6", false, List.of(0, 3, 5, 6, 7)), node(3, "198.18.5.2", false, all),
                        node(4, "198.19.0.1", true, List.of(0))));
    }

    /** The lab of the IPv6 icmp-echo sample: a chain of 5 whose TTL 2 is silent. */
    static MultipathResult chainWithASilentHop() {
        List<Integer> flows = List.of(1, 2, 3, 4, 5, 6);
        MultipathNode silent = new MultipathNode(2, Optional.empty(), 0, flows, false, LoadBalancing.PER_FLOW,
                Optional.empty());
        return discovery(MultipathRequest.builder(ip("2001:db8:100::1")).protocol(ProbeProtocol.ICMP).build(),
                ProbeProtocol.ICMP, List.of(node(1, "2001:db8:1::2", false, flows), silent,
                        node(3, "2001:db8:1:2::2", false, flows), node(4, "2001:db8:1:3::2", false, flows),
                        node(5, "2001:db8:100::1", true, List.of(1))));
    }

    @Test
    void aDiscoveryIsWrittenWithEveryKeyPathAndKindOfValueOfScampersTracelb() {
        for (String name : List.of("tracelb-udp-dport.json", "tracelb-icmp-echo.json", "tracelb-icmp-echo-v6.json")) {
            JsonNode scamper = line(sample(name), "tracelb");
            MultipathResult r = name.contains("v6") ? chainWithASilentHop() : diamond();
            if (name.contains("icmp-echo.json")) {
                r = discovery(MultipathRequest.builder(ip("198.19.0.1")).protocol(ProbeProtocol.ICMP).build(),
                        ProbeProtocol.ICMP, diamond().nodes());
            }
            String written = ScamperJson.tracelb(r);
            assertThat(written).as("one line").doesNotContain("\n");
            JsonNode ours = parse(written);
            assertThat(missing(shape(scamper), shape(ours))).as("%s against%n%s", name, written).isEmpty();
            for (String key : List.of("type", "version", "userid", "method", "dst", "firsthop", "attempts",
                    "confidence", "tos", "gaplimit")) {
                assertThat(ours.get(key)).as("%s: %s", name, key).isEqualTo(scamper.get(key));
            }
            if (!name.contains("icmp-echo.json")) { // scamper's ICMP flows all took one branch of the diamond
                assertThat(ScamperShapes.tracelbAddresses(ours)).as(name)
                        .isEqualTo(ScamperShapes.tracelbAddresses(scamper));
            }
        }
    }

    @Test
    void aDiscoveryNestsItsLinksAsScamperDoes() {
        JsonNode t = parse(ScamperJson.tracelb(diamond()));
        assertThat(t.get("method").asText()).isEqualTo("udp-dport");
        assertThat(t.get("sport").asInt()).isZero();
        assertThat(t.get("dport").asInt()).isEqualTo(33435);
        assertThat(t.get("probec").asInt()).as("the discovery's probes, scamper's count").isEqualTo(19);
        assertThat(t.get("nodec").asInt()).isEqualTo(5);
        assertThat(t.get("linkc").asInt()).isEqualTo(5);
        JsonNode nodes = t.get("nodes");
        assertThat(nodes.get(0).get("addr").asText()).isEqualTo("198.18.0.2");
        assertThat(nodes).as("the destination has no link onward: left out, as scamper does").hasSize(4);
        JsonNode first = nodes.get(0);
        assertThat(first.get("linkc").asInt()).isEqualTo(2);
        assertThat(first.get("links")).as("one array, an object per link").hasSize(1);
        assertThat(first.get("links").get(0).findValuesAsText("addr")).containsExactly("198.18.4.2", "198.18.4.6");
        JsonNode probe = first.get("links").get(0).get(0).get("probes").get(0);
        assertThat(probe.get("flowid").asInt()).isEqualTo(1);
        assertThat(probe.get("ttl").asInt()).isEqualTo(2);
        JsonNode reply = probe.get("replies").get(0);
        assertThat(reply.get("icmp_type").asInt()).as("a router: Time Exceeded").isEqualTo(11);
        assertThat(reply.get("rtt").decimalValue()).as("the node's mean, three decimals").isEqualTo(new BigDecimal("0.081"));
        JsonNode last = nodes.get(3).get("links").get(0).get(0);
        assertThat(last.get("addr").asText()).isEqualTo("198.19.0.1");
        JsonNode toDestination = last.get("probes").get(0).get("replies").get(0);
        assertThat(toDestination.get("icmp_type").asInt()).as("UDP: the destination's Port Unreachable").isEqualTo(3);
        assertThat(toDestination.get("icmp_code").asInt()).isEqualTo(3);

        JsonNode v6 = parse(ScamperJson.tracelb(chainWithASilentHop()));
        assertThat(v6.get("method").asText()).isEqualTo("icmp-echo");
        assertThat(v6.has("sport")).isFalse();
        JsonNode chain = v6.get("nodes").get(0).get("links");
        assertThat(chain.toString()).as("a link through a silent hop: scamper's link of two hops")
                .startsWith("[[{\"addr\":\"*\"}],[{\"addr\":\"2001:db8:1:2::2\",\"probes\":[");
        JsonNode echo = v6.get("nodes").get(3).get("links").get(0).get(0).get("probes").get(0).get("replies").get(0);
        assertThat(echo.get("icmp_type").asInt()).isEqualTo(129);
        assertThat(echo.has("ipid")).as("IPv4 only").isFalse();
        assertThat(echo.has("icmp_q_ttl")).as("an Echo Reply quotes nothing").isFalse();
    }

    private static TraceResult with(TraceResult r, TraceStatus status) {
        return new TraceResult(r.target(), r.destination(), r.protocol(), r.transport(), status, r.hops(), r.startedAt(),
                r.duration(), r.unmatchedReplies(), r.protocolNote(), r.flowMode(), r.flows(), r.context(), r.request(),
                r.tcpMode());
    }

    @Test
    void stopReasonsAreScampersWords() {
        TraceResult r = Samples.trace();
        Map<TraceStatus, String> expected = Map.of(TraceStatus.DESTINATION_REACHED, "COMPLETED",
                TraceStatus.UNREACHABLE, "UNREACH", TraceStatus.MAX_HOPS_EXCEEDED, "HOPLIMIT",
                TraceStatus.DEADLINE_EXCEEDED, "HALTED", TraceStatus.CANCELLED, "HALTED", TraceStatus.NO_ROUTE, "ERROR",
                TraceStatus.SEND_FAILED, "ERROR", TraceStatus.RUNNING, "NONE");
        assertThat(expected.keySet()).as("every status").containsExactlyInAnyOrder(TraceStatus.values());
        expected.forEach((status, reason) -> {
            JsonNode t = parse(ScamperJson.trace(with(r, status)));
            assertThat(t.get("stop_reason").asText()).as("%s", status).isEqualTo(reason);
            assertThat(t.get("stop_data").asInt()).as("%s: the unreachable's code (host: 1)", status)
                    .isEqualTo(status == TraceStatus.UNREACHABLE ? 1 : 0);
        });
        JsonNode v6 = parse(ScamperJson.trace(Samples.trace6()));
        assertThat(v6.get("stop_data").asInt()).as("the router's administratively prohibited, not the port unreachable")
                .isEqualTo(1);
    }

    @Test
    void aTraceCarriesItsAnswersRttsLabelsAndNames() {
        String written = ScamperJson.trace(Samples.trace(), ip("192.168.1.10"));
        assertThat(written).doesNotContain("\n").startsWith("{\"type\":\"trace\",\"version\":\"0.1\",\"userid\":0,");
        JsonNode t = parse(written);
        assertThat(t.get("method").asText()).isEqualTo("icmp-echo-paris");
        assertThat(t.get("src").asText()).isEqualTo("192.168.1.10");
        assertThat(t.get("dst").asText()).isEqualTo("198.51.100.10");
        assertThat(t.get("icmp_sum").asInt()).isZero();
        assertThat(t.has("sport")).isFalse();
        assertThat(t.get("hop_count").asInt()).isEqualTo(4);
        assertThat(t.get("probe_count").asInt()).as("all but the send failure").isEqualTo(9);
        assertThat(t.get("start").get("sec").asLong()).isEqualTo(Samples.START.getEpochSecond());
        assertThat(t.get("start").get("usec").asInt()).isEqualTo(250_000);
        JsonNode hops = t.get("hops");
        assertThat(hops).as("one object per answer: 3 + 2 + 1 + 1").hasSize(7);
        assertThat(hops.get(0).get("name").asText()).isEqualTo("router.home.lab.example");
        assertThat(hops.get(0).get("probe_id").asInt()).as("attempt 0 is scamper's probe 1").isEqualTo(1);
        assertThat(List.of(hops.get(0), hops.get(1), hops.get(2), hops.get(3)).stream()
                .map(h -> h.get("rtt").decimalValue()).toList()).as("ms, three decimals, from the microsecond")
                .containsExactly(new BigDecimal("0.500"), new BigDecimal("0.250"), new BigDecimal("0.125"),
                        new BigDecimal("1.000"));
        assertThat(written).contains("\"rtt\":0.500,").contains("\"rtt\":1.000,");
        JsonNode ext = hops.get(3).get("icmpext");
        assertThat(ext.toString()).isEqualTo("[{\"ie_cn\":1,\"ie_ct\":1,\"ie_dl\":8,\"mpls_labels\":["
                + "{\"mpls_ttl\":254,\"mpls_s\":0,\"mpls_exp\":0,\"mpls_label\":24001},"
                + "{\"mpls_ttl\":1,\"mpls_s\":1,\"mpls_exp\":5,\"mpls_label\":16}]}]");
        assertThat(hops.get(5).get("icmp_code").asInt()).as("the router's host unreachable").isEqualTo(1);
        JsonNode echo = hops.get(6);
        assertThat(echo.get("icmp_type").asInt()).isZero();
        assertThat(echo.has("icmp_q_ttl")).as("an Echo Reply quotes nothing").isFalse();
        assertThat(echo.get("reply_ttl").asInt()).isEqualTo(61);

        JsonNode v6 = parse(ScamperJson.trace(Samples.trace6()));
        assertThat(v6.get("method").asText()).isEqualTo("udp");
        assertThat(v6.get("src").asText()).as("no source given: the unspecified address").isEqualTo("::");
        assertThat(v6.get("dport").asInt()).isEqualTo(TraceRequest.DEFAULT_UDP_PORT);
        assertThat(v6.get("hops")).as("the silent TTL has no object").hasSize(2);
        assertThat(v6.get("hops").get(0).has("icmp_q_ipl")).isTrue();
        assertThat(v6.get("hops").get(0).has("icmp_q_tos")).as("IPv4 only").isFalse();
    }

    @Test
    void aTraceWithoutAnswersHasNoHopsAndTheUnspecifiedDestination() {
        TraceResult r = new TraceResult("nowhere.lab.example", Optional.empty(), ProbeProtocol.UDP, "",
                TraceStatus.NO_ROUTE, List.of(), Samples.START, Duration.ZERO, 0, Optional.empty(), FlowMode.PARIS, 1,
                PathContext.OFF, TraceRequest.of("nowhere.lab.example"), Optional.empty());
        JsonNode t = parse(ScamperJson.trace(r));
        assertThat(t.get("dst").asText()).isEqualTo("0.0.0.0");
        assertThat(t.get("stop_reason").asText()).isEqualTo("ERROR");
        assertThat(t.get("hop_count").asInt()).isZero();
        assertThat(t.has("hops")).as("as scamper: no hops key without an answer").isFalse();
    }

    @Test
    void cycleLinesAreScampers() {
        for (String name : List.of("trace-udp-paris.json", "tracelb-udp-dport.json")) {
            String out = sample(name);
            JsonNode start = line(out, "cycle-start");
            JsonNode stop = line(out, "cycle-stop");
            JsonNode ours = parse(ScamperJson.cycleStart(Samples.START, "vm"));
            JsonNode oursStop = parse(ScamperJson.cycleStop(Samples.START.plusSeconds(3), "vm"));
            assertThat(shape(ours)).isEqualTo(shape(start));
            assertThat(shape(oursStop)).isEqualTo(shape(stop));
            assertThat(ours.get("list_name")).isEqualTo(start.get("list_name"));
            assertThat(ours.get("id")).isEqualTo(start.get("id"));
            assertThat(oursStop.get("stop_time").asLong()).isEqualTo(Samples.START.getEpochSecond() + 3);
        }
    }
}
