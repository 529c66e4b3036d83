package io.pathprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pathprobe.cli.CliRuns.Enrichment;
import io.pathprobe.cli.CliRuns.Run;
import io.pathprobe.lab.EcmpHash;
import io.pathprobe.lab.Lab;
import io.pathprobe.lab.LabTest;
import io.pathprobe.lab.middlebox.Chaos;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 72: {@code pathprobe check} (the launcher, as a process) on a 5-hop chain whose routers keep the kernel's
 * ICMP limits. The path meets its assertions (exit 0, nothing printed); a router whose ICMP errors are limited hard
 * fails no loss assertion, the destination's or its own hop's; 30 % loss at the destination (the chaos tools' random
 * drop on the last router) fails {@code --max-loss 5%} with exit 1 and the one line naming it; a route moved to
 * another AS fails {@code --must-traverse} and {@code --must-not-traverse} of ASes; bad input exits 2.
 */
@LabTest
class CliCheckLabTest {
    private static final CliRuns CLI = new CliRuns(Enrichment.OFF);

    private static String args(Run run) {
        return "exit " + run.exitCode() + "\nstdout: " + run.out() + "\nstderr: " + run.err();
    }

    @Test
    void aPathMeetsItsAssertionsThenBreaksThemAndARateLimitedRouterIsNeverLoss() throws Exception {
        try (Lab lab = Lab.chain(5).inCurrentNamespace().build(); Chaos chaos = Chaos.on(lab)) {
            String dest = lab.destination().getHostAddress();
            String router2 = lab.expectedPath().get(1).orElseThrow().getHostAddress();
            Run met = CLI.run("check", "-P", "icmp", "-q", "10", "--must-reach", "--max-loss", "0%", "--max-hops",
                    String.valueOf(lab.hops()), "--must-traverse", router2, "--must-not-traverse", "203.0.113.0/24",
                    dest);
            assertThat(met.exitCode()).as(args(met)).isZero();
            assertThat(met.out()).as(args(met)).isEmpty();

            // router 2 answers at most one ICMP error a second: its silence is refusal, never the path's loss
            chaos.icmpRateLimit(2, Duration.ofSeconds(1), 1, 1);
            Run limited = CLI.run("check", "-P", "icmp", "-q", "10", "--verbose", "--max-loss", "0%", "--max-loss",
                    "0%@hop2", "--must-reach", dest);
            assertThat(limited.exitCode()).as(args(limited)).isZero();
            assertThat(limited.out().lines().toList()).as(args(limited)).hasSize(3)
                    .allSatisfy(l -> assertThat(l).startsWith("HELD "));
            chaos.restore();

            // 30 % of what the last router forwards is dropped: the destination's loss, claimed
            chaos.loss(lab.hops() - 1, 30);
            Run lossy = CLI.run("check", "-P", "icmp", "-q", "30", "--max-loss", "5%", "--must-reach", dest);
            assertThat(lossy.exitCode()).as(args(lossy)).isEqualTo(1);
            List<String> lines = lossy.out().lines().toList();
            assertThat(lines).as(args(lossy)).hasSize(1);
            assertThat(lines.get(0)).startsWith("FAILED --max-loss 5%: ").contains(" loss at the destination " + dest)
                    .endsWith(", above 5%");
            assertThat(chaos.lost()).isPositive();

            Run json = CLI.run("check", "--json", "-P", "icmp", "-q", "30", "--max-loss", "5%", dest);
            assertThat(json.exitCode()).as(args(json)).isEqualTo(1);
            JsonNode doc = CliRuns.JSON.readTree(json.out());
            assertThat(doc.get("schemaVersion").asInt()).isEqualTo(CheckCommand.SCHEMA_VERSION);
            assertThat(doc.get("request").get("measurement").asText()).isEqualTo("trace");
            assertThat(doc.get("held").asBoolean()).isFalse();
            assertThat(doc.get("verdicts").get(0).get("state").asText()).isEqualTo("failed");
            assertThat(doc.get("result").get("destination").asText()).isEqualTo(dest);
        }
    }

