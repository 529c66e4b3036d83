package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.PING_GROUP_RANGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Paris flow control without privilege, through a diamond of 4 routers behind one that hashes the
 * first 4 transport bytes (as hardware does, so ICMP spreads too): the CLI as uid 65534, ICMP through
 * ping sockets and UDP through IP_RECVERR.
 */
@LabTest
class CliDiamondLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(
            Lab.diamond(4, EcmpHash.FIRST_4_BYTES).icmpUnlimited("every branch of the diamond, in several runs of one lab").inCurrentNamespace());

    /** Arguments as given (trace --json, the options, the destination), as this test always ran them. */
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(true);

    @BeforeAll
    static void asNobody() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "0 2147483647"); // ping sockets for every group
    }


    private static JsonNode trace(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("trace", "--json"));
        args.addAll(List.of(options));
        args.add(LAB.lab().destination().getHostAddress());
        Run run = CLI.asNobody(NOBODY, args.toArray(String[]::new));
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static Set<InetAddress> responders(JsonNode report, int ttl) throws Exception {
        Set<InetAddress> out = new HashSet<>();
        for (JsonNode r : report.get("hops").get(ttl - 1).get("responders")) {
            out.add(InetAddress.getByName(r.get("address").asText()));
        }
        return out;
    }

    @Test
    void parisKeepsOneBranchClassicSpreadsAndManyFlowsFindEvery() throws Exception {
        int branch = LAB.lab().ecmpTtl().orElseThrow();
        Set<InetAddress> branches = LAB.lab().expectedResponders(branch);
        for (String protocol : List.of("icmp", "udp")) {
            JsonNode paris = trace("--protocol", protocol, "--queries", "30");
            assertThat(paris.get("transport").asText()).as(protocol)
                    .isEqualTo(protocol.equals("icmp") ? "linux-icmp-dgram" : "linux-udp-recverr");
            assertThat(paris.get("flowMode").asText()).isEqualTo("paris");
            assertThat(paris.get("destinationReached").asBoolean()).isTrue();
            assertThat(responders(paris, branch)).as("%s Paris: one branch", protocol).hasSize(1);
            assertThat(branches).containsAll(responders(paris, branch));

            JsonNode classic = trace("--protocol", protocol, "--queries", "30", "--flow", "classic");
            assertThat(classic.get("flowMode").asText()).isEqualTo("classic");
            assertThat(responders(classic, branch)).as("%s classic: several branches", protocol).hasSizeGreaterThan(1);

            // 64 flows miss one of 4 uniformly hashed branches with probability 4 * (3/4)^64 < 1e-7
            JsonNode many = trace("--protocol", protocol, "--queries", "64", "--flows", "64");
            assertThat(many.get("flows").asInt()).isEqualTo(64);
            assertThat(responders(many, branch)).as("%s 64 flows: every branch", protocol).isEqualTo(branches);
            JsonNode probe = many.get("hops").get(branch - 1).get("probes").get(5);
            assertThat(probe.get("flow").asInt()).isEqualTo(5);
        }
    }
}
