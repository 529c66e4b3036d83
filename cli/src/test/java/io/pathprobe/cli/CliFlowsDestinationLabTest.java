package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 through the command line: {@code trace --flows 16} on a 4-wide diamond (a router hashing
 * the first 4 transport bytes) sends one probe of each flow at every TTL and, with ICMP, whose 16
 * flows' hashed bytes are fixed, sees every branch in 20 of 20 runs; a destination that answers UDP
 * probes from another address ends the trace there and the summary says who answered.
 */
@LabTest
class CliFlowsDestinationLabTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    private static Set<InetAddress> responders(JsonNode hop) throws Exception {
        Set<InetAddress> out = new HashSet<>();
        for (JsonNode r : hop.get("responders")) {
            out.add(InetAddress.getByName(r.get("address").asText()));
        }
        return out;
    }

    @Test
    void sixteenFlowsSeeEveryBranchOfAFourWideDiamondInTwentyRunsOfTwenty() throws Exception {
        try (Lab lab = Lab.diamond(4, EcmpHash.FIRST_4_BYTES).icmpUnlimited("twenty runs of sixteen flows, every branch of every run asserted").inCurrentNamespace().build()) {
            int branch = lab.ecmpTtl().orElseThrow();
            for (int run = 0; run < 20; run++) {
                Run r = CLI.run("trace", "--json", "--protocol", "icmp", "--flows", "16",
                        lab.destination().getHostAddress());
                assertThat(r.exitCode()).as("%s%n%s", r.out(), r.err()).isZero();
                JsonNode report = JSON.readTree(r.out());
                assertThat(report.get("flows").asInt()).isEqualTo(16);
                JsonNode hops = report.get("hops");
                assertThat(hops.size()).as(r.out()).isEqualTo(lab.hops());
                for (JsonNode hop : hops) {
                    int ttl = hop.get("ttl").asInt();
                    assertThat(hop.get("probes").size()).as("run %d TTL %d: one probe per flow", run, ttl).isEqualTo(16);
                    assertThat(hop.get("received").asInt()).as("run %d TTL %d", run, ttl).isEqualTo(16);
                    assertThat(responders(hop)).as("run %d TTL %d:%n%s", run, ttl, r.out())
                            .isEqualTo(lab.expectedResponders(ttl));
                }
                assertThat(lab.expectedResponders(branch)).hasSize(4);
            }
        }
    }

    @Test
    void aDestinationAnsweringFromAnotherAddressEndsTheTraceAndIsNamed() {
        try (Lab lab = Lab.chain(5).destinationAnswersFromOwnAddress().icmpUnlimited("twenty runs of sixteen flows, every branch of every run asserted").inCurrentNamespace().build()) {
            String own = lab.destinationHostAddress().getHostAddress();
            for (String protocol : List.of("udp")) { // ICMP and TCP answers count only from the traced address
                Run r = CLI.run("trace", "--protocol", protocol, lab.destination().getHostAddress());
                assertThat(r.exitCode()).as("%s%n%s", r.out(), r.err()).isZero();
                assertThat(r.out()).as(protocol).contains("destination reached (destination answered from " + own + ")");
                List<String> rows = r.out().lines().filter(l -> l.matches("^\\s*\\d+\\s.*")).toList();
                assertThat(rows).as(r.out()).hasSize(5);
                assertThat(rows.get(4)).contains(own);
            }
        }
    }
}
