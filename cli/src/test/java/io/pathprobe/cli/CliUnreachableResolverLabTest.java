package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.cli.CliRuns.Via;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe trace} with names (no {@code -n}) on a host whose resolver cannot be reached: the names are
 * marked failed, never left pending, and the command ends with the trace, not after the lookup timeout. The lab
 * tests' namespace has loopback and the lab's routes only, so {@value #NO_ROUTE} (TEST-NET-1) has no route (ENETUNREACH at
 * the route lookup); the lab's destination has nothing on UDP port 53 and answers ICMP port unreachable.
 *
 * <p>The lookup timeout is set to 60 s and the run given 40 s to end: a liveness bound only (a run that waited
 * for its names would be killed), not a timing bar.
 */
@LabTest
class CliUnreachableResolverLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3)
            .icmpUnlimited("the destination's port unreachable must answer the resolver's first query")
            .inCurrentNamespace());

    /** Arguments as given: names are looked up. */
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    /** TEST-NET-1: no route from the lab's host namespace. */
    static final String NO_ROUTE = "192.0.2.53";

    /** Longer than the run may take: a run that waited for its names would not end in time. */
    private static final String LOOKUP_TIMEOUT = "60s";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);

    /** The system's resolver (dnsjava reads {@code dns.server} before resolv.conf) has no route: ENETUNREACH. */
    @Test
    void aSystemResolverWithNoRouteFailsEveryNameAndTheRunEndsWithTheTrace() throws Exception {
        Run r = CLI.call().via(Via.JAR).jvmOptions("-Ddns.server=" + NO_ROUTE).timeout(RUN_LIMIT)
                .run("trace", "--lookup-timeout", LOOKUP_TIMEOUT, "--json", CliRuns.dest(LAB));
        assertNamesFailed(r);
    }

    /** A resolver given on the command line whose port answers ICMP port unreachable (refused). */
    @Test
    void aRefusingResolverFailsEveryNameAndTheTableShowsTheAddresses() {
        Lab lab = LAB.lab();
        Run r = CLI.call().timeout(RUN_LIMIT).run("trace", "--lookup-timeout", LOOKUP_TIMEOUT, "--dns-server",
                lab.destination().getHostAddress() + ":53", CliRuns.dest(LAB));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        for (int ttl = 1; ttl <= 3; ttl++) {
            InetAddress expected = lab.expectedResponders(ttl).iterator().next();
            int t = ttl;
            assertThat(lines).as(r.out()).anySatisfy(l -> assertThat(l.trim()).startsWith(t + " ")
                    .contains(expected.getHostAddress()));
        }
    }

    private static void assertNamesFailed(Run r) throws Exception {
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("destinationReached").asBoolean()).as(r.out()).isTrue();
        List<String> statuses = new ArrayList<>();
        for (JsonNode hop : root.get("hops")) {
            for (JsonNode responder : hop.get("responders")) {
                assertThat(responder.get("address").asText()).isNotBlank();
                assertThat(responder.get("hostname").isNull()).as(r.out()).isTrue();
                statuses.add(responder.get("hostnameStatus").asText());
            }
        }
        assertThat(statuses).as(r.out()).isNotEmpty().containsOnly("FAILED");
    }
}
