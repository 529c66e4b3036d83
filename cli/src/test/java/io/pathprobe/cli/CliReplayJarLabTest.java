package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 67: every recording the command line makes replays to what it printed. The built jar
 * ({@code target/pathprobe.jar}, a process, as users run it) records trace (names from the lab's DNS server, -n,
 * -U, --mask 2, two targets, scamper's format: it prints this host's name and source address), multipath, mtr
 * (one target, and two: two measurements whose set-ups race), ping (text and JSON) and mtu on routers with Linux's
 * default ICMP limits, back to back and once right after every router's ICMP budget was drained, so that rate
 * limiting and the trace's refill retries happen while recording (a text trace streams its hops to a listener, the
 * case the lead found diverging); each recording is replayed by the jar in a network namespace of its own with no
 * interface up (nothing to probe, nobody to ask), and must exit 0 and print exactly what the recording command
 * printed.
 * {@code build/replay-check} runs the same on 50 recordings.
 */
@LabTest
@Timeout(900)
class CliReplayJarLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(5).dnsServer().inCurrentNamespace());

    /** The shipped jar as a process (CliRuns), arguments as given: lookups stay as each command line asks. */
    private static final CliRuns CLI = new CliRuns(CliRuns.Enrichment.AS_GIVEN);

    /** Kept when the test fails: the recordings that did not replay are the evidence. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private static String server(InetSocketAddress s) {
        return s.getAddress().getHostAddress() + ":" + s.getPort();
    }

    @Test
    void everyRecordingReplaysOffTheNetworkToWhatItsCommandPrinted() throws Exception {
        Lab lab = LAB.lab();
        String dest = lab.destination().getHostAddress();
        String router = lab.expectedResponder(3).orElseThrow().getHostAddress();
        String dns = server(lab.dnsServer().orElseThrow());
        List<List<String>> commands = List.of(
                List.of("trace", "--dns-server", dns, "-A", dest),
                List.of("trace", "-n", dest),
                List.of("trace", "-n", dest),
                List.of("trace", "-n", "-U", dest),
                List.of("trace", "--dns-server", dns, "--mask", "2", dest),
                List.of("multipath", "--no-enrich", dest),
                List.of("mtr", "-n", "-r", "-c", "3", "-i", "0.2", dest),
                List.of("mtr", "-n", "--json", "-c", "2", "-i", "0.2", dest, router),
                List.of("ping", "--no-enrich", "-c", "3", "-i", "0.2", dest),
                List.of("ping", "--no-enrich", "--json", "-c", "3", "-i", "0.2", dest),
                List.of("mtu", dest),
                List.of("trace", "-n", dest, router),
                List.of("trace", "-n", "--format", "scamper", dest));
        int drainedBefore = 2; // the second trace -n: right after every budget was drained
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (List<String> c : commands) {
            Path file = dir.resolve("r" + n + ".ndjson");
            if (n == drainedBefore) {
                try (Chaos chaos = Chaos.on(lab)) {
                    chaos.drainIcmpBudgets();
                }
            }
            List<String> args = new ArrayList<>(c);
            args.addAll(List.of("--record", file.toString()));
            CliRuns.Run live = CLI.call().timeout(java.time.Duration.ofSeconds(120)).run(args.toArray(String[]::new));
            assertThat(live.out()).as(c + ": " + live.err()).isNotBlank();
            assertThat(Files.readString(file)).as("the recording holds the command line")
                    .contains("\"application\"").contains("\"type\":\"output\"");
            // what the run met, for the report: how many hops showed rate-limiting, refill retries included
            System.out.println(c + ": live exit " + live.exitCode() + ", "
                    + live.out().lines().filter(l -> l.contains("rate-limited")).count() + " rate-limited hop(s)");
            CliRuns.Run replayed = CLI.call().under("unshare", "-n").timeout(java.time.Duration.ofSeconds(120))
                    .run("replay", file.toString());
            if (replayed.exitCode() != 0 || !replayed.out().equals(live.out())) {
                failures.add(c + " (" + file + "): replay exit " + replayed.exitCode() + "\n" + replayed.err()
                        + "--- live\n" + live.out() + "--- replayed\n" + replayed.out());
            } else {
                assertThat(replayed.err()).as(c.toString()).contains("identical to the recorded result")
                        .doesNotContain("left the record");
            }
            n++;
        }
        assertThat(failures).as("recordings whose replay is not what their command printed").isEmpty();
    }
}
