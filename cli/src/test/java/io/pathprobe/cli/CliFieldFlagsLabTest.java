package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * traceroute's and mtr's flags through a 4-hop lab, typed as a network engineer types them:
 * {@code trace -n -I -q 1 -m 8} prints a trace of ICMP probes, one per hop, addresses only;
 * {@code mtr -n -r -c 2} prints mtr's report of two rounds. {@code -n} is passed as given (no
 * {@code --no-enrich} added): it alone keeps every lookup off.
 */
@LabTest
class CliFieldFlagsLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(4).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);

    @Test
    void traceWithTraceroutesFlags() {
        Run run = CLI.run("trace", "-n", "-I", "-q", "1", "-m", "8", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("pathprobe to " + dest(LAB)).contains("8 hops max").contains("icmp");
        List<Optional<InetAddress>> path = LAB.lab().expectedPath();
        for (int ttl = 1; ttl <= path.size(); ttl++) {
            String line = lines.get(ttl);
            assertThat(line).as(run.out()).startsWith(String.format("%2d  ", ttl));
            path.get(ttl - 1).ifPresent(a -> assertThat(line).as(run.out()).contains(a.getHostAddress()));
            assertThat(line.split(" ms", -1)).as("one probe per hop (-q 1): %s", line).hasSize(2);
        }
        assertThat(run.out()).contains("destination reached");
        System.out.print(run.out()); // what a user sees, in the test's report
    }

    @Test
    void mtrReportWithMtrsFlags() {
        Run run = CLI.run("mtr", "-n", "-r", "-c", "2", dest(LAB));
        assertThat(run.exitCode()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Start: ").contains("HOST: ").contains("  " + dest(LAB) + " (" + dest(LAB) + ") ICMP").contains("ICMP, 2 rounds").contains("Loss%").contains("Snt");
        for (Optional<InetAddress> hop : LAB.lab().expectedPath()) {
            hop.ifPresent(a -> assertThat(run.out()).as("hop %s in%n%s", a.getHostAddress(), run.out())
                    .contains("|-- " + a.getHostAddress()));
        }
        assertThat(run.out()).contains("end to end:");
        System.out.print(run.out());
    }
}
