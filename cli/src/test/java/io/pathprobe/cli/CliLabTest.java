package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.PING_GROUP_RANGE;
import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.runner.Traceroute;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line through the 29-hop lab (hops 5, 12, 20 silent): JSON and live table as root,
 * and the same traces as an unprivileged user (uid 65534 through setpriv), which must succeed with
 * whatever transport is usable and say why the others are not.
 */
@LabTest
class CliLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(29).silentHops(5, 12, 20).icmpUnlimited("the reference chain: the CLI's traces compared with traceroute's hop for hop, many in a row").inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(true);



    private static List<Optional<InetAddress>> hops(JsonNode report) throws Exception {
        List<Optional<InetAddress>> path = new ArrayList<>();
        for (JsonNode hop : report.get("hops")) {
            JsonNode a = hop.get("address");
            path.add(a.isNull() ? Optional.empty() : Optional.of(InetAddress.getByName(a.asText())));
        }
        return path;
    }

    @Test
    void jsonReportHasTheHopsOfTraceroute() throws Exception {
        for (String protocol : List.of("icmp", "udp")) {
            Run run = CLI.run("trace", "--json", "--protocol", protocol, dest(LAB));
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode report = JSON.readTree(run.out());
            assertThat(report.get("destinationReached").asBoolean()).isTrue();
            assertThat(report.get("durationMs").asDouble()).isPositive();
            assertThat(report.get("protocol").asText()).isEqualTo(protocol);
            assertThat(hops(report)).isEqualTo(LAB.lab().expectedPath())
                    .isEqualTo(Traceroute.run(List.of("-n", protocol.equals("icmp") ? "-I" : "-U"), LAB.lab().destination()));
            JsonNode first = report.get("hops").get(0);
            assertThat(first.get("ttl").asInt()).isEqualTo(1);
            assertThat(first.get("rtts")).hasSize(3);
            assertThat(report.get("hops").get(4).get("address").isNull()).isTrue();
            assertThat(report.get("hops").get(4).get("rtts")).isEmpty();
            assertThat(report.get("schemaVersion").asInt()).isEqualTo(11);
            assertThat(report.get("flowMode").asText()).isEqualTo("paris");
            assertThat(report.get("flows").asInt()).isEqualTo(1);
            assertThat(first.get("probes").get(0).get("flow").asInt()).isZero();
            JsonNode silent = report.get("hops").get(4);
            // a silent router forwards the probes that later hops answer: its silence, not the path's loss (issue 47)
            assertThat(silent.get("lost").asInt()).isZero();
            assertThat(silent.get("rateLimited").asInt()).isEqualTo(3);
            assertThat(silent.get("backwardLost").asInt()).isZero();
            assertThat(silent.get("forwardLost").asInt()).isZero();
            assertThat(silent.get("nat").asBoolean()).isFalse();
        }
    }

    @Test
    void liveTablePrintsEveryHopInOrder() {
        Run run = CLI.run("trace", dest(LAB));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = run.out().lines().filter(l -> l.matches("^\\s*\\d+\\s.*")).toList();
        assertThat(rows).hasSize(29);
        for (int ttl = 1; ttl <= 29; ttl++) {
            String row = rows.get(ttl - 1).trim();
            assertThat(row).startsWith(ttl + " ");
            Optional<InetAddress> expected = LAB.lab().expectedResponder(ttl);
            if (expected.isPresent()) {
                assertThat(row).contains(expected.get().getHostAddress()).contains(" ms");
            } else {
                assertThat(row).isEqualTo(ttl + "  *  *  *");
            }
        }
        assertThat(run.out()).contains("destination reached in");
    }

    @Test
    void asNobodyTracesSucceedAndUnusableTransportsSayWhy() throws Exception {
        // ping sockets allowed for everyone (as on most distributions): ICMP through them
        Files.writeString(PING_GROUP_RANGE, "0 2147483647");
        Run icmp = CLI.asNobody(NOBODY, "trace", "--json", dest(LAB));
        assertThat(icmp.exitCode()).as(icmp.err()).isZero();
        JsonNode report = JSON.readTree(icmp.out());
        assertThat(report.get("transport").asText()).isEqualTo("linux-icmp-dgram");
        assertThat(hops(report)).isEqualTo(LAB.lab().expectedPath());

        // the kernel default "1 0": ICMP is impossible without privilege; the default trace falls back to
        // UDP, gets traceroute -U's hops, and says why ICMP was not used
        Files.writeString(PING_GROUP_RANGE, "1 0");
        Run auto = CLI.asNobody(NOBODY, "trace", "--json", dest(LAB));
        assertThat(auto.exitCode()).as(auto.err()).isZero();
        JsonNode autoReport = JSON.readTree(auto.out());
        assertThat(autoReport.get("protocol").asText()).isEqualTo("udp");
        assertThat(autoReport.get("transport").asText()).isEqualTo("linux-udp-recverr");
        // one line naming what would let ICMP be used, not every transport of every platform (issue 67)
        assertThat(autoReport.get("protocolNote").asText()).isEqualTo("ICMP not usable: linux-raw-icmp needs "
                + "CAP_NET_RAW; linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range (now '1 0')");
        assertThat(hops(autoReport)).isEqualTo(LAB.lab().expectedPath())
                .isEqualTo(Traceroute.run(List.of("-n", "-U"), LAB.lab().destination()));

        Run table = CLI.asNobody(NOBODY, "trace", dest(LAB));
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("via linux-udp-recverr").contains("\nudp probes: ICMP not usable: "
                + "linux-raw-icmp needs CAP_NET_RAW; linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range "
                + "(now '1 0')\n").doesNotContain("not macOS").doesNotContain("transports not usable here");
        // --verbose: every transport not usable here, with the failed call and its errno, as 'transports' lists it
        Run verbose = CLI.asNobody(NOBODY, "trace", "--verbose", dest(LAB));
        assertThat(verbose.exitCode()).as(verbose.err()).isZero();
        assertThat(verbose.out()).contains("transports not usable here:")
                .containsPattern("\\n  linux-raw-icmp\\s+unavailable\\s+needs CAP_NET_RAW \\(socket\\(AF_INET, SOCK_RAW, "
                        + "IPPROTO_ICMP\\): EPERM")
                .containsPattern("\\n  linux-icmp-dgram\\s+unavailable\\s+net.ipv4.ping_group_range is '1 0'");

        Run udp = CLI.asNobody(NOBODY, "trace", "--json", "--protocol", "udp", dest(LAB));
        assertThat(udp.exitCode()).as(udp.err()).isZero();
        JsonNode udpReport = JSON.readTree(udp.out());
        assertThat(udpReport.get("transport").asText()).isEqualTo("linux-udp-recverr");
        assertThat(udpReport.get("protocolNote").isNull()).as("an explicit protocol needs no note").isTrue();
        assertThat(hops(udpReport)).isEqualTo(LAB.lab().expectedPath());

        // an explicit protocol stays strict: refused in one line, naming what would make ICMP usable and the hint
        Run refused = CLI.asNobody(NOBODY, "trace", "--protocol", "icmp", dest(LAB));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().lines().toList()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("pathprobe trace: no usable transport for ICMP probes to IPv4 destinations: ")
                .contains("linux-raw-icmp needs CAP_NET_RAW")
                .contains("linux-icmp-dgram needs gid 65534 in net.ipv4.ping_group_range (now '1 0')")
                .contains("UDP probes are usable here: --protocol udp").doesNotContain("Builder")
                .doesNotContain("not macOS").doesNotContain("does not send ICMP probes"));

        Run transports = CLI.asNobody(NOBODY, "transports");
        assertThat(transports.exitCode()).isZero();
        assertThat(transports.out()).containsPattern("linux-udp-recverr\\s+available")
                .containsPattern("linux-icmp-dgram\\s+unavailable\\s+net.ipv4.ping_group_range is '1 0'")
                .containsPattern("linux-raw-icmp\\s+unavailable\\s+needs CAP_NET_RAW");
    }

    @Test
    void badInputExitsWithATypedMessage() {
        assertThat(CLI.run("trace", "no-such-host.invalid").exit2Err())
                .contains("unknown host 'no-such-host.invalid'");
        assertThat(CLI.run("trace", "--max-ttl", "0", dest(LAB)).exit2Err())
                .contains("Invalid value for option '--max-ttl': '0' is not a count: give 1 or more");
        assertThat(CLI.run("trace", "--max-ttl", "256", dest(LAB)).exit2Err())
                .contains("-m must be 1..255, was 256");
        assertThat(CLI.run("trace", "--wait", "0ms", dest(LAB)).exit2Err())
                .contains("'0ms': the wait must be more than 0");
        for (String port : List.of("0", "65536")) {
            assertThat(CLI.run("trace", "--protocol", "tcp", "--port", port, dest(LAB)).exit2Err()).as(port)
                    .contains("-p must be 1..65535, was " + port);
        }
        assertThat(CLI.run("trace", "-6", dest(LAB)).exit2Err())
                .contains("is an IPv4 address; the request asks for IPV6");
        for (String flows : List.of("0", "257")) {
            assertThat(CLI.run("trace", "--flows", flows, dest(LAB)).exit2Err()).as(flows)
                    .contains(flows.equals("0") ? "'0' is not a count: give 1 or more"
                            : "--flows must be 1..256, was " + flows);
        }
        assertThat(CLI.run("trace", "--flows", "4", "--flow", "classic", dest(LAB)).exit2Err())
                .contains("--flows 4 needs --flow paris");
        Run unreachable = CLI.run("trace", "--json", LAB.lab().unroutedAddress().getHostAddress());
        assertThat(unreachable.exitCode()).isEqualTo(3);
        assertThat(unreachable.out()).contains("\"status\" : \"UNREACHABLE\"");
    }
}
