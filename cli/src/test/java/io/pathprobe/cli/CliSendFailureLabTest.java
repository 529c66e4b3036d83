package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Ipv6Off;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21: an IPv6 target from the IPv4-only lab, through the command line. {@code trace},
 * {@code multipath}, {@code ping}, {@code mtr}, {@code mtu} and {@code compare} (adversarial-4 D3: mtr said COMPLETED
 * with rows of {@code 0.0% 0}, exit 1) print one error line on stderr, naming the command, that says why nothing can
 * be sent (the system's error included), nothing on stdout, and exit 2, as the README documents (issue 67: it was on
 * stdout without the command's name); the JSON documents carry the typed status.
 * First with IPv6 on but no route to the target (NO_ROUTE), then with IPv6 disabled in this JVM's
 * own network namespace (the case: EADDRNOTAVAIL, SEND_FAILED).
 */
@LabTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliSendFailureLabTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(Lab.chain(3).inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    private static final String TARGET = "2001:db8:100::1";

    @Test
    @Order(1)
    void noRouteIsOneLineAndExit2() throws Exception {
        oneLineAndExit2("no route from this host", "NO_ROUTE", "ENETUNREACH");
    }

    @Test
    @Order(2)
    void anIpv4OnlyHostIsOneLineAndExit2() throws Exception {
        try (Ipv6Off off = Ipv6Off.inThisNamespace()) {
            oneLineAndExit2("no probe can be sent from this host", "SEND_FAILED", "EADDRNOTAVAIL");
        }
    }

    /**
     * adversarial-4 D3: a link-local address without its interface (sendmsg and the route lookup fail with EINVAL, read
     * as transient): trace printed 30 lines of {@code !send: ... EINVAL}, mtu 30 "no reply" and MAX_HOPS_EXCEEDED,
     * mtr rows of {@code ??? 0.0% 0}, multipath "complete, not reached" with exit 1. Nothing leaves the host.
     */
    @Test
    @Order(3)
    void aLinkLocalAddressWithoutItsInterfaceIsOneLineAndExit2() throws Exception {
        for (String[] args : List.of(new String[] {"trace", "fe80::1"}, new String[] {"trace", "-P", "udp", "fe80::1"},
                new String[] {"mtr", "-r", "-c", "3", "fe80::1"}, new String[] {"multipath", "fe80::1"},
                new String[] {"mtu", "fe80::1"})) {
            // an error: stderr, one line naming the command
            assertThat(errorLine(CLI.run(args))).as(String.join(" ", args))
                    .startsWith("pathprobe " + args[0] + ": no probe can be sent from this host to fe80::1");
        }
    }

    private static void oneLineAndExit2(String what, String status, String errno) throws Exception {
        for (String protocol : List.of("icmp", "udp", "tcp")) {
            // an error, as every other: one line on stderr naming the command, nothing on stdout
            assertThat(errorLine(CLI.run("mtr", "-r", "-c", "3", "--protocol", protocol, TARGET)))
                    .startsWith("pathprobe mtr: " + what + " to " + TARGET + ": ").contains(errno)
                    .contains("0 probes sent");
            assertThat(errorLine(CLI.run("trace", "--protocol", protocol, TARGET)))
                    .startsWith("pathprobe trace: " + what + " to " + TARGET + ": ").contains(errno)
                    .contains("0 probes sent");
            assertThat(errorLine(CLI.run("multipath", "--protocol", protocol, TARGET)))
                    .startsWith("pathprobe multipath: " + what + " to " + TARGET + ": ").contains(errno);
        }
        Run tj = CLI.run("trace", "--json", TARGET);
        assertThat(tj.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(tj.out()).get("status").asText()).isEqualTo(status);
        Run mtrj = CLI.run("mtr", "--json", "-c", "3", TARGET);
        assertThat(mtrj.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(mtrj.out()).get("status").asText()).isEqualTo(status);
        Run mtrUnbounded = CLI.run("mtr", "--no-live", TARGET); // no -c: ends after its first round all the same
        assertThat(mtrUnbounded.exitCode()).as(mtrUnbounded.out() + mtrUnbounded.err()).isEqualTo(2);
        assertThat(errorLine(CLI.run("mtu", TARGET))).startsWith("pathprobe mtu: " + what + " to " + TARGET + " (")
                .contains("0 probes sent");
        assertThat(errorLine(CLI.run("compare", TARGET))).startsWith("pathprobe compare: " + what + " to " + TARGET)
                .contains(errno);
        Run mtuj = CLI.run("mtu", "--json", TARGET);
        assertThat(mtuj.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(mtuj.out()).get("status").asText()).isEqualTo(status);
        Run mj = CLI.run("multipath", "--json", TARGET);
        assertThat(mj.exitCode()).isEqualTo(2);
        assertThat(JSON.readTree(mj.out()).get("status").asText()).isEqualTo(status);

        // why nothing was sent is an error: stderr, as ping's
        assertThat(errorLine(CLI.run("ping", "-c", "5", "-i", "0.05", TARGET)))
                .startsWith("pathprobe ping: " + TARGET + ": " + what + ": ").contains(errno);
        Run pj = CLI.run("ping", "--json", "-c", "5", "-i", "0.05", TARGET);
        assertThat(pj.exitCode()).isEqualTo(2);
        JsonNode doc = JSON.readTree(pj.out());
        assertThat(doc.get("status").asText()).isEqualTo(status);

        // with an IPv4 target beside it: that one is pinged; the IPv6 one says why in its own line; exit 1 (some did not answer)
        String dest = LAB.lab().destination().getHostAddress();
        Run both = CLI.run("ping", "-c", "3", "-i", "0.05", dest, TARGET);
        assertThat(both.exitCode()).as(both.out() + both.err()).isEqualTo(1);
        assertThat(lines(both.out())).hasSize(2);
        assertThat(both.out()).contains(dest + " : xmt/rcv/%loss = 3/3/0%").contains(TARGET + " : " + what);
        Run mtrBoth = CLI.run("mtr", "-r", "-c", "2", "-i", "0.1", dest, TARGET);
        assertThat(mtrBoth.exitCode()).as(mtrBoth.out() + mtrBoth.err()).isEqualTo(1);
        assertThat(mtrBoth.out()).contains("Start: ").contains("  " + dest + " (" + dest + ")")
                .doesNotContain(TARGET + " (" + TARGET + ")");
        assertThat(lines(mtrBoth.err())).singleElement()
                .satisfies(l -> assertThat(l).startsWith("pathprobe mtr: " + what + " to " + TARGET + ": "));
    }

    /** {@return the one line {@code run} printed, on stderr, as an error: exit 2, nothing on stdout} */
    private static String errorLine(Run run) {
        List<String> lines = lines(run.exit2Err());
        assertThat(run.out()).as(run.out()).isEmpty();
        assertThat(lines).as(run.err()).hasSize(1);
        return lines.get(0);
    }

    private static List<String> lines(String out) {
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
