package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe compare} end to end through a 7-hop chain where TCP to port 443 takes a router of its own at
 * TTL 3 and the router at TTL 4 drops TCP to port 8443: the text names the hops where TCP/443 parts and meets,
 * the JSON says TCP/8443 stops after hop 4, and bad input exits 2.
 */
@LabTest
@Timeout(120)
class CliCompareLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(7).protocolBranch(3, 443).dropTcpPortAfter(4, 8443)
            .icmpUnlimited("three protocols' probes at once per router").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    @Test
    void theTextNamesWhereTcp443PartsAndMeets() {
        Lab lab = LAB.lab();
        Run run = CLI.run("compare", "-w", "500ms", lab.destination().getHostAddress());
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("ttl  ICMP", "UDP", "TCP/443")
                .contains("TCP/443 parts from ICMP, UDP after hop 2 (" + lab.expectedResponder(2).orElseThrow()
                        .getHostAddress() + ")")
                .contains("meets them again at hop 4 (" + lab.expectedResponder(4).orElseThrow().getHostAddress()
                        + ")");
    }

    @Test
    void theJsonSaysTcp8443StopsAfterHop4() throws Exception {
        Lab lab = LAB.lab();
        Run run = CLI.run("compare", "--json", "-p", "8443", "-m", "10", "-w", "500ms",
                lab.destination().getHostAddress());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(run.out());
        assertThat(j.get("divergences")).isEmpty();
        JsonNode tcp = j.get("ends").get(2);
        assertThat(tcp.get("protocol").asText()).isEqualTo("tcp");
        assertThat(tcp.get("stopsAfter").asInt()).isEqualTo(4);
        assertThat(j.get("ends").get(0).get("reachedDestination").asBoolean()).isTrue();
        assertThat(j.get("findings").get(0).asText()).startsWith("TCP/8443 stops after hop 4");
    }

    @Test
    void aCleanPortTakesOnePathAndExitsZero() {
        Run run = CLI.run("compare", "-p", "80", "-w", "500ms", LAB.lab().destination().getHostAddress());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("ICMP, UDP, TCP/80 take the same path to the destination");
    }

    /**
     * Issue 67: unprivileged, with a ping group range that excludes the user, no ICMP probe can be sent: ICMP is "not
     * probed" (its column and the findings say why, naming the fix), nothing is concluded of its path, and the exit
     * code is what UDP and TCP measured (one path to the destination: 0), not "ICMP gets no answer at all", exit 1.
     */
    @Test
    void aProtocolThisUserCannotSendIsNotProbedNorBlamed() throws Exception {
        String dest = LAB.lab().destination().getHostAddress();
        try (CliRuns.Nobody nobody = CliRuns.Nobody.keepingPingGroupRange()) {
            java.nio.file.Files.writeString(CliRuns.PING_GROUP_RANGE, "1 0");
            Run run = CLI.asNobody(nobody, "compare", "-p", "80", "-w", "500ms", dest);
            System.out.println(run.out());
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("ICMP not probed: no usable transport for ICMP probes to IPv4 destinations: "
                    + "linux-raw-icmp needs CAP_NET_RAW; linux-icmp-dgram needs gid 65534 in "
                    + "net.ipv4.ping_group_range (now '1 0')")
                    .contains("UDP, TCP/80 take the same path to the destination")
                    .doesNotContain("no answer at all").doesNotContain("stops");
            assertThat(run.out().lines().filter(l -> l.startsWith("  1  ")).findFirst().orElseThrow())
                    .contains("not probed");
            Run json = CLI.asNobody(nobody, "compare", "--json", "-p", "80", "-w", "500ms", dest);
            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode j = new ObjectMapper().readTree(json.out());
            assertThat(j.get("ends").get(0).get("protocol").asText()).isEqualTo("icmp");
            assertThat(j.get("ends").get(0).get("stopsAfter").isNull()).as(json.out()).isTrue();
            assertThat(j.get("traces").get(0).get("status").asText()).isEqualTo("SEND_FAILED");
            assertThat(j.get("findings").get(0).asText()).startsWith("ICMP not probed: ");
        }
    }

    @Test
    void badInputExitsTwo() {
        assertThat(CLI.run("compare", "--protocols", "tcp", "198.19.0.1").exitCode()).isEqualTo(2);
        assertThat(CLI.run("compare", "--protocols", "icmp,sctp", "198.19.0.1").exitCode()).isEqualTo(2);
        assertThat(CLI.run("compare", "-p", "70000", "198.19.0.1").exitCode()).isEqualTo(2);
    }
}
