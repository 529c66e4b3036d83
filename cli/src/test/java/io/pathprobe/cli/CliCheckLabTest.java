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
 * another AS fails {@code --must-traverse} and {@code --must-not-traverse} of ASes, and a route moved while
 * {@code check --monitor} runs keeps the first and fails the second; bad input exits 2.
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
            TwoAses t = TwoAses.of(lab);
            String dest = t.dest();
            InetAddress first = t.first();
            InetAddress other = t.other();
            String asFirst = t.asFirst();
            String asOther = t.asOther();
            String[] check = t.check();

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

    /**
     * The route moves while {@code check --monitor} runs: the same two-AS diamond, router 1 sending the destination's
     * traffic through the first branch. Once that branch's router has answered the monitor (its Time Exceeded
     * counter moved), the lab moves the route to the other branch; the monitor's later rounds go through it. The
     * monitor has seen both: {@code --must-traverse} the first AS holds and {@code --must-not-traverse} the other's
     * fails (exit 1, exactly that line), where a trace would have seen one branch only. The JSON document's request
     * is a monitor and hop 2's row lists both branches' routers.
     */
    @Test
    void aRouteMovedDuringAMonitorFailsMustNotTraverseAndKeepsMustTraverse() throws Exception {
        try (Lab lab = Lab.diamond(2, EcmpHash.LINUX_L4).inCurrentNamespace().dnsServer().build();
                Chaos chaos = Chaos.on(lab)) {
            TwoAses t = TwoAses.of(lab);
            chaos.replaceRoute(1, t.dest() + "/32 via " + t.first().getHostAddress()); // the first AS's branch
            long before = timeExceeded(lab);

            java.util.concurrent.CompletableFuture<Run> running = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CLI.run(t.check("--json", "--monitor", "40", "-i", "0.2")));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a liveness bound only
            while (timeExceeded(lab) == before) {
                assertThat(running).as("the monitor ended before the first branch answered it").isNotDone();
                assertThat(System.nanoTime()).as("the first branch answers the monitor").isLessThan(deadline);
                Thread.sleep(20);
            }
            chaos.replaceRoute(1, t.dest() + "/32 via " + t.other().getHostAddress());
            Run moved = running.get(120, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(moved.exitCode()).as(args(moved)).isEqualTo(1);
            JsonNode d = CliRuns.JSON.readTree(moved.out());
            assertThat(d.get("request").get("measurement").asText()).isEqualTo("monitor");
            assertThat(d.get("held").asBoolean()).isFalse();
            JsonNode verdicts = d.get("verdicts");
            assertThat(verdicts).as(args(moved)).hasSize(2);
            assertThat(verdicts.get(0).get("state").asText()).as(args(moved)).isEqualTo("held");
            assertThat(verdicts.get(0).get("reason").asText())
                    .isEqualTo("hop 2 " + t.first().getHostAddress() + " is " + t.asFirst());
            assertThat(verdicts.get(1).get("state").asText()).as(args(moved)).isEqualTo("failed");
            assertThat(verdicts.get(1).get("reason").asText())
                    .isEqualTo("hop 2 " + t.other().getHostAddress() + " is " + t.asOther());
            assertThat(moved.out()).as("both branches in the monitor's result").contains(t.first().getHostAddress())
                    .contains(t.other().getHostAddress());
        }
    }

    /**
     * The two-AS diamond's parts: the destination, the branches' routers and their ASes (asserted apart), and the
     * check of both AS assertions through the lab's DNS server ({@link #check(String...)}).
     */
    private record TwoAses(String dest, String dns, InetAddress first, InetAddress other, String asFirst,
            String asOther) {
        static TwoAses of(Lab lab) {
            InetSocketAddress dns = lab.dnsServer().orElseThrow();
            List<InetAddress> branches = List.copyOf(lab.expectedResponders(2));
            TwoAses t = new TwoAses(lab.destination().getHostAddress(),
                    dns.getAddress().getHostAddress() + ":" + dns.getPort(), branches.get(0), branches.get(1),
                    "AS" + asOf(lab, branches.get(0)), "AS" + asOf(lab, branches.get(1)));
            assertThat(t.asFirst()).isNotEqualTo(t.asOther());
            return t;
        }

        /** {@code check OPTIONS --dns-server S -A -P icmp --must-traverse A1 --must-not-traverse A2 DEST}. */
        String[] check(String... options) {
            List<String> a = new java.util.ArrayList<>(List.of("check"));
            a.addAll(List.of(options));
            a.addAll(List.of("--dns-server", dns, "-A", "-P", "icmp", "--must-traverse", asFirst,
                    "--must-not-traverse", asOther, dest));
            return a.toArray(String[]::new);
        }
    }

    /** The Time Exceeded messages the diamond's middle routers have sent (their {@code /proc/net/snmp}). */
    private static long timeExceeded(Lab lab) throws Exception {
        long sum = 0;
        for (String ns : lab.namespaces(2)) {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "cat", "/proc/net/snmp").start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines().filter(l -> l.startsWith("Icmp: ")).toList();
            p.waitFor();
            List<String> names = List.of(lines.get(0).split(" "));
            sum += Long.parseLong(lines.get(1).split(" ")[names.indexOf("OutTimeExcds")]);
        }
        return sum;
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