    /**
     * The route moves to another AS: a diamond whose two branches the lab's DNS server puts in two ASes (its
     * Team-Cymru-style origin records, {@code -A} through {@code --dns-server}). Router 1 sends the destination's
     * traffic through the first branch: {@code --must-traverse} its AS and {@code --must-not-traverse} the other's hold
     * (exit 0, nothing printed). Then through the other branch ({@code Chaos.replaceRoute}): exit 1 and exactly the
     * two lines naming the AS assertions, and the check document's verdicts say the same.
     */
    @Test
    void aRouteMovedToAnotherAsFailsTheAsAssertions() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).inCurrentNamespace().dnsServer().build();
                Chaos chaos = Chaos.on(lab)) {
            String dest = lab.destination().getHostAddress();
            InetSocketAddress dns = lab.dnsServer().orElseThrow();
            List<InetAddress> branches = List.copyOf(lab.expectedResponders(2));
            InetAddress first = branches.get(0);
            InetAddress other = branches.get(1);
            String asFirst = "AS" + asOf(lab, first);
            String asOther = "AS" + asOf(lab, other);
            assertThat(asFirst).isNotEqualTo(asOther);
            String[] check = {"check", "--dns-server", dns.getAddress().getHostAddress() + ":" + dns.getPort(), "-A",
                "-P", "icmp", "--must-traverse", asFirst, "--must-not-traverse", asOther, dest};

            chaos.replaceRoute(1, dest + "/32 via " + first.getHostAddress());
            Run met = CLI.run(check);
            assertThat(met.exitCode()).as(args(met)).isZero();
            assertThat(met.out()).as(args(met)).isEmpty();

            chaos.replaceRoute(1, dest + "/32 via " + other.getHostAddress());
            Run moved = CLI.run(check);
            assertThat(moved.exitCode()).as(args(moved)).isEqualTo(1);
            String mustTraverse = "FAILED --must-traverse " + asFirst + ": no responder of ";
            String mustNot = "FAILED --must-not-traverse " + asOther + ": hop 2 " + other.getHostAddress() + " is "
                    + asOther;
            List<String> lines = moved.out().lines().toList();
            assertThat(lines).as(args(moved)).hasSize(2);
            assertThat(lines.get(0)).startsWith(mustTraverse).endsWith(" is " + asFirst);
            assertThat(lines.get(1)).isEqualTo(mustNot);

            String[] json = new String[check.length + 1];
            json[0] = "check";
            json[1] = "--json";
            System.arraycopy(check, 1, json, 2, check.length - 1);
            Run doc = CLI.run(json);
            assertThat(doc.exitCode()).as(args(doc)).isEqualTo(1);
            JsonNode d = CliRuns.JSON.readTree(doc.out());
            assertThat(d.get("held").asBoolean()).isFalse();
            assertThat(d.get("request").get("assertions")).extracting(JsonNode::asText)
                    .containsExactly("--must-traverse " + asFirst, "--must-not-traverse " + asOther);
            JsonNode verdicts = d.get("verdicts");
            assertThat(verdicts).hasSize(2).allSatisfy(v -> assertThat(v.get("state").asText()).isEqualTo("failed"));
            assertThat(verdicts.get(0).get("reason").asText()).startsWith("no responder of ").endsWith(" is " + asFirst);
            assertThat(verdicts.get(1).get("reason").asText()).isEqualTo(mustNot.substring(mustNot.indexOf(": ") + 2));
            assertThat(d.get("result").get("hops").get(1).get("address").asText()).isEqualTo(other.getHostAddress());
        }
    }

    /** The AS the lab's origin TXT record gives an address (its first field), as {@code -A} reads it. */
    private static String asOf(Lab lab, InetAddress a) {
        byte[] b = a.getAddress();
        String name = (b[3] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[0] & 0xFF)
                + ".origin.asn.cymru.com";
        String origin = lab.dnsTxtRecords().get(name);
        assertThat(origin).as("the origin record of %s", a).isNotNull();
        return origin.substring(0, origin.indexOf(" | "));
    }

    @Test
    void badInputExits2WithOneLineOnStderr() {
        Run run = CLI.run("check", "--max-loss", "200%", "198.18.0.1");
        assertThat(run.exitCode()).as(args(run)).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().findFirst().orElse("")).startsWith("pathprobe check: --max-loss 200");
    }
}
