package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 67 (newcomer-5 friction 7): the field's habits, with their meaning there, through a 3-hop chain: iputils'
 * and fping's {@code ping -q -C -a -n -w}, and {@code -n} on every command that shows addresses ({@code multipath};
 * {@code compare} and {@code mtu}, which look nothing up, take it and change nothing). They were "Unknown option",
 * exit 2. 198.19.0.99 is routed to the destination's network but held by no one: it never answers.
 */
@LabTest
@Timeout(120)
class CliHabitsLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3).icmpUnlimited("many pings back to back")
            .inCurrentNamespace());

    /** As given: {@code -n} is what these runs check (it turns the lookups off). */
    private static final CliRuns CLI = new CliRuns(Enrichment.AS_GIVEN);
    private static final String SILENT = "198.19.0.99";

    @Test
    void pingTakesIputilsAndFpingHabits() {
        // -q: the PING line and the summary, no line per reply
        Run quiet = CLI.run("ping", "-n", "-q", "-c", "3", "-i", "0.2", dest(LAB));
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.out()).startsWith("PING " + dest(LAB)).contains("3 packets transmitted, 3 received")
                .doesNotContain("bytes from").doesNotContain("icmp_seq");

        // -C N: fping's per-probe times, one line per target, '-' for a probe without a reply
        Run perProbe = CLI.run("ping", "-n", "-C", "3", "-i", "0.2", "-W", "0.3", dest(LAB), SILENT);
        assertThat(perProbe.exitCode()).as(perProbe.err()).isEqualTo(1);
        List<String> lines = perProbe.out().lines().toList();
        assertThat(lines).as(perProbe.out()).hasSize(2);
        assertThat(lines.get(0)).matches(java.util.regex.Pattern.quote(dest(LAB)) + " +: \\d+\\.\\d{3} \\d+\\.\\d{3} "
                + "\\d+\\.\\d{3}");
        assertThat(lines.get(1)).matches(java.util.regex.Pattern.quote(SILENT) + " +: - - -");

        // -a: fping's alive targets, one per line
        Run alive = CLI.run("ping", "-n", "-a", "-c", "2", "-i", "0.2", "-W", "0.3", dest(LAB), SILENT);
        assertThat(alive.exitCode()).isEqualTo(1);
        assertThat(alive.out().lines().toList()).containsExactly(dest(LAB));

        // -w: iputils' deadline; without -c the ping ends there
        Run deadline = CLI.run("ping", "-n", "-w", "1", "-i", "0.2", dest(LAB));
        assertThat(deadline.exitCode()).as(deadline.err()).isZero();
        assertThat(deadline.out()).contains("packets transmitted").contains("bytes from " + dest(LAB));

        // -n: no name looked up nor shown (as iputils' ping -n)
        Run numeric = CLI.run("ping", "-n", "-c", "1", dest(LAB));
        assertThat(numeric.exitCode()).as(numeric.err()).isZero();
        assertThat(numeric.out()).contains("--- " + dest(LAB) + " ping statistics ---");
    }

    @Test
    void everyCommandThatShowsAddressesTakesMinusN() {
        for (List<String> args : List.of(List.of("multipath", "-n", "--path-probes", "1"), List.of("compare", "-n"),
                List.of("mtu", "-n"), List.of("trace", "-n"), List.of("mtr", "-n", "-r", "-c", "1"))) {
            java.util.ArrayList<String> all = new java.util.ArrayList<>(args);
            all.add(dest(LAB));
            Run r = CLI.run(all.toArray(String[]::new));
            assertThat(r.exitCode()).as(all + "\n" + r.out() + r.err()).isZero();
            assertThat(r.err()).as(all.toString()).isEmpty();
            assertThat(r.out()).as(all.toString()).contains(dest(LAB));
        }
    }
}
