package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --format atlas|json|scamper} of trace, ping and multipath through a lab diamond (router 1, two
 * parallel routers at TTL 2, router 3, the destination at TTL 4), and an error of a JSON run (a name
 * that does not resolve: the namespace has no resolver) as one JSON object on stdout.
 */
@LabTest
class CliFormatLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.diamond(2, EcmpHash.LINUX_L4).icmpUnlimited("every output format of the same measurements, compared with each other").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    /** The Atlas keys every record has, with the values of a local measurement. */
    private static JsonNode atlasRecord(String line, String type, Instant before) throws Exception {
        JsonNode r = JSON.readTree(line);
        assertThat(r.get("fw").asInt()).isEqualTo(5000);
        assertThat(r.get("type").asText()).isEqualTo(type);
        assertThat(r.get("msm_id").isInt()).isTrue();
        assertThat(r.get("msm_id").asInt()).isZero();
        assertThat(r.get("prb_id").asInt()).isZero();
        assertThat(r.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(r.get("timestamp").asLong()).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
        assertThat(r.get("lts").asInt()).isEqualTo(-1);
        assertThat(r.get("dst_addr").asText()).isEqualTo(dest(LAB));
        assertThat(r.get("af").asInt()).isEqualTo(4);
        assertThat(r.get("result").isArray()).isTrue();
        return r;
    }

    @Test
    void traceAsAtlas() throws Exception {
        for (String protocol : List.of("icmp", "udp")) {
            Instant before = Instant.now();
            Run run = CLI.run("trace", "--format", "atlas", "--protocol", protocol, dest(LAB));
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<String> lines = run.out().lines().toList();
            assertThat(lines).as("one record on one line").hasSize(1);
            JsonNode r = atlasRecord(lines.get(0), "traceroute", before);
            assertThat(r.get("proto").asText()).isEqualTo(protocol.toUpperCase());
            assertThat(r.get("dst_name").asText()).isEqualTo(dest(LAB));
            assertThat(r.get("endtime").asLong()).isGreaterThanOrEqualTo(r.get("timestamp").asLong());
            JsonNode hops = r.get("result");
            assertThat(hops).hasSize(4);
            for (int i = 0; i < hops.size(); i++) {
                JsonNode hop = hops.get(i);
                assertThat(hop.get("hop").asInt()).isEqualTo(i + 1);
                assertThat(hop.get("result")).as("3 probes per hop").hasSize(3);
                for (JsonNode reply : hop.get("result")) {
                    assertThat(reply.has("x")).as("hop %d answered: %s", i + 1, reply).isFalse();
                    assertThat(LAB.lab().expectedResponders(i + 1)).contains(InetAddress.getByName(reply.get("from").asText()));
                    assertThat(reply.get("rtt").isNumber()).isTrue();
                    // an answer counts only within the 1 s probe timeout
                    assertThat(reply.get("rtt").asDouble()).isPositive().isLessThanOrEqualTo(1000);
                    assertThat(reply.get("ttl").asInt()).isBetween(60, 64);
                    assertThat(reply.has("err")).as("time exceeded, echo reply, the destination's port unreachable").isFalse();
                    assertThat(reply.get("flow_id").asInt()).as("one Paris flow").isZero();
                }
            }
            assertThat(r.get("pathprobe").get("destination_reached").asBoolean()).isTrue();
        }
    }

    @Test
    void formatJsonIsJson() throws Exception {
        Run run = CLI.run("trace", "--format", "json", dest(LAB));
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = JSON.readTree(run.out());
        assertThat(j.get("schemaVersion").asInt()).isEqualTo(11);
        assertThat(j.get("hops")).hasSize(4);
        Run ping = CLI.run("ping", "--format", "json", "-c", "2", "-i", "0.05", dest(LAB));
        assertThat(ping.exitCode()).as(ping.err()).isZero();
        assertThat(JSON.readTree(ping.out()).get("results").get(0).get("received").asInt()).isEqualTo(2);
    }

    @Test
    void pingAsAtlas() throws Exception {
        Instant before = Instant.now();
        Run run = CLI.run("ping", "--format", "atlas", "-c", "3", "-i", "0.05", dest(LAB));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode r = atlasRecord(lines.get(0), "ping", before);
        assertThat(r.get("proto").asText()).isEqualTo("ICMP");
        assertThat(r.get("sent").asInt()).isEqualTo(3);
        assertThat(r.get("rcvd").asInt()).isEqualTo(3);
        assertThat(r.get("dup").asInt()).isZero();
        assertThat(r.get("size").asInt()).as("ping's default payload").isEqualTo(56);
        assertThat(r.get("ttl").asInt()).as("64 less the 3 routers on the way back").isEqualTo(61);
        double min = r.get("min").asDouble();
        double avg = r.get("avg").asDouble();
        double max = r.get("max").asDouble();
        assertThat(min).isPositive().isLessThanOrEqualTo(avg);
        assertThat(avg).isLessThanOrEqualTo(max);
        JsonNode results = r.get("result");
        assertThat(results).hasSize(3);
        for (JsonNode p : results) {
            assertThat(p.get("rtt").asDouble()).isBetween(min, max);
        }
        Run two = CLI.run("ping", "--format", "atlas", "-c", "2", "-i", "0.05", "-s", "100", dest(LAB), "198.18.0.1");
        assertThat(two.exitCode()).as(two.err()).isZero();
        List<String> records = two.out().lines().toList();
        assertThat(records).as("one record per target").hasSize(2);
        assertThat(JSON.readTree(records.get(0)).get("size").asInt()).isEqualTo(100);
        assertThat(JSON.readTree(records.get(1)).get("dst_addr").asText()).isEqualTo("198.18.0.1");
        assertThat(JSON.readTree(records.get(1)).get("rcvd").asInt()).isEqualTo(2);
    }

    @Test
    void multipathAsAtlasHasAReplyPerFlow() throws Exception {
        Instant before = Instant.now();
        Run run = CLI.run("multipath", "--format", "atlas", "--confidence", "99.9", "--path-probes", "2", "-m", "8",
                dest(LAB));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode r = atlasRecord(lines.get(0), "traceroute", before);
        assertThat(r.get("proto").asText()).isEqualTo("UDP");
        JsonNode hops = r.get("result");
        assertThat(hops).hasSize(4);
        Set<String> ttl2 = new HashSet<>();
        List<Integer> flows = new ArrayList<>();
        for (JsonNode reply : hops.get(1).get("result")) {
            ttl2.add(reply.get("from").asText());
            flows.add(reply.get("flow_id").asInt());
        }
        assertThat(ttl2).as("both branches of the diamond").isEqualTo(addresses(LAB.lab().expectedResponders(2)));
        assertThat(flows).doesNotHaveDuplicates();
        for (JsonNode hop : hops) {
            assertThat(flowsOf(hop)).as("a reply per flow that reached a node").hasSize(hop.get("result").size());
        }
        assertThat(hops.get(1).get("pathprobe").get("nodes")).hasSize(2);
        assertThat(r.get("pathprobe").get("measurement").asText()).isEqualTo("multipath");
        assertThat(r.get("pathprobe").get("complete").asBoolean()).isTrue();
        for (JsonNode reply : hops.get(3).get("result")) {
            assertThat(reply.get("from").asText()).isEqualTo(dest(LAB));
        }
    }

    @Test
    void traceAndMultipathAsScamperAreScampersLines() throws Exception {
        Instant before = Instant.now();
        for (List<String> args : List.of(List.of("trace", "--format", "scamper", "--protocol", "udp", dest(LAB)),
                List.of("multipath", "--format", "scamper", "--confidence", "99.9", "--path-probes", "0", "-m", "8",
                        dest(LAB)))) {
            Run run = CLI.run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<String> lines = run.out().lines().toList();
            assertThat(lines).as("cycle-start, the object, cycle-stop, as scamper -O json -i TARGET").hasSize(3);
            JsonNode start = JSON.readTree(lines.get(0));
            JsonNode o = JSON.readTree(lines.get(1));
            JsonNode stop = JSON.readTree(lines.get(2));
            assertThat(start.get("type").asText()).isEqualTo("cycle-start");
            assertThat(start.get("start_time").asLong()).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
            assertThat(stop.get("type").asText()).isEqualTo("cycle-stop");
            assertThat(stop.get("stop_time").asLong()).isGreaterThanOrEqualTo(start.get("start_time").asLong());
            assertThat(stop.get("hostname")).isEqualTo(start.get("hostname"));
            assertThat(o.get("type").asText()).isEqualTo(args.get(0).equals("trace") ? "trace" : "tracelb");
            assertThat(o.get("method").asText()).isEqualTo(args.get(0).equals("trace") ? "udp-paris" : "udp-dport");
            assertThat(o.get("src").asText()).as("the address the lab's host sends from")
                    .isEqualTo(LAB.lab().hostAddress().getHostAddress());
            assertThat(o.get("dst").asText()).isEqualTo(dest(LAB));
            if (args.get(0).equals("trace")) {
                assertThat(o.get("stop_reason").asText()).isEqualTo("COMPLETED");
                for (JsonNode hop : o.get("hops")) {
                    assertThat(LAB.lab().expectedResponders(hop.get("probe_ttl").asInt()))
                            .contains(InetAddress.getByName(hop.get("addr").asText()));
                }
            } else {
                Set<String> ttl2 = new HashSet<>();
                o.get("nodes").get(0).get("links").get(0).forEach(l -> ttl2.add(l.get("addr").asText()));
                assertThat(ttl2).as("both branches of the diamond").isEqualTo(addresses(LAB.lab().expectedResponders(2)));
            }
        }
    }

    private static Set<String> addresses(Set<InetAddress> a) {
        Set<String> out = new HashSet<>();
        a.forEach(x -> out.add(x.getHostAddress()));
        return out;
    }

    private static Set<Integer> flowsOf(JsonNode hop) {
        Set<Integer> out = new HashSet<>();
        hop.get("result").forEach(x -> out.add(x.get("flow_id").asInt()));
        return out;
    }

    @Test
    void anUnknownNameWithJsonOutputIsOneJsonObject() throws Exception {
        for (String command : List.of("trace", "multipath")) {
            Run r = CLI.run(command, "--json", "no-such-host.invalid");
            assertThat(r.exitCode()).isEqualTo(2);
            JsonNode e = CliFormatTest.oneErrorObject(r);
            assertThat(e.get("type").asText()).isEqualTo("unknown_target");
            assertThat(e.get("message").asText()).contains("no-such-host.invalid");
        }
        Run text = CLI.run("trace", "no-such-host.invalid");
        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(text.out()).isEmpty();
    }
}
