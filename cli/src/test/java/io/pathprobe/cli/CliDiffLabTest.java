package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.probe.AddressText;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pathprobe diff} of two lab runs with a route moved between them: kernel routers with their own ICMP rate
 * limits (the kernel's defaults: the traces here come in a row and spend their budgets), a chain of 6 with two
 * parallel routers at TTL 3. The router at TTL 2 is pinned to one of them by a host route to the destination, then
 * moved to the other: the diff of the two traces names hop 3, from the one to the other, and nothing else; two
 * traces without a move between them are "no change", exit 0, however many replies the routers' rate limits
 * withheld. Traces with ICMP and UDP, two rounds (the second on routers the first drained); and two monitor runs (mtr) the same way.
 */
@LabTest
class CliDiffLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(6).ecmp(3, 2, EcmpHash.LINUX_L4).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    @TempDir
    Path dir;

    /** The two routers at the diamond's TTL, as they answer (their address on the link from the TTL before). */
    private static List<InetAddress> branches() {
        List<InetAddress> b = new ArrayList<>(LAB.lab().expectedResponders(3));
        b.sort(java.util.Comparator.comparing(AddressText::of));
        assertThat(b).hasSize(2);
        return b;
    }

    /** Routes the destination, in the router at TTL 2, through {@code branch} only (a host route, over the ECMP). */
    private static void pin(InetAddress branch) throws Exception {
        List<String> command = List.of("ip", "route", "replace", LAB.lab().destination().getHostAddress() + "/32",
                "via", branch.getHostAddress());
        Process p = LAB.lab().command(2, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }

    @AfterEach
    void unpin() throws Exception {
        Process p = LAB.lab().command(2, List.of("ip", "route", "del",
                LAB.lab().destination().getHostAddress() + "/32")).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private Path trace(String protocol, String name) throws Exception {
        Run run = CLI.run("trace", "--json", "--protocol", protocol, LAB.lab().destination().getHostAddress());
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("destinationReached").asBoolean()).as(run.out()).isTrue();
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, run.out(), StandardCharsets.UTF_8);
        return file;
    }

    private Path monitor(String name) throws Exception {
        Run run = CLI.run("mtr", "--json", "-c", "5", "-i", "0.2", LAB.lab().destination().getHostAddress());
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isZero();
        assertThat(JSON.readTree(run.out()).at("/path/destinationReached").asBoolean()).as(run.out()).isTrue();
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, run.out(), StandardCharsets.UTF_8);
        return file;
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void twoMonitorRunsWithARouteMovedBetweenThem() throws Exception {
        List<InetAddress> branch = branches();
        pin(branch.get(0));
        Path a = monitor("mtr-a");
        Path again = monitor("mtr-again");
        Run same = CLI.run("diff", a.toString(), again.toString());
        assertThat(same.out()).as("%s%n%s", Files.readString(a), Files.readString(again)).isEqualTo("no change\n");
        assertThat(same.exitCode()).isZero();
        pin(branch.get(1));
        Path b = monitor("mtr-b");
        Run moved = CLI.run("diff", a.toString(), b.toString());
        assertThat(moved.out()).as("%s%n%s", Files.readString(a), Files.readString(b))
                .isEqualTo("hop 3: " + AddressText.of(branch.get(0)) + " -> " + AddressText.of(branch.get(1)) + "\n");
        assertThat(moved.exitCode()).isEqualTo(1);
    }

    @RepeatedTest(2)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aMovedRouterIsTheOneChangeAndNoMoveIsNone() throws Exception {
        List<InetAddress> branch = branches();
        for (String protocol : List.of("icmp", "udp")) {
            pin(branch.get(0));
            Path a = trace(protocol, protocol + "-a");
            Path again = trace(protocol, protocol + "-again");
            Run same = CLI.run("diff", a.toString(), again.toString());
            assertThat(same.out()).as("%s%n%s%n%s", protocol, Files.readString(a), Files.readString(again))
                    .isEqualTo("no change\n");
            assertThat(same.exitCode()).isZero();

            pin(branch.get(1));
            Path b = trace(protocol, protocol + "-b");
            Run moved = CLI.run("diff", a.toString(), b.toString());
            assertThat(moved.out()).as("%s%n%s%n%s", protocol, Files.readString(a), Files.readString(b))
                    .isEqualTo("hop 3: " + AddressText.of(branch.get(0)) + " -> " + AddressText.of(branch.get(1))
                            + "\n");
            assertThat(moved.exitCode()).isEqualTo(1);
            JsonNode j = JSON.readTree(CLI.run("diff", "--json", a.toString(), b.toString()).out());
            assertThat(j.at("/targets/0/changes")).hasSize(1);
            assertThat(j.at("/targets/0/changes/0/kind").asText()).isEqualTo("RESPONDER_CHANGED");
            assertThat(j.at("/targets/0/changes/0/ttl").asInt()).isEqualTo(3);
            Run back = CLI.run("diff", b.toString(), a.toString());
            assertThat(back.out()).isEqualTo("hop 3: " + AddressText.of(branch.get(1)) + " -> "
                    + AddressText.of(branch.get(0)) + "\n");
        }
    }
}
