package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pathprobe mtr} through a 6-hop lab whose routers keep the kernel's ICMP limits: the report
 * names every router of the path and the destination, as mtr's does, and the exit code says the
 * destination answered.
 */
@LabTest
class CliMtrLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(6).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    private static void assertReportHasThePath(String out) {
        assertThat(out).contains("HOST: ").contains("  " + dest(LAB) + " (" + dest(LAB) + ") ").contains("Loss%").contains("Snt");
        for (Optional<InetAddress> hop : LAB.lab().expectedPath()) {
            hop.ifPresent(a -> assertThat(out).as("hop %s in%n%s", a.getHostAddress(), out).contains(a.getHostAddress()));
        }
    }

    @Test
    void reportListsEveryHopAndTheDestination() {
        for (String protocol : new String[] {"icmp", "udp"}) {
            // at mtr's default pace (a round a second), within what the kernel's limit (6, then one a
            // second per router) answers: faster rounds would read its refusals as loss in a fresh tracer
            Run run = CLI.run("mtr", "-r", "-c", "3", "-i", "1", "--protocol", protocol, dest(LAB));
            assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
            assertReportHasThePath(run.out());
            assertThat(run.out()).contains("3 rounds");
            System.out.print(run.out()); // what a user sees, in the test's report
        }
    }

    @Test
    void liveLinesThenTheReport() {
        Run run = CLI.run("mtr", "-c", "3", "-i", "1", "--rounds-too", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.out()).contains("round 1: ").contains("round 3: ");
        assertReportHasThePath(run.out());
    }

    @Test
    void jsonIsTheMonitorDocument() throws Exception {
        Run run = CLI.run("mtr", "--json", "-c", "2", "-i", "1", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(j.get("schemaVersion").asInt()).isEqualTo(4);
        assertThat(j.get("rounds").asLong()).isEqualTo(2);
        assertThat(j.get("path").get("destinationReached").asBoolean()).isTrue();
        assertThat(j.get("hops")).hasSize(LAB.lab().hops());
        assertThat(j.get("hops").get(LAB.lab().hops() - 1).get("responders").get(0).get("address").asText()).isEqualTo(dest(LAB));
    }

    @Test
    void badInputIsRefusedWithExitCode2() {
        Run run = CLI.run("mtr", "-i", "0", dest(LAB));
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.err()).contains("-i must be positive");
    }
}
