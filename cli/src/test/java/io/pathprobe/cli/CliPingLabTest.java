package io.pathprobe.cli;

import static io.pathprobe.cli.CliRuns.JSON;
import static io.pathprobe.cli.CliRuns.PING_GROUP_RANGE;
import static io.pathprobe.cli.CliRuns.dest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Nobody;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.json.PingJson;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabExtension;
import io.pathprobe.lab.LabTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pathprobe ping} through a 3-hop lab: output formats, exit codes, and the unprivileged UDP fallback. */
@LabTest
class CliPingLabTest {
    @RegisterExtension
    @Order(1)
    static final LabExtension LAB = new LabExtension(Lab.chain(3).icmpUnlimited("UDP and TCP pings in a row, every answer asserted").dnsServer().inCurrentNamespace());

    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);
    @RegisterExtension
    @Order(2)
    static final Nobody NOBODY = Nobody.perClass(true);



    @Test
    void oneTargetPrintsRepliesAndTheSummaryAsPing() {
        Run r = CLI.run("ping", "-c", "3", "-i", "0.05", dest(LAB));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("64 bytes from " + dest(LAB).replace(".", "\\.") + ": icmp_seq=1 ttl=62 time=[\\d.]+ ms")
                .contains("3 packets transmitted, 3 received, 0% packet loss")
                .containsPattern("rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms");
    }

    @Test
    void manyTargetsPrintFpingSummariesAndJson() throws Exception {
        Run r = CLI.run("ping", "-c", "2", "-i", "0.05", dest(LAB), "198.18.0.2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern(dest(LAB).replace(".", "\\.") + " : xmt/rcv/%loss = 2/2/0%, min/avg/max = ");
        Run j = CLI.run("ping", "--json", "-c", "4", "-i", "0.02", dest(LAB), "198.19.300.1");
        assertThat(j.exitCode()).as("a bad name: fping's 2").isEqualTo(2);
        JsonNode report = JSON.readTree(j.out());
        assertThat(report.get("durationMs").asDouble()).isPositive();
        JsonNode first = report.get("results").get(0);
        assertThat(first.get("target").asText()).isEqualTo(dest(LAB));
        assertThat(first.get("address").asText()).isEqualTo(dest(LAB));
        assertThat(first.get("sent").asInt()).isEqualTo(4);
        assertThat(first.get("received").asInt()).isEqualTo(4);
        assertThat(first.get("duplicates").asInt()).isZero();
        assertThat(first.get("loss").asDouble()).isZero();
        assertThat(first.get("rtt").get("p99").asDouble()).isPositive();
        assertThat(first.get("jitter").isNumber()).isTrue();
        assertThat(first.get("rtts")).hasSize(4);
        assertThat(first.get("error").isNull()).isTrue();
        assertThat(report.get("results").get(1).get("error").asText()).contains("not a valid");
    }

    @Test
    void sizeOptionPrintsTheReplySizeAsPing() throws Exception {
        Run r = CLI.run("ping", "-c", "2", "-i", "0.05", "-s", "1000", dest(LAB));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("1008 bytes from " + dest(LAB).replace(".", "\\.") + ": icmp_seq=2 ttl=62 time=[\\d.]+ ms");
        Run j = CLI.run("ping", "--json", "-c", "2", "-i", "0.05", "--size", "200", dest(LAB));
        JsonNode report = JSON.readTree(j.out());
        assertThat(report.get("schemaVersion").asInt()).isEqualTo(PingJson.SCHEMA_VERSION);
        assertThat(report.get("payloadSize").asInt()).isEqualTo(200);
        assertThat(report.get("results").get(0).get("bytes")).hasSize(2)
                .allSatisfy(b -> assertThat(b.asInt()).isEqualTo(208));
        Run udp = CLI.run("ping", "-c", "2", "-i", "0.05", "-P", "udp", "-s", "1000", dest(LAB));
        assertThat(udp.exitCode()).as(udp.err()).isZero();
        assertThat(udp.out()).contains("reply from " + dest(LAB)).doesNotContain("bytes from");
        assertThat(CLI.run("ping", "-c", "1", "-P", "tcp", "-s", "100", dest(LAB)).exitCode()).as("-s with tcp").isEqualTo(2);
        assertThat(CLI.run("ping", "-c", "1", "-s", "70000", dest(LAB)).exitCode()).as("-s beyond 65507").isEqualTo(2);
    }

    /**
     * As nobody: with ping sockets allowed ("0 2147483647") the size goes through linux-icmp-dgram
     * and replies print as ping's; with ping sockets closed ("1 0") the automatic fallback to UDP
     * (linux-udp-recverr) keeps the size: 1000 payload bytes answered by port unreachables.
     */
    @Test
    void unprivilegedPingHonoursTheSize() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "0 2147483647");
        Run r = CLI.asNobody(NOBODY, "ping", "-c", "2", "-i", "0.05", "-s", "1472", dest(LAB));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("via linux-icmp-dgram").contains("1480 bytes from " + dest(LAB));
        Files.writeString(PING_GROUP_RANGE, "1 0");
        Run u = CLI.asNobody(NOBODY, "ping", "--json", "-c", "2", "-i", "0.05", "-s", "1000", dest(LAB));
        assertThat(u.exitCode()).as(u.out() + u.err()).isZero();
        JsonNode report = JSON.readTree(u.out());
        assertThat(report.get("payloadSize").asInt()).isEqualTo(1000);
        JsonNode first = report.get("results").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("udp");
        assertThat(first.get("transport").asText()).isEqualTo("linux-udp-recverr");
        assertThat(first.get("received").asInt()).isEqualTo(2);
    }

    @Test
    void exitCodesAsFping() {
        assertThat(CLI.run("ping", "-c", "0", dest(LAB)).exitCode()).isEqualTo(2);
        assertThat(CLI.run("ping", "-c", "1", "-i", "0.0001", dest(LAB)).exitCode()).isEqualTo(2);
        assertThat(CLI.run("ping", "-c", "1", "-p", "70000", "-P", "udp", dest(LAB)).exitCode()).isEqualTo(2);
        // 198.19.255.1 is routed to the destination, which has no such address: no answer
        assertThat(CLI.run("ping", "-c", "2", "-i", "0.05", "-W", "0.2", dest(LAB), "198.19.255.1").exitCode()).isEqualTo(1);
    }

    @Test
    void unprivilegedPingFallsBackToUdp() throws Exception {
        Files.writeString(PING_GROUP_RANGE, "1 0");
        Run r = CLI.asNobody(NOBODY, "ping", "--json", "-c", "3", "-i", "0.05", dest(LAB));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode first = JSON.readTree(r.out()).get("results").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("udp");
        assertThat(first.get("received").asInt()).isEqualTo(3);
    }

    @Test
    void dnsPing() throws Exception {
        Run r = CLI.run("ping", "--json", "-P", "dns", "--dns-name", "lab.example", "--dns-type", "A", "-c", "3",
                "-i", "0.02", dest(LAB));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode first = JSON.readTree(r.out()).get("results").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("dns");
        assertThat(first.get("received").asInt()).isEqualTo(3);
    }
}
